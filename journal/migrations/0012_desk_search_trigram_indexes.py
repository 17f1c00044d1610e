"""Trigram indexes for the desk's search of headlines, standfirsts, slugs and names (PostgreSQL).

Django compares `UPPER(column::text) LIKE UPPER('%word%')` for `icontains`;
these GIN indexes on the same expression answer it without reading every
article. SQLite has no such index and scans.
"""

from django.db import migrations

INDEXES = [
    ("journal_article_title_trgm", "journal_article", "title"),
    ("journal_article_standfirst_trgm", "journal_article", "standfirst"),
    ("journal_article_slug_trgm", "journal_article", "slug"),
    ("journal_contributor_name_trgm", "journal_contributor", "name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("journal", "0011_article_newest_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
