"""The desk's records of an article's journey: workflow events and shareable preview links."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journal.models.articles import Article


class ArticleEvent(models.Model):
    """Who moved an article through the workflow, and when: the desk's audit trail."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back to draft")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        ARCHIVED = "archived", _("Archived")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text=_("For publishing and scheduling: the time set.")
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["article", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        """Links that still open their preview: neither expired nor withdrawn."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PreviewLink(models.Model):
    """A shareable link that shows one article, as readers will see it, to someone without a login.

    The address carries a signed token naming this row (see `journal.services.previews`);
    the row says how long the link works and whether it was withdrawn.
    """

    DEFAULT_DAYS = 7
    MAX_DAYS = 30

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    token_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(help_text=_("The link stops working at this time."))
    revoked_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Set when an editor withdraws the link; it stops working at once."),
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Sharing is governed by the right to change the article, not by
        # permissions of its own.
        default_permissions = []
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="journal_previewlink_expires_after_creation",
                violation_error_message=_("A preview link must expire after it is created."),
            ),
        ]

    def __str__(self):
        return f"Preview link for “{self.article}” until {self.expires_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.expires_at and self.created_at:
            if self.expires_at - self.created_at > datetime.timedelta(days=self.MAX_DAYS):
                raise ValidationError(
                    {
                        "expires_at": _("A preview link works for %(days)d days at most.")
                        % {"days": self.MAX_DAYS}
                    }
                )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
