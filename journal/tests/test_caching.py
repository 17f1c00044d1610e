"""Anonymous readers get cached pages; editors and committed changes are never served stale.

Changes here are made inside `commit()`: a test's own transaction never
commits, and the content generation ends only when a change does.
"""

import datetime
import re
import time

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import content_generation
from journal.images.renditions import ensure_renditions
from journal.models import Article, ArticleEvent, Correction
from journal.services.previews import preview_link_create
from journal.services.workflow import article_publish, article_submit, article_unpublish
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
    image_file,
)
from journal.tests.project.test_hostile_admin import form_data
from journal.tests.project.test_settings import run_in_shell
from summits.tests.factories import CountryFactory, SummitFactory

pytestmark = pytest.mark.django_db

HOME = reverse("journal:home")


def from_cache(response) -> bool:
    # Django's cache middleware gives a page it replays an Age.
    return "Age" in response


@pytest.fixture
def ends(monkeypatch):
    """Each time the content generation ends, in order."""
    ended = []
    real_end = content_generation.end

    def end(**kwargs):
        ended.append(real_end(**kwargs))
        return ended[-1]

    monkeypatch.setattr(content_generation, "end", end)
    return ended


def test_a_second_visit_is_served_from_the_cache(client, django_assert_num_queries):
    PublishedArticleFactory(title="Caspian talks resume")
    first = client.get(HOME)
    assert not from_cache(first)

    with django_assert_num_queries(0):
        second = client.get(HOME)

    assert second.status_code == 200
    assert from_cache(second)
    assert second.content == first.content
    assert "Caspian talks resume" in second.text


def test_a_repeat_visit_with_the_etag_gets_a_304_until_the_page_changes(client, commit):
    article = PublishedArticleFactory(title="Caspian talks resume")
    first = client.get(HOME)
    etag = first["ETag"]
    # Browsers ask again every time, and get a 304 while nothing changed.
    assert "max-age=0" in first["Cache-Control"]

    assert client.get(HOME, headers={"if-none-match": etag}).status_code == 304
    assert client.get(HOME, headers={"if-none-match": '"other"'}).status_code == 200

    with commit():
        article.title = "Talks collapse"
        article.save()
    after = client.get(HOME, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert "Talks collapse" in after.text


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda a: setattr(a, "title", "Talks collapse") or a.save(), "Talks collapse"),
        (lambda a: Correction.objects.create(article=a, text="We misdated it."), "misdated"),
        (lambda a: a.countries.add(CountryFactory(name="Oman", slug="oman")), "Oman"),
        (
            lambda a: a.bylines.create(contributor=ContributorFactory(name="Nodira Azimova")),
            "Nodira Azimova",
        ),
    ],
    ids=["edit", "correct", "tag", "byline"],
)
def test_any_change_shows_once_committed(client, commit, change, shown):
    article = PublishedArticleFactory(title="Caspian talks resume")
    url = article.get_absolute_url()
    client.get(url)
    assert from_cache(client.get(url))

    with commit():
        change(article)

    after = client.get(url)
    assert not from_cache(after)
    assert shown in after.text


def kazakh_count(client) -> str:
    """What the countries index says of Kazakhstan's coverage."""
    page = client.get(reverse("journal:country_list")).text
    return re.search(r">Kazakhstan</a>.*?(\d+ articles?)", page, re.S).group(1)


def test_an_edit_to_an_articles_words_keeps_what_lists_and_counts_kept(client, commit):
    with commit():
        kazakhstan = CountryFactory(name="Kazakhstan", slug="kazakhstan")
        article = PublishedArticleFactory(standfirst="Delegations meet.", countries=[kazakhstan])
        PublishedArticleFactory(countries=[kazakhstan])
    assert "Delegations meet." in client.get(kazakhstan.get_absolute_url()).text
    assert kazakh_count(client) == "2 articles"
    listing = content_generation.current().listing

    with commit():
        article.standfirst = "Delegations part ways."
        article.save()

    # The card is new; the count and the list's pages, which no words decide, stay kept.
    assert "Delegations part ways." in client.get(kazakhstan.get_absolute_url()).text
    assert content_generation.current().listing == listing
    assert kazakh_count(client) == "2 articles"


@pytest.mark.parametrize(
    "change",
    [
        lambda a: setattr(a, "section", Article.Section.ANALYSIS) or a.save(),
        lambda a: article_unpublish(article=a),
        lambda a: setattr(a, "publish_at", timezone.now() + datetime.timedelta(days=1)) or a.save(),
        lambda a: a.countries.clear(),
    ],
    ids=["section", "unpublish", "scheduled", "untagged"],
)
def test_a_change_lists_read_shows_on_lists_and_counts_at_once(client, commit, change):
    with commit():
        kazakhstan = CountryFactory(name="Kazakhstan", slug="kazakhstan")
        article = PublishedArticleFactory(
            title="Caspian talks resume", section=Article.Section.NEWS, countries=[kazakhstan]
        )
        PublishedArticleFactory(title="Steppe railways", countries=[kazakhstan])
    news = reverse("journal:article_list") + "?section=news&country=kazakhstan"
    assert "Caspian talks resume" in client.get(news).text
    assert kazakh_count(client) == "2 articles"

    with commit():
        change(article)

    assert "Caspian talks resume" not in client.get(news).text
    assert "Steppe railways" in client.get(news).text
    if article.section == Article.Section.NEWS:  # still a news piece, so not counted any more
        assert kazakh_count(client) == "1 article"


def test_a_generation_written_by_an_earlier_release_ends_lists_with_it(commit):
    # During a rolling deploy, workers of the earlier release end only the
    # content generation; lists and counts must not outlive it.
    caches = content_generation.caches
    caches[content_generation.SHARED].set(content_generation.KEY, ("earlier", None), None)

    assert content_generation.current().listing == "earlier"
    caches[content_generation.SHARED].set(content_generation.KEY, ("later", None), None)
    assert content_generation.current().listing == "later"


def test_a_change_rolled_back_ends_nothing(client, ends):
    article = PublishedArticleFactory(title="Caspian talks resume")
    client.get(HOME)

    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never said"
        article.save()
        raise RuntimeError("the editor's request failed")

    assert ends == []
    page = client.get(HOME)
    assert from_cache(page)
    assert "Caspian talks resume" in page.text


def test_a_deleted_article_goes_at_once(client, commit):
    article = PublishedArticleFactory(title="Caspian talks resume")
    assert "Caspian talks resume" in client.get(HOME).text
    assert from_cache(client.get(HOME))

    with commit():
        article.delete()

    assert "Caspian talks resume" not in client.get(HOME).text
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unpublishing_takes_the_article_off_cached_pages(client, commit):
    article = PublishedArticleFactory(title="Caspian talks resume")
    assert "Caspian talks resume" in client.get(HOME).text

    with commit():
        article_unpublish(article=article)

    assert "Caspian talks resume" not in client.get(HOME).text
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_summit_change_shows_at_once(client, commit):
    summit = SummitFactory(title="Leaders meet in Astana")
    url = summit.get_absolute_url()
    assert "Leaders meet in Astana" in client.get(url).text

    with commit():
        summit.title = "Leaders meet in Samarkand"
        summit.save()

    assert "Leaders meet in Samarkand" in client.get(url).text


def test_a_scheduled_article_appears_when_its_time_comes_without_any_save(client, travel, ends):
    PublishedArticleFactory(title="Already out")
    PublishedArticleFactory(
        title="Embargoed until noon", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert "Embargoed until noon" not in client.get(HOME).text
    assert from_cache(client.get(HOME))

    travel(datetime.timedelta(minutes=59))
    assert "Embargoed until noon" not in client.get(HOME).text
    assert ends == []

    travel(datetime.timedelta(minutes=2))
    response = client.get(HOME)
    assert not from_cache(response)
    assert "Embargoed until noon" in response.text
    assert len(ends) == 1  # by the reader who first came after noon


def test_scheduling_an_article_moves_the_generations_end(client, commit, travel):
    draft = ArticleFactory(
        title="Embargoed until noon", countries=[CountryFactory()], authors=[ContributorFactory()]
    )
    assert "Embargoed until noon" not in client.get(HOME).text

    with commit():
        article_publish(article=draft, at=timezone.now() + datetime.timedelta(hours=1))
    assert "Embargoed until noon" not in client.get(HOME).text
    assert from_cache(client.get(HOME))

    travel(datetime.timedelta(minutes=61))
    assert "Embargoed until noon" in client.get(HOME).text


# What ends the generation, and how often ------------------------------------------


def add_byline(data: dict, contributor) -> None:
    """One more byline row in a posted article form."""
    index = int(data["bylines-TOTAL_FORMS"][0])
    data["bylines-TOTAL_FORMS"] = [str(index + 1)]
    data[f"bylines-{index}-contributor"] = [str(contributor.pk)]
    data[f"bylines-{index}-role"] = ["author"]
    data[f"bylines-{index}-order"] = [str(index)]


def test_one_admin_save_with_tags_and_bylines_ends_the_generation_once(admin_client, commit, ends):
    kz, uz = CountryFactory(code="KZ"), CountryFactory(code="UZ")
    writer, guest = ContributorFactory(), ContributorFactory(name="Guest Ambassador")
    article = PublishedArticleFactory(
        title="Caspian talks resume", countries=[kz], authors=[writer]
    )
    url = reverse("admin:journal_article_change", args=[article.pk])
    data = form_data(admin_client, url, Article)
    data["title"] = ["Caspian talks collapse"]
    data["countries"] = [str(kz.pk), str(uz.pk)]
    add_byline(data, guest)

    with commit():
        response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert len(ends) == 1
    page = admin_client.get(article.get_absolute_url()).text
    assert "Caspian talks collapse" in page and "Uzbekistan" in page and "Guest Ambassador" in page


def test_saving_a_draft_that_never_was_public_ends_nothing(admin_client, client, commit, ends):
    PublishedArticleFactory(title="Caspian talks resume")
    draft = ArticleFactory(title="Work in progress")
    client.get(HOME)
    url = reverse("admin:journal_article_change", args=[draft.pk])
    data = form_data(admin_client, url, Article)
    data["title"] = ["Still in progress"]
    data["countries"] = [str(CountryFactory().pk)]
    add_byline(data, ContributorFactory())

    with commit():
        response = admin_client.post(url, data)
        article_submit(article=draft)

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert ends == []
    assert from_cache(client.get(HOME))


def test_records_no_reader_sees_end_nothing(commit, ends):
    article = PublishedArticleFactory()
    with commit():
        preview_link_create(article=article, user=None)
        ArticleEvent.objects.create(article=article, action=ArticleEvent.Action.PUBLISHED)
        ContributorFactory(name="Not yet credited")

    assert ends == []


def test_a_transaction_of_many_changes_ends_the_generation_once(commit, ends):
    with commit(), transaction.atomic():
        country = CountryFactory()
        for _ in range(3):
            PublishedArticleFactory(countries=[country], authors=[ContributorFactory()])
        SummitFactory()

    assert len(ends) == 1


# Who gets cached pages ---------------------------------------------------------


def test_editors_always_get_fresh_pages(client, admin_client, commit):
    article = PublishedArticleFactory(title="First headline")
    url = article.get_absolute_url()
    client.get(url)
    assert from_cache(client.get(url))

    for _ in range(2):
        response = admin_client.get(url)
        assert not from_cache(response)
        assert response.context is not None  # rendered, not replayed
    # What an editor is shown is not kept for readers either.
    with commit():
        article.title = "Second headline"
        article.save()
    assert "Second headline" in admin_client.get(url).text
    reader = client.get(url)
    assert not from_cache(reader)
    assert "Second headline" in reader.text


def test_no_cached_page_ever_shows_a_draft(client, admin_client, commit):
    draft = ArticleFactory(
        title="Secret draft", countries=[CountryFactory()], authors=[ContributorFactory()]
    )
    # An editor previews it; readers' pages are cached meanwhile.
    assert admin_client.get(reverse("journal:article_preview", args=[draft.pk])).status_code == 200
    assert "Secret draft" not in client.get(HOME).text
    assert client.get(draft.get_absolute_url()).status_code == 404

    with commit():
        article_publish(article=draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    assert "Secret draft" in client.get(HOME).text


def test_a_preview_shows_the_draft_as_saved_last(admin_client):
    draft = ArticleFactory(title="First take", countries=[CountryFactory()])
    url = reverse("journal:article_preview", args=[draft.pk])
    assert "First take" in admin_client.get(url).text

    draft.title = "Second take"
    draft.save()  # a draft: the content generation goes on

    assert "Second take" in admin_client.get(url).text


def test_only_reader_pages_are_cached(client):
    article = PublishedArticleFactory()
    for url in [
        reverse("admin:login"),
        reverse("health"),
        reverse("journal:article_preview", args=[article.pk]),
        "/en/articles/no-such-article/",
    ]:
        client.get(url)
        assert not from_cache(client.get(url)), url


def test_pages_outside_the_reader_site_are_not_cached(client, settings):
    # The benchmark's reference view: served by the project, not a reader page.
    settings.ROOT_URLCONF = "bench.urls"
    client.get("/bench/hello/")

    response = client.get("/bench/hello/")

    assert response.status_code == 200
    assert not from_cache(response)
    assert from_cache(client.get(HOME)) is False and from_cache(client.get(HOME))


def test_the_cache_can_be_turned_off(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    PublishedArticleFactory()
    client.get(HOME)

    assert not from_cache(client.get(HOME))


# Workers share the generation -----------------------------------------------------


@pytest.mark.external
def test_every_worker_of_the_machine_reads_the_same_generation(settings, tmp_path, commit):
    # What the settings give a process without Redis: var/cache, shared by all.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path / "cache",
        },
    }
    read = "from journal import content_generation; print(content_generation.current().id)"

    def in_another_worker() -> str:
        # A fresh interpreter, as a second gunicorn worker would be.
        result = run_in_shell(tmp_path, read)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    first = content_generation.current().id
    assert in_another_worker() == first

    with commit():
        PublishedArticleFactory()
    assert content_generation.current().id != first
    assert in_another_worker() == content_generation.current().id


@pytest.mark.usefixtures("uncached")
def test_a_card_a_list_rendered_serves_a_search_with_its_excerpt(client):
    author = ContributorFactory(name="Dana Omarova")
    article = PublishedArticleFactory(
        title="Aral basin water talks",
        standfirst="Ministers met in Nukus.",
        body="<p>The basin commission agreed a new water schedule.</p>",
    )
    article.bylines.create(contributor=author, order=0)
    assert "Ministers met in Nukus." in client.get(reverse("journal:article_list")).text

    with CaptureQueriesContext(connection) as queries:
        found = client.get(reverse("journal:search"), {"q": "schedule"})

    # The card comes from the list's rendering: its bylines are not read
    # again; the excerpt takes the standfirst's place.
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if sql.startswith('SELECT "journal_byline"')]
    card = re.search(r'<article class="card.*?</article>', found.text, re.S).group()
    assert "<mark>schedule</mark>" in card
    assert "Ministers met in Nukus." not in card
    assert "Dana Omarova" in card and "Aral basin water talks" in card


@pytest.mark.usefixtures("uncached")
def test_an_edit_renders_its_own_card_again_and_keeps_the_others(client, commit):
    with commit():
        author = ContributorFactory(name="Dana Omarova")
        now = timezone.now()
        edited, other = (
            PublishedArticleFactory(title=title, publish_at=now - datetime.timedelta(days=days))
            for title, days in (("Aral basin water talks", 1), ("Caspian ferry schedule", 2))
        )
        for article in (edited, other):
            article.bylines.create(contributor=author, order=0)
    client.get(reverse("journal:article_list"))

    with commit():
        edited.refresh_from_db()
        edited.title = "Aral basin water deal signed"
        edited.save()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("journal:article_list"))

    assert "Aral basin water deal signed" in page.text
    assert "Aral basin water talks" not in page.text
    assert "Caspian ferry schedule" in page.text
    # Only the edited card was rendered again: only its bylines were read.
    read = [q["sql"] for q in queries.captured_queries]
    bylines = [sql for sql in read if sql.startswith('SELECT "journal_byline"."article_id"')]
    assert len(bylines) == 1
    assert str(edited.pk) in bylines[0] and str(other.pk) not in bylines[0]

    with commit():
        author.name = "Dana Omarova-Sadykova"
        author.save()
    page = client.get(reverse("journal:article_list"))

    # A contributor's new name reaches every card that credits them.
    assert page.text.count("By Dana Omarova-Sadykova") == 2


@pytest.mark.slow  # waits for a kept card to expire, in any cache (Redis too)
@pytest.mark.usefixtures("uncached")
def test_a_card_showing_an_image_before_its_renditions_is_kept_briefly(client, monkeypatch):
    # A minute in production; three seconds here.
    monkeypatch.setattr("journal.templatetags.journal_cards.ORIGINAL_ONLY_SECONDS", 3)
    # Saved without its commit callbacks: its renditions are not made yet,
    # as when a reader asks while an editor's save is still making them.
    article = PublishedArticleFactory(hero_image=image_file("harbour.jpg"), hero_alt="A harbour")
    lists = reverse("journal:article_list")

    def card() -> str:
        page = client.get(lists).text
        return re.search(r'<article class="card.*?</article>', page, re.S).group()

    assert "srcset" not in card()
    kept_at = time.monotonic()
    ensure_renditions(article.hero_image.name, storage=article.hero_image.storage)

    # Nothing readers see has changed since: the card is still the one kept...
    assert "srcset" not in card()
    # ...for a short while, not for as long as the listing generation runs.
    time.sleep(max(0.0, kept_at + 3.5 - time.monotonic()))
    assert "srcset" in card()


@pytest.mark.usefixtures("uncached")
def test_a_card_follows_a_new_time_zone_at_once(client, settings):
    # 23:30 in UTC is the next morning in Almaty.
    PublishedArticleFactory(
        title="Late talks", publish_at=datetime.datetime(2025, 3, 3, 23, 30, tzinfo=datetime.UTC)
    )
    settings.TIME_ZONE = "UTC"
    assert 'datetime="2025-03-03T23:30:00+0000"' in client.get(reverse("journal:article_list")).text

    settings.TIME_ZONE = "Asia/Almaty"

    page = client.get(reverse("journal:article_list")).text
    assert 'datetime="2025-03-04T04:30:00+0500"' in page


@pytest.mark.usefixtures("uncached")
def test_cards_kept_whole_by_an_earlier_release_are_not_read_as_frames(client):
    article = PublishedArticleFactory(title="Caspian ferry schedule", standfirst="Twice a week.")
    generation = content_generation.current().id
    # What the release before kept for the same generation: the whole card.
    stale = make_template_fragment_key("article-card", [article.pk, generation, "en"])
    caches[content_generation.KEPT].set(stale, "<article>an old card</article>")
    # And frames kept per content generation, before the listing keyed them.
    frame = make_template_fragment_key("article-card-frame", [article.pk, generation, "en"])
    caches[content_generation.KEPT].set(frame, ("<article>an old frame", "</article>"))

    page = client.get(reverse("journal:article_list"))

    assert page.status_code == 200
    assert "an old card" not in page.text and "an old frame" not in page.text
    assert "Caspian ferry schedule" in page.text and "Twice a week." in page.text
