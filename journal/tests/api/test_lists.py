"""The reader site's filters on the API's lists, and pages that stay put while articles go live."""

import base64
import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils import timezone

from journal.models import Article
from journal.tests.factories import PublishedArticleFactory
from summits.models import Summit
from summits.tests.factories import SummitFactory

pytestmark = pytest.mark.django_db


def titles(client, url: str, **query) -> list[str]:
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    return [row.get("title") for row in response.json()["results"]]


@pytest.fixture
def coverage(world):
    now = timezone.now()
    world.kz_news = PublishedArticleFactory(
        title="Kazakh news",
        countries=[world.kz],
        frameworks=[world.c5],
        authors=[world.aigerim],
        publish_at=now - datetime.timedelta(days=1),
    )
    world.uz_analysis = PublishedArticleFactory(
        title="Uzbek analysis",
        countries=[world.uz],
        section=Article.Section.ANALYSIS,
        authors=[world.park],
        publish_at=now - datetime.timedelta(days=2),
    )
    world.old_summit_story = PublishedArticleFactory(
        title="The New York summit",
        countries=[world.kz, world.us],
        frameworks=[world.c5],
        summits=[world.summit],
        authors=[world.aigerim, world.park],
        publish_at=timezone.make_aware(datetime.datetime(2023, 9, 20, 9, 0)),
    )
    world.korean = PublishedArticleFactory(
        title="카자흐스탄 소식", language="ko", countries=[world.kz], publish_at=now
    )
    return world


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["카자흐스탄 소식", "Kazakh news", "Uzbek analysis", "The New York summit"]),
        ({"country": "kazakhstan"}, ["카자흐스탄 소식", "Kazakh news", "The New York summit"]),
        (
            {"country": "kazakhstan", "framework": "c5-plus-1"},
            ["Kazakh news", "The New York summit"],
        ),
        ({"summit": "new-york-2023"}, ["The New York summit"]),
        ({"section": "analysis"}, ["Uzbek analysis"]),
        ({"contributor": "min-jun-park"}, ["Uzbek analysis", "The New York summit"]),
        ({"year": "2023"}, ["The New York summit"]),
        ({"language": "ko"}, ["카자흐스탄 소식"]),
        ({"country": "kazakhstan", "language": "en", "year": "2023"}, ["The New York summit"]),
        # Not a filter: left alone, as the reader site leaves it.
        ({"utm_source": "newsletter", "q": "anything"}, None),
    ],
    ids=str,
)
def test_the_reader_sites_filters_narrow_the_list(client, coverage, query, expected):
    everything = titles(client, "/api/v1/articles/")
    assert titles(client, "/api/v1/articles/", **query) == (expected or everything)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            {"country": "<script>alert(1)</script>"},
            {
                "country": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
        (
            {"section": "' hostile-attr='1"},
            {
                "section": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
        ({"year": "abc"}, {"year": ["Enter a whole number."]}),
        ({"year": "1200"}, {"year": ["Ensure this value is greater than or equal to 1990."]}),
        ({"year": "9" * 5000}, {"year": ["Enter a whole number."]}),
    ],
    ids=["country", "section", "year-text", "year-range", "year-huge"],
)
def test_an_invalid_filter_is_a_400_saying_which_without_repeating_it(
    client, coverage, query, errors
):
    response = client.get("/api/v1/articles/", query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == errors
    assert "hostile" not in response.text and "script" not in response.text


def test_summits_take_the_summit_lists_filters(client, coverage):
    SummitFactory(
        framework=coverage.c5,
        title="Astana ministerial",
        slug="astana-2024",
        level=Summit.Level.FOREIGN_MINISTERS,
        host_country=coverage.kz,
        start_date=datetime.date(2024, 4, 1),
    )
    url = "/api/v1/summits/"

    assert titles(client, url) == ["Astana ministerial", "C5+1 summit in New York"]
    assert titles(client, url, host="kazakhstan") == ["Astana ministerial"]
    assert titles(client, url, year="2023", framework="c5-plus-1") == ["C5+1 summit in New York"]
    assert titles(client, url, level="foreign_ministers") == ["Astana ministerial"]
    assert client.get(url, {"level": "emperors"}).status_code == 400


# Pagination ----------------------------------------------------------------------


def all_pages(client, url: str) -> tuple[list[str], int]:
    seen, pages = [], 0
    while url:
        page = client.get(url).json()
        seen += [row["title"] for row in page["results"]]
        url, pages = page["next"], pages + 1
    return seen, pages


def test_cursor_pages_cover_the_list_once_newest_first_ties_by_id(client, world):
    moment = timezone.now() - datetime.timedelta(hours=1)
    # Two at the very same moment, as a bulk import or a shared schedule gives them.
    same = [PublishedArticleFactory(title=f"Same moment {n}", publish_at=moment) for n in range(3)]
    others = [
        PublishedArticleFactory(title=f"Story {n}", publish_at=moment - datetime.timedelta(days=n))
        for n in range(1, 6)
    ]
    expected = [a.title for a in sorted(same, key=lambda a: -a.pk)] + [a.title for a in others]

    seen, pages = all_pages(client, "/api/v1/articles/?page_size=2")

    assert seen == expected
    assert pages == 4
    first = client.get("/api/v1/articles/", {"page_size": 2}).json()
    assert first["previous"] is None and set(first) == {"next", "previous", "results"}


def test_articles_published_while_a_client_pages_do_not_shift_its_pages(client, world, commit):
    now = timezone.now()
    with commit():
        for n in range(6):
            PublishedArticleFactory(title=f"Story {n}", publish_at=now - datetime.timedelta(days=n))
    first = client.get("/api/v1/articles/", {"page_size": 2}).json()
    assert [a["title"] for a in first["results"]] == ["Story 0", "Story 1"]

    with commit():
        PublishedArticleFactory(title="Breaking", publish_at=timezone.now())

    rest, _ = all_pages(client, first["next"])
    assert rest == ["Story 2", "Story 3", "Story 4", "Story 5"]
    assert titles(client, "/api/v1/articles/", page_size=1) == ["Breaking"]


def test_the_page_size_is_the_clients_up_to_a_hundred(client, world):
    PublishedArticleFactory.create_batch(3)

    assert len(titles(client, "/api/v1/articles/", page_size=1)) == 1
    assert len(titles(client, "/api/v1/articles/", page_size=1000)) == 3
    # Nonsense is the default size, as for reader pages.
    assert len(titles(client, "/api/v1/articles/", page_size="-1")) == 3


def made_up_cursor(**fields) -> str:
    return base64.b64encode(urlencode(fields).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        made_up_cursor(o="x"),
        made_up_cursor(p="not a time"),
        made_up_cursor(p="2025-13-45 10:00:00+00:00"),
        made_up_cursor(o="99999999999999999999", p="2025-01-01"),
    ],
)
def test_a_made_up_cursor_is_a_404(client, world, cursor):
    PublishedArticleFactory()

    response = client.get("/api/v1/articles/", {"cursor": cursor})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}


def test_a_cursor_past_what_a_database_holds_is_no_error(client, world):
    PublishedArticleFactory()

    # The year 10000 in UTC: PostgreSQL holds it, Python's datetime does not.
    response = client.get(
        "/api/v1/articles/", {"cursor": made_up_cursor(p="9999-12-31 23:00-14:00")}
    )

    assert response.status_code in (200, 404)
    assert response["Content-Type"] == "application/json"


def test_a_cursor_given_is_a_time_and_an_offset(client, world):
    PublishedArticleFactory.create_batch(3)
    following = client.get("/api/v1/articles/", {"page_size": 1}).json()["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]

    assert set(parse_qs(base64.b64decode(cursor).decode())) <= {"o", "p", "r"}


def test_short_lists_are_numbered_pages(client, world):
    page = client.get("/api/v1/countries/", {"page_size": 2}).json()

    assert page["count"] == 7
    assert [c["slug"] for c in page["results"]] == ["japan", "kazakhstan"]
    assert page["next"].endswith("/api/v1/countries/?page=2&page_size=2")
    last = client.get(page["next"].replace("page=2", "page=4")).json()
    assert [c["slug"] for c in last["results"]] == ["uzbekistan"]
    assert last["next"] is None
    assert client.get("/api/v1/countries/", {"page": 9}).status_code == 404
