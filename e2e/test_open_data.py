"""A reader takes the C5+1's meetings away: the CSV from the framework page, downloaded
with the keyboard, and the calendar a calendar app subscribes to through its webcal link."""

import csv
import datetime
import io
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from summits.models import Country, Framework, Summit
from summits.tests.factories import SummitFactory

from .browser import link_to, tab_to

SITE = "https://journal.example.org"
# The header row, as the README's "Open data" documents it.
COLUMNS = [
    "slug", "title", "framework", "framework_slug", "level", "status", "start_date",
    "end_date", "approximate_month", "city", "host_country", "host_country_code",
    "participants", "edition", "outcomes", "sources", "url", "updated_at",
]  # fmt: skip


@pytest.fixture
def c5_meetings(reference_data, settings):
    """The C5+1 as the reference data records it, and a next summit known only by its month."""
    settings.SITE_URL = SITE
    c5 = Framework.objects.get(slug="c5-plus-1")
    next_year = timezone.localdate().year + 1
    SummitFactory(
        framework=c5,
        title="C5+1 leaders' summit in Astana",
        slug="c5-plus-1-next-astana",
        status=Summit.Status.PLANNED,
        start_date=None,
        approximate_month=datetime.date(next_year, 9, 1),
        city="Astana",
        host_country=Country.objects.get(slug="kazakhstan"),
    )
    # Oldest first, as the data lists them; the undated one dates from its month.
    return c5, sorted(c5.summits.all(), key=lambda summit: summit.sort_date)


def test_a_reader_downloads_the_c5_meetings_and_subscribes_to_their_calendar(
    c5_meetings, open_page
):
    c5, summits = c5_meetings
    dated = [summit for summit in summits if summit.start_date]
    assert len(summits) == 6
    assert len(dated) == 5
    page = open_page()
    page.goto(c5.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("C5+1")

    # The CSV, reached with Tab and downloaded with Enter.
    tab_to(page, link_to("CSV"))
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    download = downloading.value
    assert download.failure() is None
    assert download.suggested_filename == "summits-c5-plus-1-en.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    header, *rows = csv.reader(io.StringIO(text))
    assert header == COLUMNS
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    assert [row["slug"] for row in rows] == [summit.slug for summit in summits]
    for row, summit in zip(rows, summits, strict=True):
        assert row["title"] == summit.title
        assert row["framework"] == "C5+1"
        assert row["framework_slug"] == "c5-plus-1"
        assert row["status"] == summit.status
        assert row["start_date"] == (summit.start_date.isoformat() if summit.start_date else "")
        assert row["url"] == SITE + summit.get_absolute_url()
    assert rows[-1]["approximate_month"] == summits[-1].approximate_month.strftime("%Y-%m")
    assert rows[-1]["start_date"] == rows[-1]["end_date"] == ""

    # The calendar: the webcal link beside it names the same file, for calendar apps.
    calendar_link = page.get_by_role("link", name="Calendar", exact=True)
    webcal = page.get_by_role("link", name="subscribe in a calendar app").get_attribute("href")
    subscribed = urlsplit(webcal)
    assert subscribed.scheme == "webcal"
    assert subscribed.netloc == urlsplit(page.url).netloc
    assert subscribed.path == calendar_link.get_attribute("href")
    # What a calendar app fetches: the same address over the web (the live server's scheme).
    response = page.request.get(subscribed._replace(scheme=urlsplit(page.url).scheme).geturl())
    assert response.ok
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.body())
    events = calendar.walk("VEVENT")
    # One event per dated meeting; the one known only by its month waits for its dates.
    assert [str(event["UID"]) for event in events] == [
        f"summit-{summit.pk}@journal.example.org" for summit in dated
    ]
    for event, summit in zip(events, dated, strict=True):
        assert str(event["SUMMARY"]) == summit.title
        assert str(event["URL"]) == SITE + summit.get_absolute_url()
        assert event.decoded("DTSTART") == summit.start_date
    assert open_page.problems(page) == []
