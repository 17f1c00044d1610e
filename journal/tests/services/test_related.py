"""Related coverage: rows ranked when tags change or an article is published, read by the page."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from journal.models import Article, Byline, RelatedArticle
from journal.services import related
from journal.services.related import related_articles_rank, related_articles_refresh_all
from journal.services.workflow import article_publish, article_unpublish
from journal.tests.factories import ArticleFactory, ContributorFactory, PublishedArticleFactory


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def related_titles(client, article) -> list[str]:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return [card.title for card in response.context["related_articles"]]


def stored(article) -> list[int]:
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("position")
        .values_list("related_id", flat=True)
    )


def test_a_published_article_joins_the_related_coverage_of_articles_like_it(
    client, world, editor, commit
):
    with commit():
        older = PublishedArticleFactory(
            title="Older", countries=[world.kz], frameworks=[world.c5], publish_at=days_ago(5)
        )
        PublishedArticleFactory(title="Other", countries=[world.kz], publish_at=days_ago(3))
        draft = ArticleFactory(
            title="Fresh", countries=[world.kz], frameworks=[world.c5], authors=[world.aigerim]
        )
    assert related_titles(client, older) == ["Other"]

    with commit():
        article_publish(article=draft, user=editor)

    assert related_titles(client, older) == ["Fresh", "Other"]
    assert related_titles(client, draft) == ["Older", "Other"]


def test_changing_an_articles_tags_ranks_its_related_coverage_again(client, world, commit):
    with commit():
        article = PublishedArticleFactory(countries=[world.kz])
        PublishedArticleFactory(title="On Kazakhstan", countries=[world.kz])
        PublishedArticleFactory(title="On Uzbekistan", countries=[world.uz])
    assert related_titles(client, article) == ["On Kazakhstan"]

    with commit():
        article.countries.set([world.uz])

    assert related_titles(client, article) == ["On Uzbekistan"]


def test_tagging_from_the_countrys_side_ranks_the_articles_named(client, world, commit):
    with commit():
        article = PublishedArticleFactory(countries=[world.uz])
        PublishedArticleFactory(title="On Kazakhstan", countries=[world.kz])

    with commit():
        world.kz.articles.add(article)

    assert related_titles(client, article) == ["On Kazakhstan"]


def test_an_unpublished_article_leaves_related_coverage_and_the_next_takes_its_place(
    client, world, editor, commit
):
    with commit():
        article = PublishedArticleFactory(countries=[world.kz], frameworks=[world.c5])
        close = PublishedArticleFactory(
            title="Close", countries=[world.kz], frameworks=[world.c5], publish_at=days_ago(2)
        )
        PublishedArticleFactory(title="Further", countries=[world.kz], publish_at=days_ago(1))
    assert related_titles(client, article) == ["Close", "Further"]

    with commit():
        article_unpublish(article=close, user=editor)

    assert related_titles(client, article) == ["Further"]


def test_a_scheduled_article_shows_in_related_coverage_once_it_is_live(
    client, world, commit, travel
):
    with commit():
        article = PublishedArticleFactory(countries=[world.kz])
        PublishedArticleFactory(
            title="Tomorrow",
            countries=[world.kz],
            publish_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert related_titles(client, article) == []

    travel(datetime.timedelta(days=2))

    assert related_titles(client, article) == ["Tomorrow"]


def test_a_rolled_back_change_writes_no_rows(world, commit):
    with commit():
        article = PublishedArticleFactory(countries=[world.kz])
        neighbour = PublishedArticleFactory(countries=[world.kz])
    assert stored(article) == [neighbour.pk]

    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        article.countries.set([world.uz])
        raise RuntimeError("the save failed")

    assert stored(article) == [neighbour.pk]


def test_ranking_the_whole_archive_gives_each_article_its_own_ranking(world, monkeypatch):
    """The in-memory ranking of `refresh_related_articles` matches the SQL ranking.

    With a pool of five, so that articles share tags with more than the pool
    holds, and an article's own place in it matters.
    """
    monkeypatch.setattr(related, "RELATED_POOL", 5)
    rng = random.Random(7)
    tags = [world.kz, world.uz, world.us]
    for number in range(40):
        factory = PublishedArticleFactory if number % 4 else ArticleFactory
        factory(
            title=f"Article {number}",
            # Equal times too: the newer of two is the one with the higher id.
            publish_at=days_ago(rng.choice([1, 2, 2, 3, 5, 8])),
            countries=rng.sample(tags, rng.randint(0, 2)),
            frameworks=[world.c5] if rng.random() < 0.3 else [],
            summits=[world.summit] if rng.random() < 0.2 else [],
        )

    related_articles_refresh_all()

    assert RelatedArticle.objects.exists()
    for article in Article.objects.all():
        assert stored(article) == related_articles_rank(article), article.title


def test_the_command_ranks_articles_written_without_signals(client, world, commit):
    writer = ContributorFactory()
    first, second = Article.objects.bulk_create(
        Article(
            title=title,
            slug=title.lower(),
            body="<p>Text.</p>",
            status=Article.Status.PUBLISHED,
            publish_at=days_ago(1),
        )
        for title in ("First", "Second")
    )
    Byline.objects.bulk_create(Byline(article=a, contributor=writer) for a in (first, second))
    Article.countries.through.objects.bulk_create(
        Article.countries.through(article=a, country=world.kz) for a in (first, second)
    )
    assert related_titles(client, first) == []

    with commit():
        call_command("refresh_related_articles", verbosity=0)

    assert related_titles(client, first) == ["Second"]
