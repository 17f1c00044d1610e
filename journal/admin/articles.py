"""The article admin: the list, its year filter, bulk actions and the page's workflow steps."""

import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Max, Min, Prefetch, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from journal.admin.article_form import ArticleAdminForm
from journal.admin.bylines import BylineInline, BylineInlineFormSet
from journal.admin.corrections import CorrectionInline
from journal.admin.history import ArticleHistoryMixin
from journal.admin.imports import ArticleImportAdminMixin
from journal.admin.previews import PreviewAdminMixin
from journal.admin.suggestions import TagSuggestionAdminMixin
from journal.admin.translations import TranslationAdminMixin
from journal.admin.workflow import (
    STEP_FIELD,
    STEP_HELP,
    WORKFLOW_FIELDS,
    posted_step,
    step_done,
    workflow_state,
)
from journal.images.uploads import CHECKED_IMAGES
from journal.models import Article, Byline, Correction
from journal.services.workflow import (
    article_archive,
    article_publish,
    article_steps,
    article_take_step,
    article_unpublish,
    can_publish,
    status_after,
)
from summits.admin_guards import GuardedAdminMixin


class PublishYearFilter(admin.SimpleListFilter):
    """Articles published (or scheduled) in a year, newest year first.

    In place of a date hierarchy, whose list of years reads the publish time
    of every article in the archive on each visit; this asks the index for the
    first and the last.
    """

    title = "publication year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = model_admin.get_queryset(request).aggregate(
            first=Min("publish_at"), last=Max("publish_at")
        )
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            year = int(self.value())
            start = timezone.make_aware(datetime.datetime(year, 1, 1))
            end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(publish_at__gte=start, publish_at__lt=end)


@admin.register(Article)
class ArticleAdmin(
    GuardedAdminMixin,
    ArticleImportAdminMixin,
    TagSuggestionAdminMixin,
    PreviewAdminMixin,
    TranslationAdminMixin,
    ArticleHistoryMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = ["title", "section", "state", "publish_at", "byline_names", "updated_at"]
    list_filter = [
        "status",
        "section",
        "language",
        PublishYearFilter,
        "featured",
        "countries",
        "frameworks",
    ]
    list_per_page = 50
    # Counting the whole archive again beside every filtered count costs as
    # much as the page; the desk sees "N results" and a link to show all.
    show_full_result_count = False
    # Read by get_search_results below, which matches contributors without a join.
    search_fields = ["title", "standfirst", "slug", "bylines__contributor__name"]
    search_help_text = gettext_lazy("Search headlines, standfirsts, slugs and contributor names.")
    # No prepopulated_fields: the slug follows the headline on the change page too,
    # until the article is first published (ArticleAdminForm._offer_headline_slug).
    autocomplete_fields = ["countries", "frameworks", "summits", "translation_of"]
    formfield_overrides = CHECKED_IMAGES
    inlines = [BylineInline, CorrectionInline]
    readonly_fields = [
        "created_by",
        "created_at",
        "updated_at",
        "hero_preview",
        "workflow_history",
        "translations",
    ]
    actions = ["publish_selected", "unpublish_selected", "archive_selected"]
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_is_provisional",
                    "bylines_need_checking",
                    "slug",
                    "standfirst",
                    "body",
                    "loaded_version",
                ]
            },
        ),
        (
            gettext_lazy("Language"),
            {"fields": ["language", "translation_of", "translations"]},
        ),
        (
            gettext_lazy("Contributed pieces"),
            {
                "fields": ["editors_note", "credit_line"],
                "description": gettext_lazy("Set apart from the body on the article page."),
            },
        ),
        (gettext_lazy("Tags"), {"fields": ["countries", "frameworks", "summits"]}),
        (
            gettext_lazy("Image"),
            {"fields": ["hero_image", "hero_preview", "hero_alt", "hero_caption", "hero_credit"]},
        ),
        (
            gettext_lazy("Publication"),
            {
                "fields": ["section", "status", "publish_at", "featured", "review_note"],
                "description": gettext_lazy(
                    "The status and the publish time change with the buttons at the foot "
                    "of the page: writers submit for review; editors publish, schedule, "
                    "send back with a note, unpublish or archive."
                ),
            },
        ),
        (
            gettext_lazy("History"),
            {
                "fields": ["workflow_history", "created_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["journal/admin/workflow.css"]})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """Every word (or "quoted phrase") in a headline, standfirst, slug or byline name.

        As Django's own search over `search_fields`, but without joining
        bylines, which made every search a DISTINCT over the archive to drop
        the articles found twice. On PostgreSQL the text matches are a
        subquery of their own, answered from trigram indexes (migration 0012);
        SQLite, which has none, tests each article as it reads the newest first.
        """
        for term in smart_split(search_term):
            if term[0] in "\"'" and term[-1] == term[0]:
                term = unescape_string_literal(term)
            if not term:
                continue
            in_text = (
                Q(title__icontains=term) | Q(standfirst__icontains=term) | Q(slug__icontains=term)
            )
            in_bylines = Q(
                pk__in=Byline.objects.filter(contributor__name__icontains=term).values("article_id")
            )
            if connection.vendor == "postgresql":
                # A subquery of its own, which the trigram indexes answer.
                in_text = Q(pk__in=Article.objects.filter(in_text).values("pk"))
            queryset = queryset.filter(in_text | in_bylines)
        return queryset, False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and request.method == "POST":
            after = status_after(article=obj, step=posted_step(request))
            kwargs["publishing"] = after == Article.Status.PUBLISHED
        return kwargs

    def get_readonly_fields(self, request, obj=None):
        # Status, publish time and review note move only with the workflow buttons.
        fields = [*super().get_readonly_fields(request, obj), *WORKFLOW_FIELDS]
        if not can_publish(request.user):
            fields.append("featured")
        return fields

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.has_perm("journal.edit_any_article"):
            return True
        # Writers: their own articles, while they are drafts.
        return obj.status == Article.Status.DRAFT and (
            obj.created_by_id == request.user.pk
            or obj.bylines.filter(contributor__user=request.user).exists()
        )

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        # A step saves the article itself, once, with its tags and inlines (save_related).
        if form.cleaned_data.get(STEP_FIELD) is None:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        step = form.cleaned_data.get(STEP_FIELD)
        if step is None:
            super().save_related(request, form, formsets, change)
            return
        parent = super()

        def save(article):
            parent.save_model(request, article, form, change)
            parent.save_related(request, form, formsets, change)

        bylines = next((f for f in formsets if isinstance(f, BylineInlineFormSet)), None)
        try:
            article = article_take_step(
                article=form.instance,
                step=step,
                user=request.user,
                at=form.cleaned_data.get("schedule_at"),
                note=form.cleaned_data.get("send_back_note", ""),
                countries=form.cleaned_data.get("countries"),
                bylines=bylines.contributors() if bylines else None,
                save=save,
            )
        except ValidationError as error:
            # The form checked the same before anything was written, so the
            # article changed under this request: refused, and all of it undone.
            raise PermissionDenied("; ".join(error.messages)) from error
        self.message_user(request, step_done(step, article), messages.SUCCESS)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._name_step_in_revision(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._name_step_in_revision(request, entry)
        return entry

    def _name_step_in_revision(self, request, entry):
        """The revision a step records starts with it: "Publish now. Changed Title."."""
        step = posted_step(request)
        if step and reversion.is_active():
            reversion.set_comment(
                _("%(step)s. %(changes)s")
                % {"step": step.label, "changes": entry.get_change_message()}
            )

    def response_add(self, request, obj, post_url_continue=None):
        if posted_step(request) and IS_POPUP_VAR not in request.POST:
            # The step has said what it did; the editor stays with the article.
            opts = self.opts
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[obj.pk],
                )
            )
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if posted_step(request) and IS_POPUP_VAR not in request.POST:
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editable = (
            (self.has_change_permission(request, obj) if obj else self.has_add_permission(request))
            and not context.get("is_popup")
            # Restoring a revision keeps the article where it is in the workflow.
            and not context.get("revert")
        )
        context["workflow"] = None
        if editable:
            article = obj if obj is not None else Article()
            steps = article_steps(article=article, user=request.user)
            context["workflow"] = {
                "state": workflow_state(article),
                "steps": [(step, STEP_HELP[step]) for step in steps],
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_formset(self, request, form, formset, change):
        corrections = formset.model is Correction
        instances = formset.save(commit=False)
        for instance in instances:
            if corrections and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
        # A new correction changes the article as readers know it: the save of
        # the article it came with has marked it as updated.

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            local = timezone.localtime(obj.publish_at)
            return format_html(_("Scheduled for {}"), date_format(local, "DATETIME_FORMAT"))
        return obj.get_status_display()

    @admin.display(description="Bylines")
    def byline_names(self, obj):
        return ", ".join(byline.contributor.name for byline in obj.bylines.all())

    @admin.display(description=gettext_lazy("Workflow"))
    def workflow_history(self, obj):
        events = obj.events.select_related("user")[:50] if obj.pk else []
        if not events:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {}{}{}</li>",
                (
                    (
                        date_format(timezone.localtime(event.at), "DATETIME_FORMAT"),
                        event.get_action_display(),
                        _(" by %(user)s") % {"user": event.user.get_username()}
                        if event.user
                        else "",
                        f": {event.note}" if event.note else "",
                    )
                    for event in events
                ),
            ),
        )

    @admin.display(description="Current image")
    def hero_preview(self, obj):
        if not obj.hero_image:
            return "—"
        return format_html('<img src="{}" alt="" class="image-preview">', obj.hero_image.url)

    def _bulk(self, request, queryset, change, *, done, refused):
        """`change` each article through its service; say which were refused and why."""
        count = 0
        for article in queryset:
            try:
                change(article)
            except (ValidationError, PermissionDenied) as error:
                problems = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(
                    request, refused % {"article": article, "problems": problems}, messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, done(count) % count, messages.SUCCESS)

    @admin.action(
        permissions=["publish"],
        description=gettext_lazy("Publish selected articles now (or at their scheduled time)"),
    )
    def publish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda article: article_publish(article=article, user=request.user),
            done=lambda n: ngettext("%d article published.", "%d articles published.", n),
            refused=_("“%(article)s” was not published: %(problems)s"),
        )

    @admin.action(
        permissions=["publish"], description=gettext_lazy("Unpublish selected articles (to draft)")
    )
    def unpublish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.filter(status=Article.Status.PUBLISHED),
            lambda article: article_unpublish(article=article, user=request.user),
            done=lambda n: ngettext("%d article unpublished.", "%d articles unpublished.", n),
            refused=_("“%(article)s” was not unpublished: %(problems)s"),
        )

    @admin.action(permissions=["publish"], description=gettext_lazy("Archive selected articles"))
    def archive_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.exclude(status=Article.Status.ARCHIVED),
            lambda article: article_archive(article=article, user=request.user),
            done=lambda n: ngettext("%d article archived.", "%d articles archived.", n),
            refused=_("“%(article)s” was not archived: %(problems)s"),
        )
