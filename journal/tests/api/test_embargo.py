"""A sweep of every API endpoint and filter: nothing unpublished leaks, in lists, details or counts.

The world is the reader pages' sweep (journal/tests/views/test_embargo.py):
drafts, pieces in review, archived and scheduled pieces tagged like the live
ones, and a guest known only through a scheduled piece.
"""

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.urls import URLResolver, get_resolver, reverse

from journal.models import Article
from journal.tests.views.test_embargo import (
    GUEST_SLUG,
    leaks,
    slugs,
    sweep_urls,
    world,  # noqa: F401  (the fixture)
)
from summits.models import Summit

pytestmark = pytest.mark.django_db


def articles(w) -> list[dict]:
    return [{"language": a.language, "slug": a.slug} for a in w.published]


# How to fill each URL pattern of the API from the world. A new pattern fails
# test_every_api_url_pattern_is_swept until it is added here.
API_URL_KWARGS: dict[str, Callable[[SimpleNamespace], list[dict]]] = {
    "api:root": lambda w: [{}],
    "api:article_list": lambda w: [{}],
    "api:article_detail": articles,
    "api:contributor_list": lambda w: [{}],
    "api:contributor_detail": lambda w: slugs(w.contributors),
    "api:country_list": lambda w: [{}],
    "api:country_detail": lambda w: slugs(w.countries),
    "api:framework_list": lambda w: [{}],
    "api:framework_detail": lambda w: slugs(w.frameworks),
    "api:summit_list": lambda w: [{}],
    "api:summit_detail": lambda w: slugs(w.summits),
    "api:schema": lambda w: [{}],
    "api:docs": lambda w: [{}],
}
# Addresses that answer 404 whatever they are given.
CLOSED_API_URL_KWARGS: dict[str, Callable[[SimpleNamespace], list[dict]]] = {
    "api:not_found": lambda w: [{"path": "nothing-here"}, {"path": "articles/en"}],
}


def api_pattern_names(patterns=None, namespaces=()) -> list[str]:
    """The full name of every URL pattern in the API's namespace."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            names += api_pattern_names(entry.url_patterns, inner)
        elif namespaces == ("api",):
            names.append(f"api:{entry.name}")
    return names


def filter_queries(w) -> dict[str, list[dict]]:
    """Each filtered list with each of its filters, all of them at once, and large pages."""
    country, framework, summit = w.countries[0], w.frameworks[0], w.summits[0]
    article_filters = [
        {"country": country.slug},
        {"framework": framework.slug},
        {"summit": summit.slug},
        {"contributor": w.contributors[0].slug},
        {"contributor": w.contributors[1].slug},
        {"year": w.year},
        *({"section": section} for section in Article.Section.values),
        *({"language": language} for language in ("ko", "en", "ru")),
        {
            "country": country.slug,
            "framework": framework.slug,
            "summit": summit.slug,
            "section": Article.Section.NEWS,
            "contributor": w.contributors[0].slug,
            "year": w.year,
            "language": "en",
        },
        {"page_size": 100},
    ]
    summit_filters = [
        {"framework": framework.slug},
        {"year": w.year},
        {"host": summit.host_country.slug},
        *({"level": level} for level in Summit.Level.values),
        {"framework": framework.slug, "host": summit.host_country.slug},
    ]
    return {
        reverse("api:article_list"): article_filters,
        reverse("api:summit_list"): summit_filters,
        **{
            reverse(f"api:{name}_list"): [{"page_size": 100}, {"page": 1}]
            for name in ("contributor", "country", "framework")
        },
    }


def test_every_api_url_pattern_is_swept():
    names = api_pattern_names()
    assert "api:article_list" in names
    assert set(names) == set(API_URL_KWARGS) | set(CLOSED_API_URL_KWARGS)


def test_no_endpoint_shows_unpublished_work(client, world):  # noqa: F811
    urls = sweep_urls(world, kwargs_table=API_URL_KWARGS, queries=filter_queries)
    assert len(urls) == len(set(urls)) > 40
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url} answers {response.status_code}")
        if leaked := leaks(response):
            problems.append(f"{url} shows {leaked}")
    assert not problems, "\n".join(problems)


def test_every_page_of_every_list_shows_only_live_articles(client, world):  # noqa: F811
    live = {article.title for article in world.published}
    url = f"{reverse('api:article_list')}?page_size=1"
    seen = []
    while url:
        page = client.get(url)
        assert page.status_code == 200 and not leaks(page)
        seen += [article["title"] for article in page.json()["results"]]
        url = page.json()["next"]
    assert seen == [article.title for article in world.published]  # newest first

    written = {
        contributor: {a.title for a in world.published if a.bylines.filter(contributor=contributor)}
        for contributor in world.contributors
    }
    expected = dict.fromkeys([*world.countries, *world.frameworks, *world.summits], live)
    for record, titles in {**expected, **written}.items():
        detail = client.get(
            reverse(f"api:{type(record).__name__.lower()}_detail", kwargs={"slug": record.slug})
        )
        assert detail.json()["article_count"] == len(titles), record
        listed = client.get(detail.json()["articles_url"])
        assert {article["title"] for article in listed.json()["results"]} == titles, record


def test_counts_leave_out_unpublished_work(client, world):  # noqa: F811
    live = len(world.published)
    for name, records in [
        ("country", world.countries),
        ("framework", world.frameworks),
        ("summit", world.summits),
    ]:
        listed = client.get(reverse(f"api:{name}_list")).json()["results"]
        counts = {row["slug"]: row["article_count"] for row in listed}
        assert {record.slug: counts[record.slug] for record in records} == {
            record.slug: live for record in records
        }, name
    contributors = client.get(reverse("api:contributor_list")).json()
    assert contributors["count"] == 2
    assert {row["slug"]: row["article_count"] for row in contributors["results"]} == {
        "aigerim-sadykova": 2,
        "min-jun-park": 2,
    }


def test_unpublished_articles_and_their_only_writer_are_not_found(client, world):  # noqa: F811
    urls = [
        reverse("api:article_detail", kwargs={"language": a.language, "slug": a.slug})
        for a in world.hidden.values()
    ]
    urls.append(reverse("api:contributor_detail", kwargs={"slug": GUEST_SLUG}))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
        assert not leaks(response), url


def test_filtering_by_a_writer_known_only_through_unpublished_work_says_nothing(client, world):  # noqa: F811
    # As for any slug nobody has: the same 400, without the slug.
    for slug in (GUEST_SLUG, "nobody-at-all"):
        response = client.get(reverse("api:article_list"), {"contributor": slug})
        assert response.status_code == 400
        assert response.json() == {
            "contributor": [
                "Select a valid choice. That choice is not one of the available choices."
            ]
        }
        assert not leaks(response)
