"""Read-only desk records: the workflow's events and articles' former addresses."""

from django.contrib import admin

from journal.models import ArticleEvent, ArticleSlugHistory
from summits.admin_guards import GuardedAdminMixin


@admin.register(ArticleEvent)
class ArticleEventAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Who submitted, published, scheduled, unpublished or archived what, and when."""

    list_display = ["at", "action", "article", "user", "publish_at"]
    list_filter = ["action", "user"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title", "user__username", "note"]
    date_hierarchy = "at"
    fields = ["at", "action", "article", "user", "publish_at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArticleSlugHistory)
class ArticleSlugHistoryAdmin(GuardedAdminMixin, admin.ModelAdmin):
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
