"""The outbox: every e-mail the journal sends, kept until the mail server has taken it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One message to one or more people, queued with the change it tells of.

    A message is written in the same transaction as the save it follows and
    sent after the commit (`journal.services.outbox`); one the mail server
    refused or could not take waits for `manage.py send_queued_email`, which
    tries again later, each time a little later, and gives up after a day or so.
    """

    class Kind(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("Password reset")
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back to draft")
        WENT_LIVE = "went_live", _("Scheduled article live")
        ASSIGNED = "assigned", _("Assignment")
        # A reader's confirmation link, or a link to their newsletter preferences.
        NEWSLETTER = "newsletter", _("Newsletter subscription")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Names what the message tells of, for messages that must go once only (an
    # article going live, a password reset asked for twice in a second): a
    # second message with the same key is never written.
    key = models.CharField(max_length=100, blank=True, editable=False)
    to = models.JSONField(_("recipients"), default=list)
    subject = models.TextField()
    body = models.TextField(help_text=_("The plain-text part."))
    html = models.TextField(_("HTML"), blank=True, help_text=_("The HTML part, if any."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, help_text=_("What the mail server last answered."))
    created_at = models.DateTimeField(default=timezone.now)
    # When a message waiting to be sent is next tried. A sender about to try
    # it moves this a few minutes on first, so no other sender takes it too.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="journal_outgoingemail_unique_key"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="journal_outgoingemail_sent_has_time",
            ),
        ]

    def __str__(self):
        return self.subject
