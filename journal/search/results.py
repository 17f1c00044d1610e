"""Running a parsed query: ranked, highlighted, paginated results, and the records a query names."""

from __future__ import annotations

import re
from html import escape, unescape

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchRank,
)
from django.db import connection
from django.db.models import Case, Count, F, Func, QuerySet, Value, When, Window
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from journal.content_generation import kept, kept_in_worker
from journal.models import Article, Contributor
from journal.search.index import CONFIG, FTS_TABLE, body_text
from journal.search.languages import Marker, excerpt
from journal.search.query import ParsedQuery, fts5_expression, pg_query
from summits.names import (
    MAX_RECORD_MATCHES,
    RecordMatches,
    fold,
    record_vocabulary,
    records_named,
)

# Markers around matched words in excerpts: control characters cannot occur in
# a query (they are removed) and hardly in text, and they survive escaping.
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 28
# Matches ranked by relevance: the newest this many (and one more, to tell
# that there are more). Ranking every article that mentions two common words
# reads a good part of the archive for each new query; readers narrow such a
# search rather than page past fifty pages of it.
RANKED_AT_MOST = 1000
# bm25's weight for each column of SQLite's index (index.FTS_COLUMNS): the
# headline, the standfirst and bylines, the body, the translations' text; then
# the Korean and Russian forms of the same four.
RANK_WEIGHTS = "10.0, 4.0, 1.0, 4.0, 0.5, 10.0, 4.0, 1.0, 0.5"


def highlight(snippet: str | None) -> SafeString | None:
    """Escape an excerpt and turn the match markers into <mark> elements."""
    if not snippet or START not in snippet:
        return None
    # PostgreSQL marks "C5+1" as "C5" and "+1": one mark reads better.
    text = escape(re.sub(f"{STOP}(\\s*){START}", r"\1", " ".join(snippet.split())))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


class SearchResults:
    """Ranked published articles matching a query, sliceable for a Paginator.

    Articles in the page's language come first, then the others, each part by
    relevance, then newest first.

    `articles` is the base queryset (published, possibly filtered); slicing
    returns Article objects carrying `search_snippet`, the excerpt to show.
    """

    def __init__(
        self,
        articles: QuerySet,
        query: ParsedQuery,
        *,
        cards: QuerySet,
        key: str | None = None,
        window: tuple[int, int] | None = None,
    ):
        self.articles = articles
        self.query = query
        self.cards = cards  # how to load what each result shows
        # What `articles` and `query` depend on (the page's path and query
        # string): the count, ranking and excerpts are then worked out once
        # per content generation. Without it, on every call.
        self.key = key
        # The results the reader's page shows, (start, stop): counted and
        # ranked in one query, as the matches are read once for both.
        self.window = window
        self._count = None
        self._ranked_window: tuple[int, list[int]] | None = None

    def _kept(self, name: str, compute):
        if self.key is None:
            return compute()
        return kept(f"search:{name}:{self.query.text}:{self.key}", compute)

    def count(self) -> int:
        """How many results can be paged through: the matches, RANKED_AT_MOST at most."""
        return min(self._pool_size(), RANKED_AT_MOST)

    @property
    def more(self) -> bool:
        """Whether more articles match than are ranked (the newest RANKED_AT_MOST)."""
        return self._pool_size() > RANKED_AT_MOST

    def _pool_size(self) -> int:
        if self._count is None:
            self._count = self._kept("count", self._count_and_rank) if self.query else 0
        return self._count

    def _count_and_rank(self) -> int:
        if self.window is None:
            return self._count_matches()
        start, stop = self.window
        ranked, total = self._ranked_ids(start, stop, counted=True)
        if total is None:  # a page past the last: no row carried the count
            return self._count_matches()
        self._ranked_window = (start, ranked)
        return total

    def _count_matches(self) -> int:
        """The size of the pool ranked, at most RANKED_AT_MOST + 1."""
        if connection.vendor == "postgresql":
            return self._pg_pool().count()
        sql, params = self._fts5_pool()
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {sql} SELECT COUNT(*) FROM pool", params)
            return cursor.fetchone()[0]

    def _pg_pool(self) -> QuerySet:
        """The newest matches, RANKED_AT_MOST + 1 of them: what is ranked (PostgreSQL)."""
        newest = (
            self.articles.filter(search_vector=pg_query(self.query))
            .order_by("-publish_at", "-pk")
            .values("pk")[: RANKED_AT_MOST + 1]
        )
        return Article.objects.filter(pk__in=newest)

    def _fts5_pool(self) -> tuple[str, tuple]:
        """The same pool on SQLite, as a common table expression: pool (id, publish_at)."""
        # The base queryset (visibility and filters) as a subquery, joined to
        # the matches rather than tested with IN, which would first gather the
        # ids of every visible article. No score yet: bm25 reads each match's
        # column sizes, and common words match tens of thousands of articles.
        visible_sql, visible_params = (
            self.articles.order_by().values("id", "publish_at", "language").query.sql_with_params()
        )
        sql = (
            f"pool AS MATERIALIZED (SELECT visible.id, visible.publish_at, visible.language "
            f"FROM {FTS_TABLE} "
            f"JOIN ({visible_sql}) AS visible ON visible.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY visible.publish_at DESC, visible.id DESC LIMIT {RANKED_AT_MOST + 1}) "
        )
        return sql, (*visible_params, fts5_expression(self.query))

    def _fts5_scored(self) -> tuple[str, tuple]:
        """The pool's matches with their bm25 scores, computed for the pool's articles only."""
        # Scored in a second pass over the matches: an FTS5 table looked up by
        # rowid runs the whole MATCH again for each row.
        pool, params = self._fts5_pool()
        sql = (
            f"{pool}, scored AS MATERIALIZED (SELECT id, score FROM ("
            f"SELECT rowid AS id, CASE WHEN rowid IN (SELECT id FROM pool) "
            f"THEN bm25({FTS_TABLE}, {RANK_WEIGHTS}) END AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) WHERE score IS NOT NULL) "
        )
        return sql, (*params, fts5_expression(self.query))

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Article]:
        if not isinstance(window, slice) or not self.query:
            raise TypeError("Search results are read a page at a time.")
        start, stop = window.start or 0, window.stop
        ranked = self._kept(f"ranked:{start}:{stop}", lambda: self._ranked_page(start, stop))
        if not ranked:
            return []
        snippets = self._kept(f"excerpts:{start}:{stop}", lambda: self._snippets(ranked))
        articles = self.cards.in_bulk(ranked)
        results = []
        for pk in ranked:
            if pk in articles:
                article = articles[pk]
                article.search_snippet = snippets.get(pk)
                results.append(article)
        return results

    def _ranked_page(self, start: int, stop: int | None) -> list[int]:
        if self._ranked_window is not None and self._ranked_window[0] == start:
            # Ranked with the count; the last page may be shorter than the window.
            ranked = self._ranked_window[1]
            return ranked if stop is None else ranked[: stop - start]
        return self._ranked_ids(start, stop)[0]

    def _ranked_ids(
        self, start: int, stop: int | None, *, counted: bool = False
    ) -> tuple[list[int], int | None]:
        """The ids ranked from `start` to `stop`, and, if `counted`, the size of the pool.

        The page's language first, then by relevance and newest first, among the newest matches
        (`RANKED_AT_MOST`). The count rides on every row (a window over the
        pool), so it is None when the window holds none.
        """
        if connection.vendor == "postgresql":
            query = pg_query(self.query)
            ranked = (
                self._pg_pool()
                .annotate(
                    rank=SearchRank(F("search_vector"), query),
                    elsewhere=Case(When(language=get_language(), then=Value(0)), default=Value(1)),
                )
                .order_by("elsewhere", "-rank", "-publish_at", "-pk")
            )
            if counted:
                ranked = ranked.annotate(total=Window(Count("pk")))
                rows = list(ranked.values_list("pk", "total")[start:stop])
                return [pk for pk, _total in rows], (rows[0][1] if rows else None)
            return list(ranked.values_list("pk", flat=True)[start:stop]), None
        scored, params = self._fts5_scored()
        total = ", COUNT(*) OVER ()" if counted else ""
        sql = (
            f"WITH {scored} SELECT pool.id{total} FROM pool JOIN scored ON scored.id = pool.id "
            "ORDER BY pool.language <> %s, scored.score, pool.publish_at DESC, pool.id DESC "
            "LIMIT %s OFFSET %s"
        )
        limit = -1 if stop is None else stop - start
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params, get_language(), limit, start))
            rows = cursor.fetchall()
        if counted:
            return [row[0] for row in rows], (rows[0][1] if rows else None)
        return [row[0] for row in rows], None

    def _snippets(self, pks: list[int]) -> dict[int, SafeString | None]:
        """The best excerpt per article: from the body, else from the standfirst."""
        if self.query.foreign:
            return self._marked_excerpts(pks)
        if connection.vendor == "postgresql":
            query = pg_query(self.query)
            options = {
                "start_sel": START,
                "stop_sel": STOP,
                "max_words": SNIPPET_WORDS,
                "min_words": SNIPPET_WORDS // 2,
                "short_word": 2,
                "fragment_delimiter": " … ",
                "max_fragments": 2,
                "config": CONFIG,
            }
            plain_body = Func(
                F("body"), Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace"
            )
            rows = Article.objects.filter(pk__in=pks).values_list(
                "pk",
                SearchHeadline(plain_body, query, **options),
                SearchHeadline("standfirst", query, **options),
            )
            return {
                pk: highlight(unescape(body or "")) or highlight(standfirst)
                for pk, body, standfirst in rows
            }
        marks = ", ".join(["%s"] * len(pks))
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, ' … ', {SNIPPET_WORDS // 2}), "
            f"snippet({FTS_TABLE}, 1, %s, %s, ' … ', {SNIPPET_WORDS // 2}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (START, STOP, START, STOP, fts5_expression(self.query), *pks))
            return {pk: highlight(body) or highlight(standfirst) for pk, body, standfirst in cursor}

    def _marked_excerpts(self, pks: list[int]) -> dict[int, SafeString | None]:
        """Excerpts for Korean and Russian words, which the index keeps as stems and pairs.

        Neither database's excerpt function can mark what they match, so the
        words are found here, as the index finds them (languages.Marker).
        """
        marker = Marker(self.query.wanted_words)
        options = {"words": SNIPPET_WORDS, "start": START, "stop": STOP}
        return {
            pk: highlight(excerpt(body_text(body), marker, **options))
            or highlight(excerpt(standfirst, marker, **options))
            for pk, body, standfirst in Article.objects.filter(pk__in=pks).values_list(
                "pk", "body", "standfirst"
            )
        }


# Names of places and frameworks ------------------------------------------------


def _name_words(text: str) -> list[str]:
    """A name's words as they are compared: folded, without hyphens or apostrophes."""
    return [re.sub(r"[\W_]+", "", word) for word in fold(text).split()]


def contributor_names() -> list[tuple[Contributor, frozenset[str]]]:
    """Contributors readers know of, each with the words of their name."""
    return [
        (contributor, frozenset(word for word in _name_words(contributor.name) if word))
        for contributor in Contributor.objects.known_to_readers()
        .only("name", "slug", "position")
        .order_by("name")
    ]


def matching_contributors(text: str, named=None) -> list[Contributor]:
    """The contributors a query names: every word of the name, in any order.

    "Kim Dae-sik", "Dae-sik Kim", "kim daesik" and "Kim Dae sik" all name
    Kim Dae-sik; "Kim" alone names no one. `named` is `contributor_names()`,
    which a caller may keep.
    """
    words = [word for word in _name_words(text) if word]
    # Each word, and each two neighbours joined: "dae sik" is "daesik".
    said = set(words) | {a + b for a, b in zip(words, words[1:], strict=False)}
    people = named if named is not None else contributor_names()
    return [person for person, name in people if name and name <= said][:MAX_RECORD_MATCHES]


def matching_records(text: str) -> RecordMatches:
    """The reference records a query names, for direct links above the results.

    Names are recognised as tag suggestions recognise them, so "Kazakh" or
    "C5 + 1" mean the same record in both.
    """
    return records_named(text, kept_in_worker("search:record-vocabulary", record_vocabulary))
