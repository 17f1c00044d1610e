"""A reader's words parsed once into terms, and the expression each database runs for them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from django.contrib.postgres.search import (
    SearchQuery,
)

from journal.search.index import CONFIG, PAIRS_CONFIG
from journal.search.languages import query_forms, russian_prefix, script_of

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
) | frozenset(
    # And those of its Russian configuration (Snowball's list), which
    # PostgreSQL leaves out of the index.
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
    ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
    быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
    есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
    тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы
    нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над
    больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою
    этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между
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

    @property
    def foreign(self) -> bool:
        """Whether any word is Korean or Russian, which the index also keeps in other forms."""
        return any(script_of(word) for word in self.words)

    def parts(self) -> list[tuple[str | None, tuple[str, ...]]]:
        """The term's words in runs of one script: (None, English words), ("hangul", …)…"""
        return [(script, tuple(words)) for script, words in groupby(self.words, key=script_of)]


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
    def wanted_words(self) -> list[str]:
        return [word for group in self.groups for term in group for word in term.words]

    @property
    def foreign(self) -> bool:
        """Whether a wanted word is Korean or Russian."""
        return any(term.foreign for group in self.groups for term in group)

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
    if not term.foreign:
        return '"' + " ".join(term.words) + '"'
    # Korean and Russian words as the index's *_forms columns keep them: a
    # lone Hangul syllable begins the pairs it is part of, a lone Russian
    # word's stem the stems of its other forms.
    phrases = []
    for script, words in term.parts():
        if script == "cyrillic" and len(words) == 1 and (prefix := russian_prefix(words[0])):
            phrases.append(f'"{prefix}"*')
            continue
        forms = words if script is None else query_forms(words)
        lone = script == "hangul" and len(forms) == 1 and len(forms[0]) == 1
        phrases.append('"' + " ".join(forms) + '"' + ("*" if lone else ""))
    return phrases[0] if len(phrases) == 1 else "(" + " AND ".join(phrases) + ")"


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
    parts = _pg_parts(term)
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part
    return combined


def _pg_excluded(term: Term) -> SearchQuery:
    """What leaves a term out: not all of its parts (a combined query cannot be negated)."""
    parts = [~part for part in _pg_parts(term)]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined | part
    return combined


def _pg_parts(term: Term) -> list[SearchQuery]:
    """The queries all of which a term needs: one, or one per script in a mixed term."""
    if not term.foreign:
        return [
            SearchQuery(
                term.text or " ".join(term.words),
                config=CONFIG,
                search_type="phrase" if term.is_phrase else "plain",
            )
        ]
    # Words are letters and digits only (_WORD): nothing tsquery would read as syntax.
    parts = []
    for script, words in term.parts():
        if script == "cyrillic" and len(words) == 1 and (prefix := russian_prefix(words[0])):
            # Snowball's stem, as this configuration indexed it, less its ending.
            part = SearchQuery(f"{prefix}:*", config=PAIRS_CONFIG, search_type="raw")
        elif script != "hangul":
            part = SearchQuery(" ".join(words), config=CONFIG, search_type="phrase")
        elif len(pairs := query_forms(words)) == 1 and len(pairs[0]) == 1:
            # A lone syllable begins the pairs it is part of.
            part = SearchQuery(f"{pairs[0]}:*", config=PAIRS_CONFIG, search_type="raw")
        else:
            part = SearchQuery(" ".join(pairs), config=PAIRS_CONFIG, search_type="phrase")
        parts.append(part)
    return parts


def pg_query(query: ParsedQuery) -> SearchQuery:
    combined = None
    for group in query.groups:
        alternatives = None
        for term in group:
            alternatives = _pg_term(term) if alternatives is None else alternatives | _pg_term(term)
        combined = alternatives if combined is None else combined & alternatives
    for term in query.excluded:
        combined = combined & _pg_excluded(term)
    return combined
