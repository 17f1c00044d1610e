"""Framework pages: the Central Asia + partner formats, one format's meetings and coverage."""

from django.db.models import Count
from django.utils import timezone
from django.views.generic import DetailView, ListView

from journal.models.counts import with_counts
from journal.views.base import paginate, tallied, visible_articles
from journal.views.data import data_links
from summits.models import Framework


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
        context["data_links"] = data_links(self.request, "framework_summits", self.object.slug)
        context["page_obj"] = paginate(
            self.request,
            visible_articles().filter(frameworks=self.object),
            counted=tallied(self.request, "frameworks", self.object),
        )
        return context
