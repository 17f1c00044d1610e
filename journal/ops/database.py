"""How the site asks the database: fresh planner statistics, and plans made per call."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections


def refresh_planner_statistics(*, using: str = "default") -> None:
    """Tell the database's query planner how the tables look after a bulk write.

    Without statistics, SQLite's planner guesses, and picks plans that read a
    whole 100,000-article table for a page of twenty; PostgreSQL's autovacuum
    catches up on its own, but only minutes later; VACUUM also lets it answer
    from indexes alone, and cannot run inside a transaction.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


@contextmanager
def planned_each_time(*, using: str = "default") -> Iterator[None]:
    """Statements run inside are planned for their own values, never prepared.

    On PostgreSQL the site prepares the statements a connection runs again
    (settings: DJANGO_DB_PREPARED_STATEMENTS), and after a few runs a prepared
    statement may keep one generic plan for every value. That suits lookups
    by key; it does not suit a statement whose best plan depends on its
    values, such as a full-text match, where a rare word wants the index and
    a common one a walk down the newest rows. Elsewhere this changes nothing.
    """
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor != "postgresql" or raw.prepare_threshold is None:
        yield
        return
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
