"""Reader-facing filters, keyed by slug: ?country=kazakhstan&framework=c5-plus-1."""

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from journal.content_generation import kept
from journal.forms.widgets import QuickSelect
from journal.models import Article
from journal.models.counts import contributor_choices
from summits.models import Country, Framework, Summit


class YearFilter(django_filters.NumberFilter):
    """A four-digit year; anything else is a form error, not a server error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        # A text box, not type="number": the form shows a mistyped year back
        # next to its error, and a number input may not hold "abc".
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}"})
        )
        super().__init__(*args, **kwargs)


class SlugFilter(django_filters.ChoiceFilter):
    """A choice among `choices`, a callable giving (slug, label) pairs, shown as a select."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        # Not repeating what was typed: a guessed slug must look the same
        # whether or not something unpublished goes by it.
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _(
                    "Select a valid choice. That choice is not one of the available choices."
                )
            },
        )
        super().__init__(*args, **kwargs)


def listed(name: str, queryset):
    """A callable giving (slug, label) for each row of `queryset`, listed once per generation.

    Filter forms show every country, framework and summit on each request; the
    lists only change when the diplomatic record does.
    """
    return lambda: kept(f"choices:{name}", lambda: [(row.slug, str(row)) for row in queryset.all()])


class ArticleFilter(django_filters.FilterSet):
    country = SlugFilter(
        field_name="countries__slug",
        choices=listed("countries", Country.objects.all()),
        label=_("Country"),
        empty_label=_("All countries"),
    )
    framework = SlugFilter(
        field_name="frameworks__slug",
        choices=listed("frameworks", Framework.objects.all()),
        label=_("Framework"),
        empty_label=_("All frameworks"),
    )
    summit = SlugFilter(
        field_name="summits__slug",
        choices=listed("summits", Summit.objects.select_related("framework")),
        label=_("Summit"),
        empty_label=_("All summits"),
    )
    section = django_filters.ChoiceFilter(
        choices=Article.Section.choices,
        label=_("Section"),
        empty_label=_("All sections"),
        widget=QuickSelect,
    )
    contributor = SlugFilter(
        field_name="bylines__contributor__slug",
        # Only those readers may know of: a guest whose piece is still
        # scheduled must not appear among the choices.
        choices=contributor_choices,
        label=_("Contributor"),
        empty_label=_("All contributors"),
        distinct=True,
    )
    year = YearFilter(field_name="publish_at", lookup_expr="year", label=_("Year"))
    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES,
        label=_("Language"),
        empty_label=_("All languages"),
        widget=QuickSelect,
    )

    class Meta:
        model = Article
        fields = ["country", "framework", "summit", "section", "contributor", "year", "language"]


class CountryArticleFilter(ArticleFilter):
    """The filters that still make sense on a country's own page."""

    class Meta(ArticleFilter.Meta):
        fields = ["framework", "section", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("country", "summit", "contributor"):
            self.filters.pop(name)


class SummitFilter(django_filters.FilterSet):
    framework = SlugFilter(
        field_name="framework__slug",
        choices=listed("frameworks", Framework.objects.all()),
        label=_("Framework"),
        empty_label=_("All frameworks"),
    )
    year = YearFilter(field_name="sort_date", lookup_expr="year", label=_("Year"))
    host = SlugFilter(
        field_name="host_country__slug",
        choices=listed("hosts", Country.objects.filter(hosted_summits__isnull=False).distinct()),
        label=_("Host country"),
        empty_label=_("All hosts"),
    )
    level = django_filters.ChoiceFilter(
        choices=Summit.Level.choices,
        label=_("Level"),
        empty_label=_("All levels"),
        widget=QuickSelect,
    )

    class Meta:
        model = Summit
        fields = ["framework", "year", "host", "level"]
