"""The public reader site, namespaced `journal:`."""

from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path(
        "contributors/<slug:slug>/",
        views.ContributorDetailView.as_view(),
        name="contributor_detail",
    ),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("frameworks/<slug:slug>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("summits/<slug:slug>/", views.SummitDetailView.as_view(), name="summit_detail"),
]
