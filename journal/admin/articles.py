"""The article admin: the form, its bylines and corrections inlines, the list and its actions."""

import datetime
import json

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
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from journal.admin.editor import ArticleBodyField, ArticleBodyWidget
from journal.admin.history import ArticleHistoryMixin
from journal.admin.imports import ArticleImportAdminMixin
from journal.admin.previews import PreviewAdminMixin
from journal.admin.suggestions import TagSuggestionAdminMixin
from journal.admin.translations import TranslationAdminMixin
from journal.images.uploads import CHECKED_IMAGES
from journal.models import (
    Article,
    ArticleSlugHistory,
    Byline,
    Correction,
)
from journal.models.articles import HEADLINE_SLUG_LENGTH, headline_slug
from journal.services.revisions import (
    COMPARED_FIELDS,
    article_current_snapshot,
    article_snapshot,
    article_version_saved_at,
    compare_snapshots,
    field_diff,
    same_value,
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
from summits.slugs import first_free

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
        field_classes = {"body": ArticleBodyField}
        help_texts = {
            "slug": gettext_lazy(
                "The page address. Until the article is first published it follows the "
                "headline; type one of your own to keep it. Once published it stays put, "
                "and any address it had before still leads here."
            ),
            "body": gettext_lazy(
                "Paragraphs, subheadings, bold, italic, links, lists, quotes and images "
                "from our uploads, with captions. Pasting from a word processor keeps this "
                "structure; tables, code blocks and embeds are not published."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()
            if self.instance.is_scheduled:
                self.fields["schedule_at"].initial = self.instance.publish_at
        self._offer_headline_slug()

    @property
    def changed_data(self):
        # The workflow inputs say what to do, not what changed: the step names itself
        # in the revision (ArticleAdmin._name_step_in_revision).
        return [name for name in super().changed_data if name not in WORKFLOW_INPUTS]

    def clean(self):
        cleaned = super().clean()
        self._check_conflict(cleaned)
        self._slug_from_headline(cleaned)
        return cleaned

    def _follows_headline(self, slug: str, title: str) -> bool:
        """Whether `slug`, posted with `title`, is still the headline's, not one typed by hand."""
        if not self.instance.slug_follows_headline:
            return False
        return slug in ("", self.instance.slug, headline_slug(title))

    def _offer_headline_slug(self):
        """Let the slug follow the headline in the browser (static/journal/admin/slugs.js)."""
        field = self.fields.get("slug")
        if field is None:  # a view-only form
            return
        # Left empty, it is made from the headline (_slug_from_headline).
        field.required = False
        slug, title = self.instance.slug, self.instance.title
        if self.is_bound:
            slug = self.data.get(self.add_prefix("slug"), "")
            title = self.data.get(self.add_prefix("title"), "")
        if "title" in self.fields and self._follows_headline(slug, title):
            field.widget.attrs.update(
                {
                    "data-slug-rule": "text",
                    "data-slug-follows": True,
                    "data-slug-sources": json.dumps([self["title"].auto_id]),
                    "data-slug-unicode": True,
                    "data-slug-max-length": HEADLINE_SLUG_LENGTH,
                }
            )

    def _slug_from_headline(self, cleaned):
        """The headline's slug, when the slug is left empty or still follows the headline.

        Numbered when another article in the language has it; a slug typed by
        hand is the editor's, and a taken one is refused as usual.
        """
        if "slug" not in self.fields or "slug" not in cleaned or not cleaned.get("title"):
            return
        slug, title = cleaned["slug"], cleaned["title"]
        if not self._follows_headline(slug, title):
            if not slug and self.instance.slug:
                cleaned["slug"] = self.instance.slug  # published: the address stays put
            if cleaned["slug"]:
                return
        base = headline_slug(title) or "article"
        language = cleaned.get("language") or self.instance.language
        taken = set(
            Article.objects.filter(language=language, slug__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("slug", flat=True)
        )
        # Another article's former address still takes its old links there.
        taken.update(
            ArticleSlugHistory.objects.filter(old_slug__startswith=base)
            .exclude(article=self.instance.pk)
            .values_list("old_slug", flat=True)
        )
        cleaned["slug"] = first_free(base, taken)

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
        """Refuse to overwrite a version saved after this form was opened.

        The message lists what the other person changed: the revision this form
        was opened on against the article as saved. Where only they changed a
        field, the form takes their version, so saving again keeps both people's
        work; where both did, it keeps this editor's and shows theirs.
        """
        loaded = self.data.get(self.add_prefix("loaded_version"))
        if not self.instance.pk or not loaded:
            return
        saved = Article.objects.filter(pk=self.instance.pk).first()
        if saved is None or saved.updated_at.isoformat() == loaded:
            return
        try:
            opened_at = datetime.datetime.fromisoformat(loaded)
            if timezone.is_naive(opened_at):
                raise ValueError("no time zone")
            opened = article_version_saved_at(saved, opened_at)
        except ValueError:  # not a time this form wrote
            opened = None
        theirs = article_current_snapshot(saved)
        # Saving again after reading this replaces their version on purpose.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = saved.updated_at.isoformat()
        if opened is not None:
            items = self._their_changes(article_snapshot(opened), theirs, cleaned)
            if not items and not self._corrections_differ(saved):
                # Nothing they changed is lost by this save (a new correction stays).
                return
            if not items:
                items = [format_html("<li>{}</li>", _("Corrections"))]
            intro = _("What they changed:")
        else:
            # No revision of the version this form showed: where theirs differs from it.
            items = [
                format_html(
                    _("<li><strong>{}</strong>: saved version {}</li>"),
                    self.fields[name].label,
                    self._saved_excerpt(name, theirs, cleaned),
                )
                for name in self.changed_data
                if name in cleaned and (name in theirs.tags or name in COMPARED_FIELDS)
            ] or [format_html("<li>{}</li>", _("only in bylines, corrections or images"))]
            intro = _("Where the saved version differs from yours:")
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
        raise ValidationError(
            format_html(
                _(
                    "{} saved this article at {}, after you opened it. Your changes were not "
                    "saved. {}<ul>{}</ul>Keep what you need from their version and save again "
                    "to replace it with yours."
                ),
                who,
                when,
                intro,
                format_html_join("", "{}", ((item,) for item in items)),
            ),
            code="conflict",
        )

    def _corrections_differ(self, saved) -> bool:
        """Whether this form posts corrections that differ from those saved now.

        Corrections are not in the revisions: a correction someone else edited
        would be written back as this form opened it, so any difference counts.
        """
        prefix = "corrections"
        try:
            total = int(self.data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return True
        stored = {str(pk): text for pk, text in saved.corrections.values_list("pk", "text")}
        for index in range(min(total, 1000)):
            pk = self.data.get(f"{prefix}-{index}-id")
            if not pk:
                continue
            if pk not in stored:
                return True  # deleted meanwhile
            posted = self.data.get(f"{prefix}-{index}-text", "").replace("\r\n", "\n")
            if posted.strip() != stored[pk].replace("\r\n", "\n").strip():
                return True
        return False

    def _their_changes(self, opened, theirs, cleaned) -> list:
        """The fields someone changed since `opened`, each with their version, for the message.

        Fields only they changed take their version in this form (as posted
        again); a field this form changed too keeps this editor's version.
        """
        items = []
        for diff in compare_snapshots(opened, theirs).sections:
            name, note = diff.name, ""
            if name == "bylines":
                note = _("(the form still has the ones you opened)")
            elif name in self.fields:
                if name not in self.changed_data:
                    continue  # this form holds the same
                if name in cleaned and self._as_opened(name, cleaned[name], opened):
                    self._take_saved(name)
                    note = _("(now in the form)")
                else:
                    note = _("(you changed it too: the form keeps yours)")
            items.append(
                format_html("<li><strong>{}</strong>: {} {}</li>", diff.label, diff.excerpt(), note)
            )
        return items

    def _as_opened(self, name, value, opened) -> bool:
        """Whether this form's `value` of `name` is still what the form was opened with."""
        if name in opened.tags:
            return sorted(str(tag) for tag in value) == opened.tags[name]
        attname = Article._meta.get_field(name).attname
        return same_value(name, getattr(value, "pk", value), opened.values.get(attname))

    def _take_saved(self, name):
        """Put the saved version's value of `name` (this form's initial) in the posted data."""
        field, key = self.fields[name], self.add_prefix(name)
        value = self.get_initial_for_field(field, name)
        if isinstance(field, forms.FileField):
            return  # the file stays the saved one unless another is uploaded
        if isinstance(field, forms.ModelMultipleChoiceField):
            self.data.setlist(key, [str(getattr(item, "pk", item)) for item in value or ()])
        elif isinstance(field, forms.BooleanField):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        else:
            self.data[key] = "" if value is None else str(getattr(value, "pk", value))

    def _saved_excerpt(self, name, theirs, cleaned) -> str:
        if name in theirs.tags:
            return "“{}”".format(", ".join(theirs.tags[name]) or "—")
        attname = Article._meta.get_field(name).attname
        value = cleaned[name]
        return field_diff(name, getattr(value, "pk", value), theirs.values[attname]).excerpt()


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
