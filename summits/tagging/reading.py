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
    # Where in its sentence's text the word starts and ends.
    start: int = 0
    end: int = 0
    # Named as the power whose backyard the region is ("a region seen as Russia's backyard"),
    # or in what the news is set against ("this comes as Russian pressure grows").
    backdrop: bool = False


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
    # Per sentence: where it names another body ("the 'Germany – Central Asia' Parliamentary
    # Friendship Group", "the Research Center for Russia and Central Asian Studies").
    bodies: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def without_bodies(self, number: int) -> str:
        """The sentence with the names of other bodies blanked out, one space a character."""
        text = self.sentences[number][1]
        for start, end in self.bodies.get(number, ()):
            end = min(end, len(text))
            text = text[:start] + " " * (end - start) + text[end:]
        return text


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
# "TOKYO/WASHINGTON, Oct 28 (Reuters) -", "ALMATY, Kazakhstan -", "Rome, 30 May 2024 (TDI):":
# where the copy was filed, not what it is about.
_PLACE = r"[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+){0,2}"
_DATE = (
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)(?:,?\s*\d{4})?"
)
_DATELINE = re.compile(
    rf"\s*{_PLACE}(?:\s*/\s*{_PLACE})*(?:,\s*{_PLACE})?"
    rf"(?:(?:[,.]?\s*{_DATE})?\s*(?:\([^()]{{1,40}}\))?\s*(?:--|[-\u2013\u2014:]\s)"
    rf"|[,.]?\s*{_DATE}\.\s)"
)
_ADDRESS = re.compile(r",\s*$")
# "The Research Center for Russia, Eastern Europe and Central Asian Countries": a
# country in a research body's name is the body's field, not what the text is about.
_INSTITUTION = re.compile(
    r"\b(?:Research\s+)?(?:Center|Centre|Institute)\s+(?:for|of)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]*(?:,\s*|\s+(?:and|&)\s+|\s+))*[A-Z][\w'’-]*"
)


# "Russia's backyard", "Moscow's sphere of influence", "задний двор России", "러시아의
# 앞마당": the power a cliché sets the region against, not a party to what it covers.
_BACKDROP_AFTER = re.compile(
    r"'s?\s+(?:(?:traditional|own|former|historic(?:al)?)\s+)?(?:backyard|sphere(?:\s+of\s+"
    r"influence)?|zone\s+of\s+influence|orbit|near\s+abroad)\b"
    r"|(?:의)?\s*(?:앞마당|뒷마당|텃밭|영향권)",
    re.IGNORECASE,
)
_BACKDROP_BEFORE = re.compile(
    r"(?<!\w)(?:задн[а-я]*\s+двор[а-я]*|сфер[а-я]*\s+влияни[а-я]*|орбит[а-я]*)\s+$",
    re.IGNORECASE,
)


# "This comes as Washington seeks ties after the Russian invasion", "the visit comes amid
# ...": what the news is set against, named in passing wherever the sentence stands ("comes
# as part of his tour" is no such thing).
_SCENE = re.compile(
    r"\b(?:this|it|that|which|the\s+[\w-]+(?:\s+[\w-]+)?)\s+comes?\s+"
    r"(?:as(?!\s+(?:a|an|no|part)\s)|amid(?:st)?"
    r"|at\s+a\s+time\s+(?:when|of)|against\s+the\s+backdrop\s+of)\b",
    re.IGNORECASE,
)
# A clause that tells of a meeting with the region is news, not its backdrop: "the signing
# comes as Japan prepares to host the five Central Asian leaders at a summit in Tokyo".
_REGION_WORDS = re.compile(r"\bCentral\s+Asian?\b|\bthe\s+five\b", re.IGNORECASE)
_MEETING_WORDS = re.compile(
    r"\b(?:summits?|meetings?|talks|conferences?|forums?|dialogues?|ministerials?|host\w*)\b",
    re.IGNORECASE,
)


def _in_the_scene(text: str, start: int, end: int, position: int) -> bool:
    """Whether a word at `position`, in the sentence from `start` to `end`, is in what the
    news "comes as" or "comes amid", a clause that does not itself tell of a meeting with
    the region."""
    scenes = list(_SCENE.finditer(text, start, position))
    if not scenes:
        return False
    scene = scenes[-1]
    clause = text[scene.end() : end]
    return not (_REGION_WORDS.search(clause) and _MEETING_WORDS.search(clause))


# "'Germany – Central Asia' Parliamentary Friendship Group", "Central Asia–Japan Business
# Council", "группа дружбы «Германия – Центральная Азия»": a format's name in the name of
# another body is that body's.
_ORGANISATION_AFTER = re.compile(
    r"['\"»]?\s*(?:(?:inter-?)?parliamentary\s+(?:friendship\s+)?group|friendship\s+(?:group|society"
    r"|association)|business\s+(?:council|association|club)|chamber\s+of\s+commerce"
    r"|(?:research\s+)?(?:institute|foundation|university|society|association))\b",
    re.IGNORECASE,
)
_ORGANISATION_BEFORE = re.compile(
    r"(?:групп[а-я]*\s+дружбы|делов[а-я]*\s+совет[а-я]*|ассоциаци[а-я]*|институт[а-я]*)"
    r"\s*[«\"']?\s*$",
    re.IGNORECASE,
)


def _names_of_bodies(
    vocab: Vocabulary, text: str, matches: list[re.Match]
) -> list[tuple[int, int]]:
    """Where the text names a research body, or another body after a format."""
    names = [m.span() for m in _INSTITUTION.finditer(text)]
    for match in matches:
        if not any(term.target == "framework" for term in vocab.lookup(match.group())):
            continue
        after = _ORGANISATION_AFTER.match(text, match.end())
        before = _ORGANISATION_BEFORE.search(text, max(0, match.start() - 40), match.start())
        if after or before:
            start = before.start() if before else match.start()
            names.append((start, after.end() if after else match.end()))
    return names


def _addresses(vocab: Vocabulary, text: str, matches: list[re.Match]) -> set[int]:
    """Where a country is written after one of its cities, as its address ("Jeddah, Saudi
    Arabia"): no mention of its own."""
    cities: dict[int, set[str]] = {}
    for match in matches:
        cities[match.end()] = {t.key for t in vocab.lookup(match.group()) if t.kind == "place"}
    found = set()
    for match in matches:
        comma = _ADDRESS.search(text, max(0, match.start() - 4), match.start())
        if comma is None:
            continue
        names = {t.key for t in vocab.lookup(match.group()) if t.kind == "name"}
        if names & cities.get(comma.start(), set()):
            found.add(match.start())
    return found


def _dateline(text: str) -> re.Match | None:
    """The body's dateline: a city in capitals, or one followed by its country, a date or
    an agency ("Astana: a new plan" is a sentence)."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    first = match.group().split()[0].strip(",.:/")
    return match if first.isupper() or re.search(r"[,(]", match.group()) else None


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
    bodies: dict[int, list[tuple[int, int]]] = {}
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

        def in_sentence(position: int, starts=starts) -> int:
            return position - starts[bisect.bisect_right(starts, position) - 1]

        matches = list(vocab.pattern.finditer(text))
        names = _names_of_bodies(vocab, text, matches)
        for start, end in names:
            bodies.setdefault(sentence_of(start), []).append(
                (in_sentence(start), in_sentence(start) + end - start)
            )
        dateline = _dateline(text) if zone == "body" else None
        addresses = _addresses(vocab, text, matches)
        for match in matches:
            matched = match.group()
            written = original[match.start() : match.end()]
            if (
                # A country or a format in the name of another body is that body's field.
                any(start <= match.start() < end for start, end in names)
                # The dateline says where the copy was filed, not what it covers.
                or (dateline and match.start() < dateline.end())
                # "Jeddah, Saudi Arabia": the city's address.
                or match.start() in addresses
                # "US$70 billion" is a currency, not the United States.
                or text[match.end() : match.end() + 1] == "$"
            ):
                continue
            sentence_start = match.start() - in_sentence(match.start())
            sentence_end = sentence_start + len(sentences[sentence_of(match.start())][1])
            backdrop = bool(
                _BACKDROP_AFTER.match(text, match.end())
                or _BACKDROP_BEFORE.search(text, max(0, match.start() - 30), match.start())
                or _in_the_scene(text, sentence_start, sentence_end, match.start())
            )
            for term in vocab.lookup(matched):
                if term.accepts(matched):
                    start = in_sentence(match.start())
                    hits.append(
                        Hit(
                            term,
                            zone,
                            sentence_of(match.start()),
                            written,
                            start,
                            start + len(matched),
                            backdrop and term.target == "country",
                        )
                    )
        if vocab.city_pattern is not None:
            # Read apart from the other words, so "the Xi'an summit" is a
            # framework name and a city at once.
            for match in vocab.city_pattern.finditer(text):
                # A city is written with a capital; Korean has none to write.
                if not match.group()[:1].islower():
                    venue = _named_as_venue(text, match.start(), match.end())
                    written = original[match.start() : match.end()]
                    cities[sentence_of(match.start())].append((written, venue))
    return Reading(hits, sentences, cities, as_written, paragraphs, bodies)
