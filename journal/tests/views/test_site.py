"""Reader URLs and their pages: round trips, published articles only, 404s, media, favicon."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import resolve, reverse
from django.utils import timezone

from journal.models import Article
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from summits.models import Country, Framework, Summit
from summits.tests.factories import CountryFactory, FrameworkFactory, SummitFactory, central_asia

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("journal:home", {}, "/en/"),
        ("journal:article_detail", {"slug": "c5-plus-1-at-ten"}, "/en/articles/c5-plus-1-at-ten/"),
        ("journal:contributor_detail", {"slug": "aigerim"}, "/en/contributors/aigerim/"),
        ("journal:country_detail", {"slug": "kazakhstan"}, "/en/countries/kazakhstan/"),
        ("journal:framework_detail", {"slug": "c5-plus-1"}, "/en/frameworks/c5-plus-1/"),
        ("journal:summit_detail", {"slug": "tokyo-2025"}, "/en/summits/tokyo-2025/"),
    ],
)
def test_reverse_and_resolve_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == kwargs


@pytest.mark.parametrize(
    ("obj", "path", "name"),
    [
        (Country(slug="kazakhstan"), "/en/countries/kazakhstan/", "journal:country_detail"),
        (Framework(slug="c5-plus-1"), "/en/frameworks/c5-plus-1/", "journal:framework_detail"),
        (
            Summit(slug="c5-plus-1-2023-09-19-new-york"),
            "/en/summits/c5-plus-1-2023-09-19-new-york/",
            "journal:summit_detail",
        ),
    ],
    ids=["country", "framework", "summit"],
)
def test_records_have_their_pages_on_the_journal(obj, path, name):
    assert obj.get_absolute_url() == path
    match = resolve(path)
    assert match.view_name == name
    assert match.kwargs == {"slug": obj.slug}


def test_home_lists_published_articles_only(client):
    PublishedArticleFactory(title="Live story")
    ArticleFactory(title="Secret draft")
    PublishedArticleFactory(
        title="Embargoed story", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Live story" in response.text
    assert "Secret draft" not in response.text
    assert "Embargoed story" not in response.text


def test_home_leads_with_featured_article(client):
    PublishedArticleFactory(title="Newest", publish_at=timezone.now())
    PublishedArticleFactory(
        title="Chosen lead", featured=True, publish_at=timezone.now() - datetime.timedelta(days=2)
    )
    response = client.get("/en/")
    assert response.context["lead"].title == "Chosen lead"


def test_article_page_shows_bylines_note_and_tags(client):
    record = central_asia()
    country, framework = record.kz, record.c5
    article = PublishedArticleFactory(
        title="A view from Seoul",
        editors_note="The author is a former ambassador. –Ed.",
        credit_line="Submitted through the Embassy of Kazakhstan in Seoul",
        countries=[country],
        frameworks=[framework],
    )
    BylineFactory(
        article=article,
        contributor=ContributorFactory(
            name="Min-jun Park", position="Former Ambassador to Kazakhstan"
        ),
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "<h1>A view from Seoul</h1>" in text
    assert "Min-jun Park" in text and "Former Ambassador to Kazakhstan" in text
    assert "The author is a former ambassador. –Ed." in text
    assert "Submitted through the Embassy of Kazakhstan in Seoul" in text
    assert 'href="/en/countries/kazakhstan/"' in text
    assert 'href="/en/frameworks/c5-plus-1/"' in text
    assert (
        f'datetime="{article.publish_at.astimezone().isoformat()[:10]}' in text or "<time" in text
    )


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]
)
def test_unpublished_article_page_is_not_found(client, status):
    article = ArticleFactory(status=status, publish_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_page_is_not_found_until_its_time(client):
    article = PublishedArticleFactory(publish_at=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_country_framework_summit_and_contributor_pages_list_only_published(client):
    country = CountryFactory(slug="tajikistan")
    framework = FrameworkFactory(slug="china-central-asia")
    summit = SummitFactory(slug="astana-2025", framework=framework, host_country=country)
    contributor = ContributorFactory(slug="dilnoza")
    tags = {"countries": [country], "frameworks": [framework], "summits": [summit]}
    PublishedArticleFactory(title="Public piece", authors=[contributor], **tags)
    ArticleFactory(title="Hidden draft", authors=[contributor], **tags)

    for url in [
        country.get_absolute_url(),
        framework.get_absolute_url(),
        summit.get_absolute_url(),
        contributor.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Public piece" in response.text, url
        assert "Hidden draft" not in response.text, url


def test_country_page_lists_summits_hosted(client):
    country = CountryFactory(slug="kyrgyzstan")
    SummitFactory(title="Cholpon-Ata meeting", host_country=country)
    response = client.get(country.get_absolute_url())
    assert "Cholpon-Ata meeting" in response.text


def test_unknown_pages_get_the_site_404(client):
    response = client.get("/en/countries/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_uploaded_image_is_served_with_safe_headers(client, settings):
    contributor = ContributorFactory()
    contributor.photo.save("face.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    response = client.get(contributor.photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_uploaded_non_image_is_downloaded_not_rendered(client, settings):
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "page.html").write_text("<script>alert(1)</script>")
    response = client.get("/media/uploads/page.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_media_path_cannot_escape_media_root(client):
    assert client.get("/media/../journal/settings.py").status_code == 404
    assert client.get("/media/%2e%2e/journal/settings.py").status_code == 404


def test_favicon_request_finds_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
