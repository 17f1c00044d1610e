"""What each endpoint says: articles with bylines, tags and translations; the record; errors."""

import datetime

import pytest
from django.utils import timezone

from journal.models import Article, Byline
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
    image_file,
)
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

SITE = "https://journal.example.org"
ARTICLE_FIELDS = {
    "title", "slug", "language", "section", "standfirst", "body", "published_at", "revised_at",
    "url", "api_url", "bylines", "tags", "hero_image", "translations",
}  # fmt: skip


@pytest.fixture
def news(world, settings):
    """An English story in Korean translation (a Russian one still a draft), tagged and credited."""
    settings.SITE_URL = SITE
    world.kz.name_ko, world.kz.name_ru = "카자흐스탄", "Казахстан"
    world.kz.save()
    world.summit.title_ko = "C5+1 정상회의, 뉴욕"
    world.summit.save()
    tags = {"countries": [world.uz, world.kz], "frameworks": [world.c5], "summits": [world.summit]}
    world.original = PublishedArticleFactory(
        title="Astana hosts the ministers",
        slug="astana-hosts",
        standfirst="Water and railways.",
        body="<p>They met.</p><script>alert(1)</script>",
        section=Article.Section.ANALYSIS,
        publish_at=timezone.make_aware(datetime.datetime(2025, 11, 6, 10, 0)),
        hero_image=image_file("hall.jpg", (640, 360)),
        hero_alt="The conference hall",
        hero_credit="Agency",
        authors=[world.aigerim],
        **tags,
    )
    Byline.objects.create(
        article=world.original, contributor=world.park, role=Byline.Role.TRANSLATOR, order=1
    )
    world.korean = PublishedArticleFactory(
        title="아스타나, 장관들을 맞다",
        slug="astana-hosts",
        language="ko",
        translation_of=world.original,
        publish_at=world.original.publish_at + datetime.timedelta(hours=2),
        authors=[world.aigerim],
        **tags,
    )
    ArticleFactory(
        title="Russian draft", slug="astana-hosts", language="ru", translation_of=world.original
    )
    return world


def results(client, url, **query) -> list[dict]:
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_an_article_as_its_page_shows_it(client, news):
    article = client.get("/api/v1/articles/en/astana-hosts/").json()

    assert set(article) == ARTICLE_FIELDS
    assert article["title"] == "Astana hosts the ministers"
    assert article["language"] == "en"
    assert article["section"] == "analysis"
    assert article["standfirst"] == "Water and railways."
    # As published: the sanitiser took the script out when it was saved.
    assert article["body"] == news.original.body == "<p>They met.</p>"
    assert article["published_at"] == "2025-11-06T10:00:00+05:00"
    assert article["url"] == f"{SITE}/en/articles/astana-hosts/"
    assert article["api_url"] == "http://testserver/api/v1/articles/en/astana-hosts/"
    assert article["bylines"] == [
        {
            "name": "Aigerim Sadykova",
            "slug": "aigerim-sadykova",
            "role": "author",
            "url": f"{SITE}/en/contributors/aigerim-sadykova/",
        },
        {
            "name": "Min-jun Park",
            "slug": "min-jun-park",
            "role": "translator",
            "url": f"{SITE}/en/contributors/min-jun-park/",
        },
    ]
    assert article["tags"] == {
        "countries": [
            {"slug": "kazakhstan", "name": "Kazakhstan"},
            {"slug": "uzbekistan", "name": "Uzbekistan"},
        ],
        "frameworks": [{"slug": "c5-plus-1", "name": "C5+1"}],
        "summits": [{"slug": "new-york-2023", "name": "C5+1 summit in New York"}],
    }
    hero = article["hero_image"]
    assert hero["url"].startswith(f"{SITE}/media/articles/") and hero["url"].endswith(".jpg")
    assert (hero["alt"], hero["credit"], hero["width"], hero["height"]) == (
        "The conference hall", "Agency", 640, 360,
    )  # fmt: skip
    # The Korean translation; the Russian one is still a draft.
    assert article["translations"] == [
        {
            "language": "ko",
            "slug": "astana-hosts",
            "url": f"{SITE}/ko/articles/astana-hosts/",
            "api_url": "http://testserver/api/v1/articles/ko/astana-hosts/",
        }
    ]


def test_a_translation_names_its_tags_in_its_language_and_offers_its_original(client, news):
    article = client.get("/api/v1/articles/ko/astana-hosts/").json()

    assert article["title"] == "아스타나, 장관들을 맞다"
    assert article["url"] == f"{SITE}/ko/articles/astana-hosts/"
    assert article["bylines"][0]["url"] == f"{SITE}/ko/contributors/aigerim-sadykova/"
    # Uzbekistan has no Korean name yet: in English, as on the page.
    assert [tag["name"] for tag in article["tags"]["countries"]] == ["Uzbekistan", "카자흐스탄"]
    assert article["tags"]["summits"] == [{"slug": "new-york-2023", "name": "C5+1 정상회의, 뉴욕"}]
    assert article["hero_image"] is None
    assert [t["language"] for t in article["translations"]] == ["en"]


def test_the_list_is_newest_first_with_the_same_articles_as_their_details(client, news):
    listed = results(client, "/api/v1/articles/")

    assert [a["title"] for a in listed] == ["아스타나, 장관들을 맞다", "Astana hosts the ministers"]
    for article in listed:
        assert client.get(article["api_url"]).json() == article


def test_every_answer_is_the_same_whatever_language_the_client_asks_for(client, news):
    # Caches in front keep one copy for everyone, and do not vary on Accept-Language.
    urls = [
        "/api/v1/",
        "/api/v1/articles/",
        "/api/v1/articles/ko/astana-hosts/",
        "/api/v1/countries/",
        "/api/v1/countries/kazakhstan/",
        "/api/v1/frameworks/c5-plus-1/",
        "/api/v1/summits/",
        "/api/v1/contributors/",
    ]
    for url in urls:
        english = client.get(url, headers={"accept-language": "en"})
        for language in ("ko", "ru"):
            other = client.get(url, headers={"accept-language": language})
            assert other.content == english.content, (url, language)
            assert "accept-language" not in other.get("Vary", "").lower(), url


def test_a_country_in_each_language_with_its_coverage(client, news):
    country = client.get("/api/v1/countries/kazakhstan/").json()

    assert country == {
        "slug": "kazakhstan",
        "code": "KZ",
        "alpha3": "KAZ",
        "kind": "state",
        "region": "central-asia",
        "name": "Kazakhstan",
        "names": {"ko": "카자흐스탄", "en": "Kazakhstan", "ru": "Казахстан"},
        "members": [],
        "article_count": 2,
        "url": f"{SITE}/en/countries/kazakhstan/",
        "api_url": "http://testserver/api/v1/countries/kazakhstan/",
        "articles_url": "http://testserver/api/v1/articles/?country=kazakhstan",
    }
    listed = client.get(country["articles_url"]).json()["results"]
    assert {a["language"] for a in listed} == {"en", "ko"}


def test_a_bloc_lists_its_members(client, news):
    bloc = CountryFactory(code="EU", alpha3="", kind="bloc", name="European Union", slug="eu")
    bloc.members.set([news.kz, news.uz])

    members = client.get("/api/v1/countries/eu/").json()["members"]

    assert members == [
        {"slug": "kazakhstan", "name": "Kazakhstan"},
        {"slug": "uzbekistan", "name": "Uzbekistan"},
    ]


def test_a_framework_with_its_partner_and_members(client, news):
    framework = client.get("/api/v1/frameworks/c5-plus-1/").json()

    assert framework["short_name"] == "C5+1"
    assert framework["names"]["en"] == "C5+1"
    assert framework["partner"] == {"slug": "united-states", "name": "United States"}
    assert len(framework["members"]) == 6
    assert framework["established"] == "2015-11-01"
    assert framework["article_count"] == 2
    assert framework["url"] == f"{SITE}/en/frameworks/c5-plus-1/"


def test_a_summit_with_its_participants(client, news):
    summit = client.get("/api/v1/summits/new-york-2023/").json()

    assert summit["titles"]["ko"] == "C5+1 정상회의, 뉴욕"
    assert summit["title"] == "C5+1 summit in New York"
    assert summit["framework"] == {"slug": "c5-plus-1", "name": "C5+1"}
    assert summit["host_country"] == {"slug": "united-states", "name": "United States"}
    assert summit["start_date"] == "2023-09-19"
    assert summit["city"] == "New York"
    assert [p["country"]["slug"] for p in summit["participants"]][0] == "kazakhstan"
    assert summit["article_count"] == 2
    assert summit["articles_url"].endswith("/api/v1/articles/?summit=new-york-2023")


def test_contributors_with_published_work_and_nothing_for_the_desk_only(client, news):
    news.aigerim.email = "aigerim@example.org"
    news.aigerim.save()
    ContributorFactory(name="Nobody Yet", slug="nobody-yet")

    listed = results(client, "/api/v1/contributors/")

    assert [c["slug"] for c in listed] == ["aigerim-sadykova", "min-jun-park"]
    aigerim = client.get("/api/v1/contributors/aigerim-sadykova/").json()
    assert "aigerim@example.org" not in str(aigerim) and "email" not in aigerim
    assert aigerim["article_count"] == 2
    assert aigerim["photo"] is None
    assert aigerim["url"] == f"{SITE}/en/contributors/aigerim-sadykova/"
    assert client.get("/api/v1/contributors/nobody-yet/").status_code == 404


def test_the_root_links_every_resource(client, news):
    root = client.get("/api/v1/").json()

    assert root == {
        name: f"http://testserver/api/v1/{name}/"
        for name in [
            "articles",
            "contributors",
            "countries",
            "frameworks",
            "summits",
            "schema",
            "docs",
        ]
    }
    for name in ["articles", "contributors", "countries", "frameworks", "summits"]:
        assert client.get(root[name]).status_code == 200


# Errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/ru/astana-hosts/",  # a draft
        "/api/v1/articles/xx/astana-hosts/",
        "/api/v1/articles/en/no-such-story/",
        "/api/v1/countries/atlantis/",
        "/api/v1/no-such-thing/",
        "/api/v1/articles/en/",
        "/api/v1/articles/en/astana-hosts/more/",
    ],
)
def test_what_is_not_there_is_a_404_in_json(client, news, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert b"<html" not in response.content.lower()


def test_an_address_without_its_slash_is_redirected_to_it(client, news):
    response = client.get("/api/v1/articles")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/"


def test_the_api_only_reads(client, news):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/articles/")
        assert response.status_code == 405, method
        assert response["Content-Type"] == "application/json"
    assert client.head("/api/v1/articles/").status_code == 200


def test_json_whatever_the_client_accepts(client, news):
    response = client.get("/api/v1/countries/", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_a_thousand_query_fields_are_a_400_in_json(client, news):
    query = "&".join(f"country={n}" for n in range(1200))

    response = client.get(f"/api/v1/articles/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
