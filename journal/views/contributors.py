"""Contributors: the index and each contributor's page."""

from django.views.generic import DetailView, ListView

from ..models import Article, Contributor
from .base import paginate, visible_articles


class ContributorListView(ListView):
    template_name = "journal/contributor_list.html"
    context_object_name = "contributors"

    def get_queryset(self):
        return Contributor.objects.with_published_work().order_by("kind", "name")


class ContributorDetailView(DetailView):
    template_name = "journal/contributor_detail.html"
    context_object_name = "contributor"

    def get_queryset(self):
        return Contributor.objects.with_published_work()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = visible_articles().filter(
            pk__in=Article.objects.published().filter(bylines__contributor=self.object).values("pk")
        )
        context["page_obj"] = paginate(self.request, articles)
        return context
