"""Public reader pages."""

import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView
from django.views.static import serve

from summits.models import Country, Framework, Participant, Summit

from .models import Article, Byline, Contributor


class HomeView(ListView):
    template_name = "journal/home.html"
    context_object_name = "articles"
    paginate_by = 12

    def get_queryset(self):
        return Article.objects.published().with_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Article.objects.published()
        context["lead"] = (
            published.filter(featured=True).with_cards().first() or published.with_cards().first()
        )
        context["upcoming_summits"] = Summit.objects.upcoming().select_related(
            "framework", "host_country"
        )[:5]
        context["frameworks"] = Framework.objects.active().select_related("partner")
        return context


class ArticleDetailView(DetailView):
    template_name = "journal/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("contributor").order_by("order", "pk"),
            ),
            "countries",
            "frameworks",
            "summits",
        )


class ContributorDetailView(DetailView):
    model = Contributor
    template_name = "journal/contributor_detail.html"
    context_object_name = "contributor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.published().filter(bylines__contributor=self.object).distinct()
        ).with_cards()[:50]
        return context


class CountryDetailView(DetailView):
    model = Country
    template_name = "journal/country_detail.html"
    context_object_name = "country"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        context["articles"] = (
            Article.objects.published().filter(countries=country).with_cards()[:50]
        )
        context["frameworks"] = country.frameworks.select_related("partner")
        context["summits"] = (
            Summit.objects.filter(Q(host_country=country) | Q(participants=country))
            .distinct()
            .select_related("framework", "host_country")
        )
        return context


class FrameworkDetailView(DetailView):
    model = Framework
    template_name = "journal/framework_detail.html"
    context_object_name = "framework"

    def get_queryset(self):
        return Framework.objects.select_related("partner").prefetch_related("members")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summits"] = self.object.summits.select_related("host_country").order_by(
            "sort_date"
        )
        context["articles"] = (
            Article.objects.published().filter(frameworks=self.object).with_cards()[:50]
        )
        return context


class SummitDetailView(DetailView):
    template_name = "journal/summit_detail.html"
    context_object_name = "summit"

    def get_queryset(self):
        return Summit.objects.select_related("framework", "host_country").prefetch_related(
            Prefetch("participations", queryset=Participant.objects.select_related("country"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = Article.objects.published().filter(summits=self.object).with_cards()
        return context


def serve_media(request, path):
    """Serve an uploaded file with headers that stop a browser from running it.

    Only used when no front server serves MEDIA_ROOT (DJANGO_SERVE_MEDIA).
    """
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as error:
        raise Http404("No such file.") from error
    content_type, _ = mimetypes.guess_type(path)
    if not (content_type or "").startswith("image/") or content_type == "image/svg+xml":
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=3600)
    return response
