"""Two saves indexing the same article at once, on PostgreSQL, where writers do not take turns."""

import threading
import time

import pytest
from django.db import connection, transaction

from journal.models import SearchEntry
from journal.search.index import index_articles
from journal.tests.factories import PublishedArticleFactory

pytestmark = [
    # Committed for real, as two connections see each other's work only then;
    # the database is restored afterwards as the other such tests expect.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's writers wait for each other"
    ),
]


def test_two_saves_indexing_one_article_at_once_both_succeed():
    """An editor saves an original while another saves its translation: both index the group."""
    article = PublishedArticleFactory(title="Ishkashim crossing")
    waiting = threading.Event()
    failures = []

    def other_save():
        try:
            with transaction.atomic():
                waiting.set()
                index_articles([article.pk])  # waits for the first save's lock
        except Exception as error:  # noqa: BLE001 - the test reports it
            failures.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        index_articles([article.pk])
        other = threading.Thread(target=other_save)
        other.start()
        waiting.wait(5)
        time.sleep(0.3)  # the other save is now waiting on this one
    other.join(10)

    assert failures == []
    assert SearchEntry.objects.filter(article=article).count() == 1
