"""sitemap.xml sections for every public page, and the robots.txt that points to it."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from summits.models import Country, Framework, Summit

from .models import Article, Contributor


class StaticViewSitemap(Sitemap):
    """The home page and the index pages."""

    def items(self):
        return [
            "journal:home",
            "journal:article_list",
            "journal:country_list",
            "journal:framework_list",
            "journal:summit_list",
            "journal:contributor_list",
        ]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    def items(self):
        # Only what an entry needs: loading every body would cost seconds.
        return (
            Article.objects.published()
            .order_by("-publish_at", "-pk")
            .only("slug", "updated_at", "publish_at")
        )

    def lastmod(self, item):
        return item.updated_at


class CountrySitemap(Sitemap):
    def items(self):
        return Country.objects.order_by("name")


class FrameworkSitemap(Sitemap):
    def items(self):
        return Framework.objects.order_by("short_name")


class SummitSitemap(Sitemap):
    def items(self):
        return Summit.objects.all()

    def lastmod(self, item):
        return item.updated_at


class ContributorSitemap(Sitemap):
    def items(self):
        return Contributor.objects.with_published_work().order_by("name")


SITEMAPS = {
    "static": StaticViewSitemap,
    "articles": ArticleSitemap,
    "countries": CountrySitemap,
    "frameworks": FrameworkSitemap,
    "summits": SummitSitemap,
    "contributors": ContributorSitemap,
}


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {request.build_absolute_uri(reverse('journal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
