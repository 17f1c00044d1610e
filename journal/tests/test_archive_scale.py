"""What keeps pages cheap on a large archive must not change what readers and editors see.

Tallies, counts and choice lists are worked out once per content generation;
filter selects are written out in Python; the desk's year filter and search
avoid reading the whole archive. Each test here checks the visible result.
"""

import datetime

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import content_generation
from journal.content_generation import kept
from journal.forms.widgets import QuickSelect
from journal.models import Article
from journal.models.counts import published_counts
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from summits.tests.factories import CountryFactory, SummitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


# Select markup ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        ([("", "All"), ("kz", "Kazakhstan"), ("uz", "Uzbekistan")], "uz", {"id": "id_c"}),
        ([("", "All"), ("a&b", 'Quote " & <tag>')], None, {"id": "id_c", "required": True}),
        (
            [("", "All"), ("Asia", [("kz", "Kazakhstan"), ("jp", "Japan")]), ("eu", "EU")],
            "jp",
            {"id": "id_c", "aria-describedby": "id_c_error", "disabled": False},
        ),
    ],
)
def test_quick_select_writes_the_same_markup_as_django(choices, value, attrs):
    expected = forms.Select(choices=choices).render("c", value, attrs=attrs)
    written = QuickSelect(choices=choices).render("c", value, attrs=attrs)
    assert parse_html(written) == parse_html(expected)
    assert "<tag>" not in written


def test_filter_form_keeps_the_chosen_option_and_rejects_unknown_slugs(client):
    CountryFactory(code="KZ")
    page = client.get("/en/articles/?country=kazakhstan").text
    assert '<option value="kazakhstan" selected>Kazakhstan</option>' in page
    response = client.get("/en/articles/?country=atlantis")
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "atlantis" not in response.text.split("<main", 1)[1].split('name="country"', 1)[0]


# Per-generation values --------------------------------------------------------


def test_a_value_is_worked_out_once_per_generation(commit):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert kept("test:value", compute) == 1
    assert kept("test:value", compute) == 1
    ContributorFactory()  # nobody reads about a contributor without published work
    assert kept("test:value", compute) == 1
    with commit():
        SummitFactory()  # a change readers see starts a new generation
    assert kept("test:value", compute) == 2


def test_country_counts_follow_publication_at_once(client, commit):
    kz = CountryFactory(code="KZ")
    PublishedArticleFactory(countries=[kz], publish_at=ago(days=1))
    assert "1 article" in client.get("/en/countries/").text

    draft = ArticleFactory(countries=[kz])
    assert "1 article" in client.get("/en/countries/").text
    with commit():
        draft.status, draft.publish_at = "published", ago(minutes=1)
        draft.save()
    assert "2 articles" in client.get("/en/countries/").text
    assert published_counts("countries") == {kz.pk: 2}


def test_counts_and_choices_change_when_a_scheduled_piece_goes_live(client, travel):
    kz = CountryFactory(code="KZ")
    staff = ContributorFactory(name="Staff Writer")
    guest = ContributorFactory(name="Guest Ambassador", slug="guest-ambassador")
    PublishedArticleFactory(countries=[kz], authors=[staff], publish_at=ago(days=1))
    PublishedArticleFactory(
        countries=[kz], authors=[guest], publish_at=timezone.now() + datetime.timedelta(hours=2)
    )
    before = client.get("/en/articles/").text
    assert "Guest Ambassador" not in before
    assert "1 article" in client.get("/en/countries/").text
    assert client.get("/en/contributors/guest-ambassador/").status_code == 404

    travel(datetime.timedelta(hours=3))

    assert "Guest Ambassador" in client.get("/en/articles/").text
    assert "2 articles" in client.get("/en/countries/").text
    assert client.get("/en/contributors/guest-ambassador/").status_code == 200
    listed = client.get("/en/articles/?country=kazakhstan")
    assert listed.context["page_obj"].paginator.count == 2


def test_a_list_count_is_per_filter(client):
    kz = CountryFactory(code="KZ")
    uz = CountryFactory(code="UZ")
    PublishedArticleFactory.create_batch(3, countries=[kz])
    PublishedArticleFactory(countries=[uz])

    def count(query):
        return client.get(f"/en/articles/{query}").context["page_obj"].paginator.count

    assert count("") == 4
    assert count("?country=kazakhstan") == 3
    assert count("?country=uzbekistan") == 1
    assert count("?country=uzbekistan&page=1") == 1


# The desk ---------------------------------------------------------------------


def test_desk_filters_articles_by_publication_year(admin_client):
    old = PublishedArticleFactory(title="From 2019", publish_at=timezone.make_aware(
        datetime.datetime(2019, 6, 1)))  # fmt: skip
    new = PublishedArticleFactory(title="From 2024", publish_at=timezone.make_aware(
        datetime.datetime(2024, 3, 1)))  # fmt: skip
    ArticleFactory(title="Undated draft")
    changelist = reverse("admin:journal_article_changelist")

    page = admin_client.get(changelist).text
    for year in range(2019, 2025):
        assert f"?year={year}" in page

    page = admin_client.get(changelist, {"year": "2019"}).text
    assert old.title in page and new.title not in page and "Undated draft" not in page

    for nonsense in ["abc", "99999999999999999999", "-5"]:
        response = admin_client.get(changelist, {"year": nonsense})
        assert response.status_code in (200, 302), nonsense


def test_desk_search_matches_words_anywhere_without_listing_an_article_twice(admin_client):
    first = ContributorFactory(name="Dilnoza Rakhimova")
    second = ContributorFactory(name="Rustam Rakhimov")
    article = PublishedArticleFactory(title="Water talks", authors=[first, second])
    PublishedArticleFactory(title="Trade corridor", standfirst="Rail through Rakhimov's town")
    PublishedArticleFactory(title="Something else")
    changelist = reverse("admin:journal_article_changelist")

    response = admin_client.get(changelist, {"q": "rakhim"})
    titles = [a.title for a in response.context["cl"].result_list]
    assert sorted(titles) == ["Trade corridor", "Water talks"]

    response = admin_client.get(changelist, {"q": '"water talks" dilnoza'})
    assert [a.pk for a in response.context["cl"].result_list] == [article.pk]


# Workers with a cache each ----------------------------------------------------


def test_a_page_cached_by_this_worker_is_not_served_after_another_worker_unpublishes(
    client, settings
):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    PublishedArticleFactory(title="Soon withdrawn", publish_at=ago(hours=1))
    assert "Soon withdrawn" in client.get("/en/articles/").text
    assert "Age" in client.get("/en/articles/")  # from this worker's own page cache

    # As another worker would: no signal reaches this process; its commit ends
    # the generation in the cache all workers share.
    Article.objects.update(status=Article.Status.DRAFT)
    content_generation.end()

    response = client.get("/en/articles/")
    assert "Age" not in response
    assert "Soon withdrawn" not in response.text


# Cards kept per generation ----------------------------------------------------


def test_a_kept_card_shows_the_change_after_any_save(client, commit):
    writer = ContributorFactory(name="Timur Karimov")
    article = PublishedArticleFactory(
        title="Corridor talks", authors=[writer], publish_at=ago(hours=1)
    )
    assert "By Timur Karimov" in client.get("/en/articles/").text

    with commit():
        writer.name = "Timur A. Karimov"
        writer.save()
    assert "By Timur A. Karimov" in client.get("/en/articles/").text

    with commit():
        article.title = "Corridor talks resume"
        article.save()
    page = client.get("/en/articles/").text
    assert "Corridor talks resume" in page and "By Timur A. Karimov" in page


def test_lists_show_the_same_cards_whether_kept_or_rendered(client, django_assert_num_queries):
    writer = ContributorFactory(name="Aigerim Sadykova")
    for hours in range(1, 4):
        PublishedArticleFactory(authors=[writer], publish_at=ago(hours=hours))
    first = client.get("/en/articles/").text
    # Kept: only the page itself is read.
    with django_assert_num_queries(1):
        again = client.get("/en/articles/").text
    assert again == first
    assert again.count("By Aigerim Sadykova") == 3


def test_with_nothing_kept_every_request_works_everything_out(client, settings):
    # As with DJANGO_KEEP_PER_GENERATION=false.
    settings.CACHES = {
        **settings.CACHES,
        "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    kz = CountryFactory(code="KZ")
    PublishedArticleFactory(countries=[kz], publish_at=ago(hours=1))
    content_generation.current()  # started, as on a site that has served a page
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as done:
            assert client.get("/en/articles/?country=kazakhstan").status_code == 200
        counts.append(len(done))
    assert counts[0] == counts[1] > 1


def test_kept_summit_lists_follow_the_record(client, commit):
    SummitFactory(title="First ministerial", start_date=ago(days=40).date())
    assert "First ministerial" in client.get("/en/summits/").text
    with commit():
        SummitFactory(title="Second ministerial", start_date=ago(days=20).date())
    page = client.get("/en/summits/").text
    assert "First ministerial" in page and "Second ministerial" in page
