"""Assignments: a piece the desk plans, given to a writer with a due time, until it is filed.

An editor writes the brief, names the writer and the time it is due (in the
journal's time zone, usually "by 18:00"), and what it covers; the writer
starts the article from it, and the assignment keeps the article it led to.
Creating, starting, completing and cancelling live in
journal/services/assignments.py.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journal.models.articles import Article, check_storable_time
from summits.models import Country, Framework, Summit


def assignable_users() -> Q:
    """Who may be given an assignment: active staff who may write articles.

    Writers, editors and administrators, by their permission rather than by
    a group's name, so a group the site adds later counts too.
    """
    writes = {"codename": "add_article", "content_type__app_label": "journal"}
    return Q(is_active=True, is_staff=True) & (
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{key}": value for key, value in writes.items()})
        | Q(**{f"user_permissions__{key}": value for key, value in writes.items()})
    )


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        """Assignments still to be written: neither done nor cancelled."""
        return self.filter(status=Assignment.Status.OPEN)

    def overdue(self, now: datetime.datetime | None = None):
        """Open assignments whose due time has passed."""
        return self.open().filter(due_at__lt=now or timezone.now())

    def soonest_first(self):
        return self.order_by("due_at", "pk")


class Assignment(models.Model):
    """A planned piece: what it should cover, who writes it, by when, and the article it led to."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(
        _("working title"),
        max_length=255,
        help_text=_("What the desk calls the piece until it has a headline."),
    )
    brief = models.TextField(
        blank=True,
        help_text=_("What the piece should cover: the angle, whom to talk to, the length."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        limit_choices_to=assignable_users,
        related_name="assignments",
        verbose_name=_("writer"),
        help_text=_("Anyone who may write articles: writers, editors, administrators."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    due_at = models.DateTimeField(
        _("due"),
        help_text=_("When the copy is due, in the journal's time zone."),
    )
    summit = models.ForeignKey(
        Summit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        help_text=_("The meeting the piece covers, if any; its article is tagged with it."),
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="assignments", verbose_name=_("countries")
    )
    frameworks = models.ManyToManyField(
        Framework, blank=True, related_name="assignments", verbose_name=_("frameworks")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    article = models.OneToOneField(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment",
        help_text=_("The article that fulfils the assignment; set when the writer starts it."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "cancelled"]),
                name="journal_assignment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="journal_assignment_title_not_empty",
                violation_error_message=_("An assignment needs a working title."),
            ),
        ]
        indexes = [
            # The editors' "Assignments due": open ones, soonest first.
            models.Index(
                fields=["due_at"], condition=Q(status="open"), name="journal_assignment_open_idx"
            ),
            # A writer's "My assignments".
            models.Index(
                fields=["assigned_to", "due_at"],
                condition=Q(status="open"),
                name="journal_assignment_writer_idx",
            ),
            # The desk's list, latest due first.
            models.Index(fields=["-due_at", "-id"], name="journal_assignment_due_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        try:
            check_storable_time(self.due_at)
        except ValidationError as error:
            raise ValidationError({"due_at": error}) from error

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        """The row's twin of `Assignment.objects.overdue()`: open, and due before now."""
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()
