"""The record as data: CSV rows, JSON objects, calendar events and schema.org Events, as built."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import icalendar
import pytest

from summits import exports
from summits.models import Summit

from .factories import BlocFactory, CountryFactory, ParticipantFactory, SummitFactory, central_asia

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def page_of(record) -> str:
    """What the publisher would pass: here, a made-up address per record."""
    return f"https://example.org/{type(record).__name__.lower()}/{record.slug}/"


@pytest.fixture
def record():
    """central_asia()'s New York summit (held), and a planned two-day Astana summit."""
    world = central_asia()
    world.astana = SummitFactory(
        framework=world.c5,
        title="C5+1 summit in Astana",
        slug="astana-2040",
        status=Summit.Status.PLANNED,
        start_date=datetime.date(2040, 5, 5),
        end_date=datetime.date(2040, 5, 6),
        city="Astana",
        host_country=world.kz,
        edition=2,
        outcomes="A declaration on transport.\n\nAnd more besides.",
        sources="https://example.org/one\nhttps://example.org/two",
    )
    ParticipantFactory(summit=world.astana, country=world.kz, representative_name="K. Tokayev")
    ParticipantFactory(summit=world.astana, country=world.us, order=1)
    return world


def exported():
    return exports.for_export(Summit.objects.all())


def test_csv_has_the_documented_columns_and_a_row_per_summit(record):
    text = exports.csv_text(exported(), url_of=page_of)
    rows = list(csv.reader(io.StringIO(text)))

    assert tuple(rows[0]) == exports.CSV_COLUMNS
    by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_slug) == ["new-york-2023", "astana-2040"]  # oldest first
    assert by_slug["astana-2040"] == {
        "slug": "astana-2040",
        "title": "C5+1 summit in Astana",
        "framework": "C5+1",
        "framework_slug": "c5-plus-1",
        "level": "heads_of_state",
        "status": "planned",
        "start_date": "2040-05-05",
        "end_date": "2040-05-06",
        "approximate_month": "",
        "city": "Astana",
        "host_country": "Kazakhstan",
        "host_country_code": "KZ",
        "participants": "KZ;US",
        "edition": "2",
        "outcomes": "A declaration on transport.\n\nAnd more besides.",
        "sources": "https://example.org/one https://example.org/two",
        "url": "https://example.org/summit/astana-2040/",
        "updated_at": record.astana.updated_at.isoformat(),
    }
    # A one-day meeting ends the day it starts.
    assert by_slug["new-york-2023"]["end_date"] == "2023-09-19"


def test_the_readme_documents_the_columns_in_order():
    text = README.read_text()
    section = text.split("### Open data", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.M)

    assert tuple(documented) == exports.CSV_COLUMNS


def test_json_holds_lists_and_the_licence(record):
    document = exports.json_document(
        exported(),
        url_of=page_of,
        title="Summits",
        licence="CC BY 4.0, Test Journal",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )

    assert document["licence"] == "CC BY 4.0, Test Journal"
    assert document["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    astana = document["summits"][1]
    assert list(astana) == list(exports.CSV_COLUMNS)
    assert astana["participants"] == [
        {
            "code": "KZ",
            "name": "Kazakhstan",
            "representative_name": "K. Tokayev",
            "representative_title": "",
        },
        {
            "code": "US",
            "name": "United States",
            "representative_name": "",
            "representative_title": "",
        },
    ]
    assert astana["sources"] == ["https://example.org/one", "https://example.org/two"]
    assert astana["edition"] == 2
    # Unknown values are null, not empty strings.
    undated = SummitFactory(start_date=None, approximate_month=datetime.date(2026, 11, 1))
    month = exports.summit_record(undated, url="u")
    assert (month["start_date"], month["end_date"], month["approximate_month"]) == (
        None,
        None,
        "2026-11",
    )
    json.dumps(document)  # nothing a JSON encoder cannot write


def read_calendar(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_calendar_has_all_day_events_with_exclusive_ends(record):
    SummitFactory(slug="undated", status=Summit.Status.PLANNED, start_date=None)
    data = exports.calendar(
        exported(),
        url_of=page_of,
        uid_domain="news.example.org",
        name="Summits · Test Journal",
        description="Summits, from Test Journal. Licence: CC BY 4.0.",
        product="Test Journal",
    )
    events = read_calendar(data)

    # A meeting without a day to start on is left out.
    assert set(events) == {
        f"summit-{record.summit.pk}@news.example.org",
        f"summit-{record.astana.pk}@news.example.org",
    }
    astana = events[f"summit-{record.astana.pk}@news.example.org"]
    assert astana["dtstart"].dt == datetime.date(2040, 5, 5)
    assert astana["dtend"].dt == datetime.date(2040, 5, 7)  # the day after the last
    assert not isinstance(astana["dtstart"].dt, datetime.datetime)
    assert b"DTSTART;VALUE=DATE:20400505" in data
    assert str(astana["summary"]) == "C5+1 summit in Astana"
    assert str(astana["location"]) == "Astana, Kazakhstan"
    assert str(astana["url"]) == "https://example.org/summit/astana-2040/"
    assert str(astana["status"]) == "TENTATIVE"
    assert str(astana["description"]).startswith("C5+1 · Heads of state\n\nPlanned\n\n")
    assert "A declaration on transport." in str(astana["description"])
    assert astana["last-modified"].dt == record.astana.updated_at.replace(microsecond=0)
    new_york = events[f"summit-{record.summit.pk}@news.example.org"]
    assert new_york["dtend"].dt == datetime.date(2023, 9, 20)
    assert str(new_york["status"]) == "CONFIRMED"
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]) == "Summits · Test Journal"
    assert "CC BY 4.0" in str(calendar["x-wr-caldesc"])


@pytest.mark.parametrize(
    ("status", "calendar_status", "event_status"),
    [
        (Summit.Status.HELD, "CONFIRMED", "https://schema.org/EventScheduled"),
        (Summit.Status.PLANNED, "TENTATIVE", "https://schema.org/EventScheduled"),
        (Summit.Status.POSTPONED, "TENTATIVE", "https://schema.org/EventPostponed"),
        (Summit.Status.CANCELLED, "CANCELLED", "https://schema.org/EventCancelled"),
    ],
)
def test_each_status_in_calendars_and_structured_data(status, calendar_status, event_status):
    summit = SummitFactory(status=status)

    event = exports.calendar_event(summit, url="u", uid_domain="d")
    data = exports.event_json_ld(
        summit, url="u", framework_url="f", country_url=page_of, participations=[]
    )

    assert str(event["status"]) == calendar_status
    assert data["eventStatus"] == event_status


def test_event_json_ld(record):
    bloc = BlocFactory(code="EU", name="European Union")
    ParticipantFactory(summit=record.astana, country=bloc, order=2)

    data = exports.event_json_ld(
        record.astana,
        url="https://example.org/summit/astana-2040/",
        framework_url="https://example.org/framework/c5-plus-1/",
        country_url=page_of,
        participations=record.astana.participations.select_related("country"),
    )

    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "C5+1 summit in Astana",
        "url": "https://example.org/summit/astana-2040/",
        "eventStatus": "https://schema.org/EventScheduled",
        "organizer": {
            "@type": "Organization",
            "name": "C5+1 (Central Asia – United States)",
            "alternateName": "C5+1",
            "url": "https://example.org/framework/c5-plus-1/",
        },
        "startDate": "2040-05-05",
        "endDate": "2040-05-06",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": "Astana",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Astana",
                "addressCountry": "KZ",
            },
        },
        "attendee": [
            {
                "@type": "Country",
                "name": "Kazakhstan",
                "url": "https://example.org/country/kazakhstan/",
            },
            {
                "@type": "Country",
                "name": "United States",
                "url": "https://example.org/country/united-states/",
            },
            {
                "@type": "Organization",
                "name": "European Union",
                "url": f"https://example.org/country/{bloc.slug}/",
            },
        ],
        "description": "A declaration on transport.",
    }


def test_an_online_meeting_known_by_its_month():
    host = CountryFactory(code="UZ")
    summit = SummitFactory(
        city="",
        host_country=host,
        start_date=None,
        approximate_month=datetime.date(2026, 11, 1),
        level=Summit.Level.FOREIGN_MINISTERS,
    )

    data = exports.event_json_ld(
        summit, url="u", framework_url="f", country_url=page_of, participations=[]
    )

    assert data["startDate"] == "2026-11"
    assert "endDate" not in data and "attendee" not in data
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "name": "Online (chaired by Uzbekistan)",
    }
    assert data["description"] == (
        f"{summit.framework.short_name} · Foreign ministers · Online (chaired by Uzbekistan)"
    )


def test_short_outcome_keeps_the_first_paragraph_and_cuts_at_a_word():
    long = "word " * 100
    assert exports.short_outcome(Summit(outcomes="First.\n\nSecond.")) == "First."
    cut = exports.short_outcome(Summit(outcomes=long))
    assert cut.endswith("word…") and len(cut) <= exports.SHORT_OUTCOME + 1
    assert exports.short_outcome(Summit(outcomes="")) == ""
