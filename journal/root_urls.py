"""What the reader site answers at the root, in no language: robots.txt and sitemaps (`site:`)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from journal.views import sitemaps

app_name = "site"

urlpatterns = [
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "site:sitemap_section"},
        name="sitemap",
    ),
    # Google News's own format (before the other sections, which share a template).
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {
            "sitemaps": sitemaps.SITEMAPS,
            "section": "news",
            "template_name": "journal/sitemap_news.xml",
        },
        name="sitemap_news",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]
