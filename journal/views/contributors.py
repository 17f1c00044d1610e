"""Contributors: the index and each contributor's page."""

from django.views.generic import DetailView, ListView

from journal.models import Article, Contributor
from journal.models.counts import published_counts, with_counts
from journal.views.base import paginate, visible_articles


class ContributorListView(ListView):
    template_name = "journal/contributor_list.html"
    context_object_name = "contributors"

    def get_queryset(self):
        return Contributor.objects.filter(pk__in=published_counts("contributors")).order_by(
            "kind", "name"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contributors"] = with_counts(context["contributors"], "contributors")
        return context


class ContributorDetailView(DetailView):
    template_name = "journal/contributor_detail.html"
    context_object_name = "contributor"

    def get_queryset(self):
        # Only those readers may know of: a guest whose piece is still scheduled
        # has no page yet.
        return Contributor.objects.known_to_readers()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = visible_articles().filter(
            pk__in=Article.objects.published().filter(bylines__contributor=self.object).values("pk")
        )
        context["page_obj"] = paginate(self.request, articles)
        return context
