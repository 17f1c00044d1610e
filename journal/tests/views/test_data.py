"""The summit record as data: each summit list as CSV, JSON and a calendar; each summit an Event.

Also what readers see of a meeting past its dates that the record still
calls planned: not "upcoming", anywhere.
"""

import csv
import datetime
import io
import json
import re
from urllib.parse import urlsplit

import icalendar
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from summits.exports import CSV_COLUMNS
from summits.models import Summit
from summits.tests.factories import CountryFactory, ParticipantFactory, SummitFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def meetings(world):
    """Beside New York 2023 (C5+1, held, the six attending): three more meetings.

    `astana`: C5+1 leaders, planned for two days a month from now, hosted by
    Kazakhstan; `tokyo`: Japan's ministers, cancelled, 2024; `undated`:
    C5+1 ministers, planned, no date yet.
    """
    world.astana = SummitFactory(
        framework=world.c5,
        title="C5+1 summit in Astana",
        slug="astana-next",
        status=Summit.Status.PLANNED,
        start_date=TODAY() + 30 * DAY,
        end_date=TODAY() + 31 * DAY,
        city="Astana",
        host_country=world.kz,
    )
    ParticipantFactory(summit=world.astana, country=world.kz)
    ParticipantFactory(summit=world.astana, country=world.us, order=1)
    world.tokyo = SummitFactory(
        framework=world.japan,
        title="Tokyo dialogue",
        slug="tokyo-2024",
        status=Summit.Status.CANCELLED,
        level=Summit.Level.FOREIGN_MINISTERS,
        start_date=datetime.date(2024, 12, 1),
        city="Tokyo",
        host_country=CountryFactory(code="JP"),
    )
    world.undated = SummitFactory(
        framework=world.c5,
        title="C5+1 ministers, date to come",
        slug="c5-ministers-next",
        status=Summit.Status.PLANNED,
        level=Summit.Level.FOREIGN_MINISTERS,
        start_date=None,
        city="",
        host_country=world.us,
    )
    return world


def read_csv(response) -> list[dict]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def read_calendar(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def event_slugs(calendar: icalendar.Calendar) -> list[str]:
    return [str(event["url"]).rstrip("/").rsplit("/", 1)[1] for event in calendar.walk("VEVENT")]


def on_site(path: str) -> str:
    return settings.SITE_URL + path


# The downloads


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
        ("ics", "text/calendar; charset=utf-8"),
    ],
)
def test_each_download_names_its_type_file_and_licence(client, meetings, fmt, content_type):
    for url, filename in [
        (f"/en/summits.{fmt}", f"summits-en.{fmt}"),
        (f"/en/frameworks/c5-plus-1/summits.{fmt}", f"summits-c5-plus-1-en.{fmt}"),
        (f"/ru/countries/kazakhstan/summits.{fmt}", f"summits-kazakhstan-ru.{fmt}"),
    ]:
        response = client.get(url)

        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        # Kept and shared like any reader page.
        assert "public" in response["Cache-Control"]


def test_csv_lists_every_summit_oldest_first(client, meetings):
    rows = read_csv(client.get("/en/summits.csv"))

    assert [row["slug"] for row in rows] == [
        "new-york-2023",
        "tokyo-2024",
        "astana-next",
        "c5-ministers-next",  # undated, last
    ]
    astana = rows[2]
    assert astana["title"] == "C5+1 summit in Astana"
    assert astana["status"] == "planned"
    assert astana["start_date"] == (TODAY() + 30 * DAY).isoformat()
    assert astana["end_date"] == (TODAY() + 31 * DAY).isoformat()
    assert astana["participants"] == "KZ;US"
    assert astana["host_country_code"] == "KZ"
    assert astana["url"] == on_site("/en/summits/astana-next/")


def test_json_carries_the_licence_and_the_summits(client, meetings):
    document = client.get("/en/frameworks/c5-plus-1/summits.json").json()

    assert document["title"] == "C5+1 summits"
    assert document["licence"] == f"CC BY 4.0, {settings.SITE_NAME}"
    assert document["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [summit["slug"] for summit in document["summits"]] == [
        "new-york-2023",
        "astana-next",
        "c5-ministers-next",
    ]
    new_york = document["summits"][0]
    assert [party["code"] for party in new_york["participants"]] == [
        "KZ",
        "KG",
        "TJ",
        "TM",
        "UZ",
        "US",
    ]
    assert new_york["url"] == on_site("/en/summits/new-york-2023/")


def test_names_come_in_the_addresses_language(client, meetings):
    Summit.objects.filter(pk=meetings.astana.pk).update(title_ru="Саммит C5+1 в Астане")

    russian = client.get("/ru/summits.json").json()
    english = client.get("/en/summits.json").json()

    titles = {summit["slug"]: summit["title"] for summit in russian["summits"]}
    assert titles["astana-next"] == "Саммит C5+1 в Астане"
    assert titles["tokyo-2024"] == "Tokyo dialogue"  # not yet translated: English
    assert {summit["slug"]: summit["url"] for summit in russian["summits"]}["astana-next"] == (
        on_site("/ru/summits/astana-next/")
    )
    assert "Саммит" not in json.dumps(english, ensure_ascii=False)
    # Codes are the same in every language.
    assert [s["status"] for s in russian["summits"]] == [s["status"] for s in english["summits"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("framework=c5-plus-1&level=heads_of_state", ["new-york-2023", "astana-next"]),
        ("year=2024", ["tokyo-2024"]),
        ("host=kazakhstan", ["astana-next"]),
        ("framework=central-asia-japan&utm_source=newsletter", ["tokyo-2024"]),
    ],
)
def test_the_lists_filters_apply_to_every_format(client, meetings, query, expected):
    assert [row["slug"] for row in read_csv(client.get(f"/en/summits.csv?{query}"))] == expected
    document = client.get(f"/en/summits.json?{query}").json()
    assert [summit["slug"] for summit in document["summits"]] == expected
    assert event_slugs(read_calendar(client.get(f"/en/summits.ics?{query}"))) == expected


def test_a_filter_that_cannot_be_used_is_a_bad_request(client, meetings):
    response = client.get("/en/summits.csv?framework=atlantis&level=%3Cscript%3Ealert(1)")

    assert response.status_code == 400
    assert response.content.decode() == "These filters could not be used: framework, level."
    assert "private" in response["Cache-Control"]


def test_per_framework_and_per_country_lists(client, meetings):
    japan = read_csv(client.get("/en/frameworks/central-asia-japan/summits.csv"))
    kazakhstan = read_csv(client.get("/en/countries/kazakhstan/summits.csv"))
    japanese = read_csv(client.get("/en/countries/japan/summits.csv"))

    assert [row["slug"] for row in japan] == ["tokyo-2024"]
    # Attended (New York) or hosted (Astana), each once.
    assert [row["slug"] for row in kazakhstan] == ["new-york-2023", "astana-next"]
    assert [row["slug"] for row in japanese] == ["tokyo-2024"]
    # A country's list takes the list's filters too.
    filtered = read_csv(client.get("/en/countries/kazakhstan/summits.csv?year=2023"))
    assert [row["slug"] for row in filtered] == ["new-york-2023"]
    for url in ["/en/frameworks/atlantis/summits.ics", "/en/countries/atlantis/summits.json"]:
        assert client.get(url).status_code == 404


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize("fmt", ["csv", "json", "ics"])
def test_a_downloads_queries_do_not_grow_with_the_record(client, meetings, fmt):
    urls = [f"/en/summits.{fmt}", f"/en/countries/kazakhstan/summits.{fmt}?year=2023"]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as done:
                assert client.get(url).status_code == 200
            counts.append(len(done))
        return counts

    queries()  # the first request of a generation reads when it ends
    few = queries()
    for _index in range(20):
        summit = SummitFactory(framework=meetings.c5, host_country=meetings.kz)
        ParticipantFactory(summit=summit, country=meetings.kz)
        ParticipantFactory(summit=summit, country=CountryFactory(), order=1)
    # The summits with their framework and host, their participants with their
    # countries, and the country of the address.
    assert queries() == few == [2, 3]


# The calendar


def test_the_calendar_has_all_day_events_with_their_status(client, meetings):
    response = client.get("/en/frameworks/c5-plus-1/summits.ics")
    calendar = read_calendar(response)
    events = {str(event["url"]): event for event in calendar.walk("VEVENT")}
    host = urlsplit(settings.SITE_URL).hostname

    # The undated meeting has no day to be put on.
    assert set(events) == {
        on_site("/en/summits/new-york-2023/"),
        on_site("/en/summits/astana-next/"),
    }
    astana = events[on_site("/en/summits/astana-next/")]
    assert str(astana["uid"]) == f"summit-{meetings.astana.pk}@{host}"
    assert astana["dtstart"].dt == TODAY() + 30 * DAY
    # All day, and DTEND the day after the last.
    assert astana["dtend"].dt == TODAY() + 32 * DAY
    assert type(astana["dtstart"].dt) is datetime.date
    assert "DTSTART;VALUE=DATE:" in response.content.decode()
    assert str(astana["summary"]) == "C5+1 summit in Astana"
    assert str(astana["location"]) == "Astana, Kazakhstan"
    assert str(astana["status"]) == "TENTATIVE"
    assert str(astana["description"]).startswith("C5+1 · Heads of state")
    assert astana["dtstamp"].dt.utcoffset() == datetime.timedelta(0)
    new_york = events[on_site("/en/summits/new-york-2023/")]
    assert str(new_york["status"]) == "CONFIRMED"
    assert new_york["dtend"].dt == datetime.date(2023, 9, 20)
    assert str(calendar["x-wr-calname"]) == f"C5+1 summits · {settings.SITE_NAME}"
    assert str(calendar["x-wr-caldesc"]) == (
        f"C5+1 summits, from {settings.SITE_NAME}. Licence: CC BY 4.0, {settings.SITE_NAME} "
        "(https://creativecommons.org/licenses/by/4.0/)."
    )
    cancelled = read_calendar(client.get("/en/summits.ics?year=2024")).walk("VEVENT")[0]
    assert str(cancelled["status"]) == "CANCELLED"


def test_a_subscribed_calendar_sees_what_the_desk_adds_and_changes(client, meetings, commit):
    url = "/en/frameworks/c5-plus-1/summits.ics"
    first = read_calendar(client.get(url))
    uids = {str(event["url"]): str(event["uid"]) for event in first.walk("VEVENT")}
    # The calendar is kept as pages are: until a change commits (a test's
    # transaction never does by itself).
    SummitFactory(framework=meetings.c5, slug="not-committed", start_date=TODAY() + 60 * DAY)
    assert event_slugs(read_calendar(client.get(url))) == event_slugs(first)

    with commit():
        added = SummitFactory(
            framework=meetings.c5,
            title="C5+1 summit in Bishkek",
            slug="bishkek-next",
            status=Summit.Status.PLANNED,
            start_date=TODAY() + 90 * DAY,
            city="Bishkek",
            host_country=meetings.kg,
        )
    with commit():
        meetings.astana.title = "C5+1 summit in Astana, moved"
        meetings.astana.slug = "astana-moved"
        meetings.astana.start_date = TODAY() + 40 * DAY
        meetings.astana.end_date = None
        meetings.astana.save()
    again = read_calendar(client.get(url))
    events = {str(event["uid"]): event for event in again.walk("VEVENT")}

    assert f"summit-{added.pk}@{urlsplit(settings.SITE_URL).hostname}" in events
    # The same event, moved: its UID does not change with its title, address or dates.
    astana = events[uids[on_site("/en/summits/astana-next/")]]
    assert str(astana["summary"]) == "C5+1 summit in Astana, moved"
    assert astana["dtstart"].dt == TODAY() + 40 * DAY
    assert astana["dtend"].dt == TODAY() + 41 * DAY
    assert events[uids[on_site("/en/summits/new-york-2023/")]]["summary"] == (
        "C5+1 summit in New York"
    )


# The links on the pages


def test_the_summit_list_links_its_downloads_with_its_filters(client, meetings):
    text = client.get("/en/summits/?framework=c5-plus-1&page=1&utm_source=x").text

    assert 'href="/en/summits.csv?framework=c5-plus-1"' in text
    assert 'href="/en/summits.json?framework=c5-plus-1"' in text
    assert 'href="/en/summits.ics?framework=c5-plus-1"' in text
    assert 'href="webcal://testserver/en/summits.ics?framework=c5-plus-1"' in text
    assert 'type="text/calendar"' in text
    assert "Download:" in text


@pytest.mark.parametrize(
    ("page", "calendar"),
    [
        ("/en/frameworks/c5-plus-1/", "/en/frameworks/c5-plus-1/summits.ics"),
        ("/ko/countries/kazakhstan/", "/ko/countries/kazakhstan/summits.ics"),
    ],
)
def test_framework_and_country_pages_offer_their_calendar(client, meetings, page, calendar):
    text = client.get(page).text

    assert '<link rel="alternate" type="text/calendar"' in text
    assert f'href="{calendar}"' in text
    assert f'href="webcal://testserver{calendar}"' in text
    assert f'href="{calendar[:-4]}.csv"' in text and f'href="{calendar[:-4]}.json"' in text


def test_the_licence_follows_the_settings(client, meetings, settings):
    settings.DATA_LICENCE = "All rights reserved"
    settings.DATA_LICENCE_URL = ""

    response = client.get("/en/summits.json")

    assert response.json()["licence"] == "All rights reserved"
    assert "Link" not in response


# The summit page's structured data


def json_ld(response) -> dict:
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    ).group(1)
    return json.loads(found)


def test_summit_page_describes_the_meeting_as_an_event(client, meetings):
    response = client.get("/en/summits/new-york-2023/")
    data = json_ld(response)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "C5+1 summit in New York"
    assert data["url"] == "http://testserver/en/summits/new-york-2023/"
    assert (data["startDate"], data["endDate"]) == ("2023-09-19", "2023-09-19")
    assert data["location"] == {
        "@type": "Place",
        "name": "New York",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "New York",
            "addressCountry": "US",
        },
    }
    assert data["organizer"]["name"] == "C5+1 (Central Asia – United States)"
    assert data["organizer"]["url"] == "http://testserver/en/frameworks/c5-plus-1/"
    assert [attendee["name"] for attendee in data["attendee"]] == [
        "Kazakhstan",
        "Kyrgyzstan",
        "Tajikistan",
        "Turkmenistan",
        "Uzbekistan",
        "United States",
    ]
    assert data["attendee"][0] == {
        "@type": "Country",
        "name": "Kazakhstan",
        "url": "http://testserver/en/countries/kazakhstan/",
    }
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["description"]
    assert response.text.count("<h1") == 1


@pytest.mark.parametrize(
    ("status", "event_status"),
    [
        (Summit.Status.HELD, "EventScheduled"),
        (Summit.Status.PLANNED, "EventScheduled"),
        (Summit.Status.POSTPONED, "EventPostponed"),
        (Summit.Status.CANCELLED, "EventCancelled"),
    ],
)
def test_the_events_status_is_the_records(client, meetings, status, event_status):
    Summit.objects.filter(pk=meetings.astana.pk).update(status=status)

    data = json_ld(client.get("/en/summits/astana-next/"))

    assert data["eventStatus"] == f"https://schema.org/{event_status}"


def test_an_online_meeting_is_an_online_event(client, meetings):
    data = json_ld(client.get("/en/summits/c5-ministers-next/"))

    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"
    assert "startDate" not in data


def test_structured_data_cannot_break_out_of_its_script(client, meetings):
    Summit.objects.filter(pk=meetings.astana.pk).update(
        title="</script><script>alert(1)</script>", outcomes="<b>&</b>"
    )

    response = client.get("/en/summits/astana-next/")

    assert "</script><script>alert(1)" not in response.text
    assert json_ld(response)["name"] == "</script><script>alert(1)</script>"
    assert json_ld(response)["description"] == "<b>&</b>"


# A meeting past its dates that still says "planned"


def test_a_planned_meeting_past_its_dates_is_not_upcoming(client, meetings):
    SummitFactory(
        framework=meetings.c5,
        title="Dushanbe meeting, outcome unknown",
        slug="dushanbe-last-week",
        status=Summit.Status.PLANNED,
        start_date=TODAY() - 7 * DAY,
        city="Dushanbe",
        host_country=meetings.tj,
    )
    SummitFactory(
        framework=meetings.japan,
        title="Ashgabat meeting under way",
        slug="ashgabat-now",
        status=Summit.Status.PLANNED,
        start_date=TODAY() - DAY,
        end_date=TODAY() + DAY,
        city="Ashgabat",
        host_country=meetings.tm,
    )

    home = client.get("/en/")
    upcoming = home.text.split('id="upcoming-title"', 1)[1].split('id="recent-title"', 1)[0]
    assert "Ashgabat meeting under way" in upcoming
    assert "C5+1 summit in Astana" in upcoming
    assert "Dushanbe meeting, outcome unknown" not in home.text

    summits = client.get("/en/summits/")
    upcoming, past = summits.text.split('id="past-title"', 1)
    assert "Dushanbe" not in upcoming and "Ashgabat meeting under way" in upcoming
    row = past.split("Dushanbe meeting, outcome unknown", 1)[1].split("</li>", 1)[0]
    assert "Outcome not yet recorded" in row and "Planned" not in row

    page = client.get("/en/summits/dushanbe-last-week/").text
    assert "<dt>Status</dt><dd>Outcome not yet recorded</dd>" in page
    timeline = client.get("/en/frameworks/c5-plus-1/").text.split('id="timeline-title"', 1)[1]
    item = timeline.split("Dushanbe meeting, outcome unknown", 1)[1].split("</li>", 1)[0]
    assert "Outcome not yet recorded" in item
