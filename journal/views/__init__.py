"""Public reader pages, one module per kind of page."""

from journal.views.articles import ArticleDetailView, ArticleListView
from journal.views.contributors import ContributorDetailView, ContributorListView
from journal.views.countries import CountryDetailView, CountryListView
from journal.views.frameworks import FrameworkDetailView, FrameworkListView
from journal.views.home import HomeView
from journal.views.media import serve_media
from journal.views.search import SearchView
from journal.views.summits import SummitDetailView, SummitListView

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
