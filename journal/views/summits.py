"""Summit pages: upcoming and past meetings, and one summit with its record and coverage."""

from django.views.generic import DetailView
from django_filters.views import FilterView

from journal.filters import SummitFilter
from journal.views.base import ReaderPaginationMixin, paginate, tallied, visible_articles
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
        return context


class SummitDetailView(DetailView):
    template_name = "journal/summit_detail.html"
    context_object_name = "summit"

    def get_queryset(self):
        return Summit.objects.select_related("framework", "host_country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read by the template only when its kept fragment is missing.
        context["participations"] = self.object.participations.select_related("country")
        context["page_obj"] = paginate(
            self.request,
            visible_articles().filter(summits=self.object),
            counted=tallied(self.request, "summits", self.object),
        )
        return context
