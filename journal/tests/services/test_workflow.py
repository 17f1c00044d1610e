"""The workflow services: publish, schedule and unpublish an article, and what they refuse."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from journal.models import Article
from journal.services.workflow import article_publish, article_unpublish
from journal.tests.factories import ArticleFactory, ContributorFactory
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


def complete_draft(**kwargs):
    return ArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()], **kwargs)


def test_publish_now_makes_article_visible():
    article = complete_draft()
    article_publish(article=article)
    assert article in Article.objects.published()


def test_publish_at_future_time_schedules():
    article = complete_draft()
    when = timezone.now() + datetime.timedelta(days=2)
    article_publish(article=article, at=when)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.publish_at == when
    assert article not in Article.objects.published()


def test_publish_refuses_incomplete_article_and_leaves_it_alone():
    article = ArticleFactory()  # no byline, no country
    with pytest.raises(ValidationError) as error:
        article_publish(article=article)
    assert "countries" in error.value.message_dict
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None


def test_unpublish_returns_to_draft():
    article = complete_draft()
    article_publish(article=article)
    article_unpublish(article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article not in Article.objects.published()


def test_publish_refuses_image_without_description():
    article = complete_draft(hero_alt="")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    article.hero_image.save("x.png", ContentFile(buffer.getvalue()))
    with pytest.raises(ValidationError) as error:
        article_publish(article=article)
    assert "hero_alt" in error.value.message_dict
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
