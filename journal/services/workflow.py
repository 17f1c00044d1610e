"""The editorial workflow: every change of an article's status, who may make it, and its record.

Every change of status goes through `article_transition()`, which checks who
may make it, validates the article, saves it and records an ArticleEvent.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journal.models import Article, ArticleEvent

Status = Article.Status


# (from, to) -> whether it takes the publish permission. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DRAFT, Status.IN_REVIEW): False,
    (Status.IN_REVIEW, Status.DRAFT): True,
    (Status.DRAFT, Status.PUBLISHED): True,
    (Status.IN_REVIEW, Status.PUBLISHED): True,
    (Status.PUBLISHED, Status.DRAFT): True,
    (Status.PUBLISHED, Status.ARCHIVED): True,
    (Status.DRAFT, Status.ARCHIVED): True,
    (Status.IN_REVIEW, Status.ARCHIVED): True,
    (Status.ARCHIVED, Status.DRAFT): True,
}


def can_publish(user) -> bool:
    return user is None or user.has_perm("journal.publish_article")


def transition_error(*, old: str, new: str, user) -> str:
    """Why `user` may not move an article from `old` to `new`; empty when allowed."""
    if old == new:
        return ""
    if (old, new) not in TRANSITIONS:
        return _("An article cannot go from “%(old)s” to “%(new)s”.") % {
            "old": Status(old).label,
            "new": Status(new).label,
        }
    if TRANSITIONS[(old, new)] and not can_publish(user):
        return _("Only editors can move an article from “%(old)s” to “%(new)s”.") % {
            "old": Status(old).label,
            "new": Status(new).label,
        }
    return ""


def _action(*, old: str, new: str, publish_at) -> str:
    Action = ArticleEvent.Action
    if new == Status.PUBLISHED:
        return Action.SCHEDULED if publish_at > timezone.now() else Action.PUBLISHED
    if new == Status.IN_REVIEW:
        return Action.SUBMITTED
    if new == Status.ARCHIVED:
        return Action.ARCHIVED
    return Action.UNPUBLISHED if old == Status.PUBLISHED else Action.SENT_BACK


@transaction.atomic
def article_transition(
    *,
    article: Article,
    to: str,
    user=None,
    at: datetime.datetime | None = None,
    note: str = "",
) -> Article:
    """Move `article` to status `to` as `user` (None: the system), and record it.

    Publishing validates the article (headline, body, byline, country, image
    description); an article published "now" keeps an earlier publish time
    only if it had one. Raises PermissionDenied or ValidationError and leaves
    the article as it was.
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
    try:
        article.full_clean()
        errors = article.publication_errors() if to == Status.PUBLISHED else {}
        if errors:
            raise ValidationError(errors)
    except ValidationError:
        article.status, article.publish_at, article.review_note = previous
        raise
    article.save()
    ArticleEvent.objects.create(
        article=article,
        action=_action(old=old, new=to, publish_at=article.publish_at),
        user=user,
        publish_at=article.publish_at if to == Status.PUBLISHED else None,
        note=note,
    )
    return article


def article_publish(*, article: Article, user=None, at: datetime.datetime | None = None):
    """Publish now, or schedule for `at` when it lies in the future."""
    if article.status == Status.PUBLISHED:
        # Already published: only a new time (rescheduling) changes anything.
        if at and at != article.publish_at:
            if not can_publish(user):
                raise PermissionDenied(_("Only editors can reschedule an article."))
            article.publish_at = at
            article.save(update_fields=["publish_at", "updated_at"])
            ArticleEvent.objects.create(
                article=article,
                action=_action(old=Status.PUBLISHED, new=Status.PUBLISHED, publish_at=at),
                user=user,
                publish_at=at,
            )
        return article
    return article_transition(article=article, to=Status.PUBLISHED, user=user, at=at)


def article_record_new_time(*, article: Article, user=None) -> ArticleEvent:
    """Record that a published article's time was changed (saved already, e.g. by a form)."""
    if not can_publish(user):
        raise PermissionDenied(_("Only editors can reschedule an article."))
    return ArticleEvent.objects.create(
        article=article,
        action=_action(old=Status.PUBLISHED, new=Status.PUBLISHED, publish_at=article.publish_at),
        user=user,
        publish_at=article.publish_at,
    )


def article_unpublish(*, article: Article, user=None) -> Article:
    """Take an article off the site and back to draft. Its publish time is kept."""
    return article_transition(article=article, to=Status.DRAFT, user=user)


def article_archive(*, article: Article, user=None) -> Article:
    return article_transition(article=article, to=Status.ARCHIVED, user=user)


def article_submit(*, article: Article, user=None) -> Article:
    return article_transition(article=article, to=Status.IN_REVIEW, user=user)


def article_send_back(*, article: Article, user=None, note: str) -> Article:
    """Return an article in review to its writer, with the editor's note."""
    if not note.strip():
        raise ValidationError({"review_note": _("Tell the writer what to change.")})
    return article_transition(article=article, to=Status.DRAFT, user=user, note=note)
