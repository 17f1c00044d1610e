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
from .search import SearchView

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
    "SearchView",
    "SummitDetailView",
    "SummitListView",
    "serve_media",
]
