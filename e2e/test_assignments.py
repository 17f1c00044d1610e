"""Assignments in a browser: an editor gives a writer a piece on a summit, through the admin's
autocomplete; once its due time has passed, the writer finds it on the dashboard, marked
overdue, and starts its article from it.

The README's picture of a writer's dashboard, docs/assignments.png, is taken by this test:
with E2E_DOCS_SCREENSHOTS=1 (`E2E_DOCS_SCREENSHOTS=1 make e2e ARGS="-k assignment"`) it
writes the top 1280 × 720 pixels of the dashboard, as the writer sees it once the piece is
late, to docs/; commit the file. Without it, the screenshot goes to test-artifacts/ as the
other pages' do.
"""

import datetime
import os
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from journal.models import Assignment, Contributor
from journal.services.assignments import assignment_create
from summits.models import Country, Summit

from .admin import autocomplete, saved
from .browser import axe_violations, screenshot
from .test_pages import DJANGO_ADMIN_MARKUP

TITLE = "What Tokyo's first Central Asia summit means for water"
BRIEF = "Talk to both foreign ministries and one independent analyst. About 900 words."
SUMMIT = "First Central Asia plus Japan Dialogue Summit, Tokyo"
LATER = "Kazakhstan's uranium, a year after the Astana agreements"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_an_editor_assigns_a_piece_and_the_writer_starts_it_late(
    reference_data, make_user, open_page
):
    editor = make_user("dana", "Editors", first_name="Dana", last_name="Omarova")
    writer = make_user("aigerim", "Writers", first_name="Aigerim", last_name="Sadykova")
    Contributor.objects.create(name="Aigerim Sadykova", slug="aigerim-sadykova", user=writer)

    desk = open_page(user=editor)
    assign(desk)
    assignment = Assignment.objects.get()
    assert assignment.assigned_to == writer
    assert assignment.assigned_by == editor
    assert assignment.summit.title == SUMMIT
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert timezone.localtime(assignment.due_at).date() == tomorrow
    assert timezone.localtime(assignment.due_at).time() == datetime.time(18)

    # The due time passes (moved a day back, rather than waited for): the copy is late.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(18)))
    )
    # And a second piece, not due yet: only the late one is marked.
    assignment_create(
        title=LATER,
        assigned_to=writer,
        due_at=timezone.make_aware(
            datetime.datetime.combine(tomorrow + datetime.timedelta(days=2), datetime.time(12))
        ),
        user=editor,
        countries=[Country.objects.get(code="KZ")],
    )
    newsroom = open_page(user=writer)
    mine = find_it_overdue(newsroom)
    picture(newsroom)

    # Its page says so too, and offers to start it; the writer changes nothing there.
    mine.get_by_role("link", name=TITLE, exact=True).click()
    expect(newsroom.locator(".field-state")).to_contain_text("Overdue")
    expect(newsroom.locator(".object-tools")).to_contain_text("Start the article")
    expect(newsroom.get_by_role("button", name="Save")).to_have_count(0)
    failures = axe_violations(newsroom, exclude=DJANGO_ADMIN_MARKUP)
    newsroom.go_back()

    mine.get_by_role("listitem").filter(has_text=TITLE).get_by_role(
        "link", name="Start the article"
    ).click()
    expect(newsroom.get_by_role("heading", level=1)).to_contain_text("Start the article")
    expect(newsroom.locator(".assignment-start")).to_contain_text(SUMMIT)
    expect(newsroom.locator(".assignment-start")).to_contain_text("Aigerim Sadykova")
    failures += axe_violations(newsroom)
    newsroom.get_by_role("button", name="Start the article").click()
    saved(newsroom, "was started from the assignment")
    expect(newsroom.get_by_label("Title:")).to_have_value(TITLE)
    expect(newsroom.locator("#id_summits option:checked")).to_have_text([SUMMIT])
    assignment.refresh_from_db()
    article = assignment.article
    assert article is not None and article.created_by == writer
    assert list(article.summits.all()) == [Summit.objects.get(title=SUMMIT)]
    assert "central-asia-japan" in {framework.slug for framework in article.frameworks.all()}
    assert [byline.contributor.name for byline in article.bylines.all()] == ["Aigerim Sadykova"]

    # Back on the dashboard, the assignment opens the article.
    newsroom.goto("/admin/")
    mine = newsroom.locator(".newsroom-assignments", has_text="My assignments")
    mine.get_by_role("listitem").filter(has_text=TITLE).get_by_role(
        "link", name="Open the article"
    ).click()
    expect(newsroom.get_by_label("Title:")).to_have_value(TITLE)
    assert not failures, "\n".join(failures)


def assign(page: Page) -> None:
    page.goto("/admin/journal/assignment/add/")
    page.get_by_label("Working title").fill(TITLE)
    page.get_by_label("Brief").fill(BRIEF)
    page.get_by_label("Writer:").select_option(label="Aigerim Sadykova (aigerim)")
    # Due tomorrow at 18:00, as a new assignment is unless changed.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    expect(page.locator("#id_due_at_0")).to_have_value(tomorrow.isoformat())
    expect(page.locator("#id_due_at_1")).to_have_value(re.compile(r"^18:00(:00)?$"))
    autocomplete(page, "id_summit", "Tokyo", SUMMIT)
    failures = axe_violations(page, exclude=DJANGO_ADMIN_MARKUP)
    page.get_by_role("button", name="Save", exact=True).click()
    saved(page, "was added successfully")
    expect(page.locator("#result_list")).to_contain_text(TITLE)
    failures += axe_violations(page, exclude=DJANGO_ADMIN_MARKUP)
    assert not failures, "\n".join(failures)


def find_it_overdue(page: Page):
    """The writer's "My assignments" box, with the piece marked overdue in words."""
    expect(page.get_by_role("heading", name="Assignments due")).to_have_count(0)
    mine = page.locator(".newsroom-assignments", has_text="My assignments")
    item = mine.get_by_role("listitem").filter(has_text=TITLE)
    expect(item).to_contain_text("Overdue")
    expect(item.locator(".assignment-overdue img")).to_be_visible()
    expect(item).to_contain_text(SUMMIT)
    later = mine.get_by_role("listitem").filter(has_text=LATER)
    expect(later).not_to_contain_text("Overdue")
    # Soonest first.
    expect(mine.get_by_role("listitem").first).to_contain_text(TITLE)
    failures = axe_violations(page)
    assert not failures, "\n".join(failures)
    return mine


def picture(page: Page) -> None:
    if os.environ.get("E2E_DOCS_SCREENSHOTS"):
        page.screenshot(path=DOCS / "assignments.png", clip=CLIP)
    else:
        screenshot(page, "admin-dashboard-assignments")


CLIP = {"x": 0, "y": 0, "width": 1280, "height": 720}
