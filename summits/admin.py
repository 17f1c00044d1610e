"""The summit desk's admin: countries and blocs, frameworks, summits and who attended."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .admin_guards import GuardedAdminMixin
from .models import Country, Framework, Participant, Summit


@admin.register(Country)
class CountryAdmin(GuardedAdminMixin, TranslationAdmin):
    list_display = ["name", "code", "alpha3", "kind", "region", "capital"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "official_name", "code", "alpha3", "capital"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["members"]
    fieldsets = [
        (None, {"fields": ["name", "official_name", "slug", "kind", "region", "capital"]}),
        ("Codes", {"fields": ["code", "alpha3"]}),
        ("For a bloc", {"fields": ["members"], "classes": ["collapse"]}),
        ("About", {"fields": ["description", "notes", "sources"]}),
    ]


@admin.register(Framework)
class FrameworkAdmin(GuardedAdminMixin, TranslationAdmin):
    list_display = [
        "short_name",
        "name",
        "partner",
        "status",
        "established_on",
        "leaders_level_since",
        "summit_count",
    ]
    list_filter = ["status", "level_first_established", "partner__kind"]
    list_select_related = ["partner"]
    search_fields = ["name", "short_name", "aliases", "slug"]
    # Explicit: the model's ordering is dropped once get_queryset() counts
    # summits (GROUP BY), and the summit form's autocomplete pages through this.
    ordering = ["short_name"]
    autocomplete_fields = ["partner", "members"]
    date_hierarchy = "established"
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "aliases", "status"]}),
        ("Parties", {"fields": ["partner", "members"]}),
        (
            "History",
            {
                "fields": [
                    ("established", "established_precision"),
                    "established_note",
                    "level_first_established",
                    "leaders_level_since",
                ]
            },
        ),
        ("For readers", {"fields": ["description", "sources"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(summit_total=Count("summits"))

    @admin.display(description="Established", ordering="established")
    def established_on(self, obj):
        return obj.established_display or "—"

    @admin.display(description="Meetings", ordering="summit_total")
    def summit_count(self, obj):
        return obj.summit_total


class ParticipantInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        countries = [
            form.cleaned_data["country"]
            for form in self.forms
            if form.cleaned_data.get("country") and not form.cleaned_data.get("DELETE")
        ]
        error = self.instance.host_participation_error(countries)
        if error:
            raise ValidationError(error)


class ParticipantInline(GuardedAdminMixin, admin.TabularInline):
    model = Participant
    formset = ParticipantInlineFormSet
    autocomplete_fields = ["country"]
    fields = ["order", "country", "representative_name", "representative_title"]
    extra = 0


class DatesFilter(admin.SimpleListFilter):
    """Meetings still to come, and those past their dates that still say "planned"."""

    title = _("dates")
    parameter_name = "dates"

    def lookups(self, request, model_admin):
        return [
            ("upcoming", _("Upcoming")),
            ("overdue", _("Passed, still planned")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(pk__in=Summit.objects.upcoming().values("pk"))
        if self.value() == "overdue":
            return queryset.filter(pk__in=Summit.objects.overdue().values("pk"))
        return queryset


@admin.register(Summit)
class SummitAdmin(GuardedAdminMixin, TranslationAdmin):
    list_display = [
        "title",
        "framework",
        "level",
        "edition",
        "when",
        "where",
        "status",
    ]
    list_filter = ["status", DatesFilter, "level", "framework", "host_country"]
    list_select_related = ["framework", "host_country"]
    search_fields = ["title", "city", "framework__short_name", "framework__name", "slug"]
    autocomplete_fields = ["framework", "host_country"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "sort_date"
    inlines = [ParticipantInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["framework", "title", "slug", "status"]}),
        ("Level and numbering", {"fields": ["level", "series", "edition", "edition_label"]}),
        (
            "When and where",
            {
                "fields": [
                    ("start_date", "end_date"),
                    "approximate_month",
                    ("city", "host_country"),
                ]
            },
        ),
        ("Record", {"fields": ["outcomes", "notes", "sources"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="Date", ordering="sort_date")
    def when(self, obj):
        return obj.date_display

    @admin.display(description="Place", ordering="city")
    def where(self, obj):
        return obj.location_display


@admin.register(Participant)
class ParticipantAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """Who represented whom, across summits; mostly edited inline on a summit."""

    list_display = ["summit", "country", "representative_name", "representative_title"]
    list_filter = ["country", "summit__framework"]
    list_select_related = ["summit", "country"]
    search_fields = ["representative_name", "representative_title", "summit__title"]
    autocomplete_fields = ["summit", "country"]
