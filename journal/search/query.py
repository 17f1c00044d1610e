"""A reader's words parsed once into terms, and the expression each database runs for them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
)

from journal.search.index import CONFIG

MAX_QUERY_LENGTH = 200  # characters kept of what a reader typed
MAX_TERMS = 16  # words and phrases used of those

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
# Hangul and Cyrillic, whose words take endings (see Term.is_prefix).
_INFLECTED_SCRIPT = re.compile(r"[\uac00-\ud7a3\u0400-\u04ff]")


@dataclass(frozen=True)
class Term:
    """A word or phrase the results must contain (or, if excluded, must not)."""

    words: tuple[str, ...]
    text: str = ""  # as typed, for PostgreSQL's own parser ("C5+1" stays "c5", "+1")
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def is_prefix(self) -> bool:
        """A Korean or Russian word: it matches the words it begins.

        Neither index stems them (both read English), and both languages
        add endings to a word: "카자흐스탄의", "Казахстана" begin with what a
        reader types, "카자흐스탄", "Казахстан".
        """
        return (
            not self.is_phrase
            and len(self.words[0]) >= 2
            and bool(_INFLECTED_SCRIPT.search(self.words[0]))
        )


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


# Searching -------------------------------------------------------------------


def _fts5_phrase(term: Term) -> str:
    # Every word quoted: whatever a reader typed is text, never FTS5 syntax.
    return '"' + " ".join(term.words) + '"' + ("*" if term.is_prefix else "")


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
    if term.is_prefix:
        # The word is letters and digits only (_WORD): nothing tsquery would read as syntax.
        return SearchQuery(f"{term.words[0]}:*", config=CONFIG, search_type="raw")
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
