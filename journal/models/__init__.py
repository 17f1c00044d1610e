"""The publication's models, one module per part of the newsroom; import them from here."""

from journal.models.articles import (
    CARD_FIELDS,
    SECTION_LABELS,
    Article,
    ArticleQuerySet,
    Byline,
    Correction,
    card_bylines,
    check_storable_time,
    hero_image_path,
    published_article_count,
)
from journal.models.assignments import Assignment, AssignmentQuerySet, assignable_users
from journal.models.contributors import Contributor, ContributorQuerySet
from journal.models.library import LibraryImage, library_image_path
from journal.models.newsletters import Subscriber, SubscriberQuerySet
from journal.models.old_addresses import ArticleSlugHistory
from journal.models.outbox import OutgoingEmail
from journal.models.related import RelatedArticle
from journal.models.search import SearchEntry
from journal.models.workflow import ArticleEvent, PreviewLink, PreviewLinkQuerySet

__all__ = [
    "CARD_FIELDS",
    "SECTION_LABELS",
    "Article",
    "ArticleEvent",
    "ArticleQuerySet",
    "ArticleSlugHistory",
    "Assignment",
    "AssignmentQuerySet",
    "Byline",
    "Contributor",
    "ContributorQuerySet",
    "Correction",
    "LibraryImage",
    "OutgoingEmail",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "RelatedArticle",
    "SearchEntry",
    "Subscriber",
    "SubscriberQuerySet",
    "assignable_users",
    "card_bylines",
    "check_storable_time",
    "hero_image_path",
    "library_image_path",
    "published_article_count",
]
