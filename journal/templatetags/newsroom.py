"""The desk's dashboard on the admin index: articles, assignments, newsletters, e-mail trouble."""

from django import template
from django.db.models import Q
from django.urls import reverse

from journal.models import Article, Assignment
from journal.services.assignments import can_manage
from journal.services.newsletters import subscriber_counts
from journal.services.outbox import outbox_trouble

register = template.Library()

SHOWN = 8


@register.inclusion_tag("admin/journal/_dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    user = context["request"].user
    if not user.has_perm("journal.view_article"):
        return {"show": False}
    articles = Article.objects.only("pk", "title", "status", "publish_at", "updated_at")
    mine = Q(created_by=user) | Q(bylines__contributor__user=user)
    assignments = Assignment.objects.open().select_related("summit", "article").soonest_first()
    editing = can_manage(user)
    return {
        "show": True,
        "my_drafts": articles.filter(mine, status=Article.Status.DRAFT)
        .distinct()
        .order_by("-updated_at")[:SHOWN],
        "review_queue": articles.filter(status=Article.Status.IN_REVIEW).order_by("updated_at")[
            :SHOWN
        ],
        "scheduled": articles.scheduled().order_by("publish_at")[:SHOWN],
        "recent": articles.published().order_by("-publish_at")[:SHOWN],
        "can_publish": user.has_perm("journal.publish_article"),
        # Open ones, soonest first: the writer's own, and for editors everyone's.
        "my_assignments": assignments.filter(assigned_to=user)[:SHOWN],
        "assignments_due": assignments.select_related("assigned_to")[:SHOWN] if editing else None,
        "assignments_url": reverse("admin:journal_assignment_changelist") + "?status__exact=open",
        "can_write": user.has_perm("journal.add_article"),
    }


@register.inclusion_tag("admin/journal/_outbox_warning.html", takes_context=True)
def outbox_warning(context):
    """Shown to all staff: editors waiting for a notice should know it will be late."""
    trouble = outbox_trouble()
    if trouble is None:
        return {"trouble": None}
    user = context["request"].user
    return {
        "trouble": trouble,
        "outbox_url": reverse("admin:journal_outgoingemail_changelist")
        if user.has_perm("journal.view_outgoingemail")
        else "",
    }


@register.inclusion_tag("admin/journal/_newsletter_counts.html", takes_context=True)
def newsletter_counts(context):
    """Confirmed subscribers per list, for editors: numbers only, never addresses."""
    user = context["request"].user
    if not (user.has_perm("journal.publish_article") or user.has_perm("journal.view_subscriber")):
        return {"counts": None}
    return {"counts": subscriber_counts()}
