"""Tag suggestions in the article admin: who may ask, what comes back, how the form shows it."""

import datetime

import pytest
from django.test import Client
from django.urls import resolve, reverse

from journal.admin.suggestions import TagSuggestionAdminMixin
from journal.tests.factories import ArticleFactory
from summits.models import Country, Framework, Summit

pytestmark = pytest.mark.django_db

CENTRAL_ASIA = {"KZ", "KG", "TJ", "TM", "UZ"}
C5_PLUS_1_TEXT = {
    "title": "C5+1 leaders meet in Washington",
    "standfirst": "The five Central Asian presidents met at the White House.",
    "body": "<p>The second C5+1 summit, on November 6, 2025, dwelt on minerals. "
    "China came up once.</p>",
}


@pytest.fixture
def article(record):
    return ArticleFactory(
        title="Kazakh wheat exports grow",
        standfirst="Farmers in Kazakhstan expect a record harvest.",
        body="<p>Grain trains leave Astana daily.</p>",
        countries=[Country.objects.get(code="KZ")],
    )


def suggestions_url(article=None) -> str:
    if article is None:
        return reverse("admin:journal_article_tag_suggestions_new")
    return reverse("admin:journal_article_tag_suggestions", args=[article.pk])


def by_key(items: list[dict], model) -> dict:
    field = "code" if model is Country else "slug"
    keys = dict(model.objects.values_list("pk", field))
    return {keys[item["id"]]: item for item in items}


def test_urls_round_trip(article):
    url = suggestions_url(article)

    assert url == f"/admin/journal/article/{article.pk}/tag-suggestions/"
    assert resolve(url).url_name == "journal_article_tag_suggestions"
    assert resolve(suggestions_url()).url_name == "journal_article_tag_suggestions_new"


def test_suggestions_come_from_the_posted_text_not_the_saved_one(staff, article):
    kazakhstan = Country.objects.get(code="KZ")
    response = staff("Editors").post(
        suggestions_url(article), {**C5_PLUS_1_TEXT, "countries": [kazakhstan.pk]}
    )

    assert response.status_code == 200
    data = response.json()
    countries = by_key(data["countries"], Country)
    assert {code for code, item in countries.items() if item["strong"]} == CENTRAL_ASIA | {"US"}
    assert not countries["CN"]["strong"]
    assert countries["KZ"]["tagged"] is True
    assert countries["US"]["tagged"] is False
    assert set(countries["US"]) == {"id", "label", "kind", "score", "strong", "evidence", "tagged"}
    assert countries["US"]["kind"] == "country"
    assert countries["US"]["label"] == "United States"
    assert any("White House" in line for line in countries["US"]["evidence"])
    framework = by_key(data["frameworks"], Framework)["c5-plus-1"]
    assert framework["kind"] == "framework" and framework["strong"]
    summit = data["summits"][0]
    assert summit["kind"] == "summit"
    assert summit["id"] == Summit.objects.get(slug="c5-plus-1-2025-11-06-washington-d-c").pk
    # Nothing was saved.
    article.refresh_from_db()
    assert article.title == "Kazakh wheat exports grow"


def test_a_weekday_is_read_against_the_articles_publication_date(staff, article):
    article.publish_at = datetime.datetime(2025, 11, 8, 9, tzinfo=datetime.UTC)
    article.save()
    text = {
        "title": "Central Asian presidents at the White House",
        "standfirst": "",
        "body": "<p>The C5+1 leaders met at the White House on Thursday.</p>",
    }

    data = staff("Editors").post(suggestions_url(article), text).json()

    washington = Summit.objects.get(slug="c5-plus-1-2025-11-06-washington-d-c")
    assert any(s["id"] == washington.pk and s["strong"] for s in data["summits"])


def test_posted_tags_mark_what_is_already_tagged(staff, article):
    framework = Framework.objects.get(slug="c5-plus-1")
    summit = Summit.objects.get(slug="c5-plus-1-2025-11-06-washington-d-c")

    data = (
        staff("Editors")
        .post(
            suggestions_url(article),
            {**C5_PLUS_1_TEXT, "frameworks": [framework.pk], "summits": [summit.pk, "x"]},
        )
        .json()
    )

    assert by_key(data["frameworks"], Framework)["c5-plus-1"]["tagged"] is True
    assert next(s for s in data["summits"] if s["id"] == summit.pk)["tagged"] is True
    assert all(not item["tagged"] for item in data["countries"])


def test_a_tagged_summit_offers_its_framework_and_participants(staff, article):
    summit = Summit.objects.get(slug="india-central-asia-2019-01-12-samarkand")

    data = (
        staff("Editors")
        .post(suggestions_url(article), {"title": "", "summits": [summit.pk]})
        .json()
    )

    frameworks = by_key(data["frameworks"], Framework)
    assert frameworks["india-central-asia"]["strong"]
    assert any(
        line.startswith("tagged summit") for line in frameworks["india-central-asia"]["evidence"]
    )
    countries = by_key(data["countries"], Country)
    assert {code for code, item in countries.items() if item["strong"]} == CENTRAL_ASIA | {
        "IN",
        "AF",
    }


def test_suggestions_for_an_article_not_yet_saved(staff, record):
    response = staff("Writers").post(suggestions_url(), {"title": "Japanese aid to Tajikistan"})

    assert response.status_code == 200
    assert {item["label"] for item in response.json()["countries"]} == {"Japan", "Tajikistan"}


def test_only_post_is_answered(staff, article):
    client = staff("Editors")

    assert client.get(suggestions_url(article)).status_code == 405
    assert client.get(suggestions_url()).status_code == 405


def test_the_summit_desk_may_not_ask(staff, article):
    client = staff("Summit desk")

    assert client.post(suggestions_url(article), C5_PLUS_1_TEXT).status_code == 403
    assert client.post(suggestions_url(), C5_PLUS_1_TEXT).status_code == 403


def test_a_writer_may_ask_only_about_articles_they_may_change(staff, article):
    writer = staff("Writers")
    own = ArticleFactory(title="My draft")
    own.created_by = writer.user
    own.save()

    assert writer.post(suggestions_url(article), C5_PLUS_1_TEXT).status_code == 403
    assert writer.post(suggestions_url(own), C5_PLUS_1_TEXT).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, article):
    response = client.post(suggestions_url(article), C5_PLUS_1_TEXT)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_endpoint_checks_the_csrf_token(make_user, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("careful-editor", "Editors"))

    assert client.post(suggestions_url(article), C5_PLUS_1_TEXT).status_code == 403


def test_a_missing_article_is_not_found(staff, record):
    response = staff("Editors").post(
        "/admin/journal/article/999999/tag-suggestions/", C5_PLUS_1_TEXT
    )

    assert response.status_code == 404


def test_change_page_lists_suggestions_without_javascript(staff, article):
    page = staff("Editors").get(reverse("admin:journal_article_change", args=[article.pk]))

    assert page.status_code == 200
    text = page.text
    assert "Suggested tags" in text
    assert f'data-url="{suggestions_url(article)}"' in text
    kazakhstan = Country.objects.get(code="KZ")
    assert f'data-id="{kazakhstan.pk}" data-label="Kazakhstan" data-tagged="true"' in text
    assert "already tagged" in text
    assert "“Kazakh” in title" in text
    assert "journal/admin/tag-suggestions.js" in text
    assert "journal/admin/tag-suggestions.css" in text


def test_change_page_offers_untagged_suggestions(staff, record):
    article = ArticleFactory(title="Japan and Tajikistan sign an aid deal", body="")

    text = staff("Editors").get(reverse("admin:journal_article_change", args=[article.pk])).text

    japan = Country.objects.get(code="JP")
    assert f'data-id="{japan.pk}" data-label="Japan" data-tagged="false"' in text


def test_add_page_has_the_suggestions_row(staff, record):
    page = staff("Editors").get(reverse("admin:journal_article_add"))

    assert page.status_code == 200
    assert "Suggestions appear once the article has a headline or text." in page.text
    assert f'data-url="{suggestions_url()}"' in page.text


def test_article_admin_uses_the_mixin():
    from django.contrib import admin

    from journal.models import Article

    assert isinstance(admin.site._registry[Article], TagSuggestionAdminMixin)
