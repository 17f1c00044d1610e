"""The public reader site, namespaced `journal:`, under each language prefix (/ko/, /en/, /ru/)."""

from django.urls import path, register_converter

from journal import views
from journal.views import data, feeds, newsletters, preview

app_name = "journal"


class UnicodeSlugConverter:
    """An article's slug: letters of any script (Hangul, Cyrillic), digits, hyphens."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<uslug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path("frameworks/<slug:slug>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("summits/", views.SummitListView.as_view(), name="summit_list"),
    path("summits/<slug:slug>/", views.SummitDetailView.as_view(), name="summit_detail"),
    path("contributors/", views.ContributorListView.as_view(), name="contributor_list"),
    path(
        "contributors/<slug:slug>/",
        views.ContributorDetailView.as_view(),
        name="contributor_detail",
    ),
    # Feeds: the latest articles, and per country, framework and contributor.
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_latest_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed_latest_atom"),
    path("countries/<slug:slug>/feed/rss/", feeds.CountryArticlesFeed(), name="feed_country_rss"),
    path(
        "countries/<slug:slug>/feed/atom/",
        feeds.CountryArticlesAtomFeed(),
        name="feed_country_atom",
    ),
    path(
        "frameworks/<slug:slug>/feed/rss/",
        feeds.FrameworkArticlesFeed(),
        name="feed_framework_rss",
    ),
    path(
        "frameworks/<slug:slug>/feed/atom/",
        feeds.FrameworkArticlesAtomFeed(),
        name="feed_framework_atom",
    ),
    path(
        "contributors/<slug:slug>/feed/rss/",
        feeds.ContributorArticlesFeed(),
        name="feed_contributor_rss",
    ),
    path(
        "contributors/<slug:slug>/feed/atom/",
        feeds.ContributorArticlesAtomFeed(),
        name="feed_contributor_atom",
    ),
    # The summit lists as data, each as CSV, JSON and iCalendar: all summits
    # (with the list's filters), a framework's and a country's.
    *(
        path(
            f"summits.{fmt}",
            data.SummitDataView.as_view(format=fmt),
            name=f"summit_list_{fmt}",
        )
        for fmt in data.FORMATS
    ),
    *(
        path(
            f"frameworks/<slug:slug>/summits.{fmt}",
            data.SummitDataView.as_view(format=fmt, scope="framework"),
            name=f"framework_summits_{fmt}",
        )
        for fmt in data.FORMATS
    ),
    *(
        path(
            f"countries/<slug:slug>/summits.{fmt}",
            data.SummitDataView.as_view(format=fmt, scope="country"),
            name=f"country_summits_{fmt}",
        )
        for fmt in data.FORMATS
    ),
    # Newsletters: the subscribe form, and the pages e-mailed links open.
    path("newsletter/", newsletters.NewsletterView.as_view(), name="newsletter"),
    path(
        "newsletter/confirm/<str:token>/",
        newsletters.NewsletterConfirmView.as_view(),
        name="newsletter_confirm",
    ),
    path(
        "newsletter/preferences/<str:token>/",
        newsletters.NewsletterPreferencesView.as_view(),
        name="newsletter_preferences",
    ),
    path(
        "newsletter/unsubscribe/<str:token>/",
        newsletters.NewsletterUnsubscribeView.as_view(),
        name="newsletter_unsubscribe",
    ),
    # Previews: any article for staff; one article for whoever holds a shared link.
    path("preview/<int:pk>/", preview.ArticlePreviewView.as_view(), name="article_preview"),
    path(
        "preview/s/<str:token>/",
        preview.ArticleSharePreviewView.as_view(),
        name="article_share_preview",
    ),
]
