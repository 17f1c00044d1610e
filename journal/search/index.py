"""Keeping the full-text index in step: PostgreSQL's table of vectors, SQLite's FTS5 table.

Each article is indexed with the words of its translations too (those
readers can see), at the lowest weight: a query in one language finds the
translated article through its pair.
"""

from __future__ import annotations

import math
from html import unescape

from django.contrib.postgres.search import (
    SearchVector,
)
from django.db import connection, connections
from django.db.models import F, Func, Q, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import strip_tags

from journal.content_generation import end_on_commit
from journal.models import Article, SearchEntry
from journal.search.languages import index_forms

# SQLite's FTS5 table. Its rows are numbered in publication order
# (`SearchEntry.order_key`), so that the newest matches of a query are read
# first, straight from the index, without the articles' rows.
FTS_TABLE = "journal_article_search"
# One row per published article (`SearchEntry`): its publish time and
# language, its FTS5 row on SQLite, its weighted vector on PostgreSQL.
ENTRY_TABLE = SearchEntry._meta.db_table
# An order key is the publish time in whole seconds since 1970, then the
# article's id in its lowest ID_BITS bits: unique, and sorted as the archive
# is. Times past LAST_SECOND (the year 6325) count as that second, so that
# the key stays within 63 bits.
ID_BITS = 26
ID_MASK = (1 << ID_BITS) - 1  # a key's article id: key & ID_MASK
LAST_SECOND = (1 << (63 - ID_BITS)) - 1
# PostgreSQL's `russian` configuration stems Cyrillic words as Russian and
# ASCII words as English: one configuration for both (see languages.py).
CONFIG = "russian"
# Hangul syllable pairs are indexed and searched as they are.
PAIRS_CONFIG = "simple"
# SQLite's columns, in order: what bm25() weighs (RANK_WEIGHTS in results.py).
FTS_COLUMNS = (
    "title",
    "standfirst",
    "body",
    "bylines",
    "translations",
    "title_forms",
    "standfirst_forms",
    "body_forms",
    "translations_forms",
)


# Keeping the index current ---------------------------------------------------

# The names an article's bylines give, each also without its hyphens, so that
# "Dae-sik" and "Daesik" both find Kim Dae-sik.
BYLINE_NAMES = (
    "SELECT {aggregate}(c.name || ' ' || replace(c.name, '-', ''), ' '{order}) "
    "FROM journal_byline b JOIN journal_contributor c ON c.id = b.contributor_id "
    "WHERE b.article_id = {article}"
)
# PostgreSQL joins the names (and translations, below) in a fixed order, so
# that an article's vector is the same however its rows lie on disk (after a
# restore, say).
# The text of an article's published translations (or of its original and
# the original's other translations): id, then the group's id. The group is
# found by its indexes alone, whatever the planner knows (a database just
# restored has no statistics yet): PostgreSQL plans the OFFSET 0 subquery on
# its own, and SQLite's unary + keeps it from the status index.
TRANSLATIONS_TEXT = (
    "SELECT string_agg(p.title || ' ' || p.standfirst || ' ' || p.body, ' ' ORDER BY p.id) FROM ("
    "SELECT t.id, t.title, t.standfirst, t.body, t.status, t.publish_at FROM journal_article t "
    "WHERE t.id <> {article} AND (t.id = {group} OR t.translation_of_id = {group}) "
    "OFFSET 0) p WHERE p.status = 'published' AND p.publish_at <= now()"
)
# (SQLite before 3.44 cannot order an aggregate's input; the index it fills is
# not backed up, but made again after a restore.)
SQLITE_BYLINES = BYLINE_NAMES.format(aggregate="group_concat", article="a.id", order="")
SQLITE_TRANSLATIONS_TEXT = (
    "SELECT group_concat(p.title || ' ' || p.standfirst || ' ' || p.body, ' ') "
    "FROM journal_article p WHERE p.id <> {article} "
    "AND (p.id = {group} OR p.translation_of_id = {group}) "
    "AND +p.status = 'published' AND +p.publish_at <= %s"
)
# Where each published article `{where}` picks goes in the index (only
# published articles are searched; a scheduled one is found once its time
# has come, as the searches ask for keys up to the present second).
SQLITE_ORDER = f"""
INSERT INTO {ENTRY_TABLE} (order_key, article_id, publish_at, language)
SELECT (min(CAST(strftime('%%s', a.publish_at) AS INTEGER), {LAST_SECOND}) << {ID_BITS}) | a.id,
  a.id, a.publish_at, a.language
FROM journal_article a
WHERE {{where}} AND a.status = 'published' AND a.publish_at IS NOT NULL
"""
# SQLite's rows for the articles `{where}` picks, read in one statement: the
# fields, then their Korean and Russian forms (`journal_index_forms()` and
# `journal_body_text()` are this module's functions, registered on each
# connection by `register_sqlite_functions`). Materialised, so that each
# subquery and function runs once per row.
SQLITE_INDEX = f"""
WITH indexed AS MATERIALIZED (
  SELECT o.order_key, a.title, a.standfirst, journal_body_text(a.body) AS body,
    coalesce(({SQLITE_BYLINES}), '') AS bylines,
    journal_body_text(({
    SQLITE_TRANSLATIONS_TEXT.format(article="a.id", group="coalesce(a.translation_of_id, a.id)")
})) AS translations
  FROM journal_article a JOIN {ENTRY_TABLE} o ON o.article_id = a.id WHERE {{where}}
)
INSERT INTO {FTS_TABLE} (rowid, {", ".join(FTS_COLUMNS)})
SELECT order_key, title, standfirst, body, bylines, translations,
  journal_index_forms(title), journal_index_forms(standfirst || ' ' || bylines),
  journal_index_forms(body), journal_index_forms(translations)
FROM indexed
"""


def _text(sql: str) -> RawSQL:
    return RawSQL(sql, (), output_field=TextField())


def _weighted(expression, weight: str):
    """A field's words, and its Hangul as syllable pairs, at one weight."""
    return SearchVector(expression, weight=weight, config=CONFIG) + SearchVector(
        Func(expression, function="journal_hangul_bigrams", output_field=TextField()),
        weight=weight,
        config=PAIRS_CONFIG,
    )


_BYLINES = _text(
    BYLINE_NAMES.format(
        aggregate="string_agg", article="journal_article.id", order=' ORDER BY b."order", b.id'
    )
)
_TRANSLATIONS = _text(
    TRANSLATIONS_TEXT.format(
        article="journal_article.id",
        group="coalesce(journal_article.translation_of_id, journal_article.id)",
    )
)
PG_VECTOR = (
    _weighted(F("title"), "A")
    + _weighted(F("standfirst"), "B")
    + SearchVector(_BYLINES, weight="B", config=CONFIG)
    + _weighted(F("body"), "C")
    + _weighted(_TRANSLATIONS, "D")
)


def body_text(html: str) -> str:
    """An article body as the words a reader sees."""
    return " ".join(unescape(strip_tags(html.replace("<", " <"))).split())


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """Give a new SQLite connection the functions SQLITE_INDEX calls (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "journal_index_forms", 1, lambda text: index_forms(text or ""), deterministic=True
        )
        connection.connection.create_function(
            "journal_body_text", 1, lambda html: body_text(html or ""), deterministic=True
        )


def _now(using: str):
    return connections[using].ops.adapt_datetimefield_value(timezone.now())


def index_articles(pks, *, using: str = "default") -> None:
    """Bring the search index up to date for these articles (deleted ones leave it)."""
    pks = list(pks)
    if not pks:
        return
    vendor = connections[using].vendor
    if vendor == "postgresql":
        for chunk in _chunks(pks, 2000):
            _pg_index(Article.objects.using(using).filter(pk__in=chunk), using=using)
    elif vendor == "sqlite":
        for chunk in _chunks(pks, 500):
            _sqlite_index(f"a.id IN ({', '.join(['%s'] * len(chunk))})", chunk, using=using)


def _sqlite_index(where: str, params, *, using: str) -> None:
    """Index again the articles `where` picks (`a` is journal_article): four statements.

    A trigger also deletes an entry's FTS5 row with it (for deletions that
    cascade, and Django's flush); here they are deleted in so many words.
    """
    chosen = f"(SELECT a.id FROM journal_article a WHERE {where})"
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
            f"(SELECT order_key FROM {ENTRY_TABLE} WHERE article_id IN {chosen})",
            params,
        )
        cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE article_id IN {chosen}", params)
        cursor.execute(SQLITE_ORDER.format(where=where), params)
        cursor.execute(SQLITE_INDEX.format(where=where), (_now(using), *params))


def _pg_index(articles, *, using: str) -> None:
    """Index again `articles` (a queryset) on PostgreSQL: two statements.

    Written in place (INSERT ... ON CONFLICT), so that two saves indexing the
    same translation group at once both succeed, the later one last.
    """
    connection = connections[using]
    published = Q(status=Article.Status.PUBLISHED, publish_at__isnull=False)
    gone, gone_params = articles.exclude(published).values("pk").query.get_compiler(using).as_sql()
    rows = (
        articles.filter(published)
        .annotate(vector=PG_VECTOR)
        .values_list("pk", "publish_at", "language", "vector")
    )
    rows_sql, rows_params = rows.query.get_compiler(using).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE article_id IN ({gone})", gone_params)
        cursor.execute(
            f"INSERT INTO {ENTRY_TABLE} (article_id, publish_at, language, search_vector) "
            f"{rows_sql} ON CONFLICT (article_id) DO UPDATE SET "
            "publish_at = excluded.publish_at, language = excluded.language, "
            "search_vector = excluded.search_vector",
            rows_params,
        )


def order_key(publish_at, pk: int) -> int:
    """An article's place in SQLite's index: see ID_BITS."""
    return (min(math.floor(publish_at.timestamp()), LAST_SECOND) << ID_BITS) | pk


def index_article(article: Article, *, using: str = "default") -> None:
    """Index a saved article and the rest of its translation group.

    The others' index holds its words (as theirs is in its own), so they
    follow its every change; an article without translations is alone in its group.
    """
    index_group(article.original_id, using=using)


def index_group(group: int, *, using: str = "default") -> None:
    """Index the original `group` and its translations (whichever of them exist)."""
    if connections[using].vendor == "postgresql":
        _pg_index(
            Article.objects.using(using).filter(Q(pk=group) | Q(translation_of=group)),
            using=using,
        )
    elif connections[using].vendor == "sqlite":
        _sqlite_index("(a.id = %s OR a.translation_of_id = %s)", (group, group), using=using)


def translations_to_index(article: Article, *, using: str = "default") -> list[int]:
    """The other articles of its translation group, whose index holds its words."""
    group = article.original_id
    return list(
        Article.objects.using(using)
        .filter(Q(pk=group) | Q(translation_of=group))
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)
    )


def unindex_article(pk: int, *, using: str = "default") -> None:
    """Take a deleted article out of the index (its entry, and on SQLite its FTS5 row).

    Called once the article's row is gone: its bylines, deleted before it,
    may have indexed it again on the way.
    """
    with connections[using].cursor() as cursor:
        if connections[using].vendor == "sqlite":
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
                f"(SELECT order_key FROM {ENTRY_TABLE} WHERE article_id = %s)",
                [pk],
            )
        cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE article_id = %s", [pk])


def rebuild_index(*, batch_size: int = 2000, progress=None) -> int:
    """Index every article again; returns how many there are.

    Cached reader pages start afresh too: whatever was written without
    signals is shown from now on.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for done, chunk in enumerate(_chunks(pks, batch_size), start=1):
        index_articles(chunk)
        if progress:
            progress(min(done * batch_size, len(pks)), len(pks))
    if connection.vendor == "sqlite":
        # Filled batch by batch, the FTS5 index is a score of segments, and
        # a search reads each word's rows from every one of them: merged into
        # one, its statements on 100,000 articles cost a quarter less.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
    end_on_commit()
    return len(pks)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
