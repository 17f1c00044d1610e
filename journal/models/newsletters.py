"""Newsletters: readers who follow the journal, countries or frameworks by e-mail.

A subscriber is an address, the language and frequency of their digest, what
they follow and where their digests have got to: nothing else is kept (no
opens, clicks or client addresses). Subscribing, confirming and sending live
in journal/services/newsletters.py and journal/services/digests.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from summits.models import Country, Framework


def new_token() -> str:
    """A random key for a subscriber's links: 32 URL-safe characters."""
    return secrets.token_urlsafe(24)


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscribers who confirmed their address: the only ones ever sent a digest."""
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Subscriber(models.Model):
    """One address that follows the whole journal, or some countries and frameworks."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        help_text=_("The language of the reader's digests: that of the page they subscribed on."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    everything = models.BooleanField(
        _("the whole journal"),
        default=False,
        help_text=_("Every published article, whatever its countries and frameworks."),
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="newsletter_subscribers", verbose_name=_("countries")
    )
    frameworks = models.ManyToManyField(
        Framework, blank=True, related_name="newsletter_subscribers", verbose_name=_("frameworks")
    )
    # What the links in the reader's e-mails are signed from. Never shown.
    token = models.CharField(max_length=64, default=new_token, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        _("confirmed at"),
        null=True,
        blank=True,
        help_text=_("Empty until the reader opens the link in the confirmation e-mail."),
    )
    sent_up_to = models.DateTimeField(
        _("digests sent up to"),
        null=True,
        blank=True,
        help_text=_("Articles published up to this time have gone out in a digest (or were none)."),
    )
    # A sender about to send this subscriber's digest holds it until then, so
    # that a second sender (another server, an overlapping cron run) skips it.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        constraints = [
            models.UniqueConstraint(fields=["email"], name="journal_subscriber_unique_email"),
            models.UniqueConstraint(fields=["token"], name="journal_subscriber_unique_token"),
            # A confirmed subscriber's digests start somewhere.
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(sent_up_to__isnull=False),
                name="journal_subscriber_confirmed_has_start",
            ),
        ]
        indexes = [
            # Whose digest is due: confirmed subscribers by frequency and progress.
            models.Index(
                fields=["frequency", "sent_up_to"],
                condition=Q(confirmed_at__isnull=False),
                name="journal_subscriber_due_idx",
            ),
            # Unconfirmed requests past the confirmation window, to purge.
            models.Index(
                fields=["created_at"],
                condition=Q(confirmed_at__isnull=True),
                name="journal_subscriber_pending_idx",
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        # One subscription per mailbox, however the address was typed.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
