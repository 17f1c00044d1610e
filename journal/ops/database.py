"""Database upkeep the site needs after bulk writes: fresh statistics for the query planner."""

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
