"""The open-data API, namespaced `api:`, at /api/v1/ in no language (journal/urls.py)."""

from django.urls import path, re_path

from journal.api import views

app_name = "api"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    # As the reader page: the language and the slug (Hangul and Cyrillic included).
    path(
        "articles/<slug:language>/<str:slug>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    path("contributors/", views.ContributorListView.as_view(), name="contributor_list"),
    path(
        "contributors/<slug:slug>/",
        views.ContributorDetailView.as_view(),
        name="contributor_detail",
    ),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path("frameworks/<slug:slug>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("summits/", views.SummitListView.as_view(), name="summit_list"),
    path("summits/<slug:slug>/", views.SummitDetailView.as_view(), name="summit_detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    # Last: any other address ending in a slash. One without it is left to
    # Django, which redirects it to the address with the slash.
    re_path(r"^(?P<path>.+)/$", views.NotFoundView.as_view(), name="not_found"),
]
