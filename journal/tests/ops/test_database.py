"""PostgreSQL: queries prepared once per connection, full-text matches planned each time."""

import pytest
from django.db import connection

from journal.models import Article
from journal.ops.database import planned_each_time
from journal.search.query import parse_query
from journal.search.results import SearchResults
from journal.tests.factories import PublishedArticleFactory
from journal.views.base import visible_articles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements"),
]


def prepared(fragment: str) -> list[str]:
    """The statements this connection has prepared whose text holds `fragment`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql AND statement LIKE %s",
            [f"%{fragment}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_again_is_prepared_and_answers_for_its_own_values():
    first, second = PublishedArticleFactory(slug="water-talks"), PublishedArticleFactory()
    assert not prepared('"journal_article"."slug" = $1')
    assert Article.objects.filter(slug="water-talks").get() == first
    assert Article.objects.filter(slug=second.slug).get() == second
    assert Article.objects.filter(slug="no-such-article").first() is None
    assert prepared('"journal_article"."slug" = $1')


def test_a_full_text_match_is_planned_for_its_own_words():
    PublishedArticleFactory(title="Water sharing on the Amu Darya")
    PublishedArticleFactory(title="Rail corridor through Kazakhstan")
    found = {}
    for words in ("water", "rail", "corridor", "water", "rail"):
        results = SearchResults(None, parse_query(words), cards=visible_articles())
        found[words] = [article.title for article in results[0:20]]
    assert found == {
        "water": ["Water sharing on the Amu Darya"],
        "rail": ["Rail corridor through Kazakhstan"],
        "corridor": ["Rail corridor through Kazakhstan"],
    }
    # The pool ran five times with the same text: never prepared, so every
    # word gets the plan its own frequency calls for.
    assert not prepared("@@")


def test_statements_inside_are_not_prepared_and_the_setting_comes_back():
    threshold = connection.connection.prepare_threshold
    with planned_each_time():
        for _ in range(3):
            Article.objects.filter(title="Not prepared").exists()
    assert not prepared('"journal_article"."title" = $1')
    assert connection.connection.prepare_threshold == threshold == 1
