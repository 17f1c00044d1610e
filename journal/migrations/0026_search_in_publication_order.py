"""SQLite's search index in publication order: the newest matches are read first.

The FTS5 table's rows were numbered by article id; they are now numbered by
publish time (`journal.search.index.order_key`), and only published articles
are in it, so a search reads its newest thousand matches from the index alone
instead of looking up every matching article's row to sort them.
`journal_article_search_order` says which row is which article's. PostgreSQL's
index is unchanged.
"""

from django.db import migrations

from journal.search.index import FTS_TABLE, ORDER_TABLE, index_articles


def number_in_publication_order(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {ORDER_TABLE} ("
        "key INTEGER PRIMARY KEY, "
        "article_id INTEGER NOT NULL UNIQUE, "
        "publish_at TEXT NOT NULL, "
        "language TEXT NOT NULL)"
    )
    # An article's index row goes with its place in the order.
    schema_editor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {ORDER_TABLE}_deleted AFTER DELETE ON {ORDER_TABLE} "
        f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.key; END"
    )
    schema_editor.execute(f"DELETE FROM {ORDER_TABLE}")
    schema_editor.execute(f"DELETE FROM {FTS_TABLE}")
    # The index is derived data: filled by today's code, as rebuild_search_index does.
    Article = apps.get_model("journal", "Article")
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 2000):
        index_articles(pks[start : start + 2000], using=schema_editor.connection.alias)


def number_by_id(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DELETE FROM {FTS_TABLE}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {ORDER_TABLE}")
    # The earlier code numbered rows by id; `manage.py rebuild_search_index`
    # with that code fills the index again.


class Migration(migrations.Migration):
    dependencies = [("journal", "0025_assignments")]

    operations = [migrations.RunPython(number_in_publication_order, number_by_id)]
