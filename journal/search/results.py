"""Running a parsed query: ranked, highlighted, paginated results, and the records a query names."""

from __future__ import annotations

import functools
import re
from html import escape, unescape
from operator import itemgetter

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from journal.content_generation import kept, kept_in_worker
from journal.models import Article, Contributor
from journal.search.index import (
    CONFIG,
    ENTRY_TABLE,
    FTS_TABLE,
    ID_BITS,
    ID_MASK,
    body_text,
    order_key,
)
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
    relevance, then newest first, among the newest matches (RANKED_AT_MOST).

    `articles` narrows the search (a filtered queryset of published
    articles); None searches everything readers may see, which SQLite's index
    answers alone. Slicing returns Article objects carrying `search_snippet`,
    the excerpt to show.
    """

    def __init__(
        self,
        articles: QuerySet | None,
        query: ParsedQuery,
        *,
        cards: QuerySet,
        key: str | None = None,
    ):
        self.articles = articles
        self.query = query
        self.cards = cards  # how to load what each result shows
        # What `articles` and `query` depend on (the page's path and query
        # string): the ranking and excerpts are then worked out once per
        # content generation, for every page of the results. Without it, on
        # every call.
        self.key = key
        self._ranked: list[int] | None = None
        self._tsquery: tuple[str, tuple] | None = None

    def _kept(self, name: str, compute):
        if self.key is None:
            return compute()
        return kept(f"search:{name}:{self.query.text}:{self.key}", compute)

    def count(self) -> int:
        """How many results can be paged through: the matches, RANKED_AT_MOST at most."""
        return min(len(self.ranked), RANKED_AT_MOST)

    @property
    def more(self) -> bool:
        """Whether more articles match than are ranked (the newest RANKED_AT_MOST)."""
        return len(self.ranked) > RANKED_AT_MOST

    @property
    def ranked(self) -> list[int]:
        """The ids of the pool of newest matches (one more than is ranked), best first."""
        if self._ranked is None:
            self._ranked = self._kept("ranked", self._rank) if self.query else []
        return self._ranked

    def _rank(self) -> list[int]:
        language = get_language()
        if connection.vendor == "postgresql":
            pool = self._pg_pool(language)
        else:
            pool = self._fts5_pool(language)
        # (id, score, in another language), newest first; a lower score is
        # better. Sorting is stable: equal scores stay newest first. Each
        # part on its score alone, which Python compares fastest.
        here = [row for row in pool if not row[2]]
        elsewhere = [row for row in pool if row[2]]
        score = itemgetter(1)
        return [row[0] for part in (here, elsewhere) for row in sorted(part, key=score)]

    def _pg_tsquery(self) -> tuple[str, tuple]:
        """The query's tsquery expression as SQL and parameters, for the pool and the excerpts."""
        if self._tsquery is None:
            self._tsquery = _compiled(pg_query(self.query))
        return self._tsquery

    def _pg_pool(self, language: str) -> list[tuple[int, float, bool]]:
        """The newest matches, RANKED_AT_MOST + 1 of them, with their rank (PostgreSQL).

        Read from the narrow index table (SearchEntry). For rarer words the
        GIN index finds the matches; for common ones the planner walks the
        entries newest first (`search_entry_newest`), checking vectors until
        it has enough, rather than reading every match. The vectors come out
        of the inner query, so only the pool is ranked. Only a filtered search
        looks at the articles.
        """
        tsquery, tsquery_params = self._pg_tsquery()
        narrowed, narrowed_params = "", ()
        if self.articles is not None:
            visible_sql, narrowed_params = _compiled_query(self.articles.order_by().values("pk"))
            narrowed = f"AND article_id IN ({visible_sql}) "
        sql = (
            f"SELECT m.article_id, -ts_rank(m.search_vector, {tsquery}), m.language <> %s FROM ("
            f"SELECT article_id, search_vector, language, publish_at FROM {ENTRY_TABLE} "
            f"WHERE search_vector @@ {tsquery} AND publish_at <= %s {narrowed}"
            f"ORDER BY publish_at DESC, article_id DESC LIMIT {RANKED_AT_MOST + 1}) AS m "
            f"ORDER BY m.publish_at DESC, m.article_id DESC"
        )
        params = (*tsquery_params, language, *tsquery_params, timezone.now(), *narrowed_params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _fts5_pool(self, language: str) -> list[tuple[int, float, bool]]:
        """The same pool on SQLite, with bm25 scores, read from the index newest first.

        The index's rows are numbered in publication order (index.order_key)
        and hold only published articles: those whose time has come are the
        rows below the next second's first key, less any of this second's
        still ahead. A row's number holds its article's id, and an index of
        the entries by number holds their languages: only this second's rows
        are looked up in the entries themselves. Only a filtered search looks
        at the articles' rows.
        """
        now = timezone.now()
        second = order_key(now, 0)
        narrowed, narrowed_params = "", ()
        if self.articles is not None:
            visible_sql, narrowed_params = (
                self.articles.order_by().values("id").query.sql_with_params()
            )
            narrowed = (
                f"CROSS JOIN ({visible_sql}) AS visible "
                f"ON visible.id = {FTS_TABLE}.rowid & {ID_MASK} "
            )
        # Named: without statistics on it (until the next ANALYZE) SQLite
        # prefers the unique index on order_key, and reads each entry's row too.
        entries = f"{ENTRY_TABLE} AS o INDEXED BY search_entry_place_language"
        sql = (
            f"SELECT {FTS_TABLE}.rowid & {ID_MASK}, bm25({FTS_TABLE}, {RANK_WEIGHTS}), "
            f"o.language <> %s "
            f"FROM {FTS_TABLE} CROSS JOIN {entries} ON o.order_key = {FTS_TABLE}.rowid "
            f"{narrowed}"
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid < %s "
            f"AND ({FTS_TABLE}.rowid < %s OR o.publish_at <= %s) "
            f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT {RANKED_AT_MOST + 1}"
        )
        params = (
            language,
            *narrowed_params,
            fts5_expression(self.query),
            second + (1 << ID_BITS),
            second,
            connection.ops.adapt_datetimefield_value(now),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Article]:
        if not isinstance(window, slice) or not self.query:
            raise TypeError("Search results are read a page at a time.")
        start, stop = window.start or 0, window.stop
        ranked = self.ranked[start : min(stop or RANKED_AT_MOST, RANKED_AT_MOST)]
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

    def _snippets(self, pks: list[int]) -> dict[int, SafeString | None]:
        """The best excerpt per article: from the body, else from the standfirst."""
        if self.query.foreign:
            return self._marked_excerpts(pks)
        if connection.vendor == "postgresql":
            return self._pg_excerpts(pks)
        marks = ", ".join(["%s"] * len(pks))
        # Only the page's articles are excerpted, read from the stretch of the
        # index between them: a row looked up by its number alone would run
        # the whole MATCH again for each.
        sql = (
            f"WITH wanted AS MATERIALIZED "
            f"(SELECT order_key AS key FROM {ENTRY_TABLE} WHERE article_id IN ({marks})), "
            f"excerpts AS MATERIALIZED (SELECT {FTS_TABLE}.rowid AS key, "
            f"CASE WHEN {FTS_TABLE}.rowid IN wanted THEN "
            f"snippet({FTS_TABLE}, 2, %s, %s, ' … ', {SNIPPET_WORDS // 2}) END AS body, "
            f"CASE WHEN {FTS_TABLE}.rowid IN wanted THEN "
            f"snippet({FTS_TABLE}, 1, %s, %s, ' … ', {SNIPPET_WORDS // 2}) END AS standfirst "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND {FTS_TABLE}.rowid >= (SELECT min(key) FROM wanted) "
            f"AND {FTS_TABLE}.rowid <= (SELECT max(key) FROM wanted)) "
            f"SELECT o.article_id, excerpts.body, excerpts.standfirst FROM excerpts "
            f"JOIN {ENTRY_TABLE} AS o ON o.order_key = excerpts.key WHERE excerpts.key IN wanted"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (*pks, START, STOP, START, STOP, fts5_expression(self.query)))
            return {pk: highlight(body) or highlight(standfirst) for pk, body, standfirst in cursor}

    def _pg_excerpts(self, pks: list[int]) -> dict[int, SafeString | None]:
        """`_snippets` on PostgreSQL: ts_headline of the body and of the standfirst.

        The body's HTML as it is: ts_headline's parser reads tags as tokens
        it writes as spaces, as stripping them first would. Written out, as
        the ORM's SearchHeadline spends more on composing its options than
        the database on the excerpts.
        """
        if not pks:
            return {}
        tsquery, tsquery_params = self._pg_tsquery()
        options = _headline_options()
        marks = ", ".join(["%s"] * len(pks))
        headline = f"ts_headline(%s::regconfig, {{column}}, {tsquery}, %s)"
        sql = (
            f"SELECT id, {headline.format(column='body')}, "
            f"{headline.format(column='standfirst')} "
            f"FROM {Article._meta.db_table} WHERE id IN ({marks})"
        )
        params = (CONFIG, *tsquery_params, options) * 2 + tuple(pks)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                pk: highlight(unescape(body or "")) or highlight(standfirst)
                for pk, body, standfirst in cursor.fetchall()
            }

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


@functools.cache
def _headline_options() -> str:
    """ts_headline's options for excerpts, as SearchHeadline would write them."""
    options = {
        "StartSel": START,
        "StopSel": STOP,
        "MaxWords": SNIPPET_WORDS,
        "MinWords": SNIPPET_WORDS // 2,
        "ShortWord": 2,
        "MaxFragments": 2,
        "FragmentDelimiter": " … ",
    }
    return ", ".join(
        connection.ops.compose_sql(f"{option}=%s", [value]) for option, value in options.items()
    )


def _compiled(expression) -> tuple[str, tuple]:
    """An expression's SQL and parameters, for a statement written out here."""
    query = Article.objects.all().query
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(expression.resolve_expression(query))


def _compiled_query(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


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
