"""PostgreSQL: an article page's lookups prepared once per connection, nothing else."""

import pytest
from django.db import connection
from django.test import Client

from journal.ops.database import prepared_lookups
from journal.tests.factories import ContributorFactory, PublishedArticleFactory

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


def test_an_article_page_prepares_its_lookups_and_each_page_shows_its_own_article():
    first = PublishedArticleFactory(title="Water sharing on the Amu Darya")
    second = PublishedArticleFactory(title="Rail corridor through Kazakhstan")
    client = Client()
    for article in (first, second, first):
        response = client.get(article.get_absolute_url(), HTTP_COOKIE="")
        assert response.status_code == 200
        assert article.title in response.content.decode()
    assert prepared('"journal_article"."slug" = $')
    assert prepared('"journal_byline"."article_id" = $')


def test_lists_and_searches_are_planned_for_their_own_values():
    contributor = ContributorFactory(name="Dilnoza Rashidova")
    PublishedArticleFactory(title="Water sharing on the Amu Darya", authors=[contributor])
    client = Client()
    for _ in range(3):
        assert "Water sharing" in client.get("/en/search/", {"q": "water"}).content.decode()
        assert "Water sharing" in client.get(contributor.get_absolute_url()).content.decode()
    # Which rows a list or a search reads depends on the contributor or the
    # words: a generic plan would serve a rare one as badly as a common one.
    assert not prepared("@@")
    assert not prepared('"journal_byline"."contributor_id" = $')


def run_three_times(sql: str) -> None:
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(sql, [7])


def test_inside_only_and_not_without_server_side_binding(monkeypatch):
    with prepared_lookups():
        run_three_times("SELECT count(*) FROM journal_article WHERE id = %s")
    assert prepared("WHERE id = $1")
    assert connection.connection.prepare_threshold is None  # as before the block
    run_three_times("SELECT count(*) FROM journal_article WHERE id > %s")
    assert not prepared("WHERE id > $1")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {})
    with prepared_lookups():
        run_three_times("SELECT count(*) FROM journal_article WHERE id < %s")
    assert not prepared("WHERE id < $1")
