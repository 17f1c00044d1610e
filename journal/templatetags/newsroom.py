"""The editors' dashboard on the admin index."""

from django import template
from django.db.models import Q

from journal.models import Article

register = template.Library()

SHOWN = 8


@register.inclusion_tag("admin/journal/_dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    user = context["request"].user
    if not user.has_perm("journal.view_article"):
        return {"show": False}
    articles = Article.objects.only("pk", "title", "status", "publish_at", "updated_at")
    mine = Q(created_by=user) | Q(bylines__contributor__user=user)
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
    }
