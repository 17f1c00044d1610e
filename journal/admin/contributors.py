"""The contributor admin: staff and guest writers with their published work."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from journal.admin.history import ContributorHistoryMixin
from journal.images.uploads import CHECKED_IMAGES
from journal.models import (
    Contributor,
)
from summits.admin_guards import GuardedAdminMixin


@admin.register(Contributor)
class ContributorAdmin(GuardedAdminMixin, ContributorHistoryMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "position", "affiliation", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "position", "affiliation", "email"]
    # Explicit: the model's ordering is dropped once get_queryset() counts
    # articles (GROUP BY), and the bylines' autocomplete pages through this.
    ordering = ["name"]
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
        return format_html(
            '<img src="{}" alt="" class="image-preview image-preview--small">', obj.photo.url
        )
