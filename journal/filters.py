"""Reader-facing filters, keyed by slug: ?country=kazakhstan&framework=c5-plus-1."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from summits.models import Country, Framework, Summit

from .models import Article, Contributor


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


class ArticleFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(
        field_name="countries",
        queryset=Country.objects.all(),
        to_field_name="slug",
        label=_("Country"),
        empty_label=_("All countries"),
    )
    framework = django_filters.ModelChoiceFilter(
        field_name="frameworks",
        queryset=Framework.objects.all(),
        to_field_name="slug",
        label=_("Framework"),
        empty_label=_("All frameworks"),
    )
    summit = django_filters.ModelChoiceFilter(
        field_name="summits",
        queryset=Summit.objects.select_related("framework"),
        to_field_name="slug",
        label=_("Summit"),
        empty_label=_("All summits"),
    )
    section = django_filters.ChoiceFilter(
        choices=Article.Section.choices, label=_("Section"), empty_label=_("All sections")
    )
    contributor = django_filters.ModelChoiceFilter(
        field_name="bylines__contributor",
        # Only those readers may know of: a guest whose piece is still
        # scheduled must not appear among the choices.
        queryset=Contributor.objects.known_to_readers().order_by("name"),
        to_field_name="slug",
        label=_("Contributor"),
        empty_label=_("All contributors"),
        distinct=True,
    )
    year = YearFilter(field_name="publish_at", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Article
        fields = ["country", "framework", "summit", "section", "contributor", "year"]


class CountryArticleFilter(ArticleFilter):
    """The filters that still make sense on a country's own page."""

    class Meta(ArticleFilter.Meta):
        fields = ["framework", "section", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("country", "summit", "contributor"):
            self.filters.pop(name)


class SummitFilter(django_filters.FilterSet):
    framework = django_filters.ModelChoiceFilter(
        queryset=Framework.objects.all(),
        to_field_name="slug",
        label=_("Framework"),
        empty_label=_("All frameworks"),
    )
    year = YearFilter(field_name="sort_date", lookup_expr="year", label=_("Year"))
    host = django_filters.ModelChoiceFilter(
        field_name="host_country",
        queryset=Country.objects.filter(hosted_summits__isnull=False).distinct(),
        to_field_name="slug",
        label=_("Host country"),
        empty_label=_("All hosts"),
    )
    level = django_filters.ChoiceFilter(
        choices=Summit.Level.choices, label=_("Level"), empty_label=_("All levels")
    )

    class Meta:
        model = Summit
        fields = ["framework", "year", "host", "level"]
