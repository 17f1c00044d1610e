"""Feeds, the sitemap and robots.txt: published articles only, in the formats tools expect."""

import datetime
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html import unescape

import pytest
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, resolve, reverse
from django.utils import timezone, translation

from journal.models import Article, Byline
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from journal.views.sitemaps import SITEMAPS, ArticleSitemap, NewsSitemap
from summits.models import Country, Framework, Summit
from summits.tests.factories import CountryFactory, FrameworkFactory, SummitFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOUR = datetime.timedelta(hours=1)
XHTML = "{http://www.w3.org/1999/xhtml}"
STATIC_PAGES = [
    "journal:home",
    "journal:article_list",
    "journal:country_list",
    "journal:framework_list",
    "journal:summit_list",
    "journal:contributor_list",
]
# Articles, bylines with contributors, countries, frameworks; plus the tag looked up.
LATEST_FEED_QUERIES = 4
OBJECT_FEED_QUERIES = 5
# A COUNT and a page for each of the five database sections.
SITEMAP_QUERIES = 10


@dataclass
class Entry:
    title: str
    link: str
    guid: str
    description: str
    authors: str
    categories: list[str]
    published: datetime.datetime
    updated: datetime.datetime | None


@dataclass
class ParsedFeed:
    title: str
    entries: list[Entry]


def parse_feed(response, fmt: str) -> ParsedFeed:
    """Check the response is a well-formed feed of the format, and read its items."""
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    root = ET.fromstring(response.content)
    if fmt == "rss":
        assert root.tag == "rss"
        assert root.get("version") == "2.0"
        channel = root.find("channel")
        return ParsedFeed(
            title=channel.findtext("title"),
            entries=[
                Entry(
                    title=item.findtext("title"),
                    link=item.findtext("link"),
                    guid=item.findtext("guid"),
                    description=item.findtext("description"),
                    authors=item.findtext(f"{DC}creator"),
                    categories=[category.text for category in item.findall("category")],
                    published=parsedate_to_datetime(item.findtext("pubDate")),
                    updated=None,
                )
                for item in channel.findall("item")
            ],
        )
    assert root.tag == f"{ATOM}feed"
    return ParsedFeed(
        title=root.findtext(f"{ATOM}title"),
        entries=[
            Entry(
                title=entry.findtext(f"{ATOM}title"),
                link=entry.find(f"{ATOM}link").get("href"),
                guid=entry.findtext(f"{ATOM}id"),
                description=entry.findtext(f"{ATOM}summary"),
                authors=entry.findtext(f"{ATOM}author/{ATOM}name"),
                categories=[category.get("term") for category in entry.findall(f"{ATOM}category")],
                published=datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")),
                updated=datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            )
            for entry in root.findall(f"{ATOM}entry")
        ],
    )


def titles(feed: ParsedFeed) -> list[str]:
    return [unescape(entry.title) for entry in feed.entries]


def absolute(url: str) -> str:
    return f"http://testserver{url}"


@pytest.fixture
def world(world):
    """The shared world with one live article each for Kazakhstan and Uzbekistan, their
    frameworks and writers, and every kind of hidden article tagged like the first one."""
    now = timezone.now()
    kz, uz, c5, aigerim, park = world.kz, world.uz, world.c5, world.aigerim, world.park
    ghost = ContributorFactory(name="Unpublished Guest", slug="unpublished-guest")
    kz_piece = PublishedArticleFactory(
        title="Q&A: Astana and the Middle Corridor",
        slug="astana-middle-corridor",
        standfirst="Trade & transit across the Caspian.",
        publish_at=now - datetime.timedelta(days=2),
        countries=[kz],
        frameworks=[c5],
        authors=[aigerim],
    )
    uz_piece = PublishedArticleFactory(
        title="Tashkent hosts the Japanese ministers",
        slug="tashkent-hosts-japanese-ministers",
        publish_at=now - datetime.timedelta(days=1),
        countries=[uz],
        frameworks=[world.japan],
        authors=[park],
    )
    hidden_tags = {"countries": [kz], "frameworks": [c5], "authors": [aigerim, ghost]}
    hidden = [
        ArticleFactory(title="Secret draft on water", slug="secret-draft-water", **hidden_tags),
        ArticleFactory(
            title="Pending review on gas",
            slug="pending-review-gas",
            status=Article.Status.IN_REVIEW,
            **hidden_tags,
        ),
        ArticleFactory(
            title="Withdrawn story on rail",
            slug="withdrawn-story-rail",
            status=Article.Status.ARCHIVED,
            publish_at=now - datetime.timedelta(days=3),
            **hidden_tags,
        ),
        PublishedArticleFactory(
            title="Embargoed summit preview",
            slug="embargoed-summit-preview",
            publish_at=now + datetime.timedelta(hours=2),
            **hidden_tags,
        ),
    ]
    for article in (kz_piece, uz_piece):
        article.refresh_from_db()
    world.ghost = ghost
    world.kz_piece, world.uz_piece = kz_piece, uz_piece
    world.published = [kz_piece, uz_piece]
    world.hidden = hidden
    return world


def assert_hides(response, hidden):
    text = response.content.decode()
    for article in hidden:
        assert article.title not in text
        assert article.slug not in text


@pytest.mark.parametrize(
    ("name", "kwargs", "url"),
    [
        ("journal:feed_latest_rss", {}, "/en/feeds/rss/"),
        ("journal:feed_latest_atom", {}, "/en/feeds/atom/"),
        ("journal:feed_country_rss", {"slug": "kazakhstan"}, "/en/countries/kazakhstan/feed/rss/"),
        (
            "journal:feed_country_atom",
            {"slug": "kazakhstan"},
            "/en/countries/kazakhstan/feed/atom/",
        ),
        ("journal:feed_framework_rss", {"slug": "c5-plus-1"}, "/en/frameworks/c5-plus-1/feed/rss/"),
        (
            "journal:feed_framework_atom",
            {"slug": "c5-plus-1"},
            "/en/frameworks/c5-plus-1/feed/atom/",
        ),
        ("journal:feed_contributor_rss", {"slug": "aigerim"}, "/en/contributors/aigerim/feed/rss/"),
        (
            "journal:feed_contributor_atom",
            {"slug": "aigerim"},
            "/en/contributors/aigerim/feed/atom/",
        ),
        ("site:sitemap", {}, "/sitemap.xml"),
        ("site:sitemap_news", {}, "/sitemap-news.xml"),
        ("site:robots_txt", {}, "/robots.txt"),
    ],
)
def test_reverse_and_resolve_round_trip(name, kwargs, url):
    assert reverse(name, kwargs=kwargs) == url
    match = resolve(url)
    assert match.view_name == name
    assert match.kwargs.get("slug") == kwargs.get("slug")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_latest_feed_lists_published_articles_only(client, world, fmt):
    response = client.get(reverse(f"journal:feed_latest_{fmt}"))
    feed = parse_feed(response, fmt)
    assert titles(feed) == [world.uz_piece.title, world.kz_piece.title]
    assert_hides(response, world.hidden)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_item_carries_link_summary_dates_authors_and_tags(client, world, fmt):
    article = world.kz_piece
    # Byline order, not creation order, decides who comes first.
    Byline.objects.filter(article=article).update(order=1)
    Byline.objects.create(article=article, contributor=world.park, order=0)
    article.countries.add(world.uz)

    feed = parse_feed(client.get(reverse(f"journal:feed_latest_{fmt}")), fmt)

    entry = next(e for e in feed.entries if e.title == article.title)
    assert entry.link == absolute(article.get_absolute_url())
    assert entry.guid == entry.link
    assert unescape(entry.description) == "Trade & transit across the Caspian."
    assert entry.authors == "Min-jun Park and Aigerim Sadykova"
    assert sorted(entry.categories) == ["C5+1", "Kazakhstan", "Uzbekistan"]
    if fmt == "rss":
        assert entry.published == article.publish_at.replace(microsecond=0)
    else:
        assert entry.published == article.publish_at
        assert entry.updated == article.updated_at


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_titles_and_summaries_are_escaped_once(client, fmt):
    article = PublishedArticleFactory(
        title='Central Asia\'s "new" C5 & partners',
        standfirst='Ministers\' "Samarkand" talks & <what> follows.',
    )

    feed = parse_feed(client.get(reverse(f"journal:feed_latest_{fmt}")), fmt)

    (entry,) = feed.entries
    assert entry.title == article.title
    # The description is HTML for feed readers: the plain summary, escaped as
    # HTML once (within the feed's XML), so it reads as the summary.
    assert unescape(entry.description) == article.standfirst
    assert "&amp;" not in unescape(entry.description)


def test_feed_description_falls_back_to_the_body(client):
    PublishedArticleFactory(
        title="No standfirst", standfirst="", body="<p>Gas &amp; oil <b>flow</b> east.</p>"
    )
    feed = parse_feed(client.get(reverse("journal:feed_latest_atom")), "atom")
    entry = next(e for e in feed.entries if e.title == "No standfirst")
    assert entry.description == "Gas &amp; oil flow east."


def test_latest_feed_keeps_the_thirty_newest(client):
    now = timezone.now()
    for hours in range(1, 33):
        PublishedArticleFactory(
            title=f"Story {hours} hours old", publish_at=now - datetime.timedelta(hours=hours)
        )
    feed = parse_feed(client.get(reverse("journal:feed_latest_rss")), "rss")
    assert titles(feed) == [f"Story {hours} hours old" for hours in range(1, 31)]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize(
    ("kind", "own", "other", "title"),
    [
        ("country", "kz", "uz", "Diplomacy Journal: Kazakhstan"),
        ("framework", "c5", "japan", "Diplomacy Journal: C5+1"),
        ("contributor", "aigerim", "park", "Diplomacy Journal: Aigerim Sadykova"),
    ],
)
def test_tag_feed_lists_only_its_own_published_articles(
    client, settings, world, fmt, kind, own, other, title
):
    settings.SITE_NAME = "Diplomacy Journal"
    url = reverse(f"journal:feed_{kind}_{fmt}", kwargs={"slug": getattr(world, own).slug})
    response = client.get(url)
    feed = parse_feed(response, fmt)
    assert feed.title == title
    assert titles(feed) == [world.kz_piece.title]
    assert world.uz_piece.slug not in response.content.decode()
    assert_hides(response, world.hidden)

    url = reverse(f"journal:feed_{kind}_{fmt}", kwargs={"slug": getattr(world, other).slug})
    assert titles(parse_feed(client.get(url), fmt)) == [world.uz_piece.title]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_latest_feed_is_titled_with_the_site_name(client, settings, fmt):
    settings.SITE_NAME = "Steppe Review"
    assert parse_feed(client.get(reverse(f"journal:feed_latest_{fmt}")), fmt).title == (
        "Steppe Review"
    )


def test_contributor_feed_lists_an_article_once_for_two_roles(client, world):
    Byline.objects.create(
        article=world.kz_piece, contributor=world.aigerim, role=Byline.Role.TRANSLATOR, order=1
    )
    url = reverse("journal:feed_contributor_rss", kwargs={"slug": world.aigerim.slug})
    assert titles(parse_feed(client.get(url), "rss")) == [world.kz_piece.title]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("kind", ["country", "framework", "contributor"])
def test_unknown_slug_is_404(client, world, kind, fmt):
    url = reverse(f"journal:feed_{kind}_{fmt}", kwargs={"slug": "atlantis"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_contributor_without_published_work_has_no_feed(client, world, fmt):
    # Like the contributor page: a guest stays unknown until a piece goes live.
    url = reverse(f"journal:feed_contributor_{fmt}", kwargs={"slug": world.ghost.slug})
    assert client.get(url).status_code == 404


def add_busy_articles(count, *, country, framework, writers, extra_countries):
    PublishedArticleFactory.create_batch(
        count,
        countries=[country, *extra_countries],
        frameworks=[framework],
        authors=writers,
    )


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("kind", ["latest", "country", "framework", "contributor"])
@pytest.mark.usefixtures("uncached")
def test_feed_queries_do_not_grow_with_items(
    client, commit, django_assert_max_num_queries, kind, fmt
):
    country = CountryFactory()
    framework = FrameworkFactory()
    writers = ContributorFactory.create_batch(2)
    busy = {
        "country": country,
        "framework": framework,
        "writers": writers,
        "extra_countries": CountryFactory.create_batch(2),
    }
    if kind == "latest":
        url, budget = reverse(f"journal:feed_latest_{fmt}"), LATEST_FEED_QUERIES
    else:
        tag = {"country": country, "framework": framework, "contributor": writers[0]}[kind]
        url = reverse(f"journal:feed_{kind}_{fmt}", kwargs={"slug": tag.slug})
        budget = OBJECT_FEED_QUERIES

    with commit():
        add_busy_articles(5, **busy)
    with CaptureQueriesContext(connection) as few:
        assert len(parse_feed(client.get(url), fmt).entries) == 5

    with commit():
        add_busy_articles(30, **busy)
    with django_assert_max_num_queries(budget) as many:
        feed = parse_feed(client.get(url), fmt)
    assert len(feed.entries) == 30
    assert len(many) == len(few)
    assert all(len(entry.categories) == 4 for entry in feed.entries)


def read_xml(response, tag):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}{tag}"
    return root


def read_sitemap(response):
    """(loc, lastmod) of every URL of a sitemap page."""
    return [
        (url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod"))
        for url in read_xml(response, "urlset").findall(f"{SITEMAP}url")
    ]


def read_sitemaps(client):
    """Every URL listed by the sitemap pages the index at /sitemap.xml points to.

    Less the news sitemap's, which lists again the newest of the articles.
    """
    index = read_xml(client.get("/sitemap.xml"), "sitemapindex")
    entries = []
    for page in index.findall(f"{SITEMAP}sitemap"):
        if page.findtext(f"{SITEMAP}loc") != absolute("/sitemap-news.xml"):
            entries += read_sitemap(client.get(page.findtext(f"{SITEMAP}loc")))
    return entries


def test_sitemap_lists_exactly_the_public_pages(client, world):
    summit = SummitFactory(framework=world.c5, host_country=world.kz)
    entries = read_sitemaps(client)
    locs = [loc for loc, _ in entries]

    # Pages that exist in every language are listed in each; an article at its own address.
    in_every_language = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            in_every_language |= (
                {absolute(reverse(name)) for name in STATIC_PAGES}
                | {absolute(country.get_absolute_url()) for country in Country.objects.all()}
                | {absolute(framework.get_absolute_url()) for framework in Framework.objects.all()}
                | {absolute(world.summit.get_absolute_url()), absolute(summit.get_absolute_url())}
                | {
                    absolute(world.aigerim.get_absolute_url()),
                    absolute(world.park.get_absolute_url()),
                }
            )
    expected = in_every_language | {
        absolute(article.get_absolute_url()) for article in world.published
    }
    assert len(locs) == len(set(locs))
    assert set(locs) == expected
    assert Summit.objects.count() == 2
    assert absolute(world.ghost.get_absolute_url()) not in locs
    for url in ["/sitemap.xml", *(reverse("site:sitemap_section", args=[s]) for s in SITEMAPS)]:
        assert_hides(client.get(url), world.hidden)


def test_sitemap_names_each_pages_other_languages(client, world):
    korean = PublishedArticleFactory(
        title="번역", slug=world.published[0].slug, language="ko", translation_of=world.published[0]
    )
    urls = read_xml(client.get("/sitemap-articles.xml"), "urlset").findall(f"{SITEMAP}url")
    alternates = {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in urls
    }
    pair = {
        "en": absolute(world.published[0].get_absolute_url()),
        "ko": absolute(korean.get_absolute_url()),
    }
    assert alternates[pair["en"]] == pair == alternates[pair["ko"]]
    assert alternates[absolute(world.published[1].get_absolute_url())] == {}  # no translation

    countries = read_xml(client.get("/sitemap-countries.xml"), "urlset").findall(f"{SITEMAP}url")
    first = countries[0]
    assert {link.get("hreflang") for link in first.findall(f"{XHTML}link")} == {"ko", "en", "ru"}


def test_sitemap_lists_articles_newest_first_with_lastmod(client, world):
    entries = read_sitemap(client.get("/sitemap-articles.xml"))
    index = absolute(reverse("journal:article_list"))
    articles = [(loc, mod) for loc, mod in entries if loc.startswith(index) and loc != index]
    assert articles == [
        (
            absolute(article.get_absolute_url()),
            timezone.localdate(article.updated_at).isoformat(),
        )
        for article in (world.uz_piece, world.kz_piece)
    ]


@pytest.mark.usefixtures("uncached")
def test_sitemap_queries_do_not_grow_with_items(client, commit, django_assert_max_num_queries):
    def add_public_pages(count):
        writers = ContributorFactory.create_batch(count)
        for writer in writers:
            PublishedArticleFactory(countries=[CountryFactory()], authors=[writer])
        SummitFactory.create_batch(count)

    def fetch_all():
        urls = ["/sitemap.xml", *(reverse("site:sitemap_section", args=[s]) for s in SITEMAPS)]
        queries = {}
        for url in urls:
            with CaptureQueriesContext(connection) as done:
                client.get(url)
            queries[url] = len(done)
        return queries

    with commit():
        add_public_pages(2)
    few = fetch_all()
    with commit():
        add_public_pages(30)
    many = fetch_all()
    assert many == few
    assert max(many.values()) <= SITEMAP_QUERIES
    entries = read_sitemaps(client)
    assert sum("/en/contributors/" in loc for loc, _ in entries) == 32 + 1  # and the index


def test_the_sitemap_index_splits_articles_into_pages(client, world, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    index = read_xml(client.get("/sitemap.xml"), "sitemapindex")
    pages = [page.findtext(f"{SITEMAP}loc") for page in index.findall(f"{SITEMAP}sitemap")]
    articles = [url for url in pages if "/sitemap-articles.xml" in url]
    assert articles == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
    ]
    first, second = (read_sitemap(client.get(url)) for url in articles)
    assert [loc for loc, _ in first + second] == [
        absolute(world.uz_piece.get_absolute_url()),
        absolute(world.kz_piece.get_absolute_url()),
    ]
    # The index dates each articles page by the newest change among them all.
    lastmods = {page.findtext(f"{SITEMAP}lastmod") for page in index.findall(f"{SITEMAP}sitemap")
                if "/sitemap-articles.xml" in page.findtext(f"{SITEMAP}loc")}  # fmt: skip
    newest = max(a.updated_at for a in (world.uz_piece, world.kz_piece))
    assert lastmods == {timezone.localtime(newest).isoformat()}
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def test_news_sitemap_lists_the_last_two_days_published_articles(client, world):
    now = timezone.now()
    fresh = PublishedArticleFactory(
        title="Leaders meet in Astana & agree", language="en", publish_at=now - HOUR
    )
    korean = PublishedArticleFactory(
        title="아스타나 정상회의", slug="astana-ko", language="ko", publish_at=now - 47 * HOUR
    )
    PublishedArticleFactory(title="Three days old", publish_at=now - 72 * HOUR)

    # The index lists it, like the other sections.
    index = read_xml(client.get("/sitemap.xml"), "sitemapindex")
    pages = [page.findtext(f"{SITEMAP}loc") for page in index.findall(f"{SITEMAP}sitemap")]
    assert absolute("/sitemap-news.xml") in pages

    response = client.get("/sitemap-news.xml")
    urls = read_xml(response, "urlset").findall(f"{SITEMAP}url")
    entries = {
        url.findtext(f"{SITEMAP}loc"): {
            "name": url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name"),
            "language": url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            "date": datetime.datetime.fromisoformat(
                url.findtext(f"{NEWS}news/{NEWS}publication_date")
            ),
            "title": url.findtext(f"{NEWS}news/{NEWS}title"),
        }
        for url in urls
    }

    # Newest first; the world's Uzbek piece is a day old, its Kazakh one two.
    assert list(entries) == [
        absolute(fresh.get_absolute_url()),
        absolute(world.uz_piece.get_absolute_url()),
        absolute(korean.get_absolute_url()),
    ]
    assert entries[absolute(fresh.get_absolute_url())] == {
        "name": settings.SITE_NAME,
        "language": "en",
        "date": fresh.publish_at,
        "title": "Leaders meet in Astana & agree",
    }
    assert entries[absolute(korean.get_absolute_url())]["language"] == "ko"
    assert entries[absolute(korean.get_absolute_url())]["title"] == "아스타나 정상회의"
    assert_hides(response, world.hidden)
    assert b"Three days old" not in response.content


def test_news_sitemap_holds_at_most_its_limit(client, world, monkeypatch):
    monkeypatch.setattr(NewsSitemap, "limit", 1)
    newest = PublishedArticleFactory(publish_at=timezone.now() - HOUR)

    response = client.get("/sitemap-news.xml")

    assert [loc for loc, _ in read_sitemap(response)] == [absolute(newest.get_absolute_url())]
    assert client.get("/sitemap-news.xml?p=2").status_code == 404


def test_robots_txt_disallows_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


class MovedAdminURLconf:
    urlpatterns = [
        path("desk/", admin.site.urls),
        path("", include("journal.root_urls")),
        *i18n_patterns(path("", include("journal.site_urls"))),
    ]


def test_robots_txt_follows_a_moved_admin(client, settings):
    settings.ROOT_URLCONF = MovedAdminURLconf
    assert "Disallow: /desk/\n" in client.get("/robots.txt").content.decode()
