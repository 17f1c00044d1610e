"""Assignments: who gives, starts and closes them, the draft a writer starts, the e-mail."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from journal import content_generation
from journal.models import Article, Assignment, Byline
from journal.services.assignments import (
    AssignmentRefused,
    assignment_cancel,
    assignment_complete,
    assignment_create,
    assignment_reopen,
    assignment_save,
    assignment_start_article,
)
from journal.tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

SITE = "https://journal.example.org"
DUE = datetime.datetime(2027, 3, 4, 18, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def desk(make_user, world):
    """Dana the editor, and Aigerim, a writer whose login is her contributor profile."""

    class Desk:
        dana = make_user("dana", "Editors", email="dana@example.org", first_name="Dana")
        aigerim = make_user("aigerim", "Writers", email="aigerim@example.org")
        timur = make_user("timur", "Writers", email="timur@example.org")

    world.aigerim.user = Desk.aigerim
    world.aigerim.save()
    return Desk


def test_an_editor_assigns_a_piece_and_the_writer_is_told_what_and_by_when(
    commit, mail_server, desk, world
):
    with commit():
        assignment = assignment_create(
            title="What the New York summit means for water",
            brief="Talk to the Uzbek side & the Kazakh ministry.\nAbout 900 words.",
            assigned_to=desk.aigerim,
            due_at=DUE,
            user=desk.dana,
            summit=world.summit,
            countries=[world.kz],
        )
        assert mail_server.messages == []  # nothing leaves before the commit

    assert assignment.assigned_by == desk.dana
    assert assignment.status == Assignment.Status.OPEN
    assert list(assignment.countries.all()) == [world.kz]
    [received] = mail_server.messages
    assert received.recipients == ["aigerim@example.org"]
    # The due time as the journal's clock has it, in the site's own format.
    when = date_format(timezone.localtime(DUE), "DATETIME_FORMAT")
    assert "18:00" in when
    assert received.subject == (
        f"[Diplomacy Journal] Assigned to you: What the New York summit means for water, due {when}"
    )
    assert (
        f"Dana assigned you “What the New York summit means for water”, due {when} "
        "(Asia/Almaty time)."
    ) in received.text
    assert "Talk to the Uzbek side & the Kazakh ministry.\nAbout 900 words." in received.text
    assert "It covers C5+1 summit in New York." in received.text
    url = SITE + reverse("admin:journal_assignment_change", args=[assignment.pk])
    assert url in received.text
    assert f'href="{url}"' in received.html
    assert "Talk to the Uzbek side &amp; the Kazakh ministry.<br>About 900 words." in received.html


def test_the_writer_is_told_again_only_when_the_piece_becomes_theirs(commit, mail_server, desk):
    with commit():
        assignment = assignment_create(
            title="Rogun, a year on", assigned_to=desk.aigerim, due_at=DUE, user=desk.dana
        )
    assert len(mail_server.messages) == 1

    with commit():
        assignment.brief = "Add the Tajik side."
        assignment_save(assignment=assignment, user=desk.dana)
    assert len(mail_server.messages) == 1

    with commit():
        assignment.assigned_to = desk.timur
        assignment_save(assignment=assignment, user=desk.dana)
    assert [m.recipients for m in mail_server.messages] == [
        ["aigerim@example.org"],
        ["timur@example.org"],
    ]


def test_nobody_is_told_of_what_they_assigned_themselves(commit, mail_server, desk):
    with commit():
        assignment_create(title="My own column", assigned_to=desk.dana, due_at=DUE, user=desk.dana)
    assert mail_server.messages == []
    assert Assignment.objects.get().assigned_by == desk.dana


def test_writers_give_no_assignments(desk):
    with pytest.raises(PermissionDenied):
        assignment_create(title="Mine", assigned_to=desk.timur, due_at=DUE, user=desk.aigerim)
    assert not Assignment.objects.exists()


def test_assignments_leave_the_readers_cached_pages_alone(commit, desk, world):
    before = content_generation.current().id
    with commit():
        assignment = assignment_create(
            title="Not for readers",
            assigned_to=desk.aigerim,
            due_at=DUE,
            user=desk.dana,
            countries=[world.kz],
            frameworks=[world.c5],
        )
        assignment_cancel(assignment=assignment, user=desk.dana)
    assert content_generation.current().id == before


def test_the_writer_starts_a_tagged_draft_credited_to_them(desk, world):
    assignment = AssignmentFactory(
        title="Water, power and the C5+1",
        assigned_to=desk.aigerim,
        summit=world.summit,
        countries=[world.kz],
        frameworks=[world.japan],
    )

    draft = assignment_start_article(assignment=assignment, user=desk.aigerim)

    assignment.refresh_from_db()
    assert assignment.article == draft
    assert draft.status == Article.Status.DRAFT
    assert draft.title == "Water, power and the C5+1"
    assert draft.slug == "water-power-and-the-c5-plus-1"
    assert draft.created_by == desk.aigerim
    assert list(draft.summits.all()) == [world.summit]
    # The summit's framework and the countries taking part, with the assignment's own.
    assert set(draft.frameworks.all()) == {world.c5, world.japan}
    assert set(draft.countries.all()) == {*world.countries, world.us}
    assert [(b.contributor, b.role) for b in draft.bylines.all()] == [
        (world.aigerim, Byline.Role.AUTHOR)
    ]
    [version] = Version.objects.get_for_object(draft)
    assert version.revision.user == desk.aigerim
    assert version.revision.comment == "Started from the assignment “Water, power and the C5+1”"


def test_an_editor_may_start_it_for_the_writer_whose_draft_it_stays(desk, world):
    assignment = AssignmentFactory(title="A piece without a summit", assigned_to=desk.timur)

    draft = assignment_start_article(assignment=assignment, user=desk.dana)

    # Timur has no contributor profile: no byline yet, but the draft is his to edit.
    assert draft.created_by == desk.timur
    assert not draft.bylines.exists()
    assert not draft.countries.exists() and not draft.summits.exists()
    assert Version.objects.get_for_object(draft).get().revision.user == desk.dana


def test_an_article_is_started_once_and_only_by_its_writer_or_an_editor(desk):
    assignment = AssignmentFactory(assigned_to=desk.aigerim)
    with pytest.raises(PermissionDenied):
        assignment_start_article(assignment=assignment, user=desk.timur)
    assert not Article.objects.exists()

    assignment_start_article(assignment=assignment, user=desk.aigerim)
    with pytest.raises(AssignmentRefused, match="already been started"):
        assignment_start_article(assignment=assignment, user=desk.aigerim)
    assert Article.objects.count() == 1


def test_no_article_is_started_from_a_cancelled_assignment(desk):
    assignment = AssignmentFactory(assigned_to=desk.aigerim, status=Assignment.Status.CANCELLED)
    with pytest.raises(AssignmentRefused, match="Cancelled"):
        assignment_start_article(assignment=assignment, user=desk.aigerim)
    assert not Article.objects.exists()


def test_an_assignment_is_done_with_the_article_that_fulfils_it(desk):
    assignment = AssignmentFactory(title="Rogun", assigned_to=desk.aigerim)
    with pytest.raises(AssignmentRefused, match="“Rogun” has no article yet"):
        assignment_complete(assignment=assignment, user=desk.dana)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.OPEN

    filed = ArticleFactory(title="Rogun dam: the view from Dushanbe")
    assignment_complete(assignment=assignment, user=desk.dana, article=filed)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.article) == (Assignment.Status.DONE, filed)
    with pytest.raises(AssignmentRefused, match="Only an open assignment"):
        assignment_complete(assignment=assignment, user=desk.dana)


def test_editors_cancel_and_reopen_and_writers_do_neither(desk):
    assignment = AssignmentFactory(assigned_to=desk.aigerim)
    for step in (assignment_complete, assignment_cancel, assignment_reopen):
        with pytest.raises(PermissionDenied):
            step(assignment=assignment, user=desk.aigerim)

    assignment_cancel(assignment=assignment, user=desk.dana)
    assert Assignment.objects.get().status == Assignment.Status.CANCELLED
    with pytest.raises(AssignmentRefused):
        assignment_cancel(assignment=assignment, user=desk.dana)
    assignment_reopen(assignment=assignment, user=desk.dana)
    assert Assignment.objects.get().status == Assignment.Status.OPEN
    with pytest.raises(AssignmentRefused, match="already open"):
        assignment_reopen(assignment=assignment, user=desk.dana)
