"""The editorial calendar: months and weeks in the journal's time, filters, who sees what,
and rescheduling an article from it through the workflow."""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from reversion.models import Version

from journal.models import Article, ArticleEvent
from journal.tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from summits.models import Summit
from summits.tests.factories import CountryFactory, FrameworkFactory, SummitFactory

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:editorial_calendar")
ALMATY = zoneinfo.ZoneInfo(settings.TIME_ZONE)
# Scheduled articles must be in the future whenever the tests run.
NEXT_YEAR = timezone.localdate().year + 1


def local(year, month, day, hour=9, minute=0) -> datetime.datetime:
    """A time on the journal's clock (Asia/Almaty unless DJANGO_TIME_ZONE says otherwise)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def scheduled(at, **kwargs) -> Article:
    """An article ready to publish, scheduled for `at`."""
    kwargs.setdefault("countries", [CountryFactory()])
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        publish_at=at,
        authors=[ContributorFactory()],
        **kwargs,
    )


def cell(page, day: datetime.date) -> str:
    """The HTML of the calendar's cell for `day` (empty when the page has none)."""
    found = re.search(rf'<td [^>]*data-date="{day:%Y-%m-%d}".*?</td>', page.text, re.DOTALL)
    return found.group(0) if found else ""


def entry(page, article) -> str:
    """The HTML of the article's entry on the calendar."""
    found = re.search(rf'<li [^>]*id="calendar-article-{article.pk}".*?</li>', page.text, re.DOTALL)
    return found.group(0) if found else ""


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Months and weeks


def test_a_month_holds_what_goes_out_on_its_days_by_the_journals_clock(client, editor):
    client.force_login(editor)
    # 23:30 in Almaty on 31 March is still 31 March, though it is 18:30 UTC;
    # half past midnight on 1 April is 31 March in UTC, but April here.
    last_evening = scheduled(local(NEXT_YEAR, 3, 31, 23, 30), title="Late on the last day")
    first_night = scheduled(local(NEXT_YEAR, 4, 1, 0, 30), title="Early on the first day")

    march = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-03"})
    assert march.status_code == 200
    assert "Late on the last day" in cell(march, datetime.date(NEXT_YEAR, 3, 31))
    assert "Early on the first day" not in march.text
    late = local(NEXT_YEAR, 3, 31, 23, 30)
    shown = f'<time datetime="{late.isoformat()}">{time_format(late, "TIME_FORMAT")}</time>'
    assert shown in entry(march, last_evening)

    april = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-04"})
    assert "Early on the first day" in cell(april, datetime.date(NEXT_YEAR, 4, 1))
    assert "Late on the last day" not in april.text
    assert entry(april, first_night)
    # April's first row starts in March: those days are shown empty.
    assert not cell(april, datetime.date(NEXT_YEAR, 3, 31))


def test_a_week_runs_from_monday_to_sunday_across_a_month_boundary(client, editor):
    client.force_login(editor)
    # Week 5 of 2025: Monday 27 January to Sunday 2 February.
    published = PublishedArticleFactory(publish_at=local(2025, 1, 31, 23, 30), title="Friday late")
    sunday = PublishedArticleFactory(publish_at=local(2025, 2, 2, 23, 59), title="Sunday night")
    monday = PublishedArticleFactory(publish_at=local(2025, 2, 3, 0, 30), title="Monday early")
    page = client.get(CALENDAR, {"week": "2025-W05"})
    assert page.status_code == 200
    headers = re.findall(r'<th scope="col">(\w+)</th>', page.text)
    assert headers == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    assert "Week 5: 27 January 2025 – 2 February 2025" in page.text
    assert entry(page, published) and entry(page, sunday)
    assert "Sunday night" in cell(page, datetime.date(2025, 2, 2))
    assert not entry(page, monday)
    assert entry(client.get(CALENDAR, {"week": "2025-W06"}), monday)


def test_this_month_by_default_with_links_to_move_around(client, editor):
    client.force_login(editor)
    CountryFactory(code="KZ")
    today = timezone.localdate()
    page = client.get(CALENDAR)
    assert cell(page, today)
    assert 'aria-current="date"' in cell(page, today)
    # Another month, with a filter kept in every link.
    page = client.get(CALENDAR, {"month": "2025-12", "country": "kazakhstan"})
    assert 'href="?country=kazakhstan&amp;month=2025-11" rel="prev"' in page.text
    assert 'href="?country=kazakhstan&amp;month=2026-01" rel="next"' in page.text
    assert f'href="?country=kazakhstan&amp;month={today:%Y-%m}">Today' in page.text
    # To the week view: the month's first week mostly in December (1 to 7 December).
    assert 'href="?country=kazakhstan&amp;week=2025-W49">Week' in page.text
    week = client.get(CALENDAR, {"week": "2025-W01"})
    # 30 December 2024 to 5 January 2025: its month is January, where its Thursday is.
    assert 'href="?week=2024-W52" rel="prev"' in week.text
    assert 'href="?week=2025-W02" rel="next"' in week.text
    assert 'href="?month=2025-01">Month' in week.text
    # The last month the calendar covers has no next one.
    last = client.get(CALENDAR, {"month": "2100-12"})
    assert last.status_code == 200 and 'rel="next"' not in last.text


def test_shows_scheduled_and_published_articles_only_with_their_status_in_words(client, editor):
    client.force_login(editor)
    now = timezone.now()
    live = PublishedArticleFactory(publish_at=now - datetime.timedelta(minutes=1))
    day = timezone.localtime(live.publish_at)
    coming = scheduled(now + datetime.timedelta(days=400))
    for status in (Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED):
        ArticleFactory(status=status, publish_at=now, title=f"Not on the calendar: {status}")
    page = client.get(CALENDAR, {"month": f"{day:%Y-%m}"})
    assert '<span class="calendar-status">Published</span>' in entry(page, live)
    assert "Not on the calendar" not in page.text
    later = timezone.localtime(coming.publish_at)
    page = client.get(CALENDAR, {"month": f"{later:%Y-%m}"})
    assert '<span class="calendar-status">Scheduled</span>' in entry(page, coming)
    # An article about many countries names a few and counts the others.
    coming.countries.set([CountryFactory(name=f"Place {n}") for n in range(7)])
    page = client.get(CALENDAR, {"month": f"{later:%Y-%m}"})
    assert "Place 0, Place 1, Place 2, Place 3 and 3 more" in entry(page, coming)
    assert reverse("admin:journal_article_change", args=[coming.pk]) in entry(page, coming)


def test_summits_on_each_of_their_days_with_their_status(client, editor):
    client.force_login(editor)
    talks = SummitFactory(
        title="Three days of talks",
        status=Summit.Status.PLANNED,
        start_date=datetime.date(NEXT_YEAR, 5, 30),
        end_date=datetime.date(NEXT_YEAR, 6, 1),
    )
    SummitFactory(
        title="Sometime in May",
        status=Summit.Status.POSTPONED,
        start_date=None,
        approximate_month=datetime.date(NEXT_YEAR, 5, 1),
    )
    SummitFactory(title="In April", start_date=datetime.date(NEXT_YEAR, 4, 30))
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-05"})
    for day in (30, 31):
        shown = cell(page, datetime.date(NEXT_YEAR, 5, day))
        assert "Three days of talks" in shown
        assert '<span class="calendar-status">Planned</span>' in shown
        assert reverse("admin:summits_summit_change", args=[talks.pk]) in shown
    assert "In April" not in page.text
    undated = page.text.split("Meetings dated only by their month")[1]
    assert "Sometime in May" in undated and "Postponed" in undated
    june = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-06"})
    assert "Three days of talks" in cell(june, datetime.date(NEXT_YEAR, 6, 1))
    assert "Sometime in May" not in june.text


def test_filters_narrow_articles_and_summits_by_country_and_framework(client, editor, world):
    client.force_login(editor)
    day = datetime.date(NEXT_YEAR, 9, 15)
    at = local(NEXT_YEAR, 9, 15)
    scheduled(at, title="About Kazakhstan", countries=[world.kz], frameworks=[world.c5])
    scheduled(at, title="About Kyrgyzstan", countries=[world.kg])
    SummitFactory(title="Hosted in Astana", start_date=day, host_country=world.kz)
    attended = SummitFactory(
        title="Attended by Kazakhstan", start_date=day, host_country=world.us, framework=world.c5
    )
    attended.participations.create(country=world.kz)
    SummitFactory(title="Nothing to do with it", start_date=day, host_country=world.japan.partner)
    month = {"month": f"{NEXT_YEAR}-09"}

    everything = client.get(CALENDAR, month)
    for title in ("About Kazakhstan", "About Kyrgyzstan", "Hosted in Astana"):
        assert title in everything.text

    page = client.get(CALENDAR, {**month, "country": "kazakhstan"})
    shown = cell(page, day)
    assert "About Kazakhstan" in shown and "Kazakhstan, C5+1" in shown
    assert "Hosted in Astana" in shown and "Attended by Kazakhstan" in shown
    assert "About Kyrgyzstan" not in shown and "Nothing to do with it" not in shown
    assert '<option value="kazakhstan" selected>' in page.text

    page = client.get(CALENDAR, {**month, "framework": "c5-plus-1"})
    shown = cell(page, day)
    assert "About Kazakhstan" in shown and "Attended by Kazakhstan" in shown
    assert "About Kyrgyzstan" not in shown and "Hosted in Astana" not in shown


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"month": "2026-13"}, "Give a month as year and month"),
        ({"month": "0000-01"}, "Give a month as year and month"),
        ({"month": "may"}, "Give a month as year and month"),
        ({"week": "garbage"}, "Give a week as year and week number"),
        ({"week": "2026-W54"}, "Give a week as year and week number"),
        ({"week": "9999-W52"}, "Give a week as year and week number"),
        ({"month": "2026-05", "week": "2026-W19"}, "Choose a month or a week, not both."),
        ({"country": "atlantis"}, "Select a valid choice."),
        ({"framework": "x" * 500}, "Select a valid choice."),
    ],
)
def test_an_address_the_calendar_cannot_show_says_why(client, editor, query, problem):
    client.force_login(editor)
    page = client.get(CALENDAR, query)
    assert page.status_code == 200
    assert problem in page.text
    assert "data-calendar" not in page.text
    assert f'href="{CALENDAR}">Go to this month' in page.text


# Who sees what


def test_open_assignments_fall_due_on_their_day_overdue_ones_marked(client, editor, world):
    client.force_login(editor)
    summit = SummitFactory(title="Talks to cover", framework=world.c5)
    due = AssignmentFactory(title="A piece on the talks", due_at=local(NEXT_YEAR, 3, 5, 23, 30))
    due.summit = summit
    due.save()
    AssignmentFactory(title="A piece already filed", due_at=local(NEXT_YEAR, 3, 6), status="done")
    AssignmentFactory(title="A piece for April", due_at=local(NEXT_YEAR, 4, 1, 0, 30))
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-03"})
    # Due at 23:30 in Almaty on the 5th: on the 5th, whatever the server's clock says.
    day = cell(page, datetime.date(NEXT_YEAR, 3, 5))
    assert "A piece on the talks" in day and "Assignment due" in day
    assert "Talks to cover" in day
    assert reverse("admin:journal_assignment_change", args=[due.pk]) in day
    assert "Overdue" not in day
    assert "A piece already filed" not in page.text
    assert "A piece for April" not in page.text
    late = AssignmentFactory(
        title="A late piece", due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    at = timezone.localtime(late.due_at)
    page = client.get(CALENDAR, {"month": f"{at:%Y-%m}"})
    assert "Overdue" in cell(page, at.date())
    # Filtered by country, an assignment shows through its own tags or its summit's.
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-03", "country": world.uz.slug})
    assert "A piece on the talks" not in page.text
    due.countries.set([world.uz])
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-03", "country": world.uz.slug})
    assert "A piece on the talks" in page.text
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-03", "framework": world.c5.slug})
    assert "A piece on the talks" in page.text


def test_a_writer_sees_only_their_own_assignments_on_the_calendar(client, writer):
    AssignmentFactory(title="Mine to write", assigned_to=writer, due_at=local(NEXT_YEAR, 5, 4))
    AssignmentFactory(title="Someone else's piece", due_at=local(NEXT_YEAR, 5, 4))
    client.force_login(writer)
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-05"})
    assert "Mine to write" in page.text
    assert "Someone else&#x27;s piece" not in page.text and "Someone else's piece" not in page.text


def test_writers_see_the_calendar_without_forms(client, writer):
    coming = scheduled(local(NEXT_YEAR, 2, 10))
    SummitFactory(title="A meeting to plan for", start_date=datetime.date(NEXT_YEAR, 2, 11))
    client.force_login(writer)
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-02"})
    assert page.status_code == 200
    shown = entry(page, coming)
    assert shown and 'method="post"' not in shown
    assert "Only editors can reschedule an article." in shown  # why it cannot be dragged
    assert "Only editors can reschedule articles" in page.text
    assert "A meeting to plan for" in page.text


def test_editors_get_a_form_for_scheduled_articles_only(client, editor):
    client.force_login(editor)
    live = PublishedArticleFactory(publish_at=timezone.now() - datetime.timedelta(minutes=5))
    coming = scheduled(timezone.now() + datetime.timedelta(minutes=5))
    for article in (live, coming):
        when = timezone.localtime(article.publish_at)
        page = client.get(CALENDAR, {"month": f"{when:%Y-%m}"})
        shown = entry(page, article)
        if article is coming:
            # A plain form with a labelled date and time field: no script needed.
            assert 'method="post"' in shown
            assert f'<label for="calendar-at-{article.pk}">New publish time' in shown
            assert (
                f'type="datetime-local" id="calendar-at-{article.pk}" name="at" '
                f'value="{when:%Y-%m-%dT%H:%M}" required'
            ) in shown
            assert "data-refusal" not in shown
        else:
            assert 'method="post"' not in shown
            assert "“Reschedule” is not possible for an article that is “Published”." in shown


def test_the_summit_desk_sees_meetings_but_no_articles(client, make_user):
    scheduled(local(NEXT_YEAR, 7, 1), title="An embargoed piece")
    summit = SummitFactory(title="The desk meeting", start_date=datetime.date(NEXT_YEAR, 7, 2))
    client.force_login(make_user("desk", "Summit desk"))
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-07"})
    assert page.status_code == 200
    assert "The desk meeting" in page.text
    assert reverse("admin:summits_summit_change", args=[summit.pk]) in page.text
    assert "An embargoed piece" not in page.text


def test_meetings_link_to_their_admin_page_only_for_those_who_may_view_them(staff):
    client = staff(perms=["view_article"])
    summit = SummitFactory(title="Unlinked meeting", start_date=datetime.date(NEXT_YEAR, 8, 3))
    page = client.get(CALENDAR, {"month": f"{NEXT_YEAR}-08"})
    assert page.status_code == 200
    assert "Unlinked meeting" in page.text
    assert reverse("admin:summits_summit_change", args=[summit.pk]) not in page.text


def test_staff_without_articles_or_summits_are_refused(staff, client):
    assert staff().get(CALENDAR).status_code == 403
    # Not staff: the admin's login page.
    assert client.get(CALENDAR).status_code == 302


def test_linked_from_the_front_page_and_the_article_list(client, editor, make_user):
    client.force_login(editor)
    link = f'<a href="{CALENDAR}">Editorial calendar</a>'
    assert link in client.get(reverse("admin:index")).text
    assert link in client.get(reverse("admin:journal_article_changelist")).text
    client.force_login(make_user("nobody"))
    assert link not in client.get(reverse("admin:index")).text


# Rescheduling


def reschedule(client, article, at: str, **query):
    """Post the article's calendar form with `at` typed in its date and time field."""
    address = CALENDAR + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(address, {"article": article.pk, "at": at})


def test_an_editor_reschedules_as_the_articles_reschedule_button_does(client, editor):
    client.force_login(editor)
    article = scheduled(local(NEXT_YEAR, 10, 5, 8, 15))
    response = reschedule(client, article, f"{NEXT_YEAR}-10-20T08:15", month=f"{NEXT_YEAR}-10")
    # Back to the same month, which now shows the article on its new day.
    assert response.status_code == 302
    assert response.url == f"{CALENDAR}?month={NEXT_YEAR}-10"
    article.refresh_from_db()
    assert article.publish_at == local(NEXT_YEAR, 10, 20, 8, 15)
    assert article.is_scheduled
    event = article.events.get()
    assert (event.action, event.user, event.publish_at) == (
        ArticleEvent.Action.SCHEDULED,
        editor,
        article.publish_at,
    )
    # The revision and the admin's log, named after the step.
    revision = Version.objects.get_for_object(article).get().revision
    assert revision.user == editor
    assert revision.get_comment() == "Reschedule. Changed Publish time."
    assert LogEntry.objects.get(object_id=str(article.pk)).user == editor
    page = client.get(response.url)
    when = date_format(local(NEXT_YEAR, 10, 20, 8, 15), "DATETIME_FORMAT")
    assert f"is scheduled to go live on {when}." in page.text
    assert entry(page, article) in cell(page, datetime.date(NEXT_YEAR, 10, 20))


def test_a_writer_cannot_reschedule_even_by_posting_the_form(client, writer):
    article = scheduled(local(NEXT_YEAR, 10, 5))
    client.force_login(writer)
    response = reschedule(client, article, f"{NEXT_YEAR}-10-20T09:00")
    assert response.status_code == 302
    assert shown_messages(response) == [
        f"“{article}” was not rescheduled: Only editors can reschedule an article."
    ]
    article.refresh_from_db()
    assert article.publish_at == local(NEXT_YEAR, 10, 5)
    assert not article.events.exists()


@pytest.mark.parametrize(
    ("at", "problem"),
    [
        ("garbage", "Nothing was rescheduled: New publish time: Enter a valid date/time."),
        ("", "Nothing was rescheduled: New publish time: This field is required."),
        (f"{NEXT_YEAR}-02-30T09:00", "Enter a valid date/time."),
        ("99999-01-01T09:00", "Enter a valid date/time."),
        ("2020-01-01T09:00", "choose a time still to come."),
        (f"{NEXT_YEAR}-10-05T09:00", "The article is already scheduled for this time."),
    ],
)
def test_a_time_that_will_not_do_is_refused_with_the_reason(client, editor, at, problem):
    client.force_login(editor)
    article = scheduled(local(NEXT_YEAR, 10, 5))
    response = reschedule(client, article, at)
    assert response.status_code == 302
    [message] = shown_messages(response)
    assert problem in message
    article.refresh_from_db()
    assert article.publish_at == local(NEXT_YEAR, 10, 5)
    assert not article.events.exists()


@pytest.mark.parametrize("article", ["abc", "0", str(2**70), ""])
def test_a_forged_article_is_refused_with_a_message(client, editor, article):
    client.force_login(editor)
    response = client.post(CALENDAR, {"article": article, "at": f"{NEXT_YEAR}-01-01T09:00"})
    assert response.status_code == 302
    [message] = shown_messages(response)
    assert message.startswith("Nothing was rescheduled:")


def test_a_published_article_cannot_be_moved(client, editor):
    client.force_login(editor)
    live = PublishedArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()])
    before = live.publish_at
    response = reschedule(client, live, f"{NEXT_YEAR}-01-01T09:00")
    assert shown_messages(response) == [
        f"“{live}” was not rescheduled: “Reschedule” is not possible for an article that is "
        "“Published”."
    ]
    live.refresh_from_db()
    assert live.publish_at == before


def test_a_deleted_article_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    article = scheduled(local(NEXT_YEAR, 10, 5))
    pk = article.pk
    article.delete()
    response = client.post(CALENDAR, {"article": pk, "at": f"{NEXT_YEAR}-10-06T09:00"})
    assert shown_messages(response) == ["Nothing was rescheduled: the article no longer exists."]


def test_the_summit_desk_cannot_post_to_articles(client, make_user):
    article = scheduled(local(NEXT_YEAR, 10, 5))
    client.force_login(make_user("desk", "Summit desk"))
    assert reschedule(client, article, f"{NEXT_YEAR}-10-06T09:00").status_code == 403


# Cost


def test_the_page_costs_the_same_queries_however_much_it_shows(client, editor, world):
    client.force_login(editor)
    month = {"month": f"{NEXT_YEAR}-11"}

    def add(n):
        for i in range(n):
            day = 1 + i % 28
            scheduled(
                local(NEXT_YEAR, 11, day),
                countries=[world.kz, world.uz],
                frameworks=[world.c5, FrameworkFactory()],
            )
            SummitFactory(start_date=datetime.date(NEXT_YEAR, 11, day), framework=world.c5)
            AssignmentFactory(due_at=local(NEXT_YEAR, 11, day), countries=[world.kz])

    def cost(query) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CALENDAR, query).status_code == 200
        return len(queries)

    add(1)
    client.get(CALENDAR, month)  # the filters' lists of names are kept after a first read
    few = cost(month)
    filtered = cost({**month, "country": "kazakhstan", "framework": "c5-plus-1"})
    add(12)
    assert cost(month) == few
    assert cost({**month, "country": "kazakhstan", "framework": "c5-plus-1"}) == filtered
