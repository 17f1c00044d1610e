"""The summit desk on the admin's front page: meetings whose record needs bringing up to date."""

from django import template
from django.urls import reverse

from summits.models import Summit

register = template.Library()

SHOWN = 8


@register.inclusion_tag("admin/summits/_overdue.html", takes_context=True)
def summit_desk_overdue(context):
    """Meetings whose dates have passed but that still say "planned", oldest first.

    Readers see them among past meetings with "Outcome not yet recorded"
    until the desk says whether they were held, postponed or cancelled.
    """
    if not context["request"].user.has_perm("summits.change_summit"):
        return {"show": False}
    overdue = Summit.objects.overdue().select_related("framework")
    summits = list(overdue[:SHOWN])
    return {
        "show": bool(summits),
        "summits": summits,
        "total": len(summits) if len(summits) < SHOWN else overdue.count(),
        "changelist_url": reverse("admin:summits_summit_changelist") + "?dates=overdue",
    }
