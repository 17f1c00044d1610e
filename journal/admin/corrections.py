"""Corrections: the inline on the article's page and the list of every correction made."""

from django.contrib import admin

from journal.models import Correction
from summits.admin_guards import GuardedAdminMixin


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
