"""Public reader pages, one module per kind of page."""

from .articles import ArticleDetailView, ArticleListView
from .contributors import ContributorDetailView, ContributorListView
from .home import HomeView
from .media import serve_media
from .record import (
    CountryDetailView,
    CountryListView,
    FrameworkDetailView,
    FrameworkListView,
    SummitDetailView,
    SummitListView,
)

__all__ = [
    "ArticleDetailView",
    "ArticleListView",
    "ContributorDetailView",
    "ContributorListView",
    "CountryDetailView",
    "CountryListView",
    "FrameworkDetailView",
    "FrameworkListView",
    "HomeView",
    "SummitDetailView",
    "SummitListView",
    "serve_media",
]
