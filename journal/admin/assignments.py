"""Assignments: editors plan pieces and give them to writers; writers see theirs and start them.

Editors (who may change assignments) see and edit every one. Writers may
only view, and only their own (`get_queryset`): from an assignment of theirs
they start its article, on a page that asks first, as a translation does.
Completing, cancelling and reopening go through the same kind of page, or
the list's actions; the status is not edited in the form.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from journal.models import Assignment
from journal.services.assignments import (
    AssignmentRefused,
    assignment_cancel,
    assignment_complete,
    assignment_draft_tags,
    assignment_reopen,
    assignment_save,
    assignment_start_article,
    can_manage,
    can_start,
    start_error,
)
from summits.admin_guards import GuardedAdminMixin

# The steps an editor takes on an assignment's own page: (service, button, done message).
STEPS = {
    "done": (
        assignment_complete,
        gettext_lazy("Mark it done"),
        gettext_lazy("“%(title)s” is done."),
    ),
    "cancel": (
        assignment_cancel,
        gettext_lazy("Cancel the assignment"),
        gettext_lazy("“%(title)s” was cancelled."),
    ),
    "reopen": (
        assignment_reopen,
        gettext_lazy("Reopen it"),
        gettext_lazy("“%(title)s” is open again."),
    ),
}
# Where each step may start.
STEP_FROM = {
    "done": {Assignment.Status.OPEN},
    "cancel": {Assignment.Status.OPEN},
    "reopen": {Assignment.Status.DONE, Assignment.Status.CANCELLED},
}
# A new assignment is due tomorrow at this hour, in the journal's time zone, until changed.
DEFAULT_DUE_HOUR = 18


def due_html(assignment: Assignment) -> str:
    """The due time, with "Overdue" and its icon when it has passed: as the dashboard shows it."""
    return render_to_string("admin/journal/assignment/_due.html", {"assignment": assignment})


def writer_name(user) -> str:
    """ "Aigerim Sadykova (aigerim)", or the login alone for an account without a name."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class DueFilter(admin.SimpleListFilter):
    title = gettext_lazy("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("Overdue")),
            ("week", gettext_lazy("Open, due in the next 7 days")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.overdue(now)
        if self.value() == "week":
            return queryset.open().filter(
                due_at__gte=now, due_at__lt=now + datetime.timedelta(days=7)
            )
        return queryset


@admin.register(Assignment)
class AssignmentAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "assigned_to", "due", "summit", "status", "article_link"]
    list_filter = [
        DueFilter,
        "status",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        ("summit", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["assigned_to", "summit", "article"]
    search_fields = ["title", "brief", "summit__title"]
    search_help_text = gettext_lazy("Search working titles, briefs and summit titles.")
    date_hierarchy = "due_at"
    autocomplete_fields = ["summit", "countries", "frameworks", "article"]
    readonly_fields = ["state", "assigned_by", "created_at", "updated_at"]
    actions = ["complete_selected", "cancel_selected"]
    fieldsets = [
        (None, {"fields": ["title", "brief"]}),
        (gettext_lazy("Writer and deadline"), {"fields": ["assigned_to", "due_at", "assigned_by"]}),
        (
            gettext_lazy("What it covers"),
            {
                "fields": ["summit", "countries", "frameworks"],
                "description": gettext_lazy(
                    "The article started from the assignment is tagged with these, and with "
                    "the summit's framework and the countries taking part."
                ),
            },
        ),
        (
            gettext_lazy("Progress"),
            {"fields": ["state", "article", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        assignments = super().get_queryset(request)
        if can_manage(request.user):
            return assignments
        # Writers see the assignments given to them, and no others.
        return assignments.filter(assigned_to=request.user)

    def get_list_display(self, request):
        if can_manage(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "assigned_to"]

    def get_list_filter(self, request):
        if can_manage(request.user):
            return self.list_filter
        return [DueFilter, "status"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "due_at" not in initial:
            tomorrow = timezone.localdate() + datetime.timedelta(days=1)
            initial["due_at"] = timezone.make_aware(
                datetime.datetime.combine(tomorrow, datetime.time(DEFAULT_DUE_HOUR))
            )
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "assigned_to" and field is not None:
            # People by name, as the desk knows them; the login where names are alike.
            field.queryset = field.queryset.order_by("first_name", "last_name", "username")
            field.label_from_instance = writer_name
        return field

    def save_model(self, request, obj, form, change):
        assignment_save(assignment=obj, user=request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/start/",
                self.admin_site.admin_view(self.start_view),
                name="{}_{}_start".format(*info),
            ),
            *[
                path(
                    f"<path:object_id>/{step}/",
                    self.admin_site.admin_view(self.step_view),
                    {"step": step},
                    name="{}_{}_{}".format(*info, step),
                )
                for step in STEPS
            ],
            *super().get_urls(),
        ]

    def _url(self, name: str, assignment: Assignment) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[assignment.pk],
            current_app=self.admin_site.name,
        )

    @admin.display(description=gettext_lazy("due"), ordering="due_at")
    def due(self, obj):
        return due_html(obj)

    @admin.display(description=gettext_lazy("article"), ordering="article__title")
    def article_link(self, obj):
        if obj.article is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:journal_article_change", args=[obj.article.pk]),
            obj.article.title,
            obj.article.get_status_display(),
        )

    @admin.display(description=gettext_lazy("status"))
    def state(self, obj):
        """The status, and "Overdue" with its icon when an open assignment's time has passed."""
        if obj is None or obj.pk is None:
            return Assignment.Status.OPEN.label
        return render_to_string("admin/journal/assignment/_state.html", {"assignment": obj})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the due time as the lists show it, "Overdue" and all.
        return [
            (
                name,
                {**options, "fields": ["due" if f == "due_at" else f for f in options["fields"]]},
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [*fields, "due"]

    def actions_for(self, request, assignment: Assignment) -> list[dict]:
        """The buttons above an assignment's form: start its article, and the editors' steps."""
        actions = []
        if not start_error(assignment=assignment) and can_start(
            assignment=assignment, user=request.user
        ):
            actions.append({"url": self._url("start", assignment), "label": _("Start the article")})
        elif assignment.article_id is not None and request.user.has_perm("journal.view_article"):
            actions.append(
                {
                    "url": reverse("admin:journal_article_change", args=[assignment.article_id]),
                    "label": _("Open the article"),
                }
            )
        if self.has_change_permission(request, assignment):
            actions += [
                {"url": self._url(step, assignment), "label": label}
                for step, (_service, label, _message) in STEPS.items()
                if assignment.status in STEP_FROM[step]
            ]
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assignment = self.get_object(request, unquote(object_id))
        if assignment is not None:
            extra_context = {
                **(extra_context or {}),
                "assignment_actions": self.actions_for(request, assignment),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _get_for_step(self, request, object_id) -> Assignment:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        assignment = self.get_object(request, unquote(object_id))
        if assignment is None:
            raise Http404(_("No such assignment."))
        return assignment

    def start_view(self, request, object_id):
        """Confirm, then start the assignment's draft article, and open it."""
        assignment = self._get_for_step(request, object_id)
        if not can_start(assignment=assignment, user=request.user):
            raise PermissionDenied
        change_url = self._url("change", assignment)
        problem = start_error(assignment=assignment)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            try:
                draft = assignment_start_article(assignment=assignment, user=request.user)
            except AssignmentRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.message_user(
                request,
                _(
                    "The draft “%(title)s” was started from the assignment, with its tags. "
                    "Write it, then submit it for review."
                )
                % {"title": draft.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:journal_article_change", args=[draft.pk]))
        countries, frameworks, summits = assignment_draft_tags(assignment)
        contributor = getattr(assignment.assigned_to, "contributor", None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": assignment,
            "title": _("Start the article for “%(title)s”") % {"title": assignment.title},
            "tags": [
                *(summit.title for summit in summits),
                *(framework.short_name for framework in frameworks),
                *(country.name for country in countries),
            ],
            "contributor": contributor,
            "change_url": change_url,
            "button": _("Start the article"),
        }
        return TemplateResponse(request, "admin/journal/assignment/start.html", context)

    def step_view(self, request, object_id, step):
        """Confirm, then mark the assignment done, cancel it or reopen it."""
        assignment = self._get_for_step(request, object_id)
        if not self.has_change_permission(request, assignment):
            raise PermissionDenied
        service, label, done = STEPS[step]
        change_url = self._url("change", assignment)
        if request.method == "POST":
            try:
                service(assignment=assignment, user=request.user)
            except AssignmentRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, done % {"title": assignment.title}, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": assignment,
            "title": _("%(step)s: “%(title)s”") % {"step": label, "title": assignment.title},
            "step": step,
            "button": label,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/journal/assignment/step.html", context)

    def _bulk(self, request, queryset, service, *, done):
        moved, problems = 0, []
        for assignment in queryset:
            try:
                service(assignment=assignment, user=request.user)
            except AssignmentRefused as error:
                problems.append(str(error))
            else:
                moved += 1
        if moved:
            self.message_user(request, done(moved) % {"count": moved}, messages.SUCCESS)
        if problems:
            self.message_user(
                request,
                " ".join([_("Some were left as they were:"), *problems]),
                messages.WARNING,
            )

    @admin.action(
        description=gettext_lazy("Mark selected assignments done"), permissions=["change"]
    )
    def complete_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.select_related("article"),
            assignment_complete,
            done=lambda count: ngettext(
                "%(count)d assignment marked done.", "%(count)d assignments marked done.", count
            ),
        )

    @admin.action(description=gettext_lazy("Cancel selected assignments"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            assignment_cancel,
            done=lambda count: ngettext(
                "%(count)d assignment cancelled.", "%(count)d assignments cancelled.", count
            ),
        )
