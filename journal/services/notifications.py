"""Who is told of what in the workflow, by e-mail, through the outbox.

* An article submitted for review: the editors (everyone with the publish
  permission: the Editors group, administrators), but not the one who
  submitted it.
* An article sent back to draft: its writers (who created it, and the
  logins of the contributors on its byline), with the editor's note.
* A scheduled article gone live: the editor who scheduled it, once
  (`notify_went_live`, run by `manage.py send_queued_email`).
* An assignment given to a writer, new or newly theirs: that writer, with
  the brief and when it is due (`notify_assigned`).

Each message is queued in the transaction of the step it tells of and sent
after the commit (journal/services/outbox.py), in the site's default
language, to staff accounts with an e-mail address; nobody is told of what
they did themselves.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from journal.models import Article, ArticleEvent, Assignment, Byline, OutgoingEmail
from journal.services.outbox import absolute_url, email_queue, render_email

Action = ArticleEvent.Action
Kind = OutgoingEmail.Kind
# A scheduled article that went live longer ago than this is not announced:
# after an outage of the cron job, or when notices are first turned on.
WENT_LIVE_WINDOW = datetime.timedelta(days=1)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else settings.SITE_NAME


def _staff():
    return get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")


def editors(*, exclude=None):
    """Staff with the publish permission and an e-mail address: who reviews submissions."""
    users = get_user_model().objects.with_perm(
        "journal.publish_article", backend="django.contrib.auth.backends.ModelBackend"
    )
    users = users.filter(is_staff=True).exclude(email="")
    return users.exclude(pk=exclude.pk) if exclude else users


def writers(*, article: Article, exclude=None):
    """The article's writers with a login and an e-mail address: its creator and bylined staff."""
    users = (
        _staff()
        .filter(Q(pk=article.created_by_id) | Q(contributor__bylines__article=article))
        .distinct()
    )
    return users.exclude(pk=exclude.pk) if exclude else users


def _context(article: Article, **extra) -> dict:
    bylines = article.bylines.exclude(role=Byline.Role.TRANSLATOR).select_related("contributor")
    return {
        "site_name": settings.SITE_NAME,
        "article": article,
        "authors": ", ".join(byline.contributor.name for byline in bylines),
        "change_url": absolute_url(reverse("admin:journal_article_change", args=[article.pk])),
        **extra,
    }


def _queue(*, kind: str, template: str, recipients, context: dict, key: str = "") -> int:
    """One message per recipient, so that one bad address holds up nobody else's.

    A `key` (a once-only message, see `email_queue`) is for one recipient.
    """
    addresses = sorted({user.email for user in recipients})
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = render_email(template, context)
    queued = 0
    for address in addresses:
        email = email_queue(
            kind=kind,
            to=[address],
            subject=subject,
            body=text,
            html=html,
            key=key,
        )
        queued += email is not None
    return queued


def notify_transition(*, event: ArticleEvent) -> int:
    """Queue what a workflow step tells people (see the module); how many messages."""
    article, actor = event.article, event.user
    if event.action == Action.SUBMITTED:
        return _queue(
            kind=Kind.SUBMITTED,
            template="submitted",
            recipients=editors(exclude=actor),
            context=_context(article, actor=_name(actor)),
        )
    if event.action == Action.SENT_BACK:
        return _queue(
            kind=Kind.SENT_BACK,
            template="sent_back",
            recipients=writers(article=article, exclude=actor),
            context=_context(article, actor=_name(actor), note=event.note),
        )
    return 0


def notify_assigned(*, assignment: Assignment, actor=None) -> int:
    """Tell the writer what the desk wants of them, by when; how many messages (0 or 1)."""
    writer = assignment.assigned_to
    if actor is not None and writer.pk == actor.pk:
        return 0
    context = {
        "site_name": settings.SITE_NAME,
        "assignment": assignment,
        "actor": _name(actor),
        "time_zone": settings.TIME_ZONE,
        "change_url": absolute_url(
            reverse("admin:journal_assignment_change", args=[assignment.pk])
        ),
    }
    return _queue(
        kind=Kind.ASSIGNED,
        template="assigned",
        recipients=_staff().filter(pk=writer.pk),
        context=context,
    )


def notify_went_live(*, now: datetime.datetime | None = None) -> int:
    """Tell each editor who scheduled an article that has since gone live, once; how many.

    An article goes live at its time without any save, so this looks for
    scheduling events whose time has come in the last WENT_LIVE_WINDOW and
    whose article is still published at that very time (not rescheduled,
    published early or taken down since). The message's key names the
    article and its time: a second run, or a second server, writes nothing.
    """
    now = now or timezone.now()
    events = (
        ArticleEvent.objects.filter(
            action=Action.SCHEDULED,
            publish_at__lte=now,
            publish_at__gt=now - WENT_LIVE_WINDOW,
            article__status=Article.Status.PUBLISHED,
            article__publish_at=F("publish_at"),
        )
        .select_related("article", "user")
        .order_by("at", "pk")
    )
    # The article's latest scheduling is the one that put it out.
    latest = {event.article_id: event for event in events}
    keys = {
        pk: f"went-live:{pk}:{int(event.publish_at.timestamp())}" for pk, event in latest.items()
    }
    done = set(OutgoingEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    queued = 0
    for pk, event in latest.items():
        user = event.user
        if keys[pk] in done or user is None or not (user.is_active and user.is_staff):
            continue
        public_url = absolute_url(event.article.get_absolute_url())
        queued += _queue(
            kind=Kind.WENT_LIVE,
            template="went_live",
            recipients=[user] if user.email else [],
            context=_context(
                event.article,
                public_url=public_url,
                publish_at=event.publish_at,
                scheduled_on=event.at,
            ),
            key=keys[pk],
        )
    return queued
