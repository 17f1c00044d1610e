"""The desk's forms as a new editor meets them: one way to write times, in the journal's
zone named once; slugs as the record writes them, following the headline until
publication; a body editor with room to write."""

import datetime
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from journal.models import Article, ArticleSlugHistory, Correction
from journal.services.translations import article_translation_start
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    PublishedArticleFactory,
    article_post_data,
)
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

# 19:03 on 6 December in the journal's zone (Asia/Almaty), 14:03 in UTC.
PAST = datetime.datetime(2025, 12, 6, 19, 3)
FUTURE = datetime.datetime(2099, 12, 6, 19, 3)


def at(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


# One way to write a time -------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "ko"])
def test_the_article_list_writes_times_one_way_in_every_language(admin_client, language):
    PublishedArticleFactory(title="Ministers meet", publish_at=at(PAST))
    PublishedArticleFactory(title="Leaders to meet", publish_at=at(FUTURE))

    page = admin_client.get(
        reverse("admin:journal_article_changelist"), HTTP_ACCEPT_LANGUAGE=language
    ).text

    assert re.search(r'class="field-publish_at[^"]*">2025-12-06 19:03</td>', page)
    # The status of a scheduled article, written by the admin's own code.
    assert re.search(r'class="field-state">[^<]*2099-12-06 19:03[^<]*</td>', page)
    assert "December" not in page and "декабря" not in page and "12월" not in page


def test_read_only_times_on_the_form_are_written_the_same_way(admin_client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(created_at=at(PAST))

    page = admin_client.get(reverse("admin:journal_article_change", args=[article.pk])).text

    created = re.search(r'field-created_at.*?<div class="readonly">([^<]*)</div>', page, re.S)
    assert created.group(1) == "2025-12-06 19:03"


def test_the_dashboard_writes_times_the_same_way(admin_client):
    PublishedArticleFactory(title="Leaders to meet", publish_at=at(FUTURE))

    page = admin_client.get(reverse("admin:index")).text

    assert "2099-12-06 19:03" in page
    assert "06/12/2099" not in page and "p.m." not in page


def test_the_history_writes_times_the_same_way(admin_client, admin_user):
    correction = Correction.objects.create(article=ArticleFactory(), text="A name was misspelt.")
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(correction),
        object_id=str(correction.pk),
        object_repr=str(correction),
        action_flag=CHANGE,
        change_message="Changed text.",
        action_time=at(PAST),
    )

    page = admin_client.get(reverse("admin:journal_correction_history", args=[correction.pk]))

    assert "2025-12-06 19:03" in page.text


def test_date_and_time_inputs_show_what_the_lists_show_and_take_it_back(admin_client):
    correction = Correction.objects.create(
        article=ArticleFactory(), text="An earlier version misspelt a name.", published_at=at(PAST)
    )
    url = reverse("admin:journal_correction_change", args=[correction.pk])

    page = admin_client.get(url).text

    assert 'name="published_at_0" value="2025-12-06"' in page
    assert 'name="published_at_1" value="19:03:00"' in page
    # What a list shows, typed back in, is taken.
    response = admin_client.post(
        url,
        {
            "article": correction.article_id,
            "published_at_0": "2025-12-07",
            "published_at_1": "08:15",
            "text": correction.text,
        },
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert timezone.localtime(correction.published_at) == at(datetime.datetime(2025, 12, 7, 8, 15))


def test_the_time_zone_is_named_once_on_each_admin_page(admin_client):
    for url in [
        reverse("admin:index"),
        reverse("admin:journal_article_add"),
        reverse("admin:summits_summit_add"),
    ]:
        page = admin_client.get(url).text
        assert page.count("Times are Asia/Almaty time (UTC+0500).") == 1, url


def test_readers_keep_the_words_of_their_language(client):
    article = PublishedArticleFactory(publish_at=at(PAST))

    page = client.get(article.get_absolute_url()).text

    assert "6 December 2025, 19:03" in page


# Slugs ----------------------------------------------------------------------


def test_an_article_added_without_a_slug_gets_the_headlines_own(admin_client):
    data = article_post_data(title="C5+1 ministers meet", slug="")

    response = admin_client.post(reverse("admin:journal_article_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().slug == "c5-plus-1-ministers-meet"


def test_a_headline_slug_taken_in_the_language_is_numbered(admin_client):
    PublishedArticleFactory(title="C5+1 ministers meet", slug="c5-plus-1-ministers-meet")
    data = article_post_data(title="C5+1 ministers meet", slug="c5-plus-1-ministers-meet")

    response = admin_client.post(reverse("admin:journal_article_add"), data)

    assert response.status_code == 302
    assert Article.objects.filter(status="draft").get().slug == "c5-plus-1-ministers-meet-2"


def draft_titled(title: str, slug: str) -> Article:
    return ArticleFactory(title=title, slug=slug)


def save_change(client, article: Article, **changes):
    data = article_post_data(title=article.title, slug=article.slug, body=article.body) | changes
    response = client.post(reverse("admin:journal_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()


def test_a_drafts_slug_follows_a_rewritten_headline(admin_client, client):
    article = draft_titled("Ministers meet", "ministers-meet")

    save_change(admin_client, article, title="C5+1 ministers meet in Astana")

    assert article.slug == "c5-plus-1-ministers-meet-in-astana"
    # The address it had still leads to it once it is published.
    assert ArticleSlugHistory.objects.filter(article=article, old_slug="ministers-meet").exists()


def test_a_slug_made_before_the_journals_rule_still_follows(admin_client):
    article = draft_titled("C5+1 ministers meet", "c51-ministers-meet")

    save_change(admin_client, article, title="C5+1 ministers agree")

    assert article.slug == "c5-plus-1-ministers-agree"


@pytest.mark.parametrize("slug", ["astana-talks", "ministers-meet-2024"])
def test_a_slug_typed_by_hand_stays(admin_client, slug):
    article = draft_titled("Ministers meet", slug)

    save_change(admin_client, article, title="Ministers meet again")
    assert article.slug == slug

    save_change(admin_client, article, title="Ministers meet once more", slug="my-own")
    assert article.slug == "my-own"


def byline_data(article: Article, byline) -> dict:
    """The bylines inline as the change form posts it, holding `byline`."""
    return {
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": byline.pk,
        "bylines-0-article": article.pk,
        "bylines-0-order": byline.order,
        "bylines-0-contributor": byline.contributor_id,
        "bylines-0-role": byline.role,
    }


def test_a_published_articles_slug_stays_when_its_headline_changes(admin_client, client):
    country = CountryFactory()
    article = PublishedArticleFactory(title="Ministers meet", slug="ministers-meet")
    article.countries.set([country])
    byline = BylineFactory(article=article)
    address = article.get_absolute_url()

    save_change(
        admin_client,
        article,
        title="Ministers meet in Astana",
        countries=[country.pk],
        **byline_data(article, byline),
    )

    assert article.slug == "ministers-meet"
    assert client.get(address).status_code == 200


def test_once_unpublished_the_slug_does_not_follow_again(admin_client):
    article = PublishedArticleFactory(title="Ministers meet", slug="ministers-meet")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    article.refresh_from_db()

    save_change(admin_client, article, title="Ministers meet in Astana")

    assert article.slug == "ministers-meet"


def test_a_translation_keeps_its_originals_slug(admin_client, admin_user):
    original = PublishedArticleFactory(title="Ministers meet", slug="ministers-meet")
    translation = article_translation_start(article=original, language="ru", user=admin_user)

    save_change(
        admin_client,
        translation,
        title="Министры встретились",
        language="ru",
        translation_of=original.pk,
    )

    assert translation.slug == "ministers-meet"


@pytest.mark.parametrize(
    ("article", "follows"),
    [
        (lambda: None, True),
        (lambda: draft_titled("Ministers meet", "ministers-meet"), True),
        (lambda: draft_titled("Ministers meet", "astana-talks"), False),
        (lambda: PublishedArticleFactory(title="Ministers meet", slug="ministers-meet"), False),
    ],
    ids=["add", "draft", "typed-by-hand", "published"],
)
def test_the_form_tells_the_browser_whether_the_slug_follows(admin_client, article, follows):
    article = article()
    url = (
        reverse("admin:journal_article_change", args=[article.pk])
        if article
        else reverse("admin:journal_article_add")
    )

    page = admin_client.get(url).text

    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', page).group()
    assert ('data-slug-rule="text"' in slug_input) is follows
    assert ('data-slug-sources="[&quot;id_title&quot;]"' in slug_input) is follows
    assert "The page address. Until the article is first published" in page


def test_the_admin_pages_load_the_slug_rule(admin_client):
    page = admin_client.get(reverse("admin:journal_contributor_add")).text

    assert re.search(r'<script src="[^"]*journal/admin/slugs[^"]*\.js" defer>', page)


# The body editor -----------------------------------------------------------------


def test_the_body_editor_starts_with_room_to_write(admin_client):
    page = admin_client.get(reverse("admin:journal_article_add")).text

    stylesheets = re.findall(r'<link[^>]*href="/static/([^"]+\.css)"', page)
    rules = "".join(open(finders.find(name), encoding="utf-8").read() for name in stylesheets)
    heights = re.findall(
        r"\.prose-editor > \.ProseMirror\s*\{[^}]*min-height:\s*([\d.]+)rem", rules
    )
    assert heights and float(heights[0]) >= 20


def test_a_drafts_headline_slug_leaves_another_articles_old_address_alone(admin_client, client):
    moved = PublishedArticleFactory(title="Old news", slug="old-news")
    moved.slug = "old-news-renamed"
    moved.save()
    draft = draft_titled("Something else", "something-else")

    save_change(admin_client, draft, title="Old news")

    assert draft.slug == "old-news-2"
    # Old links still reach the published article.
    assert client.get("/en/articles/old-news/").status_code == 301


def test_emptying_a_published_articles_slug_keeps_its_address(admin_client):
    country = CountryFactory()
    article = PublishedArticleFactory(title="Ministers meet", slug="ministers-meet")
    article.countries.set([country])
    byline = BylineFactory(article=article)

    save_change(
        admin_client,
        article,
        title="Ministers meet again",
        slug="",
        countries=[country.pk],
        **byline_data(article, byline),
    )

    assert article.slug == "ministers-meet"
