"""Pages of the diplomatic record: countries, frameworks and summits, with their coverage."""

from itertools import groupby

from django.db.models import Count
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from summits.models import Country, Framework, Region, Summit

from ..coverage import with_counts
from ..filters import CountryArticleFilter, SummitFilter
from .base import ReaderPaginationMixin, paginate, visible_articles


class CountryListView(ListView):
    template_name = "journal/country_list.html"
    context_object_name = "countries"

    def get_queryset(self):
        return Country.objects.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = {value: index for index, value in enumerate(Region.values)}
        countries = sorted(
            with_counts(context["countries"], "countries"), key=lambda c: (order[c.region], c.name)
        )
        context["regions"] = [
            (Region(region).label, list(members))
            for region, members in groupby(countries, key=lambda c: c.region)
        ]
        return context


class CountryDetailView(DetailView):
    model = Country
    template_name = "journal/country_detail.html"
    context_object_name = "country"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        article_filter = CountryArticleFilter(
            self.request.GET or None,
            queryset=visible_articles().filter(countries=country),
            request=self.request,
        )
        context["filter"] = article_filter
        context["page_obj"] = paginate(self.request, article_filter.qs)
        context["frameworks"] = country.frameworks.select_related("partner")
        context["summits"] = Summit.objects.involving(country).select_related(
            "framework", "host_country"
        )
        if country.is_bloc:
            context["members"] = country.members.all()
        return context


class FrameworkListView(ListView):
    template_name = "journal/framework_list.html"
    context_object_name = "frameworks"

    def get_queryset(self):
        return (
            Framework.objects.select_related("partner")
            .annotate(summit_count=Count("summits"))
            .order_by("short_name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["frameworks"] = with_counts(context["frameworks"], "frameworks")
        return context


class FrameworkDetailView(DetailView):
    template_name = "journal/framework_detail.html"
    context_object_name = "framework"

    def get_queryset(self):
        return Framework.objects.select_related("partner").prefetch_related("members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = self.object.summits.select_related("host_country").order_by(
            "sort_date", "pk"
        )
        context["today"] = timezone.localdate()
        context["page_obj"] = paginate(
            self.request, visible_articles().filter(frameworks=self.object)
        )
        return context


class SummitListView(ReaderPaginationMixin, FilterView):
    """Upcoming meetings first (soonest first), then the past ones, newest first."""

    filterset_class = SummitFilter
    template_name = "journal/summit_list.html"
    context_object_name = "summits"
    paginate_by = 50

    def get_queryset(self):
        return Summit.objects.past().select_related("framework", "host_country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same filters, applied to the meetings still to come.
        context["upcoming"] = self.filterset_class(
            self.filterset.data if self.filterset.is_bound else None,
            queryset=Summit.objects.upcoming().select_related("framework", "host_country"),
            request=self.request,
        ).qs
        return context


class SummitDetailView(DetailView):
    template_name = "journal/summit_detail.html"
    context_object_name = "summit"

    def get_queryset(self):
        return Summit.objects.select_related("framework", "host_country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read by the template only when its kept fragment is missing.
        summit = self.object
        context["participations"] = lambda: list(summit.participations.select_related("country"))
        context["page_obj"] = paginate(self.request, visible_articles().filter(summits=self.object))
        return context
