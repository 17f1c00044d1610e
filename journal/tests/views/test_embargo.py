"""A sweep of every public URL: nothing unpublished leaks, anywhere.

Drafts, pieces in review, archived pieces and scheduled pieces are tagged to
the same countries, frameworks, summits and contributors as the live ones, and
made as tempting as possible (featured, newest). Then every URL pattern of the
reader site is requested, with every filter, and no response may mention them.
"""

import datetime
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.http import urlencode

from journal.models import Article, Contributor, PreviewLink
from journal.services.newsletters import confirmation_token, link_token
from journal.services.previews import preview_link_create, preview_link_revoke, preview_token
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PublishedArticleFactory,
    SubscriberFactory,
)
from journal.views.data import FORMATS as DATA_FORMATS
from journal.views.sitemaps import SITEMAPS
from summits.models import Summit
from summits.tests.factories import SummitFactory

pytestmark = pytest.mark.django_db

# Each hidden kind of article: its status and its publish time, from now.
HIDDEN = {
    "draft": (Article.Status.DRAFT, None),
    "review": (Article.Status.IN_REVIEW, datetime.timedelta(minutes=-1)),
    "archived": (Article.Status.ARCHIVED, datetime.timedelta(minutes=-1)),
    "scheduled": (Article.Status.PUBLISHED, datetime.timedelta(days=1)),
}
GUEST_NAME = "Secret Guest Ambassador"
GUEST_SLUG = "secret-guest-slug"


def hidden_words() -> list[str]:
    words = [GUEST_NAME, GUEST_SLUG]
    for key in HIDDEN:
        tag = key.upper()
        words += [f"SECRET-{tag}-TITLE", f"secret-{key}-slug", f"SECRET-{tag}-STANDFIRST"]
    return words


@pytest.fixture
def world(world):
    """The shared world, with live articles and one of each hidden kind tagged like them."""
    now = timezone.now()
    planned = SummitFactory(
        framework=world.japan,
        slug="samarkand-next",
        host_country=world.uz,
        status=Summit.Status.PLANNED,
        start_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    staff, guest = world.aigerim, world.park
    hidden_guest = ContributorFactory(name=GUEST_NAME, slug=GUEST_SLUG, kind=Contributor.Kind.GUEST)
    tags = {
        "countries": [*world.countries, world.us],
        "frameworks": [world.c5, world.japan],
        "summits": [world.summit, planned],
    }
    published = [
        PublishedArticleFactory(
            title=f"Live story {index}",
            slug=f"live-story-{index}",
            section=section,
            authors=authors,
            publish_at=now - datetime.timedelta(days=index + 1),
            **tags,
        )
        for index, (section, authors) in enumerate(
            [
                (Article.Section.NEWS, [staff]),
                (Article.Section.ANALYSIS, [staff, guest]),
                (Article.Section.CONTRIBUTION, [guest]),
            ]
        )
    ]
    hidden = {
        key: ArticleFactory(
            title=f"SECRET-{key.upper()}-TITLE",
            slug=f"secret-{key}-slug",
            standfirst=f"SECRET-{key.upper()}-STANDFIRST",
            section=Article.Section.OPINION,
            featured=True,
            authors=[hidden_guest] if key == "scheduled" else [staff, guest],
            status=status,
            publish_at=now + offset if offset is not None else None,
            **tags,
        )
        for key, (status, offset) in HIDDEN.items()
    }
    return SimpleNamespace(
        countries=tags["countries"],
        frameworks=tags["frameworks"],
        summits=tags["summits"],
        contributors=[staff, guest],
        published=published,
        hidden=hidden,
        hidden_guest=hidden_guest,
        year=timezone.localtime(published[0].publish_at).year,
    )


def slugs(objects) -> list[dict]:
    return [{"slug": obj.slug} for obj in objects]


def working_previews(articles) -> list[dict]:
    return [{"token": preview_token(preview_link_create(article=a, user=None))} for a in articles]


def unusable_previews(w) -> list[dict]:
    """For each unpublished article, preview tokens that must open nothing."""
    now = timezone.now()
    tokens = ["not-a-token"]
    for article in w.hidden.values():
        expired = preview_link_create(article=article, user=None)
        PreviewLink.objects.filter(pk=expired.pk).update(
            created_at=now - datetime.timedelta(days=8), expires_at=now - datetime.timedelta(days=1)
        )
        expired.refresh_from_db()
        withdrawn = preview_link_revoke(link=preview_link_create(article=article, user=None))
        deleted = preview_link_create(article=article, user=None)
        deleted_token = preview_token(deleted)
        deleted.delete()
        working = preview_link_create(article=article, user=None)
        value, stamp, signature = preview_token(working).split(":")
        forged = "A" if signature[10] != "A" else "B"
        payload = {"link": working.token_id.hex, "article": article.pk}
        tokens += [
            preview_token(expired),
            preview_token(withdrawn),
            deleted_token,
            f"{value}:{stamp}:{signature[:10]}{forged}{signature[11:]}",
            f"{value}x:{stamp}:{signature}",
            signing.dumps(payload, salt="journal.other"),
            signing.dumps(payload),
        ]
    return [{"token": token} for token in tokens]


def newsletter_links(kind: str) -> Callable[[SimpleNamespace], list[dict]]:
    """Working tokens for a newsletter page: a confirmed reader's and an unconfirmed one's."""

    def tokens(w) -> list[dict]:
        sign = confirmation_token if kind == "confirm" else link_token
        readers = [
            SubscriberFactory(countries=w.countries[:1], frameworks=w.frameworks[:1]),
            SubscriberFactory(everything=True, confirmed_at=None, sent_up_to=None),
        ]
        return [{"token": sign(reader)} for reader in readers]

    return tokens


def forged_newsletter_links(kind: str) -> Callable[[SimpleNamespace], list[dict]]:
    """Tokens for a newsletter page that must open nothing: forged, cut, or for another page."""

    def tokens(w) -> list[dict]:
        reader = SubscriberFactory(everything=True)
        own = confirmation_token(reader) if kind == "confirm" else link_token(reader)
        other = link_token(reader) if kind == "confirm" else confirmation_token(reader)
        value, signature = own.split(":", 1)
        forged = "A" if signature[-1] != "A" else "B"
        return [
            {"token": token}
            for token in [
                "not-a-token",
                f"{value}x:{signature}",
                f"{value}:{signature[:-1]}{forged}",
                own[:-4],
                other,
                signing.Signer(salt="journal.other").sign(reader.token),
            ]
        ]

    return tokens


# How to fill each URL pattern of the reader site from the world. A new pattern
# fails test_every_url_pattern_is_swept until it is added here.
URL_KWARGS: dict[str, Callable[[SimpleNamespace], list[dict]]] = {
    "journal:home": lambda w: [{}],
    "journal:search": lambda w: [{}],
    "journal:article_list": lambda w: [{}],
    "journal:article_detail": lambda w: slugs(w.published),
    "journal:country_list": lambda w: [{}],
    "journal:country_detail": lambda w: slugs(w.countries),
    "journal:framework_list": lambda w: [{}],
    "journal:framework_detail": lambda w: slugs(w.frameworks),
    "journal:summit_list": lambda w: [{}],
    "journal:summit_detail": lambda w: slugs(w.summits),
    "journal:contributor_list": lambda w: [{}],
    "journal:contributor_detail": lambda w: slugs(w.contributors),
    "journal:feed_latest_rss": lambda w: [{}],
    "journal:feed_latest_atom": lambda w: [{}],
    "journal:feed_country_rss": lambda w: slugs(w.countries),
    "journal:feed_country_atom": lambda w: slugs(w.countries),
    "journal:feed_framework_rss": lambda w: slugs(w.frameworks),
    "journal:feed_framework_atom": lambda w: slugs(w.frameworks),
    "journal:feed_contributor_rss": lambda w: slugs(w.contributors),
    "journal:feed_contributor_atom": lambda w: slugs(w.contributors),
    # The summit lists as data (CSV, JSON, iCalendar): all, per framework, per country.
    **{f"journal:summit_list_{fmt}": lambda w: [{}] for fmt in DATA_FORMATS},
    **{f"journal:framework_summits_{fmt}": lambda w: slugs(w.frameworks) for fmt in DATA_FORMATS},
    **{f"journal:country_summits_{fmt}": lambda w: slugs(w.countries) for fmt in DATA_FORMATS},
    "site:sitemap": lambda w: [{}],
    # /sitemap-news.xml has a pattern of its own, before the sections'.
    "site:sitemap_section": lambda w: [{"section": s} for s in SITEMAPS if s != "news"],
    "site:sitemap_news": lambda w: [{}],
    "site:robots_txt": lambda w: [{}],
    # A working link shows its own article, and related coverage still only live.
    "journal:article_share_preview": lambda w: working_previews(w.published),
    # The newsletter's form, and the pages its e-mails link to.
    "journal:newsletter": lambda w: [{}],
    "journal:newsletter_confirm": newsletter_links("confirm"),
    "journal:newsletter_preferences": newsletter_links("preferences"),
    "journal:newsletter_unsubscribe": newsletter_links("unsubscribe"),
}

# Patterns a reader cannot open without a login or a working link: each URL
# answers 404, 410 or a redirect to the login page, and shows nothing.
CLOSED_URL_KWARGS: dict[str, Callable[[SimpleNamespace], list[dict]]] = {
    "journal:article_preview": lambda w: [{"pk": a.pk} for a in [*w.hidden.values(), *w.published]],
    "journal:article_share_preview": unusable_previews,
    "journal:newsletter_confirm": forged_newsletter_links("confirm"),
    "journal:newsletter_preferences": forged_newsletter_links("preferences"),
    "journal:newsletter_unsubscribe": forged_newsletter_links("unsubscribe"),
}


def journal_pattern_names(patterns=None, namespaces=()) -> Iterator[str | None]:
    """The full name of every reader URL pattern (`journal:`, `site:`), however deeply included."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from journal_pattern_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and namespaces in (("journal",), ("site",)):
            yield f"{namespaces[0]}:{entry.name}"


def filter_queries(w) -> dict[str, list[dict]]:
    """Each list page with each of its filters, all of them at once, and page=1."""
    country, framework, summit = w.countries[0], w.frameworks[0], w.summits[0]
    article_filters = [
        {"country": country.slug},
        {"framework": framework.slug},
        {"summit": summit.slug},
        {"contributor": w.contributors[0].slug},
        {"contributor": GUEST_SLUG},
        {"year": w.year},
        *({"section": section} for section in Article.Section.values),
    ]
    # All at once, matching the staff writer's news story.
    combined = {
        "country": country.slug,
        "framework": framework.slug,
        "summit": summit.slug,
        "section": Article.Section.NEWS,
        "contributor": w.contributors[0].slug,
        "year": w.year,
    }
    country_filters = [
        {"framework": framework.slug},
        {"year": w.year},
        *({"section": section} for section in Article.Section.values),
    ]
    summit_filters = [
        {"framework": framework.slug},
        {"year": w.year},
        {"host": summit.host_country.slug},
        *({"level": level} for level in Summit.Level.values),
    ]
    pages = [{"page": 1}]
    queries = {reverse("journal:article_list"): [*article_filters, combined, *pages]}
    queries[reverse("journal:summit_list")] = [
        *summit_filters,
        {k: v for query in summit_filters[:3] for k, v in query.items()},
        *pages,
    ]
    # The list's downloads take its filters (and no page: they are not paginated).
    for fmt in DATA_FORMATS:
        queries[reverse(f"journal:summit_list_{fmt}")] = summit_filters
    for country in w.countries:
        queries[country.get_absolute_url()] = [
            *country_filters,
            {"framework": framework.slug, "year": w.year, "section": Article.Section.NEWS},
            *pages,
        ]
    for obj in [*w.frameworks, *w.summits, *w.contributors]:
        queries[obj.get_absolute_url()] = pages
    # Search for the hidden articles' own words (spaced, so the echoed query is
    # not itself a leak), and for the guest known only from a scheduled piece.
    searches = [
        {"q": "secret"},
        {"q": "story OR secret"},
        *({"q": f"secret {key} title"} for key in HIDDEN),
        *({"q": f'"secret {key} standfirst"'} for key in HIDDEN),
        {"q": "ambassador secret guest"},
        {"q": "secret", **combined},
        {"q": "story", "page": 1},
    ]
    queries[reverse("journal:search")] = searches
    return queries


def sweep_urls(w, *, kwargs_table=None, queries=filter_queries) -> list[str]:
    """Every address the sweep asks for: each pattern of `kwargs_table` filled
    from the world (the reader pages' by default), then each filtered list."""
    urls = [
        reverse(name, kwargs=kwargs)
        for name, kwargs_for in (kwargs_table or URL_KWARGS).items()
        for kwargs in kwargs_for(w)
    ]
    for path, queries_for_path in queries(w).items():
        urls += [f"{path}?{urlencode(query)}" for query in queries_for_path]
    return urls


def leaks(response) -> list[str]:
    text = response.content.decode().lower()
    return [word for word in hidden_words() if word.lower() in text]


def test_every_url_pattern_is_swept():
    names = list(journal_pattern_names())
    assert names, "no journal URL patterns found"
    assert not [name for name in names if name.endswith(":None")], (
        "every reader URL pattern needs a name"
    )
    assert set(names) == set(URL_KWARGS) | set(CLOSED_URL_KWARGS), (
        "URL_KWARGS and CLOSED_URL_KWARGS must know how to fill exactly the reader "
        "site's URL patterns"
    )


def test_no_public_url_shows_unpublished_work(client, world):
    urls = sweep_urls(world)
    assert len(urls) == len(set(urls)) > 50
    assert {"/robots.txt", "/sitemap.xml", "/en/feeds/rss/"} <= set(urls)
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url} answers {response.status_code}")
        if leaked := leaks(response):
            problems.append(f"{url} shows {leaked}")
    assert not problems, "\n".join(problems)


def test_closed_urls_show_nothing(client, world):
    urls = [
        reverse(name, kwargs=kwargs)
        for name, kwargs_for in CLOSED_URL_KWARGS.items()
        for kwargs in kwargs_for(world)
    ]
    assert len(urls) == len(set(urls)) > 30
    problems, statuses = [], set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        if response.status_code not in (302, 404, 410):
            problems.append(f"{url} answers {response.status_code}")
        if leaked := leaks(response):
            problems.append(f"{url} shows {leaked}")
    assert not problems, "\n".join(problems)
    assert statuses == {302, 404, 410}


def test_unpublished_articles_and_their_only_writer_are_not_found(client, world):
    urls = [article.get_absolute_url() for article in world.hidden.values()]
    urls += [
        reverse(name, kwargs={"slug": world.hidden_guest.slug})
        for name in [
            "journal:contributor_detail",
            "journal:feed_contributor_rss",
            "journal:feed_contributor_atom",
        ]
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not leaks(response), url


def test_index_counts_leave_out_unpublished_work(client, world):
    live = len(world.published)
    articles = client.get(reverse("journal:article_list"))
    assert articles.context["paginator"].count == live
    assert f"{live} articles" in articles.text

    regions = client.get(reverse("journal:country_list")).context["regions"]
    counts = {country.slug: country.article_count for _, members in regions for country in members}
    assert counts == {country.slug: live for country in world.countries} | {
        # Each framework's partner, listed without coverage of its own.
        framework.partner.slug: 0
        for framework in world.frameworks
        if framework.partner not in world.countries
    }

    frameworks = client.get(reverse("journal:framework_list")).context["frameworks"]
    assert {framework.slug: framework.article_count for framework in frameworks} == {
        framework.slug: live for framework in world.frameworks
    }

    contributors = client.get(reverse("journal:contributor_list")).context["contributors"]
    assert {contributor.slug: contributor.article_count for contributor in contributors} == {
        "aigerim-sadykova": 2,
        "min-jun-park": 2,
    }

    tagged = [*world.countries, *world.frameworks, *world.summits]
    expected = {obj.get_absolute_url(): live for obj in tagged} | {
        contributor.get_absolute_url(): 2 for contributor in world.contributors
    }
    for path, count in expected.items():
        assert client.get(path).context["page_obj"].paginator.count == count, path
