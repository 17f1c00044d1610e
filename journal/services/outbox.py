"""The outbox: e-mail queued with the change it tells of, sent after the commit, tried again.

`email_queue()` writes the message in the caller's transaction and sends it
once that transaction commits: a rolled-back save sends nothing, and nothing
leaves before the change it tells of is there to see. A mail server that is
down or refuses the message costs the save nothing: the message stays queued
with the server's answer, and `manage.py send_queued_email` (cron, every few
minutes) tries it again, later each time (RETRY_AFTER), then gives up. The
admin's dashboard says when mail is not going out (`outbox_trouble`).

A sender takes a message by moving its next try a few minutes on (LEASE) in
one UPDATE, so two senders (a request and the cron job, or two servers)
never send the same message twice while it is being sent. A sender that
dies between the server accepting a message and recording it leaves it to
be sent again once the lease ends: at least once, as mail goes.
"""

import datetime
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from journal.models import OutgoingEmail

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status

# After the n-th failed try the next waits RETRY_AFTER[n - 1]; after the last
# the message is given up: ten tries over about a day.
RETRY_AFTER = tuple(
    datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 30, 60, 120, 240, 480, 720)
)
# How long a sender holds a message it is sending: longer than EMAIL_TIMEOUT
# for each message it sends on one connection.
LEASE = datetime.timedelta(minutes=10)
# Messages one sender takes at a time.
BATCH = 50
# Sent and given-up messages are deleted after this long (send_queued_email).
KEEP = datetime.timedelta(days=30)
# How long a given-up message is reported on the dashboard.
REPORT_GIVEN_UP = datetime.timedelta(days=7)
# Messages whose text holds a link that opens something: kept only until sent.
ERASED_ONCE_SENT = {OutgoingEmail.Kind.PASSWORD_RESET, OutgoingEmail.Kind.NEWSLETTER}


def absolute_url(path: str) -> str:
    """`path` on the site, for a link in an e-mail (DJANGO_SITE_URL)."""
    return settings.SITE_URL + path


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """Subject, plain text and HTML from templates/email/<name>_subject.txt, .txt and .html."""
    subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
    text = render_to_string(f"email/{name}.txt", context).strip() + "\n"
    html = render_to_string(f"email/{name}.html", context)
    return subject, text, html


def email_queue(
    *,
    kind: str,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str = "",
    key: str = "",
) -> OutgoingEmail | None:
    """Queue a message to `to` and send it once the current transaction commits.

    Outside a transaction it is sent at once. A `key` makes the message
    once-only: if a message with that key was ever queued, nothing is
    written and None is returned.
    """
    now = timezone.now()
    email = OutgoingEmail(
        kind=kind,
        key=key,
        to=list(to),
        subject=subject,
        body=body,
        html=html,
        created_at=now,
        next_attempt_at=now,
    )
    email.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint: a duplicate key must not break the caller's transaction.
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if key and OutgoingEmail.objects.filter(key=key).exists():
            return None
        raise
    _send_after_commit(email.pk)
    return email


class _Batch:
    """What one transaction queued: sent together, on one connection, by its first callback."""

    def __init__(self):
        self.ids: list[int] = []
        self.done = False


_local = threading.local()


def _send_after_commit(pk: int) -> None:
    batch = getattr(_local, "batch", None)
    if batch is None or batch.done:
        batch = _local.batch = _Batch()
    batch.ids.append(pk)
    # One callback per message, all sharing the batch: a savepoint rolled back
    # drops its own callbacks, never the one the rest of the batch relies on.
    transaction.on_commit(partial(_send_batch, batch), robust=True)


def _send_batch(batch: _Batch) -> None:
    if batch.done:
        return
    batch.done = True
    outbox_send(ids=batch.ids)


@dataclass
class Outcome:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _take(ids: Iterable[int] | None, now: datetime.datetime) -> list[OutgoingEmail]:
    """The due messages this sender may send, each held for LEASE against other senders."""
    due = OutgoingEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    taken = []
    for email in due.order_by("next_attempt_at", "pk")[:BATCH]:
        held = OutgoingEmail.objects.filter(
            pk=email.pk, status=Status.QUEUED, next_attempt_at__lte=now
        ).update(next_attempt_at=now + LEASE)
        if held:
            taken.append(email)
    return taken


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        # Tells out-of-office replies and mailing lists not to answer (RFC 3834).
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _sent(email: OutgoingEmail) -> None:
    erase = {}
    if email.kind in ERASED_ONCE_SENT:
        # A reset link opens the account, a newsletter link the reader's
        # subscription: once delivered, it lives only in its owner's mailbox,
        # not in the database or its backups.
        erase = {"body": "", "html": ""}
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
        **erase,
    )


def _failed(email: OutgoingEmail, error: Exception) -> None:
    now = timezone.now()
    attempts = email.attempts + 1
    given_up = attempts > len(RETRY_AFTER)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:1000],
        status=Status.FAILED if given_up else Status.QUEUED,
        next_attempt_at=now if given_up else now + RETRY_AFTER[attempts - 1],
    )
    logger.warning(
        "E-mail %s not sent (try %s%s): %s: %s",
        email.pk,
        attempts,
        ", given up" if given_up else "",
        type(error).__name__,
        error,
    )


def outbox_send(*, ids: Iterable[int] | None = None) -> Outcome:
    """Send the queued messages that are due (those of `ids`, or any), up to BATCH of them.

    Never raises for the mail server: whatever goes wrong (refused
    connection, time-out, rejected sender or recipients) is recorded on the
    message, which is tried again later.
    """
    outcome = Outcome()
    emails = _take(ids, timezone.now())
    if not emails:
        return outcome
    # Whatever the server or the network does, the change this mail follows
    # is saved already: a failure is the message's, recorded, never the caller's.
    try:
        # The default mailer: DJANGO_EMAIL_URL (journal/settings.py).
        connection = mailers.default
        connection.open()
    except Exception as error:
        for email in emails:
            _failed(email, error)
            outcome.failed.append(email.pk)
        return outcome
    try:
        for email in emails:
            try:
                connection.send_messages([_message(email)])
            except Exception as error:
                _failed(email, error)
                outcome.failed.append(email.pk)
            else:
                _sent(email)
                outcome.sent.append(email.pk)
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail server connection failed", exc_info=True)
    return outcome


def outbox_send_all() -> Outcome:
    """Send every due message, a batch at a time: what `send_queued_email` does."""
    outcome = Outcome()
    while True:
        batch = outbox_send()
        outcome.sent += batch.sent
        outcome.failed += batch.failed
        # A batch of which nothing went out: the server is down; the rest can wait.
        if len(batch.sent) + len(batch.failed) < BATCH or not batch.sent:
            return outcome


def outbox_retry(*, ids: Iterable[int] | None = None) -> int:
    """Queue given-up messages (those of `ids`, or all) again, to be sent now; how many."""
    given_up = OutgoingEmail.objects.filter(status=Status.FAILED)
    if ids is not None:
        given_up = given_up.filter(pk__in=list(ids))
    return given_up.update(
        status=Status.QUEUED, attempts=0, last_error="", next_attempt_at=timezone.now()
    )


def outbox_clean(*, now: datetime.datetime | None = None) -> int:
    """Delete sent and given-up messages older than KEEP; how many."""
    now = now or timezone.now()
    deleted, _by_model = (
        OutgoingEmail.objects.exclude(status=Status.QUEUED)
        .filter(created_at__lt=now - KEEP)
        .delete()
    )
    return deleted


@dataclass
class Trouble:
    count: int
    error: str


def outbox_trouble() -> Trouble | None:
    """Messages not going out: waiting after a failed try, or given up this week; None if none."""
    failing = OutgoingEmail.objects.filter(
        Q(status=Status.QUEUED, attempts__gt=0)
        | Q(status=Status.FAILED, created_at__gte=timezone.now() - REPORT_GIVEN_UP)
    )
    count = failing.count()
    if not count:
        return None
    latest = failing.order_by("-pk").values_list("last_error", flat=True).first()
    return Trouble(count=count, error=latest or "")
