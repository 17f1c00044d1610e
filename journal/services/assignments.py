"""Assignments: the desk plans a piece and gives it to a writer, who starts its article from it.

* `assignment_save` (and `assignment_create`, its shortcut): an editor writes
  or changes an assignment; the writer is e-mailed when it is new, or newly
  theirs (journal/services/notifications.py).
* `assignment_start_article`: the writer (or an editor for them) opens a
  draft from it: the working title as headline, tagged with the summit, its
  framework and participants and the assignment's own countries and
  frameworks, credited to the writer's contributor profile, and linked to
  the assignment.
* `assignment_complete`, `assignment_cancel`, `assignment_reopen`: editors
  close an assignment, or open it again.

Each checks who may do it and raises PermissionDenied, or AssignmentRefused
with the reason when the assignment's state does not allow it.
"""

import datetime
from collections.abc import Iterable

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from journal.models import Article, Assignment, Byline, Contributor
from journal.services.imports import _unique_slug
from journal.services.notifications import notify_assigned
from summits.models import Country, Framework, Summit

Status = Assignment.Status


class AssignmentRefused(Exception):
    """The assignment cannot take this step as it stands; the message says why."""


def can_manage(user) -> bool:
    """Whether `user` plans assignments: gives, changes, completes and cancels them (editors)."""
    return user.has_perm("journal.change_assignment")


def start_error(*, assignment: Assignment) -> str:
    """Why no article can be started from `assignment` as it stands; empty when one can."""
    if assignment.status != Status.OPEN:
        return _("This assignment is “%(status)s”: no article can be started from it.") % {
            "status": assignment.get_status_display()
        }
    if assignment.article_id is not None:
        return _("The article for this assignment has already been started.")
    return ""


def can_start(*, assignment: Assignment, user) -> bool:
    """Whether `user` may start the article: its writer, or an editor, who may write articles."""
    return user.has_perm("journal.add_article") and (
        assignment.assigned_to_id == user.pk or can_manage(user)
    )


@transaction.atomic
def assignment_save(*, assignment: Assignment, user) -> Assignment:
    """Validate and save an assignment an editor wrote or changed; tell its writer if it is new.

    A new assignment records `user` as who assigned it. The writer is
    e-mailed when the assignment is created, or given to them in place of
    someone else; nobody is told of what they assigned themselves.
    """
    adding = assignment._state.adding
    if not user.has_perm("journal.add_assignment" if adding else "journal.change_assignment"):
        raise PermissionDenied(_("Only editors give and change assignments."))
    if adding and assignment.assigned_by_id is None:
        assignment.assigned_by = user
    writer_before = (
        None
        if adding
        else Assignment.objects.filter(pk=assignment.pk)
        .values_list("assigned_to_id", flat=True)
        .first()
    )
    assignment.full_clean()
    assignment.save()
    if writer_before != assignment.assigned_to_id:
        # Queued now, sent once the save commits (journal/services/outbox.py).
        notify_assigned(assignment=assignment, actor=user)
    return assignment


@transaction.atomic
def assignment_create(
    *,
    title: str,
    assigned_to,
    due_at: datetime.datetime,
    user,
    brief: str = "",
    summit: Summit | None = None,
    countries: Iterable[Country] = (),
    frameworks: Iterable[Framework] = (),
) -> Assignment:
    """A new open assignment, given by `user` to `assigned_to`, due at `due_at`."""
    assignment = Assignment(
        title=title, brief=brief, assigned_to=assigned_to, due_at=due_at, summit=summit
    )
    assignment_save(assignment=assignment, user=user)
    assignment.countries.set(countries)
    assignment.frameworks.set(frameworks)
    return assignment


def assignment_draft_tags(assignment: Assignment) -> tuple[list, list, list]:
    """The countries, frameworks and summits its article starts with, each in its usual order.

    The summit, its framework and the countries taking part (its host among
    them), with the assignment's own countries and frameworks.
    """
    countries = set(assignment.countries.all())
    frameworks = set(assignment.frameworks.all())
    summits = []
    summit = assignment.summit
    if summit is not None:
        summits.append(summit)
        frameworks.add(summit.framework)
        countries.update(summit.participants.all())
        if summit.host_country is not None:
            countries.add(summit.host_country)
    return (
        sorted(countries, key=lambda country: country.name),
        sorted(frameworks, key=lambda framework: framework.short_name),
        summits,
    )


@transaction.atomic
def assignment_start_article(*, assignment: Assignment, user) -> Article:
    """A draft article for `assignment`, linked to it, as its writer would start it.

    The working title becomes the headline; the draft is tagged as
    `assignment_draft_tags` says; the writer's contributor profile, if they
    have one, is its author. The draft is the writer's own (created by
    them, so they may edit it) even when an editor starts it for them; its
    first revision names who started it.
    """
    # Locked, so that two clicks start one draft.
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not can_start(assignment=assignment, user=user):
        raise PermissionDenied(
            _("Only the writer it is assigned to, or an editor, can start its article.")
        )
    problem = start_error(assignment=assignment)
    if problem:
        raise AssignmentRefused(problem)
    countries, frameworks, summits = assignment_draft_tags(assignment)
    with reversion.create_revision():
        draft = Article(
            title=assignment.title,
            slug=_unique_slug(Article, assignment.title, fallback="assignment"),
            status=Article.Status.DRAFT,
            created_by=assignment.assigned_to,
        )
        draft.full_clean()
        draft.save()
        draft.countries.set(countries)
        draft.frameworks.set(frameworks)
        draft.summits.set(summits)
        contributor = Contributor.objects.filter(user=assignment.assigned_to).first()
        if contributor is not None:
            byline = Byline(article=draft, contributor=contributor, role=Byline.Role.AUTHOR)
            byline.full_clean()
            byline.save()
        reversion.set_user(user)
        reversion.set_comment(
            _("Started from the assignment “%(title)s”") % {"title": assignment.title}
        )
    assignment.article = draft
    assignment.save(update_fields=["article", "updated_at"])
    return draft


def _move(
    *, assignment: Assignment, user, to: str, starts: set[str], refused: str, also=()
) -> Assignment:
    if not can_manage(user):
        raise PermissionDenied(_("Only editors complete, cancel and reopen assignments."))
    if assignment.status not in starts:
        raise AssignmentRefused(refused)
    assignment.status = to
    assignment.save(update_fields=["status", "updated_at", *also])
    return assignment


@transaction.atomic
def assignment_complete(
    *, assignment: Assignment, user, article: Article | None = None
) -> Assignment:
    """Mark an open assignment done, with the article that fulfils it (`article`, or its own).

    An assignment is done when its piece exists: one without an article is
    refused, with what to do.
    """
    if not can_manage(user):
        raise PermissionDenied(_("Only editors complete, cancel and reopen assignments."))
    if not assignment.is_open:
        raise AssignmentRefused(_("Only an open assignment can be marked done."))
    if article is None and assignment.article_id is None:
        raise AssignmentRefused(
            _(
                "“%(title)s” has no article yet: start it from the assignment, or choose the "
                "article that fulfils it in its “Article” field, then mark it done."
            )
            % {"title": assignment.title}
        )
    if article is not None:
        assignment.article = article
        # One article fulfils one assignment.
        assignment.validate_unique()
    return _move(
        assignment=assignment,
        user=user,
        to=Status.DONE,
        starts={Status.OPEN},
        refused=_("Only an open assignment can be marked done."),
        also=["article"],
    )


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, user) -> Assignment:
    """Cancel an open assignment: the piece is no longer wanted. A started draft stays a draft."""
    return _move(
        assignment=assignment,
        user=user,
        to=Status.CANCELLED,
        starts={Status.OPEN},
        refused=_("Only an open assignment can be cancelled."),
    )


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, user) -> Assignment:
    """Open a done or cancelled assignment again, as it was."""
    return _move(
        assignment=assignment,
        user=user,
        to=Status.OPEN,
        starts={Status.DONE, Status.CANCELLED},
        refused=_("The assignment is already open."),
    )
