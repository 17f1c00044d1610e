"""A text read into hits (which word, in which part and sentence) and the cities named as venues."""

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..names import fold_characters
from .text import sentence_starts
from .vocabulary import Term, Vocabulary


@dataclass(frozen=True)
class Hit:
    term: Term
    zone: str
    sentence: int
    matched: str


@dataclass
class Reading:
    hits: list[Hit]
    # Every sentence of every part, numbered across the parts, with its part;
    # folded (`fold_characters`), so a place in it is a place in `written`.
    sentences: list[tuple[str, str]]
    # Per sentence: the summit cities it names, and whether each is named as
    # a venue ("in Rome", "Tokyo hosts") rather than as a government ("with Washington").
    cities: dict[int, list[tuple[str, bool]]]
    # The same sentences as written, for evidence ("на прошлой неделе", not "прошлои").
    written: list[str] = field(default_factory=list)
    # Per sentence: the paragraph of its part it is in, from 0.
    paragraphs: list[int] = field(default_factory=list)


_VENUE_BEFORE = re.compile(r"(?:\b(?:in|at|to|from|near|outside|hosted in|held in)\s+)$", re.I)
_VENUE_AFTER = re.compile(
    r"^(?:,\s+[A-Z][\w.]*)?(?:'s)?\s+(?:on\s+\d|in\s+(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December|\d{4})|(?:will\s+|to\s+)?hosts?\b|"
    r"hosted\b|summit|meeting|talks|session|conference|forum|dialogue|declaration|gathering)",
    re.I,
)


# Russian: "в Астане", "из Ташкента", "Самарканд принял саммит".
_VENUE_BEFORE_RU = re.compile(r"(?<!\w)(?:в|во|из|на)\s+$", re.IGNORECASE)
_VENUE_AFTER_RU = re.compile(
    r"^[а-яё]*\s+(?:принима\w*|принял\w*|примет|саммит\w*|встреч\w*|форум\w*)", re.IGNORECASE
)
# Korean: "아스타나에서", "아스타나서 개최", "도쿄로"; "서울청사" is no venue.
_VENUE_AFTER_KO = re.compile(r"^(?:에서|서(?=\s)|에(?=\s)|으로|로(?=\s))")


# "A secretariat in New Delhi", "посольство в Астане", "서울에 사무국": the seat of an
# office is no meeting's venue.
_SEAT_BEFORE = re.compile(
    r"(?:\b(?:secretariat|embassy|consulate|office|offices|headquartered|based|branch"
    r"|representation)\s+(?:in|at)\s+"
    r"|(?<!\w)(?:секретариат|посольств|консульств|представительств|офис)[а-я]*\s+в\s+)$",
    re.IGNORECASE,
)
_SEAT_AFTER_KO = re.compile(r"^(?:에|에서)?\s*(?:사무국|대사관|영사관|사무소)")


_PARAGRAPH_BREAK = re.compile(r"\n+")
# "The Research Center for Russia, Eastern Europe and Central Asian Countries": a
# country in a research body's name is the body's field, not what the text is about.
_INSTITUTION = re.compile(
    r"\b(?:Research\s+)?(?:Center|Centre|Institute)\s+(?:for|of)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:,\s*|\s+(?:and|&)\s+|\s+))*[A-Z][\w'’-]*"
)


def _named_as_venue(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 30) : start], text[end : end + 40]
    if _SEAT_BEFORE.search(before) or _SEAT_AFTER_KO.search(after):
        return False
    return bool(
        _VENUE_BEFORE.search(before)
        or _VENUE_AFTER.search(after)
        or _VENUE_BEFORE_RU.search(before)
        or _VENUE_AFTER_RU.search(after)
        or _VENUE_AFTER_KO.search(after)
    )


def read(vocab: Vocabulary, zones: dict[str, str]) -> Reading:
    """Every known word in each part of the text (title, standfirst, body), sentence by sentence."""
    hits: list[Hit] = []
    sentences: list[tuple[str, str]] = []
    as_written: list[str] = []
    paragraphs: list[int] = []
    cities: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for zone, original in zones.items():
        if not original.strip():
            continue
        # One character for one: positions in `text` are positions in `original`.
        text = fold_characters(original)
        starts = sentence_starts(text)
        offset = len(sentences)
        bounds = [*starts[1:], len(text)]
        sentences += [(zone, text[start:end]) for start, end in zip(starts, bounds, strict=True)]
        as_written += [original[start:end] for start, end in zip(starts, bounds, strict=True)]
        first = len(text) - len(text.lstrip())
        breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text) if m.start() > first]
        paragraphs += [bisect.bisect_right(breaks, start) for start in starts]

        def sentence_of(position: int, offset=offset, starts=starts) -> int:
            return offset + bisect.bisect_right(starts, position) - 1

        institutions = [m.span() for m in _INSTITUTION.finditer(text)]
        for match in vocab.pattern.finditer(text):
            matched = match.group()
            written = original[match.start() : match.end()]
            in_a_name = any(start <= match.start() < end for start, end in institutions)
            for term in vocab.lookup(matched):
                if in_a_name and term.target in ("country", "group"):
                    continue
                if term.accepts(matched):
                    hits.append(Hit(term, zone, sentence_of(match.start()), written))
        if vocab.city_pattern is not None:
            # Read apart from the other words, so "the Xi'an summit" is a
            # framework name and a city at once.
            for match in vocab.city_pattern.finditer(text):
                # A city is written with a capital; Korean has none to write.
                if not match.group()[:1].islower():
                    venue = _named_as_venue(text, match.start(), match.end())
                    written = original[match.start() : match.end()]
                    cities[sentence_of(match.start())].append((written, venue))
    return Reading(hits, sentences, cities, as_written, paragraphs)
