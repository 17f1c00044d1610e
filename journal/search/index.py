"""Keeping the full-text index in step: PostgreSQL's vector column, SQLite's FTS5 table."""

from __future__ import annotations

from html import unescape

from django.contrib.postgres.search import (
    SearchVector,
)
from django.db import connection, connections
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags

from journal.content_generation import end_on_commit
from journal.models import Article

FTS_TABLE = "journal_article_search"
CONFIG = "english"


# Keeping the index current ---------------------------------------------------

# The names an article's bylines give, each also without its hyphens, so that
# "Dae-sik" and "Daesik" both find Kim Dae-sik.
BYLINE_NAMES = (
    "SELECT {aggregate}(c.name || ' ' || replace(c.name, '-', ''), ' ') "
    "FROM journal_byline b JOIN journal_contributor c ON c.id = b.contributor_id "
    "WHERE b.article_id = {article}"
)
# The same for many articles at once (SQLite): (article id, names) rows.
SQLITE_BYLINE_NAMES = (
    "SELECT b.article_id, group_concat(c.name || ' ' || replace(c.name, '-', ''), ' ') "
    "FROM journal_byline b JOIN journal_contributor c ON c.id = b.contributor_id "
    "WHERE b.article_id IN ({marks}) GROUP BY b.article_id"
)
PG_VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("standfirst", weight="B", config=CONFIG)
    + SearchVector(
        RawSQL(
            BYLINE_NAMES.format(aggregate="string_agg", article="journal_article.id"),
            (),
            output_field=TextField(),
        ),
        weight="B",
        config=CONFIG,
    )
    + SearchVector("body", weight="C", config=CONFIG)
)


def body_text(html: str) -> str:
    """An article body as the words a reader sees."""
    return " ".join(unescape(strip_tags(html.replace("<", " <"))).split())


def index_articles(pks, *, using: str = "default") -> None:
    """Bring the search index up to date for these articles (deleted ones leave it)."""
    pks = list(pks)
    if not pks:
        return
    vendor = connections[using].vendor
    articles = Article.objects.using(using).filter(pk__in=pks)
    if vendor == "postgresql":
        articles.update(search_vector=PG_VECTOR)
    elif vendor == "sqlite":
        rows = articles.values_list("pk", "title", "standfirst", "body")
        with connections[using].cursor() as cursor:
            names = {}
            for chunk in _chunks(pks, 500):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
                cursor.execute(SQLITE_BYLINE_NAMES.format(marks=marks), chunk)
                names.update(cursor.fetchall())
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, standfirst, body, bylines) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (pk, title, standfirst, body_text(body), names.get(pk, ""))
                    for pk, title, standfirst, body in rows
                ],
            )


def index_article(article: Article, *, using: str = "default") -> None:
    """Index one saved article from the values it holds: one query on either database."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        Article.objects.using(using).filter(pk=article.pk).update(search_vector=PG_VECTOR)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, standfirst, body, bylines) "
                f"VALUES (%s, %s, %s, %s, "
                f"coalesce(({BYLINE_NAMES.format(aggregate='group_concat', article='%s')}), ''))",
                (
                    article.pk,
                    article.title,
                    article.standfirst,
                    body_text(article.body),
                    article.pk,
                ),
            )


def unindex_articles(pks, *, using: str = "default") -> None:
    """Take deleted articles out of the SQLite index (PostgreSQL's goes with the row)."""
    pks = list(pks)
    if connections[using].vendor == "sqlite" and pks:
        with connections[using].cursor() as cursor:
            for chunk in _chunks(pks, 500):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)


def rebuild_index(*, batch_size: int = 2000, progress=None) -> int:
    """Index every article again; returns how many there are.

    Cached reader pages start afresh too: whatever was written without
    signals is shown from now on.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for done, chunk in enumerate(_chunks(pks, batch_size), start=1):
        index_articles(chunk)
        if progress:
            progress(min(done * batch_size, len(pks)), len(pks))
    end_on_commit()
    return len(pks)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
