"""Country pages: the countries by region with their counts, and one country's coverage."""

from itertools import groupby

from django.views.generic import DetailView, ListView

from journal.forms.filters import CountryArticleFilter
from journal.models.counts import with_counts
from journal.views.base import paginate, tallied, visible_articles
from journal.views.data import data_links
from summits.models import Country, Region, Summit


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
        context["page_obj"] = paginate(
            self.request, article_filter.qs, counted=tallied(self.request, "countries", country)
        )
        context["frameworks"] = country.frameworks.select_related("partner")
        context["summits"] = Summit.objects.involving(country).select_related(
            "framework", "host_country"
        )
        context["data_links"] = data_links(self.request, "country_summits", country.slug)
        if country.is_bloc:
            context["members"] = country.members.all()
        return context
