"""The newsroom admin: articles with their bylines and tags, and contributors."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import ngettext

from .models import Article, ArticleSlugHistory, Byline, Contributor, Correction
from .services import article_publish, article_unpublish
from .uploads import CheckedImageField

# Uploaded images are checked and re-encoded before they are stored.
CHECKED_IMAGES = {models.ImageField: {"form_class": CheckedImageField}}


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position", "affiliation", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "position", "affiliation", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    formfield_overrides = CHECKED_IMAGES
    readonly_fields = ["photo_preview", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind"]}),
        ("Shown with the byline", {"fields": ["position", "affiliation"]}),
        ("Profile page", {"fields": ["bio", "photo", "photo_preview"]}),
        ("For the desk", {"fields": ["email", "user", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("bylines__article"))

    def get_readonly_fields(self, request, obj=None):
        # Linking a login is for those who manage users; an autocomplete over
        # users would fail for everyone else anyway.
        if not request.user.has_perm("auth.view_user"):
            return [*self.readonly_fields, "user"]
        return self.readonly_fields

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    @admin.display(description="Current photo")
    def photo_preview(self, obj):
        if not obj.photo:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:120px">', obj.photo.url)


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


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineInlineFormSet
    autocomplete_fields = ["contributor"]
    fields = ["order", "contributor", "role"]
    extra = 1
    verbose_name_plural = "Bylines (in the order readers see them)"


@admin.register(Byline)
class BylineAdmin(admin.ModelAdmin):
    """Every credit across articles; bylines are normally edited on their article."""

    list_display = ["article", "contributor", "role", "order"]
    list_filter = ["role", "contributor__kind"]
    list_select_related = ["article", "contributor"]
    search_fields = ["article__title", "contributor__name"]
    autocomplete_fields = ["article", "contributor"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
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
    """Checks the tags a form is about to save; the model checks the rest."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("countries"):
            self.add_error("countries", "Tag at least one country before publishing.")
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "section", "state", "publish_at", "byline_names", "updated_at"]
    list_filter = ["status", "section", "featured", "countries", "frameworks"]
    list_per_page = 50
    search_fields = ["title", "standfirst", "slug", "bylines__contributor__name"]
    search_help_text = "Search headlines, standfirsts, slugs and contributor names."
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["countries", "frameworks", "summits"]
    formfield_overrides = CHECKED_IMAGES
    inlines = [BylineInline, CorrectionInline]
    readonly_fields = ["created_by", "created_at", "updated_at", "hero_preview"]
    actions = ["publish_selected", "unpublish_selected"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
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
        ("Publication", {"fields": ["section", "status", "publish_at", "featured"]}),
        (
            "History",
            {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]},
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

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

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

    @admin.display(description="Current image")
    def hero_preview(self, obj):
        if not obj.hero_image:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:160px">', obj.hero_image.url)

    @admin.action(
        permissions=["change"],
        description="Publish selected articles now (or at their scheduled time)",
    )
    def publish_selected(self, request, queryset):
        done = 0
        for article in queryset:
            try:
                article_publish(article=article)
            except ValidationError as error:
                problems = "; ".join(
                    str(message)
                    for messages_ in error.message_dict.values()
                    for message in messages_
                )
                self.message_user(
                    request, f"“{article}” was not published: {problems}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%d article published.", "%d articles published.", done) % done,
                messages.SUCCESS,
            )

    @admin.action(permissions=["change"], description="Unpublish selected articles (back to draft)")
    def unpublish_selected(self, request, queryset):
        done = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article_unpublish(article=article)
            done += 1
        self.message_user(
            request,
            ngettext("%d article unpublished.", "%d articles unpublished.", done) % done,
            messages.SUCCESS,
        )


@admin.register(ArticleSlugHistory)
class ArticleSlugHistoryAdmin(admin.ModelAdmin):
    """Former article addresses, recorded when a slug changes; deleting one ends its redirect."""

    list_display = ["old_slug", "article", "current_slug", "article_state", "created_at"]
    list_filter = ["article__status"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__slug", "article__title"]
    search_help_text = "Search old and current slugs and headlines."
    date_hierarchy = "created_at"
    fields = ["old_slug", "article", "current_slug", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Now at", ordering="article__slug")
    def current_slug(self, obj):
        return obj.article.slug

    @admin.display(description="Article status", ordering="article__status")
    def article_state(self, obj):
        # Only published articles are redirected to; the others answer 404.
        return obj.article.get_status_display()
