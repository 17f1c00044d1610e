"""The search index reads no article row: an entry per published article.

`SearchEntry` (journal_search_entry) holds each published article's publish
time and language, and on PostgreSQL its weighted vector, which leaves the
articles' table, behind a GIN index. On SQLite the FTS5 table's rows are
numbered by the entry's `order_key`, in publication order, and hold only
published articles; a trigger deletes an entry's FTS5 row with it. Either
way a search reads its newest matches without looking up the matching
articles' wide rows to sort them. The index is filled again by today's code.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from journal.search.index import ENTRY_TABLE, FTS_TABLE, index_articles


def fill_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {ENTRY_TABLE}_vector_gin ON {ENTRY_TABLE} USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        # What migration 0026 made before it was superseded.
        schema_editor.execute("DROP TRIGGER IF EXISTS journal_article_search_order_deleted")
        schema_editor.execute("DROP TABLE IF EXISTS journal_article_search_order")
        schema_editor.execute(
            f"CREATE TRIGGER {ENTRY_TABLE}_deleted AFTER DELETE ON {ENTRY_TABLE} "
            f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.order_key; END"
        )
        schema_editor.execute(f"DELETE FROM {FTS_TABLE}")
    else:
        return
    Article = apps.get_model("journal", "Article")
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 2000):
        index_articles(pks[start : start + 2000], using=schema_editor.connection.alias)


def empty_index(apps, schema_editor):
    # The earlier code reads the index by article id (SQLite) or from the
    # articles' own column, made again empty and without its GIN index
    # (PostgreSQL): `manage.py rebuild_search_index` with that code, and the
    # index of migration 0010, make them again.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {ENTRY_TABLE}_deleted")
        schema_editor.execute(f"DELETE FROM {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0026_search_in_publication_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="journal.article",
                    ),
                ),
                ("publish_at", models.DateTimeField(verbose_name="publish time")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                (
                    "order_key",
                    models.BigIntegerField(
                        null=True, unique=True, verbose_name="place in the index"
                    ),
                ),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "verbose_name": "search index entry",
                "verbose_name_plural": "search index entries",
                "db_table": "journal_search_entry",
                "ordering": ["-publish_at", "-article"],
            },
        ),
        migrations.RunPython(fill_index, empty_index),
        migrations.RemoveField(
            model_name="article",
            name="search_vector",
        ),
    ]
