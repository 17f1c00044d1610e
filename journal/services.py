"""Writes with rules or side effects: publishing and unpublishing articles."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def article_publish(*, article: Article, at: datetime.datetime | None = None) -> Article:
    """Publish now, or schedule for `at` when it lies in the future.

    Raises ValidationError naming what is missing (headline, body, byline,
    country) and leaves the article as it was.
    """
    previous = (article.status, article.publish_at)
    article.status = Article.Status.PUBLISHED
    # Keep an existing publish time (a scheduled article, or a republication)
    # unless a new one is given.
    article.publish_at = at or article.publish_at or timezone.now()
    try:
        article.full_clean()
        errors = article.publication_errors()
        if errors:
            raise ValidationError(errors)
    except ValidationError:
        article.status, article.publish_at = previous
        raise
    article.save(update_fields=["status", "publish_at", "updated_at"])
    return article


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    """Take an article off the site and back to draft. Its publish time is kept."""
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article
