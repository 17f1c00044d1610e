"""The sitemap of every public page, and the robots.txt that points to it.

/sitemap.xml is an index of sections (/sitemap-articles.xml, ...); the
articles' section is split into pages of ArticleSitemap.limit URLs. Pages
that exist in every language are listed in each, with the others as
`hreflang` alternates; an article is listed at its own address, with its
published translations as alternates. /sitemap-news.xml, in the index too,
is a Google News sitemap of the articles published in the last two days.
"""

import datetime
from collections import defaultdict
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from journal.content_generation import kept
from journal.models import Article, Contributor
from journal.models.addresses import article_address
from summits.models import Country, Framework, Summit


class InEveryLanguage(Sitemap):
    """Each item under every language's prefix, each entry naming the others."""

    i18n = True
    alternates = True


class StaticViewSitemap(InEveryLanguage):
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
    # Split into pages that the index lists: one file of 50,000 URLs (the
    # protocol's limit) takes seconds to render and megabytes to send.
    limit = 1000

    def items(self):
        # Only what an entry needs: loading every body would cost seconds.
        return (
            Article.objects.published()
            .order_by("-publish_at", "-pk")
            .only("slug", "language", "translation_of", "updated_at", "publish_at")
        )

    def _urls(self, page, protocol, domain):
        """The page's entries, each with its published translations as alternates (one query)."""
        urls = super()._urls(page, protocol, domain)
        groups = {url["item"].original_id for url in urls}
        translated = defaultdict(list)
        # Originals by id, translations by their original: an OR of the two
        # would make SQLite read every published article.
        published = Article.objects.published().values_list(
            "pk", "translation_of", "language", "slug"
        )
        rows = {*published.filter(pk__in=groups), *published.filter(translation_of__in=groups)}
        for pk, original, language, slug in sorted(rows):
            translated[original or pk].append((language, slug))
        for url in urls:
            group = translated.get(url["item"].original_id, [])
            if len(group) > 1:
                url["alternates"] = [
                    {
                        "location": f"{protocol}://{domain}{article_address(language, slug)}",
                        "lang_code": language,
                    }
                    for language, slug in group
                ]
        return urls

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # For the index; the default reads every article.
        return kept(
            "sitemap:articles:latest",
            lambda: Article.objects.published().aggregate(latest=Max("updated_at"))["latest"],
        )


class NewsSitemap(Sitemap):
    """Articles published in the last two days, for Google News (journal/sitemap_news.xml).

    Google News reads only these, and at most 1,000 of them: one page, never
    more. The articles are read once for the index (its page count and
    lastmod) and once for the page.
    """

    limit = 1000
    window = datetime.timedelta(days=2)

    @cached_property
    def recent(self) -> list[Article]:
        return list(
            Article.objects.published()
            .filter(publish_at__gte=timezone.now() - self.window)
            .order_by("-publish_at", "-pk")
            .only("slug", "language", "title", "publish_at", "updated_at")[: self.limit]
        )

    def items(self):
        return self.recent

    def lastmod(self, item):
        return item.updated_at


class CountrySitemap(InEveryLanguage):
    def items(self):
        return Country.objects.order_by("name")


class FrameworkSitemap(InEveryLanguage):
    def items(self):
        return Framework.objects.order_by("short_name")


class SummitSitemap(InEveryLanguage):
    def items(self):
        return Summit.objects.all()

    def lastmod(self, item):
        return item.updated_at


class ContributorSitemap(InEveryLanguage):
    def items(self):
        return Contributor.objects.known_to_readers().order_by("name")


SITEMAPS = {
    "static": StaticViewSitemap,
    "articles": ArticleSitemap,
    "news": NewsSitemap,
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
        f"Sitemap: {request.build_absolute_uri(reverse('site:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
