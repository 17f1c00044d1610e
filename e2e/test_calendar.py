"""The editorial calendar in a browser: the month ahead with its articles and meetings,
filtered by country, and an article moved from the keyboard and by dragging it.

With E2E_DOCS_SCREENSHOTS set, `test_screenshot_for_the_readme` also saves the
month view as docs/calendar.png, the picture the README shows.
"""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from journal.models import Article, ArticleEvent
from journal.tests.factories import ArticleFactory, ContributorFactory, PublishedArticleFactory
from summits.models import Country, Framework, Summit
from summits.tests.factories import SummitFactory, central_asia

from .browser import axe_violations, press_tab

CALENDAR = "/admin/calendar/"
COMING = "Tashkent gets ready for the C5+1 summit"
ELSEWHERE = "Bishkek opens its water talks"
MEETING = "C5+1 summit in Tashkent"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def next_month() -> datetime.date:
    today = timezone.localdate()
    return (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """A time on the journal's clock."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def day_cell(page: Page, day: datetime.date):
    return page.locator(f'td[data-date="{day:%Y-%m-%d}"]')


@pytest.fixture
def plans():
    """Next month: an article scheduled about Uzbekistan on the 10th, one about Kyrgyzstan
    on the 14th, and the C5+1 summit in Tashkent on the 11th and 12th."""
    world = central_asia()
    first = next_month()
    ready = {"status": Article.Status.PUBLISHED, "authors": [ContributorFactory()]}
    coming = ArticleFactory(
        title=COMING,
        publish_at=at(first.replace(day=10)),
        countries=[world.uz],
        frameworks=[world.c5],
        **ready,
    )
    ArticleFactory(
        title=ELSEWHERE, publish_at=at(first.replace(day=14), 11), countries=[world.kg], **ready
    )
    SummitFactory(
        title=MEETING,
        framework=world.c5,
        status=Summit.Status.PLANNED,
        start_date=first.replace(day=11),
        end_date=first.replace(day=12),
        city="Tashkent",
        host_country=world.uz,
    )
    return coming


def test_the_desk_opens_the_month_ahead_and_filters_it_by_country(plans, make_user, open_page):
    page = open_page(user=make_user("editor", "Editors"))
    page.get_by_role("link", name="Editorial calendar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Editorial calendar")
    page.get_by_role("link", name="Next month").click()
    first = next_month()
    expect(page.locator("#calendar-period")).to_have_text(date_format(first, "YEAR_MONTH_FORMAT"))
    article = day_cell(page, first.replace(day=10)).locator(".calendar-entry", has_text=COMING)
    expect(article).to_contain_text("Scheduled")
    expect(article.get_by_role("link", name=COMING)).to_have_attribute(
        "href", f"/admin/journal/article/{plans.pk}/change/"
    )
    for day in (11, 12):
        meeting = day_cell(page, first.replace(day=day)).locator(
            ".calendar-entry", has_text=MEETING
        )
        expect(meeting).to_contain_text("Planned")
    expect(day_cell(page, first.replace(day=14))).to_contain_text(ELSEWHERE)

    # Accessible with a reschedule form open.
    article.locator("summary").click()
    expect(article.get_by_label("New publish time")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Country").select_option(label="Kyrgyzstan")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#calendar-period")).to_have_text(date_format(first, "YEAR_MONTH_FORMAT"))
    expect(page.locator(".calendar-entry")).to_have_count(1)
    expect(page.locator(".calendar-entry")).to_contain_text(ELSEWHERE)

    page.get_by_label("Country").select_option(label="Uzbekistan")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".calendar-entry", has_text=COMING)).to_have_count(1)
    expect(page.locator(".calendar-entry", has_text=MEETING)).to_have_count(2)
    expect(page.locator(".calendar-entry", has_text=ELSEWHERE)).to_have_count(0)

    # The week the summit opens, still about Uzbekistan.
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.locator("table.calendar-grid--week")).to_be_visible()
    expect(page.get_by_label("Country")).to_have_value("uzbekistan")
    assert axe_violations(page) == []


def test_an_editor_reschedules_from_the_keyboard(plans, make_user, open_page):
    page = open_page(user=make_user("editor", "Editors"))
    page.goto(f"{CALENDAR}?month={next_month():%Y-%m}")
    page.get_by_role("link", name=COMING).focus()
    summary = press_tab(page)
    assert summary["tag"] == "summary" and COMING in summary["text"]
    page.keyboard.press("Enter")
    assert press_tab(page)["name"] == "at"
    field = page.get_by_label(f"New publish time for “{COMING}”")
    before = timezone.localtime(plans.publish_at)
    expect(field).to_have_value(f"{before:%Y-%m-%dT%H:%M}")
    # Along the field's parts to the year (the third, whichever order the browser
    # gives day and month), one year on, and Enter sends the form.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    later = before.replace(year=before.year + 1)
    expect(field).to_have_value(f"{later:%Y-%m-%dT%H:%M}")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_contain_text(
        f"“{COMING}” is scheduled to go live on"
    )
    plans.refresh_from_db()
    assert plans.publish_at == later
    assert plans.events.get().action == ArticleEvent.Action.SCHEDULED


def test_an_editor_drags_an_article_to_another_day(plans, make_user, open_page):
    # Tall enough for the whole month: the drag goes from one day to another on screen.
    page = open_page(user=make_user("editor", "Editors"), height=1600)
    first = next_month()
    page.goto(f"{CALENDAR}?month={first:%Y-%m}")
    article = page.locator(".calendar-entry", has_text=COMING)
    article.drag_to(day_cell(page, first.replace(day=20)))
    expect(page.locator(".messagelist .success")).to_contain_text(
        f"“{COMING}” is scheduled to go live on"
    )
    expect(day_cell(page, first.replace(day=20))).to_contain_text(COMING)
    expect(day_cell(page, first.replace(day=10))).not_to_contain_text(COMING)
    plans.refresh_from_db()
    # The same time of day, on the day it was dropped on.
    assert plans.publish_at == at(first.replace(day=20))
    assert plans.events.get().user.get_username() == "editor"


def test_a_published_article_dropped_on_another_day_stays_and_says_why(make_user, open_page):
    live = PublishedArticleFactory(title="Already out")
    out = timezone.localtime(live.publish_at)
    page = open_page(user=make_user("editor", "Editors"), height=1600)
    page.goto(f"{CALENDAR}?month={out:%Y-%m}")
    other = out.date().replace(day=2 if out.day == 1 else 1)
    page.locator(".calendar-entry", has_text="Already out").drag_to(day_cell(page, other))
    expect(page.get_by_role("status")).to_have_text(
        "“Already out” cannot be moved: “Reschedule” is not possible for an article that "
        "is “Published”."
    )
    expect(day_cell(page, out.date())).to_contain_text("Already out")
    live.refresh_from_db()
    assert timezone.localtime(live.publish_at) == out


@pytest.mark.skipif(
    not os.environ.get("E2E_DOCS_SCREENSHOTS"),
    reason="writes docs/calendar.png only when E2E_DOCS_SCREENSHOTS is set",
)
def test_screenshot_for_the_readme(reference_data, make_user, open_page):
    """This month as the demo journal has it, with two meetings to plan for."""
    call_command("load_demo_content", stdout=StringIO())
    today = timezone.localdate()
    last = next_month() - datetime.timedelta(days=1)
    days = [min(today + datetime.timedelta(days=n), last) for n in (5, 12)]
    SummitFactory(
        title="EU–Central Asia foreign ministers' meeting",
        framework=Framework.objects.get(slug="eu-central-asia"),
        level=Summit.Level.FOREIGN_MINISTERS,
        status=Summit.Status.PLANNED,
        start_date=days[0],
        city="Astana",
        host_country=Country.objects.get(slug="kazakhstan"),
    )
    SummitFactory(
        title="Consultative meeting of Central Asian heads of state",
        framework=Framework.objects.get(slug="c5-consultative-meeting"),
        status=Summit.Status.PLANNED,
        start_date=days[1],
        end_date=min(days[1] + datetime.timedelta(days=1), last),
        city="Tashkent",
        host_country=Country.objects.get(slug="uzbekistan"),
    )
    page = open_page(user=make_user("editor", "Editors"), width=1280, height=1000)
    page.goto(CALENDAR)
    page.locator(".calendar-entry--scheduled summary").first.click()
    page.locator("#content").screenshot(path=DOCS / "calendar.png")
