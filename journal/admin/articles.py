"""The article admin: the form, its bylines and corrections inlines, the list and its actions."""

import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Max, Min, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from journal.admin.editor import ArticleBodyWidget
from journal.admin.history import ArticleHistoryMixin
from journal.admin.imports import ArticleImportAdminMixin
from journal.admin.previews import PreviewAdminMixin
from journal.admin.suggestions import TagSuggestionAdminMixin
from journal.admin.translations import TranslationAdminMixin
from journal.images.uploads import CHECKED_IMAGES
from journal.models import (
    Article,
    Byline,
    Correction,
)
from journal.services.workflow import (
    Step,
    article_archive,
    article_publish,
    article_step_errors,
    article_steps,
    article_take_step,
    article_unpublish,
    can_publish,
    status_after,
)
from summits.admin_guards import GuardedAdminMixin

# The name the workflow buttons post their step under, and the form's inputs for steps.
STEP_FIELD = "workflow_step"
WORKFLOW_INPUTS = {STEP_FIELD, "schedule_at", "send_back_note"}


def posted_step(request) -> Step | None:
    """The step a button of the article form asks for, if any (the form refuses unknown ones)."""
    value = request.POST.get(STEP_FIELD)
    return Step(value) if value in Step.values else None


# Shown on the article form, changed only by its workflow buttons.
WORKFLOW_FIELDS = ["status", "publish_at", "review_note"]
# Under each button: what pressing it does.
STEP_HELP = {
    Step.SUBMIT: gettext_lazy("Saves your changes and asks the editors to review the article."),
    Step.PUBLISH: gettext_lazy("Saves your changes and puts the article on the site now."),
    Step.SCHEDULE: gettext_lazy("Saves your changes; the article goes live at the time above."),
    Step.RESCHEDULE: gettext_lazy("Saves your changes and moves the time it goes live."),
    Step.SEND_BACK: gettext_lazy(
        "Saves your changes and returns the article to its writer, with your note."
    ),
    Step.UNPUBLISH: gettext_lazy(
        "Saves your changes and takes the article off the site, back to draft. "
        "It keeps its publish time."
    ),
    Step.ARCHIVE: gettext_lazy("Saves your changes and archives the article, off the site."),
    Step.RETURN: gettext_lazy("Saves your changes and makes the article a draft again."),
}


def workflow_state(article: Article) -> str:
    """Where the article stands, in a sentence for the top of its workflow buttons."""
    if article.is_scheduled:
        return _("Scheduled: goes live on %(time)s by itself.") % {
            "time": date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        }
    return {
        Article.Status.DRAFT: _("A draft: readers cannot see it."),
        Article.Status.IN_REVIEW: _("In review: waiting for an editor."),
        Article.Status.PUBLISHED: _("Published: readers see it."),
        Article.Status.ARCHIVED: _("Archived: readers cannot see it."),
    }[article.status]


def step_done(step: Step, article: Article) -> str:
    """The message after a step: what happened to the article."""
    values = {"article": article}
    if article.is_scheduled:
        values["time"] = date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        return _("“%(article)s” is scheduled to go live on %(time)s.") % values
    return {
        Step.SUBMIT: _("“%(article)s” was submitted for review."),
        Step.PUBLISH: _("“%(article)s” was published."),
        Step.SCHEDULE: _("“%(article)s” was published."),
        Step.RESCHEDULE: _("“%(article)s” was published."),
        Step.SEND_BACK: _("“%(article)s” was sent back to draft, with your note."),
        Step.UNPUBLISH: _("“%(article)s” was unpublished: it is a draft again."),
        Step.ARCHIVE: _("“%(article)s” was archived."),
        Step.RETURN: _("“%(article)s” is a draft again."),
    }[step] % values


class BylineInlineFormSet(BaseInlineFormSet):
    def __init__(self, *args, publishing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether the article is, or is about to be, published (ArticleAdmin says).
        self.publishing = publishing

    def contributors(self) -> list:
        """Who is credited once this formset, validated, is saved."""
        return [
            form.cleaned_data["contributor"]
            for form in self.forms
            if form.cleaned_data.get("contributor") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors) or not self.publishing:
            return
        # The article form checks the rest of the publication rules.
        problems = self.instance.publication_errors(bylines=self.contributors()).get("bylines")
        if problems:
            raise ValidationError(problems)


class BylineInline(GuardedAdminMixin, admin.TabularInline):
    model = Byline
    formset = BylineInlineFormSet
    autocomplete_fields = ["contributor"]
    fields = ["order", "contributor", "role"]
    extra = 1
    verbose_name_plural = "Bylines (in the order readers see them)"


@admin.register(Byline)
class BylineAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Every credit across articles; bylines are normally edited on their article."""

    list_display = ["article", "contributor", "role", "order"]
    list_filter = ["role", "contributor__kind"]
    list_select_related = ["article", "contributor"]
    search_fields = ["article__title", "contributor__name"]
    autocomplete_fields = ["article", "contributor"]


@admin.register(Correction)
class CorrectionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Every correction the journal has made; added from the article's own page."""

    list_display = ["article", "published_at", "text"]
    list_select_related = ["article"]
    search_fields = ["article__title", "text"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["article"]
    fields = ["article", "published_at", "text"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["published_at", "text"]
    extra = 0
    verbose_name_plural = "Corrections (shown to readers under the article)"


class ArticleAdminForm(forms.ModelForm):
    """Checks what the model cannot see: the step a workflow button asks for, the
    pending tags, and whether someone else saved the article since this form was opened."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Posted by the workflow buttons under the form (article/_workflow.html).
    workflow_step = forms.TypedChoiceField(
        choices=Step.choices, coerce=Step, required=False, empty_value=None
    )
    schedule_at = forms.SplitDateTimeField(
        label=gettext_lazy("Publish time"),
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text=gettext_lazy(
            "The article goes live at this time by itself. A time already past "
            "publishes it now, dated then."
        ),
    )
    send_back_note = forms.CharField(
        label=gettext_lazy("Note to the writer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("What to change; shown on the article."),
    )
    user = None  # set by ArticleAdmin.get_form

    class Meta:
        widgets = {"body": ArticleBodyWidget}
        help_texts = {
            "body": gettext_lazy(
                "Paragraphs, subheadings, bold, italic, links, lists, quotes and images "
                "from our uploads, with captions. Pasting from a word processor keeps this "
                "structure; tables, code blocks and embeds are not published."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()
            if self.instance.is_scheduled:
                self.fields["schedule_at"].initial = self.instance.publish_at

    @property
    def changed_data(self):
        # The workflow inputs say what to do, not what changed: the step names itself
        # in the revision (ArticleAdmin._name_step_in_revision).
        return [name for name in super().changed_data if name not in WORKFLOW_INPUTS]

    def clean(self):
        cleaned = super().clean()
        self._check_conflict(cleaned)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Here, not in clean(): the instance now holds this form's values.
        self._check_workflow()

    def _check_workflow(self):
        """What stops this save and its step, as the service will see them, on their fields."""
        cleaned = self.cleaned_data
        errors = article_step_errors(
            article=self.instance,
            step=cleaned.get(STEP_FIELD),
            user=self.user,
            at=cleaned.get("schedule_at"),
            note=cleaned.get("send_back_note", ""),
            countries=cleaned.get("countries"),
        )
        errors.pop("bylines", None)  # checked by the bylines inline, which holds them
        for key, problems in errors.items():
            field = {"at": "schedule_at", "note": "send_back_note"}.get(key, key)
            if field not in self.fields:
                field = None
            # The model's own clean() may have said it already.
            shown = [str(error) for error in self.errors.get(field or NON_FIELD_ERRORS, [])]
            for problem in problems:
                if str(problem) not in shown:
                    self.add_error(field, problem)

    def _check_conflict(self, cleaned):
        """Refuse to overwrite a version saved after this form was opened."""
        loaded = self.data.get(self.add_prefix("loaded_version"))
        if not self.instance.pk or not loaded:
            return
        saved = Article.objects.filter(pk=self.instance.pk).first()
        if saved is None or saved.updated_at.isoformat() == loaded:
            return
        differences = []
        for name, field in self.fields.items():
            if name == "loaded_version" or name in WORKFLOW_INPUTS or name not in cleaned:
                continue
            theirs = getattr(saved, name, None)
            if hasattr(theirs, "all"):  # tags
                theirs = sorted(str(tag) for tag in theirs.all())
                mine = sorted(str(tag) for tag in cleaned[name])
            else:
                mine = cleaned[name]
            if str(theirs or "") != str(mine or ""):
                differences.append(
                    format_html(
                        _("<li><strong>{}</strong>: saved version “{}”</li>"),
                        field.label,
                        Truncator(str(theirs or "—")).chars(160),
                    )
                )
        entry = (
            LogEntry.objects.filter(
                content_type__app_label="journal",
                content_type__model="article",
                object_id=str(saved.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = entry.user.get_username() if entry and entry.user else _("Someone else")
        when = date_format(timezone.localtime(saved.updated_at), "DATETIME_FORMAT")
        # Saving again after reading this replaces their version on purpose.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = saved.updated_at.isoformat()
        raise ValidationError(
            format_html(
                _(
                    "{} saved this article at {}, after you opened it. Your changes were not "
                    "saved. Where the saved version differs from yours:<ul>{}</ul>Keep what you "
                    "need from it and save again to replace it with yours."
                ),
                who,
                when,
                format_html_join("", "{}", ((item,) for item in differences))
                if differences
                else format_html("<li>{}</li>", _("only in bylines, corrections or images")),
            ),
            code="conflict",
        )


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
    prepopulated_fields = {"slug": ["title"]}
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
