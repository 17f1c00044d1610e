"""Bylines in the full-text index: an article is found by its writers' names.

PostgreSQL's vector gains the names (weight B, as the standfirst); SQLite's
FTS5 table gains a `bylines` column, so it is made again and filled.
"""

import html

from django.db import migrations
from django.utils.html import strip_tags

NAMES = (
    "SELECT string_agg(c.name || ' ' || replace(c.name, '-', ''), ' ') "
    "FROM journal_byline b JOIN journal_contributor c ON c.id = b.contributor_id "
    "WHERE b.article_id = journal_article.id"
)
PG_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') || "
    f"setweight(to_tsvector('english'::regconfig, coalesce(({NAMES}), '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"
)
FTS5_TABLE = (
    "CREATE VIRTUAL TABLE journal_article_search USING fts5("
    "title, standfirst, body, bylines, tokenize='porter unicode61 remove_diacritics 2')"
)
SQLITE_NAMES = (
    "SELECT b.article_id, group_concat(c.name || ' ' || replace(c.name, '-', ''), ' ') "
    "FROM journal_byline b JOIN journal_contributor c ON c.id = b.contributor_id "
    "GROUP BY b.article_id"
)


def body_text(body: str) -> str:
    return " ".join(html.unescape(strip_tags(body.replace("<", " <"))).split())


def index_bylines(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE journal_article SET search_vector = {PG_VECTOR}")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS journal_article_search")
        schema_editor.execute(FTS5_TABLE)
        Article = apps.get_model("journal", "Article")
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_NAMES)
            names = dict(cursor.fetchall())
            rows = Article.objects.values_list("pk", "title", "standfirst", "body")
            batch = []
            for pk, title, standfirst, body in rows.iterator(chunk_size=2000):
                batch.append((pk, title, standfirst, body_text(body), names.get(pk, "")))
                if len(batch) == 2000:
                    cursor.executemany(INSERT, batch)
                    batch = []
            cursor.executemany(INSERT, batch)


INSERT = (
    "INSERT INTO journal_article_search (rowid, title, standfirst, body, bylines) "
    "VALUES (%s, %s, %s, %s, %s)"
)


class Migration(migrations.Migration):
    dependencies = [("journal", "0015_sqlite_article_visibility_index")]

    # Going back leaves the names in the index: harmless to the earlier code.
    operations = [migrations.RunPython(index_bylines, migrations.RunPython.noop)]
