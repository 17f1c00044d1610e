"""Full-text search of published articles, the same on PostgreSQL and SQLite.

A reader's words are parsed here, once, into terms: words, "quoted phrases",
-excluded words and OR between alternatives. Each backend then runs the same
terms through its own engine:

- PostgreSQL: a weighted `SearchVector` stored in `Article.search_vector`
  (title A, standfirst B, body C) behind a GIN index, matched with
  `SearchQuery`, ordered by `SearchRank`, excerpted with `SearchHeadline`;
  pg_trgm's `similarity()` proposes spellings.
- SQLite: an FTS5 table, `journal_article_search`, whose rowid is the
  article's id, ranked with bm25 (title 10, standfirst 4, body 1) and
  excerpted with `snippet()`; the same trigram similarity is computed here.

The index holds every article, whatever its state: whether a reader may see
one is decided when the search runs, by `Article.objects.published()`, so a
scheduled article becomes findable at its time like everywhere else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape, unescape

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, connections
from django.db.models import F, Func, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from summits.models import Country, Framework, Summit

from .models import Article
from .page_cache import content_changed, per_generation

MAX_QUERY_LENGTH = 200  # characters kept of what a reader typed
MAX_TERMS = 16  # words and phrases used of those
FTS_TABLE = "journal_article_search"
CONFIG = "english"
# Markers around matched words in excerpts: control characters cannot occur in
# a query (they are removed) and hardly in text, and they survive escaping.
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 28

# Left out of queries on both backends: the stop words of PostgreSQL's English
# configuration (Snowball's list), so "the summit in Astana" or "not" means the
# same on SQLite.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    """.split()
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """A word or phrase the results must contain (or, if excluded, must not)."""

    words: tuple[str, ...]
    text: str = ""  # as typed, for PostgreSQL's own parser ("C5+1" stays "c5", "+1")
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    """What a reader asked for: groups of alternatives, all of which must match."""

    text: str  # the query as searched for, cleaned and shortened
    groups: tuple[tuple[Term, ...], ...] = ()  # AND of ORs
    excluded: tuple[Term, ...] = ()
    shortened: bool = False

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def wanted_text(self) -> str:
        """The words and phrases asked for, without the excluded ones."""
        return " ".join(term.text for group in self.groups for term in group)


def clean_query(raw: str | None) -> tuple[str, bool]:
    """The reader's text without control characters, at most MAX_QUERY_LENGTH long."""
    text = " ".join(_CONTROL.sub(" ", raw or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH], True
    return text, False


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.casefold() for word in _WORD.findall(text))


def parse_query(raw: str | None) -> ParsedQuery:
    """Parse like a web search box: words, "phrases", -exclusions, OR."""
    text, shortened = clean_query(raw)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    count = 0
    for match in _TOKEN.finditer(text):
        if count >= MAX_TERMS:
            shortened = True
            break
        quoted_minus, phrase, bare = match.groups()
        if bare is not None and bare.upper() == "OR":
            join_next = bool(groups)
            continue
        if phrase is not None:
            negate, typed = bool(quoted_minus), phrase
            words = _words(typed)
        else:
            negate = bare.startswith("-") and len(bare) > 1
            typed = bare[1:] if negate else bare
            words = _words(typed)
            # A lone word that only joins sentences narrows nothing.
            words = tuple(word for word in words if word not in STOP_WORDS) or (
                () if len(words) == 1 else words
            )
        if not words:
            continue
        count += 1
        if negate:
            excluded.append(Term(words, typed, excluded=True))
            continue
        # "Tashkent-Almaty" or "C5+1" is several words: keep them together.
        term = Term(words, typed)
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(
        text=text,
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded),
        shortened=shortened,
    )


# Keeping the index current ---------------------------------------------------

PG_VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("standfirst", weight="B", config=CONFIG)
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
            for chunk in _chunks(pks, 500):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, standfirst, body) VALUES (%s, %s, %s, %s)",
                [(pk, title, standfirst, body_text(body)) for pk, title, standfirst, body in rows],
            )


def index_article(article: Article, *, using: str = "default") -> None:
    """Index one saved article from the values it holds: one query on either database."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        Article.objects.using(using).filter(pk=article.pk).update(search_vector=PG_VECTOR)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, standfirst, body) "
                "VALUES (%s, %s, %s, %s)",
                (article.pk, article.title, article.standfirst, body_text(article.body)),
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
    content_changed()
    return len(pks)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Searching -------------------------------------------------------------------


def _fts5_phrase(term: Term) -> str:
    # Every word quoted: whatever a reader typed is text, never FTS5 syntax.
    return '"' + " ".join(term.words) + '"'


def fts5_expression(query: ParsedQuery) -> str:
    groups = []
    for group in query.groups:
        alternatives = [_fts5_phrase(term) for term in group]
        groups.append(
            alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        )
    expression = " AND ".join(groups)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_phrase(term)}"
    return expression


def _pg_term(term: Term) -> SearchQuery:
    return SearchQuery(
        term.text or " ".join(term.words),
        config=CONFIG,
        search_type="phrase" if term.is_phrase else "plain",
    )


def pg_query(query: ParsedQuery) -> SearchQuery:
    combined = None
    for group in query.groups:
        alternatives = None
        for term in group:
            alternatives = _pg_term(term) if alternatives is None else alternatives | _pg_term(term)
        combined = alternatives if combined is None else combined & alternatives
    for term in query.excluded:
        combined = combined & ~_pg_term(term)
    return combined


def highlight(snippet: str | None) -> SafeString | None:
    """Escape an excerpt and turn the match markers into <mark> elements."""
    if not snippet or START not in snippet:
        return None
    # PostgreSQL marks "C5+1" as "C5" and "+1": one mark reads better.
    text = escape(re.sub(f"{STOP}(\\s*){START}", r"\1", " ".join(snippet.split())))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


class SearchResults:
    """Ranked published articles matching a query, sliceable for a Paginator.

    `articles` is the base queryset (published, possibly filtered); slicing
    returns Article objects carrying `search_snippet`, the excerpt to show.
    """

    def __init__(
        self, articles: QuerySet, query: ParsedQuery, *, cards: QuerySet, key: str | None = None
    ):
        self.articles = articles
        self.query = query
        self.cards = cards  # how to load what each result shows
        # What `articles` and `query` depend on (the page's path and query
        # string): the count, ranking and excerpts are then worked out once
        # per content generation. Without it, on every call.
        self.key = key
        self._count = None

    def _kept(self, name: str, compute):
        if self.key is None:
            return compute()
        return per_generation(f"search:{name}:{self.query.text}:{self.key}", compute)

    def _matching(self) -> QuerySet:
        if connection.vendor == "postgresql":
            return self.articles.filter(search_vector=pg_query(self.query))
        return self.articles.filter(
            pk__in=RawSQL(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                (fts5_expression(self.query),),
            )
        )

    def count(self) -> int:
        if self._count is None:
            self._count = self._kept("count", self._count_matches) if self.query else 0
        return self._count

    def _count_matches(self) -> int:
        if connection.vendor == "postgresql":
            return self._matching().order_by().count()
        # As in _ranked_ids: each match looked up among the visible articles.
        visible_sql, visible_params = self.articles.order_by().values("id").query.sql_with_params()
        sql = (
            f"SELECT COUNT(*) FROM (SELECT rowid AS id FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) AS hits "
            f"JOIN ({visible_sql}) AS visible ON visible.id = hits.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (fts5_expression(self.query), *visible_params))
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Article]:
        if not isinstance(window, slice) or not self.query:
            raise TypeError("Search results are read a page at a time.")
        start, stop = window.start or 0, window.stop
        ranked = self._kept(f"ranked:{start}:{stop}", lambda: self._ranked_ids(start, stop))
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

    def _ranked_ids(self, start: int, stop: int) -> list[int]:
        if connection.vendor == "postgresql":
            query = pg_query(self.query)
            return list(
                self.articles.filter(search_vector=query)
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-publish_at", "-pk")
                .values_list("pk", flat=True)[start:stop]
            )
        # The base queryset (visibility and filters) as a subquery, the match
        # and bm25's order from the FTS5 table.
        visible_sql, visible_params = (
            self.articles.order_by().values("id", "publish_at").query.sql_with_params()
        )
        # The matches are ranked first, on their own: joined directly, SQLite
        # may run the MATCH once per visible article instead of once. Joined to
        # the visible articles rather than tested with IN, which would first
        # gather the ids of every visible article.
        sql = (
            f"WITH hits AS MATERIALIZED (SELECT rowid AS id, "
            f"bm25({FTS_TABLE}, 10.0, 4.0, 1.0) AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) "
            f"SELECT hits.id FROM hits JOIN ({visible_sql}) AS visible "
            "ON visible.id = hits.id "
            "ORDER BY hits.score, visible.publish_at DESC, visible.id DESC "
            "LIMIT %s OFFSET %s"
        )
        limit = -1 if stop is None else stop - start
        with connection.cursor() as cursor:
            cursor.execute(sql, (fts5_expression(self.query), *visible_params, limit, start))
            return [row[0] for row in cursor.fetchall()]

    def _snippets(self, pks: list[int]) -> dict[int, SafeString | None]:
        """The best excerpt per article: from the body, else from the standfirst."""
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


# Names of places and frameworks ------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, punctuation kept: "Türkiye" -> "turkiye"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _compact(text: str) -> str:
    """Only letters, digits and plus signs: "C5 + 1" and "c5+1" both give "c5+1"."""
    return re.sub(r"[^\w+]+", "", _fold(text))


@dataclass
class RecordMatches:
    """Countries, frameworks and summits whose names a query mentions."""

    countries: list[Country] = field(default_factory=list)
    frameworks: list[Framework] = field(default_factory=list)
    summits: list[Summit] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.countries or self.frameworks or self.summits)


def _mentions(query: str, names) -> bool:
    """Whether a folded query names one of these (as words), or is a good part of one."""
    compact_query = _compact(query)
    for name in names:
        name = _fold(name)
        if not name:
            continue
        if _compact(name) == compact_query:
            return True
        if len(name) >= 4 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", query):
            return True
        # "kazakh" finds Kazakhstan; three letters are too few to mean anything.
        if len(compact_query) >= 4 and _compact(name).startswith(compact_query):
            return True
    return False


MAX_RECORD_MATCHES = 6


def matching_records(text: str) -> RecordMatches:
    """The reference records a query names, for direct links above the results."""
    query = _fold(text)
    matches = RecordMatches()
    if len(_compact(query)) < 2:
        return matches
    for country in Country.objects.only("name", "official_name", "slug", "capital", "code"):
        if _mentions(query, [country.name, country.official_name]):
            matches.countries.append(country)
    for framework in Framework.objects.only("name", "short_name", "slug", "aliases"):
        if _mentions(query, [framework.name, framework.short_name, *framework.alias_list]):
            matches.frameworks.append(framework)
    summits = Summit.objects.select_related("framework", "host_country").order_by("-sort_date")
    for summit in summits:
        if _mentions(query, [summit.title, summit.city]):
            matches.summits.append(summit)
    matches.countries = matches.countries[:MAX_RECORD_MATCHES]
    matches.frameworks = matches.frameworks[:MAX_RECORD_MATCHES]
    matches.summits = matches.summits[:MAX_RECORD_MATCHES]
    return matches


# Spelling --------------------------------------------------------------------

SIMILARITY_THRESHOLD = 0.4  # pg_trgm's default is 0.3; names need a closer match


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a text: each word lower-cased and padded "  word "."""
    grams = set()
    for word in re.findall(r"[^\W_]+", text.casefold()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def vocabulary() -> list[str]:
    """The words of the reference names a misspelled query is compared with."""
    names = set()
    for name, official, capital in Country.objects.values_list("name", "official_name", "capital"):
        names.update([name, official, capital])
    for name, short_name, aliases in Framework.objects.values_list("name", "short_name", "aliases"):
        names.update([name, short_name, *aliases.splitlines()])
    names.update(Summit.objects.values_list("city", flat=True).distinct())
    words = {word for name in names if name for word in re.findall(r"[^\W\d_]{4,}", name)}
    return sorted(words)


def _closest(word: str, words: list[str]) -> tuple[str, float]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT candidate, similarity(candidate, %s) AS score "
                "FROM unnest(%s::text[]) AS candidate ORDER BY score DESC, candidate LIMIT 1",
                (word, words),
            )
            row = cursor.fetchone()
            return (row[0], row[1]) if row else ("", 0.0)
    scored = sorted(((trigram_similarity(word, w), w) for w in words), key=lambda s: (-s[0], s[1]))
    return (scored[0][1], scored[0][0]) if scored else ("", 0.0)


def spelling_suggestion(query: ParsedQuery) -> str | None:
    """The query with misspelled names corrected ("Kazahstan" -> "Kazakhstan"), if any."""
    if not query:
        return None
    words = vocabulary()
    known = {word.casefold() for word in words}
    corrected = query.text
    changed = False
    for word in dict.fromkeys(re.findall(r"[^\W\d_]{4,}", query.text)):
        if word.casefold() in known:
            continue
        candidate, score = _closest(word, words)
        if score >= SIMILARITY_THRESHOLD and candidate.casefold() != word.casefold():
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", candidate, corrected)
            changed = True
    return corrected if changed else None
