"""Summit pages: upcoming and past meetings, and one summit with its record and coverage."""

from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView
from django_filters.views import FilterView

from journal.content_generation import kept
from journal.forms.filters import SummitFilter
from journal.views.base import (
    ReaderPaginationMixin,
    paginate,
    script_json,
    tallied,
    visible_articles,
)
from journal.views.data import data_links, summit_filter_query
from summits.exports import event_json_ld
from summits.models import Summit


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
        # The list as data, with the same filters.
        context["data_links"] = data_links(
            self.request, "summit_list", query=summit_filter_query(self.request)
        )
        return context


class SummitDetailView(DetailView):
    template_name = "journal/summit_detail.html"
    context_object_name = "summit"

    def get_queryset(self):
        return Summit.objects.select_related("framework", "host_country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summit = self.object
        request = self.request
        # Read by the template only when its kept fragment is missing, and by
        # the structured data when it is not kept either: one query for both.
        participations = SimpleLazyObject(
            lambda: list(summit.participations.select_related("country"))
        )
        context["participations"] = participations
        context["json_ld"] = kept(
            f"summit-json-ld:{summit.pk}:{request.scheme}://{request.get_host()}",
            lambda: script_json(
                event_json_ld(
                    summit,
                    url=request.build_absolute_uri(summit.get_absolute_url()),
                    framework_url=request.build_absolute_uri(summit.framework.get_absolute_url()),
                    country_url=lambda country: request.build_absolute_uri(
                        country.get_absolute_url()
                    ),
                    participations=participations,
                )
            ),
        )
        context["page_obj"] = paginate(
            request,
            visible_articles().filter(summits=summit),
            counted=tallied(request, "summits", summit),
        )
        return context
