"""The editorial workflow: every change of an article's status, who may make it, and its record.

Writers and editors move an article in steps, the buttons of its form
(`Step`, taken with `article_take_step`); the article list's actions publish,
unpublish and archive. Whatever a page offered, each move is checked here and
made by `article_transition()`, which validates the article against
`Article.publication_errors`, saves it once, records an ArticleEvent and
queues the e-mails the step sends (journal/services/notifications.py).
"""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal.models import Article, ArticleEvent, check_storable_time
from journal.services.notifications import notify_transition

Status = Article.Status
# Writes the article, by default `article.save()`. The article form passes one
# that writes its tags and inlines with it, so that a step saves the row once.
Save = Callable[[Article], None]


# (from, to) -> whether it takes the publish permission. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DRAFT, Status.IN_REVIEW): False,
    (Status.IN_REVIEW, Status.DRAFT): True,
    (Status.DRAFT, Status.PUBLISHED): True,
    (Status.IN_REVIEW, Status.PUBLISHED): True,
    # A new publish time: a scheduled article published now, or rescheduled.
    (Status.PUBLISHED, Status.PUBLISHED): True,
    (Status.PUBLISHED, Status.DRAFT): True,
    (Status.PUBLISHED, Status.ARCHIVED): True,
    (Status.DRAFT, Status.ARCHIVED): True,
    (Status.IN_REVIEW, Status.ARCHIVED): True,
    (Status.ARCHIVED, Status.DRAFT): True,
}


class Step(models.TextChoices):
    """The moves the article form offers, one button each."""

    SUBMIT = "submit", gettext_lazy("Submit for review")
    PUBLISH = "publish", gettext_lazy("Publish now")
    SCHEDULE = "schedule", gettext_lazy("Schedule")
    RESCHEDULE = "reschedule", gettext_lazy("Reschedule")
    SEND_BACK = "send_back", gettext_lazy("Send back to draft")
    UNPUBLISH = "unpublish", gettext_lazy("Unpublish")
    ARCHIVE = "archive", gettext_lazy("Archive")
    RETURN = "return", gettext_lazy("Return to draft")


# Where a step may start and the status it leads to. A scheduled article is
# a published one whose time has not come: it can be published now or
# rescheduled, a live one cannot.
SCHEDULED = "scheduled"
STEPS: dict[Step, tuple[frozenset[str], str]] = {
    Step.SUBMIT: (frozenset({Status.DRAFT}), Status.IN_REVIEW),
    Step.PUBLISH: (frozenset({Status.DRAFT, Status.IN_REVIEW, SCHEDULED}), Status.PUBLISHED),
    Step.SCHEDULE: (frozenset({Status.DRAFT, Status.IN_REVIEW}), Status.PUBLISHED),
    Step.RESCHEDULE: (frozenset({SCHEDULED}), Status.PUBLISHED),
    Step.SEND_BACK: (frozenset({Status.IN_REVIEW}), Status.DRAFT),
    Step.UNPUBLISH: (frozenset({Status.PUBLISHED, SCHEDULED}), Status.DRAFT),
    Step.ARCHIVE: (
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED, SCHEDULED}),
        Status.ARCHIVED,
    ),
    Step.RETURN: (frozenset({Status.ARCHIVED}), Status.DRAFT),
}


def can_publish(user) -> bool:
    return user is None or user.has_perm("journal.publish_article")


def transition_error(*, old: str, new: str, user) -> str:
    """Why `user` may not move an article from `old` to `new`; empty when allowed."""
    if (old, new) not in TRANSITIONS:
        return _("An article cannot go from “%(old)s” to “%(new)s”.") % {
            "old": Status(old).label,
            "new": Status(new).label,
        }
    if TRANSITIONS[(old, new)] and not can_publish(user):
        if old == new:
            return _("Only editors can reschedule an article.")
        return _("Only editors can move an article from “%(old)s” to “%(new)s”.") % {
            "old": Status(old).label,
            "new": Status(new).label,
        }
    return ""


def _stage(article: Article) -> str:
    return SCHEDULED if article.is_scheduled else article.status


def step_error(*, article: Article, step: Step, user) -> str:
    """Why `user` may not take `step` with `article` as it stands; empty when they may."""
    starts, to = STEPS[step]
    stage = _stage(article)
    if stage not in starts:
        return _("“%(step)s” is not possible for an article that is “%(status)s”.") % {
            "step": step.label,
            "status": _("Scheduled") if stage == SCHEDULED else Status(stage).label,
        }
    return transition_error(old=article.status, new=to, user=user)


def article_steps(*, article: Article, user) -> list[Step]:
    """The steps `user` may take with `article` as it stands: the buttons its form shows.

    A new article (not saved yet) is saved as a draft, submitted, published
    or scheduled; archiving it would be pointless.
    """
    return [
        step
        for step in Step
        if not step_error(article=article, step=step, user=user)
        and not (step == Step.ARCHIVE and article.pk is None)
    ]


def status_after(*, article: Article, step: Step | None) -> str:
    """The status `article` has once `step` (None: a plain save) is taken."""
    return STEPS[step][1] if step else article.status


def _input_errors(
    *, article: Article, step: Step | None, at: datetime.datetime | None, note: str
) -> dict[str, list[str]]:
    """What the step itself lacks: a publish time to schedule, a note to send back."""
    errors: dict[str, list[str]] = {}
    if step in (Step.SCHEDULE, Step.RESCHEDULE):
        if at is None:
            errors["at"] = [_("Choose when the article goes live.")]
        elif step == Step.RESCHEDULE and at == article.publish_at:
            errors["at"] = [_("The article is already scheduled for this time.")]
        else:
            try:
                check_storable_time(at)
            except ValidationError as error:
                errors["at"] = error.messages
    if step == Step.SEND_BACK and not note.strip():
        errors["note"] = [_("Tell the writer what to change.")]
    return errors


def article_step_errors(
    *,
    article: Article,
    step: Step | None,
    user,
    at: datetime.datetime | None = None,
    note: str = "",
    countries: Iterable | None = None,
    bylines: Iterable | None = None,
) -> dict[str, list[str]]:
    """What stops `user` from saving `article` as it is and taking `step` (None: only saving).

    By field: "at" is the publish time to schedule for, "note" the note to
    send back with, the others are the article's (`Article.publication_errors`,
    asked whenever the article is or will be published, with the `countries`
    and `bylines` about to be saved). A step `user` may not take is the one
    problem, under NON_FIELD_ERRORS. The article form shows these before it
    saves anything; `article_take_step` makes the same checks.
    """
    if step:
        problem = step_error(article=article, step=step, user=user)
        if problem:
            return {NON_FIELD_ERRORS: [problem]}
    errors = _input_errors(article=article, step=step, at=at, note=note)
    if status_after(article=article, step=step) == Status.PUBLISHED:
        errors.update(article.publication_errors(countries=countries, bylines=bylines))
    return errors


def _action(*, old: str, new: str, publish_at) -> str:
    Action = ArticleEvent.Action
    if new == Status.PUBLISHED:
        return Action.SCHEDULED if publish_at > timezone.now() else Action.PUBLISHED
    if new == Status.IN_REVIEW:
        return Action.SUBMITTED
    if new == Status.ARCHIVED:
        return Action.ARCHIVED
    return Action.UNPUBLISHED if old == Status.PUBLISHED else Action.SENT_BACK


def _errors(article: Article, *, publishing: bool, countries, bylines) -> dict[str, list[str]]:
    """The model's validation and, when publishing, the publication rules: each message once."""
    errors: dict[str, list[str]] = {}
    try:
        article.full_clean()
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    if publishing:
        found = article.publication_errors(countries=countries, bylines=bylines)
        for field, messages in found.items():
            known = errors.setdefault(field, [])
            known += [str(message) for message in messages if str(message) not in known]
    return errors


@transaction.atomic
def article_transition(
    *,
    article: Article,
    to: str,
    user=None,
    at: datetime.datetime | None = None,
    note: str = "",
    countries: Iterable | None = None,
    bylines: Iterable | None = None,
    save: Save | None = None,
) -> Article:
    """Move `article` to status `to` as `user` (None: the system), and record it.

    Publishing validates the article (`Article.publication_errors`, with the
    `countries` and `bylines` that `save` is about to write, by default the
    saved ones); an article published without a time keeps an earlier
    publish time only if it had one. Everything is checked before anything
    is written, then the article is saved once, by `save`. Raises
    PermissionDenied or ValidationError and leaves the article as it was.
    """
    old = article.status
    problem = transition_error(old=old, new=to, user=user)
    if problem:
        raise PermissionDenied(problem)
    previous = (article.status, article.publish_at, article.review_note)
    article.status = to
    if to == Status.PUBLISHED:
        article.publish_at = at or article.publish_at or timezone.now()
    if old == Status.IN_REVIEW and to == Status.DRAFT:
        article.review_note = note
    errors = _errors(
        article, publishing=to == Status.PUBLISHED, countries=countries, bylines=bylines
    )
    if errors:
        article.status, article.publish_at, article.review_note = previous
        raise ValidationError(errors)
    if save is None:
        article.save()
    else:
        save(article)
    event = ArticleEvent.objects.create(
        article=article,
        action=_action(old=old, new=to, publish_at=article.publish_at),
        user=user,
        publish_at=article.publish_at if to == Status.PUBLISHED else None,
        note=note,
    )
    # Queued with the step, sent once it commits (journal/services/notifications.py).
    notify_transition(event=event)
    return article


def article_publish(
    *,
    article: Article,
    user=None,
    at: datetime.datetime | None = None,
    countries: Iterable | None = None,
    bylines: Iterable | None = None,
    save: Save | None = None,
) -> Article:
    """Publish at `at`, or now; a time in the future schedules the article.

    Without a time an article keeps the one it has: taken off the site and
    put back, it keeps its date; already published or scheduled, nothing
    changes (but `save` still writes the caller's edits).
    """
    if article.status == Status.PUBLISHED and at in (None, article.publish_at):
        if not can_publish(user):
            raise PermissionDenied(_("Only editors can publish an article."))
        if save is not None:
            # The caller's edits, checked as any published article's are.
            errors = _errors(article, publishing=True, countries=countries, bylines=bylines)
            if errors:
                raise ValidationError(errors)
            save(article)
        return article
    return article_transition(
        article=article,
        to=Status.PUBLISHED,
        user=user,
        at=at,
        countries=countries,
        bylines=bylines,
        save=save,
    )


def article_unpublish(*, article: Article, user=None, save: Save | None = None) -> Article:
    """Take an article off the site and back to draft. Its publish time is kept."""
    return article_transition(article=article, to=Status.DRAFT, user=user, save=save)


def article_archive(*, article: Article, user=None, save: Save | None = None) -> Article:
    return article_transition(article=article, to=Status.ARCHIVED, user=user, save=save)


def article_submit(*, article: Article, user=None, save: Save | None = None) -> Article:
    return article_transition(article=article, to=Status.IN_REVIEW, user=user, save=save)


def article_send_back(
    *, article: Article, user=None, note: str, save: Save | None = None
) -> Article:
    """Return an article in review to its writer, with the editor's note."""
    errors = _input_errors(article=article, step=Step.SEND_BACK, at=None, note=note)
    if errors:
        raise ValidationError(errors)
    return article_transition(article=article, to=Status.DRAFT, user=user, note=note, save=save)


def _now_or_earlier(article: Article) -> datetime.datetime:
    """When "Publish now" puts the article out: now, or the time it went out before."""
    now = timezone.now()
    return article.publish_at if article.publish_at and article.publish_at <= now else now


def article_take_step(
    *,
    article: Article,
    step: Step,
    user,
    at: datetime.datetime | None = None,
    note: str = "",
    countries: Iterable | None = None,
    bylines: Iterable | None = None,
    save: Save | None = None,
) -> Article:
    """Take `step` with `article` as `user`: what a button of the article form does.

    `at` is the time to schedule for, `note` the note to send back with;
    `countries`, `bylines` and `save` as for `article_transition`. Raises
    PermissionDenied for a step `user` may not take now (whatever the page
    showed), ValidationError for what is missing, and changes nothing then.
    """
    problem = step_error(article=article, step=step, user=user)
    if problem:
        raise PermissionDenied(problem)
    errors = _input_errors(article=article, step=step, at=at, note=note)
    if errors:
        raise ValidationError(errors)
    match step:
        case Step.SUBMIT:
            return article_submit(article=article, user=user, save=save)
        case Step.PUBLISH | Step.SCHEDULE | Step.RESCHEDULE:
            return article_publish(
                article=article,
                user=user,
                at=_now_or_earlier(article) if step == Step.PUBLISH else at,
                countries=countries,
                bylines=bylines,
                save=save,
            )
        case Step.SEND_BACK:
            return article_send_back(article=article, user=user, note=note, save=save)
        case Step.UNPUBLISH:
            return article_unpublish(article=article, user=user, save=save)
        case Step.ARCHIVE:
            return article_archive(article=article, user=user, save=save)
        case Step.RETURN:
            return article_transition(article=article, to=Status.DRAFT, user=user, save=save)
