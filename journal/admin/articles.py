"""The article admin: the form, its bylines and corrections inlines, the list and its actions."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Max, Min, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, smart_split, unescape_string_literal
from django.utils.translation import ngettext

from journal.admin.editor import ArticleBodyWidget
from journal.admin.history import ArticleHistoryMixin
from journal.admin.imports import ArticleImportAdminMixin
from journal.admin.previews import PreviewAdminMixin
from journal.admin.suggestions import TagSuggestionAdminMixin
from journal.images.uploads import CHECKED_IMAGES
from journal.models import (
    Article,
    Byline,
    Correction,
)
from journal.services.workflow import (
    article_archive,
    article_publish,
    article_record_new_time,
    article_transition,
    article_unpublish,
    can_publish,
    transition_error,
)
from summits.admin_guards import GuardedAdminMixin


class BylineInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("contributor") and not form.cleaned_data.get("DELETE")
        ]
        if self.instance.status == Article.Status.PUBLISHED and not kept:
            raise ValidationError("Add at least one byline before publishing.")


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
    """Checks what the model cannot see: pending tags, the move between states,
    and whether someone else saved the article since this form was opened."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    user = None  # set by ArticleAdmin.get_form

    class Meta:
        widgets = {"body": ArticleBodyWidget}
        help_texts = {
            "body": "Paragraphs, subheadings, bold, italic, links, lists, quotes and images "
            "from our uploads, with captions. Pasting from a word processor keeps this "
            "structure; tables, code blocks and embeds are not published."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()
        status = self.fields.get("status")
        if status is not None and not can_publish(self.user):
            current = self.instance.status if self.instance.pk else Article.Status.DRAFT
            status.choices = [
                (value, label)
                for value, label in Article.Status.choices
                if not transition_error(old=current, new=value, user=self.user)
            ]

    def clean(self):
        cleaned = super().clean()
        old = self.instance_status_before
        new = cleaned.get("status", old)
        problem = transition_error(old=old, new=new, user=self.user)
        if problem:
            self.add_error("status" if "status" in self.fields else None, problem)
        if new == Article.Status.PUBLISHED and not cleaned.get("countries"):
            self.add_error("countries", "Tag at least one country before publishing.")
        if (
            old == Article.Status.IN_REVIEW
            and new == Article.Status.DRAFT
            and "review_note" in self.fields
            and not cleaned.get("review_note", "").strip()
        ):
            self.add_error("review_note", "Tell the writer what to change.")
        self._check_conflict(cleaned)
        return cleaned

    @property
    def instance_status_before(self) -> str:
        return self.initial.get("status", Article.Status.DRAFT)

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
            if name == "loaded_version" or name not in cleaned:
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
                        "<li><strong>{}</strong>: saved version “{}”</li>",
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
        who = entry.user.get_username() if entry and entry.user else "someone else"
        when = date_format(timezone.localtime(saved.updated_at), "DATETIME_FORMAT")
        # Saving again after reading this replaces their version on purpose.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = saved.updated_at.isoformat()
        raise ValidationError(
            format_html(
                "{} saved this article at {}, after you opened it. Your changes were not "
                "saved. Where the saved version differs from yours:<ul>{}</ul>Keep what you "
                "need from it and save again to replace it with yours.",
                who,
                when,
                format_html_join("", "{}", ((item,) for item in differences))
                if differences
                else format_html("<li>{}</li>", "only in bylines, corrections or images"),
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
    ArticleHistoryMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = ["title", "section", "state", "publish_at", "byline_names", "updated_at"]
    list_filter = ["status", "section", PublishYearFilter, "featured", "countries", "frameworks"]
    list_per_page = 50
    # Counting the whole archive again beside every filtered count costs as
    # much as the page; the desk sees "N results" and a link to show all.
    show_full_result_count = False
    # Read by get_search_results below, which matches contributors without a join.
    search_fields = ["title", "standfirst", "slug", "bylines__contributor__name"]
    search_help_text = "Search headlines, standfirsts, slugs and contributor names."
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["countries", "frameworks", "summits"]
    formfield_overrides = CHECKED_IMAGES
    inlines = [BylineInline, CorrectionInline]
    readonly_fields = ["created_by", "created_at", "updated_at", "hero_preview", "workflow_history"]
    actions = ["publish_selected", "unpublish_selected", "archive_selected"]
    save_on_top = True
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_is_provisional",
                    "slug",
                    "standfirst",
                    "body",
                    "loaded_version",
                ]
            },
        ),
        (
            "Contributed pieces",
            {
                "fields": ["editors_note", "credit_line"],
                "description": "Set apart from the body on the article page.",
            },
        ),
        ("Tags", {"fields": ["countries", "frameworks", "summits"]}),
        (
            "Image",
            {"fields": ["hero_image", "hero_preview", "hero_alt", "hero_caption", "hero_credit"]},
        ),
        (
            "Publication",
            {
                "fields": ["section", "status", "publish_at", "featured", "review_note"],
                "description": "Writers submit for review; editors publish, schedule (a "
                "publish time in the future), send back with a note, unpublish or archive.",
            },
        ),
        (
            "History",
            {
                "fields": ["workflow_history", "created_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            # Writers see the editor's note and the time, but set neither.
            fields += ["publish_at", "featured", "review_note"]
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
        # The move to the new status happens once tags and bylines are saved.
        form.target_status = obj.status
        obj.status = form.instance_status_before if change else Article.Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        target = getattr(form, "target_status", article.status)
        try:
            if target != article.status:
                article_transition(
                    article=article,
                    to=target,
                    user=request.user,
                    at=article.publish_at,
                    note=article.review_note,
                )
            elif target == Article.Status.PUBLISHED and "publish_at" in form.changed_data:
                article_record_new_time(article=article, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            self.message_user(
                request,
                f"“{article}” was saved as {article.get_status_display().lower()}: {message}",
                messages.ERROR,
            )

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
        if corrections and instances:
            # A correction changes the article as readers know it.
            Article.objects.filter(pk=form.instance.pk).update(updated_at=timezone.now())

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            local = timezone.localtime(obj.publish_at)
            return format_html("Scheduled for {}", date_format(local, "DATETIME_FORMAT"))
        return obj.get_status_display()

    @admin.display(description="Bylines")
    def byline_names(self, obj):
        return ", ".join(byline.contributor.name for byline in obj.bylines.all())

    @admin.display(description="Workflow")
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
                        f" by {event.user.get_username()}" if event.user else "",
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

    def _bulk(self, request, queryset, change, done_message, verb):
        done = 0
        for article in queryset:
            try:
                change(article)
            except (ValidationError, PermissionDenied) as error:
                problems = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(
                    request, f"“{article}” was not {verb}: {problems}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(
        permissions=["publish"],
        description="Publish selected articles now (or at their scheduled time)",
    )
    def publish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda article: article_publish(article=article, user=request.user),
            lambda n: ngettext("%d article published.", "%d articles published.", n) % n,
            "published",
        )

    @admin.action(permissions=["publish"], description="Unpublish selected articles (to draft)")
    def unpublish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.filter(status=Article.Status.PUBLISHED),
            lambda article: article_unpublish(article=article, user=request.user),
            lambda n: ngettext("%d article unpublished.", "%d articles unpublished.", n) % n,
            "unpublished",
        )

    @admin.action(permissions=["publish"], description="Archive selected articles")
    def archive_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.exclude(status=Article.Status.ARCHIVED),
            lambda article: article_archive(article=article, user=request.user),
            lambda n: ngettext("%d article archived.", "%d articles archived.", n) % n,
            "archived",
        )
