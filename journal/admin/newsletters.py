"""Newsletter subscribers, read-only: counts per list, and an address's data exported or deleted.

Addresses are personal data. Only those given the "view newsletter
subscriber" permission (administrators have it) see this list; editors see
the counts on the dashboard. Subscribers change their own choices through the
links in their e-mails, so nobody edits them here. Deleting a subscriber here
(on request) also deletes the e-mails queued or sent to the address.
"""

import json

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journal.models import Subscriber
from journal.services.newsletters import subscriber_counts, subscriber_erase, subscriber_export
from summits.admin_guards import GuardedAdminMixin


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Waiting for confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.confirmed()
        if self.value() == "no":
            return queryset.unconfirmed()
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = [
        "email",
        "language",
        "frequency",
        "follows",
        "confirmed",
        "created_at",
        "sent_up_to",
    ]
    list_filter = [
        ConfirmedFilter,
        "frequency",
        "language",
        "everything",
        "countries",
        "frameworks",
    ]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = [
        "email",
        "language",
        "frequency",
        "everything",
        "countries",
        "frameworks",
        "created_at",
        "confirmed_at",
        "sent_up_to",
    ]
    readonly_fields = fields
    actions = ["export_data", "delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries", "frameworks")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "counts": subscriber_counts()}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.display(description=_("follows"))
    def follows(self, obj):
        if obj.everything:
            return _("the whole journal")
        names = [str(c) for c in obj.countries.all()] + [str(f) for f in obj.frameworks.all()]
        return ", ".join(names)

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed_at")
    def confirmed(self, obj):
        return obj.is_confirmed

    def delete_model(self, request, obj):
        subscriber_erase(email=obj.email)

    def delete_queryset(self, request, queryset):
        for email in queryset.values_list("email", flat=True):
            subscriber_erase(email=email)

    @admin.action(description=_("Export their data (JSON)"), permissions=["view"])
    def export_data(self, request, queryset):
        """Everything kept about the selected addresses, as a file to send on request."""
        data = [
            subscriber_export(email=email) for email in queryset.values_list("email", flat=True)
        ]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.json"'
        return response
