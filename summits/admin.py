"""The summit desk's admin: countries and blocs, frameworks, summits and who attended."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .admin_guards import GuardedAdminMixin
from .models import Country, DatePrecision, Framework, Participant, Summit
from .slugs import first_free, summit_slug


def desk_date(value, precision: str = DatePrecision.DAY) -> str:
    """A date in a list as the desk types it: 2023-09-19, or 2024-08 and 2015 when that
    is all that is known (SHORT_DATE_FORMAT, the date inputs'), not in readers' words."""
    if value is None:
        return "—"
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(value, "Y-m")
    return date_format(value, "SHORT_DATE_FORMAT")


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
        "leaders_since",
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
        return desk_date(obj.established, obj.established_precision)

    @admin.display(description=_("Leaders' level since"), ordering="leaders_level_since")
    def leaders_since(self, obj):
        return desk_date(obj.leaders_level_since)

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


class SummitAdminForm(forms.ModelForm):
    """A new meeting's slug, made as the record writes them when left empty."""

    # The inputs the slug is made from: the city as it is written in English.
    SLUG_SOURCES = ["framework", "start_date", "approximate_month", "city_en"]

    class Meta:
        help_texts = {
            "slug": _(
                "The page address. Left empty, it is made from the framework, the date and "
                "the city in English, as the record writes them: c5-plus-1-2023-02-28-astana "
                "(virtual for a meeting online). It fills in as you choose them."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is None:  # a view-only form
            return
        field.required = False
        if self.instance.pk or not all(name in self.fields for name in self.SLUG_SOURCES):
            return
        # The browser follows the same rule as the choices are made
        # (static/journal/admin/slugs.js); it needs each framework's slug.
        frameworks = {str(pk): slug for pk, slug in Framework.objects.values_list("pk", "slug")}
        field.widget.attrs.update(
            {
                "data-slug-rule": "summit",
                "data-slug-follows": not (self.is_bound and self.data.get(self.add_prefix("slug"))),
                "data-slug-sources": json.dumps([self[name].auto_id for name in self.SLUG_SOURCES]),
                "data-slug-frameworks": json.dumps(frameworks),
            }
        )

    def clean(self):
        cleaned = super().clean()
        # Without a framework the form is refused for that already.
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("framework"):
            cleaned["slug"] = self._free(
                summit_slug(
                    framework=cleaned["framework"].slug,
                    start_date=cleaned.get("start_date"),
                    approximate_month=cleaned.get("approximate_month"),
                    city=cleaned.get("city_en") or "",
                )
            )
        return cleaned

    def _free(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`… when another meeting has it."""
        taken = set(
            Summit.objects.filter(slug__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("slug", flat=True)
        )
        return first_free(base, taken)


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
    # No prepopulated_fields: the slug is made from the framework, the date and
    # the city, not the title (SummitAdminForm).
    form = SummitAdminForm
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
        if obj.start_date and obj.end_date and obj.end_date != obj.start_date:
            return f"{desk_date(obj.start_date)} – {desk_date(obj.end_date)}"
        if obj.start_date or not obj.approximate_month:
            return desk_date(obj.start_date)
        return desk_date(obj.approximate_month, DatePrecision.MONTH)

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
