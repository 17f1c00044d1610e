"""The outbox, read-only: what the journal e-mailed, what waits, and what the server answered."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from journal.models import OutgoingEmail
from journal.services.outbox import outbox_retry, outbox_send
from summits.admin_guards import GuardedAdminMixin


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Every message, newest first; those the server would not take can be sent again."""

    list_display = ["subject", "recipients", "kind", "status", "attempts", "created_at", "error"]
    list_filter = ["status", "kind"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "recipients",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "body",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.has_perm("journal.view_outgoingemail")

    @admin.display(description=_("recipients"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description=_("last error"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Send again now"), permissions=["send"])
    def send_again(self, request, queryset):
        """Given-up messages are queued again and tried now, with those whose turn has come.

        A message waiting for its next try keeps its turn: it may be in the
        middle of being sent by another process.
        """
        ids = list(queryset.values_list("pk", flat=True))
        outbox_retry(ids=ids)
        outcome = outbox_send(ids=ids)
        if not outcome.sent and not outcome.failed:
            self.message_user(
                request, _("Nothing to send now: waiting messages are tried at their next turn.")
            )
        if outcome.sent:
            count = len(outcome.sent)
            self.message_user(
                request,
                ngettext("%(count)d message sent.", "%(count)d messages sent.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        if outcome.failed:
            count = len(outcome.failed)
            self.message_user(
                request,
                ngettext(
                    "%(count)d message could not be sent; it waits for the next try.",
                    "%(count)d messages could not be sent; they wait for the next try.",
                    count,
                )
                % {"count": count},
                messages.ERROR,
            )
