"""How the site asks the database: fresh planner statistics, and lookups prepared once."""

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
def prepared_lookups(*, using: str = "default") -> Iterator[None]:
    """Statements run inside are prepared the second time a connection runs them.

    For what looks rows up by key, as an article's page does (the article by
    its slug, then its bylines, tags, corrections and related cards by its
    id): one plan serves every value, so PostgreSQL plans such a statement
    once per connection instead of on every request, which is most of what
    it spends on the page. Nowhere else: a prepared statement may settle on
    one generic plan for every value, and where the best plan depends on the
    value (which tag a list is for, which words a search has) that plan
    reads the whole archive for a rare one. Only on PostgreSQL with
    parameters bound by the server (DJANGO_DB_PREPARED_STATEMENTS).
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get(
        "server_side_binding"
    ):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, 1
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
