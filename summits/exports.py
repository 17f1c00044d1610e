"""The record as data: summits as CSV rows, JSON objects, iCalendar events and schema.org Events.

The builders take the addresses they print as arguments (a callable giving a
record's page): the record's pages belong to whoever publishes it, and this
app never names them. Names come in the active language (the translated
columns); codes (level, status, country codes) are the same in every language.
The column order is part of the format: the README documents it, and a
column is only ever added at the end.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable

import icalendar
from django.db.models import F, Prefetch, QuerySet

from summits.models import Participant, Summit

CSV_COLUMNS = (
    "slug",
    "title",
    "framework",
    "framework_slug",
    "level",
    "status",
    "start_date",
    "end_date",
    "approximate_month",
    "city",
    "host_country",
    "host_country_code",
    "participants",
    "edition",
    "outcomes",
    "sources",
    "url",
    "updated_at",
)
# A calendar app asks again after this long (RFC 7986 REFRESH-INTERVAL, and the
# older X-PUBLISHED-TTL that Outlook and Apple Calendar read).
CALENDAR_REFRESH = datetime.timedelta(hours=12)
SHORT_OUTCOME = 300

UrlOf = Callable[[object], str]


def for_export(summits: QuerySet) -> QuerySet:
    """The summits with what every format reads, oldest first and undated last.

    One query for the summits with their framework and host, one for every
    participant with its country.
    """
    return (
        summits.select_related("framework", "host_country")
        .prefetch_related(
            Prefetch("participations", queryset=Participant.objects.select_related("country"))
        )
        .order_by(F("sort_date").asc(nulls_last=True), "title", "pk")
    )


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def summit_record(summit: Summit, *, url: str) -> dict:
    """One summit as a JSON object: the CSV's columns, participants and sources as lists."""
    host = summit.host_country
    return {
        "slug": summit.slug,
        "title": summit.title,
        "framework": summit.framework.short_name,
        "framework_slug": summit.framework.slug,
        "level": summit.level,
        "status": summit.status,
        "start_date": _date(summit.start_date) or None,
        # The last day, also for a one-day meeting (whose record leaves it empty).
        "end_date": _date(summit.end_date or summit.start_date) or None,
        "approximate_month": (
            summit.approximate_month.strftime("%Y-%m") if summit.approximate_month else None
        ),
        "city": summit.city,
        "host_country": host.name if host else "",
        "host_country_code": host.code if host else "",
        "participants": [
            {
                "code": participation.country.code,
                "name": participation.country.name,
                "representative_name": participation.representative_name,
                "representative_title": participation.representative_title,
            }
            for participation in summit.participations.all()
        ],
        "edition": summit.edition,
        "outcomes": summit.outcomes,
        "sources": summit.source_urls,
        "url": url,
        "updated_at": summit.updated_at.isoformat(),
    }


def csv_text(summits: Iterable[Summit], *, url_of: UrlOf) -> str:
    """The summits as CSV: a header of `CSV_COLUMNS`, then a row per summit.

    Lists are flattened: participants as their codes separated by ";",
    sources separated by spaces; an empty value is an empty cell.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for summit in summits:
        record = summit_record(summit, url=url_of(summit))
        record["participants"] = ";".join(item["code"] for item in record["participants"])
        record["sources"] = " ".join(record["sources"])
        writer.writerow(
            ["" if record[column] is None else record[column] for column in CSV_COLUMNS]
        )
    return out.getvalue()


def json_document(
    summits: Iterable[Summit], *, url_of: UrlOf, title: str, licence: str, licence_url: str
) -> dict:
    """The summits as one JSON document: its title, its licence, and the summits."""
    return {
        "title": title,
        "licence": licence,
        "licence_url": licence_url,
        "summits": [summit_record(summit, url=url_of(summit)) for summit in summits],
    }


def short_outcome(summit: Summit) -> str:
    """The outcome's first paragraph, cut at a word near SHORT_OUTCOME characters."""
    first = summit.outcomes.strip().split("\n\n")[0].strip()
    if len(first) <= SHORT_OUTCOME:
        return first
    return first[:SHORT_OUTCOME].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# A meeting's status, as a calendar says it: a postponed meeting's old dates
# stand until new ones are set, so it is tentative like a planned one.
CALENDAR_STATUS = {
    Summit.Status.HELD: "CONFIRMED",
    Summit.Status.PLANNED: "TENTATIVE",
    Summit.Status.POSTPONED: "TENTATIVE",
    Summit.Status.CANCELLED: "CANCELLED",
}


def calendar_event(summit: Summit, *, url: str, uid_domain: str) -> icalendar.Event:
    """One summit with a start date as an all-day VEVENT: DTEND is the day after the last."""
    event = icalendar.Event()
    # The primary key never changes: a calendar that subscribed updates the
    # same event when the desk corrects a title, a slug or the dates.
    event.add("uid", f"summit-{summit.pk}@{uid_domain}")
    # Without a METHOD, DTSTAMP is when the event last changed (RFC 5545), in UTC.
    changed = summit.updated_at.astimezone(datetime.UTC)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("dtstart", summit.start_date)
    event.add("dtend", (summit.end_date or summit.start_date) + datetime.timedelta(days=1))
    event.add("summary", summit.title)
    event.add("location", str(summit.location_display))
    event.add("url", url)
    event.add("status", CALENDAR_STATUS[summit.status])
    lines = [f"{summit.framework.short_name} · {summit.get_level_display()}"]
    if summit.is_overdue:
        lines.append(summit.status_display)
    elif summit.status != Summit.Status.HELD:
        lines.append(summit.get_status_display())
    if outcome := short_outcome(summit):
        lines.append(outcome)
    lines.append(url)
    event.add("description", "\n\n".join(lines))
    return event


def calendar(
    summits: Iterable[Summit],
    *,
    url_of: UrlOf,
    uid_domain: str,
    name: str,
    description: str,
    product: str,
) -> bytes:
    """The summits with known dates as an iCalendar file, one all-day event each.

    A meeting known only by its month, or not yet dated, is left out: a
    calendar event needs a day to start on. It joins the calendar once the
    desk gives its dates.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{product}//Summits//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", CALENDAR_REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", CALENDAR_REFRESH)
    for summit in summits:
        if summit.start_date:
            cal.add_component(calendar_event(summit, url=url_of(summit), uid_domain=uid_domain))
    return cal.to_ical()


# schema.org's event statuses; a meeting held went ahead as scheduled.
EVENT_STATUS = {
    Summit.Status.HELD: "https://schema.org/EventScheduled",
    Summit.Status.PLANNED: "https://schema.org/EventScheduled",
    Summit.Status.POSTPONED: "https://schema.org/EventPostponed",
    Summit.Status.CANCELLED: "https://schema.org/EventCancelled",
}


def _party(country, url: str) -> dict:
    """A participating state (a schema.org Country) or bloc (an Organization)."""
    return {
        "@type": "Organization" if country.is_bloc else "Country",
        "name": country.name,
        "url": url,
    }


def event_json_ld(
    summit: Summit,
    *,
    url: str,
    framework_url: str,
    country_url: UrlOf,
    participations: Iterable[Participant],
) -> dict:
    """The summit as a schema.org Event, for search engines (the page embeds it as JSON-LD)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": summit.title,
        "url": url,
        "eventStatus": EVENT_STATUS[summit.status],
        "organizer": {
            "@type": "Organization",
            "name": summit.framework.name,
            "alternateName": summit.framework.short_name,
            "url": framework_url,
        },
    }
    if summit.start_date:
        data["startDate"] = summit.start_date.isoformat()
        data["endDate"] = (summit.end_date or summit.start_date).isoformat()
    elif summit.approximate_month:
        # ISO 8601 with the month alone: as much as is known.
        data["startDate"] = summit.approximate_month.strftime("%Y-%m")
    host = summit.host_country
    if summit.city:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        address = {"@type": "PostalAddress", "addressLocality": summit.city}
        if host:
            # ISO 3166-1 alpha-2 for a state; a bloc has no such code.
            address["addressCountry"] = host.name if host.is_bloc else host.code
        data["location"] = {"@type": "Place", "name": summit.city, "address": address}
    else:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "name": str(summit.location_display)}
    attendees = [
        _party(participation.country, country_url(participation.country))
        for participation in participations
    ]
    if attendees:
        data["attendee"] = attendees
    data["description"] = short_outcome(summit) or " · ".join(
        [summit.framework.short_name, summit.get_level_display(), str(summit.location_display)]
    )
    return data
