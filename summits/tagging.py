"""Tag suggestions: the countries, frameworks and summits a text is about.

`suggest_tags()` reads a headline, standfirst and HTML body and ranks the
records they cover. Words come from the record itself (names, official
names, capitals, summit cities, framework aliases) and from `lexicon`
(short forms, demonyms, cities, office holders, false friends). A word in
the headline weighs three times a word in the body, the standfirst twice,
and each repetition in the same part counts less than the one before.

A framework lends part of its score to its partner and members; a summit is
recognised from its framework (or partner) next to a date, a year, its city
or its number ("the second summit") in the same sentence. Summits already
tagged lend their framework and participants a score above the threshold.

The vocabulary is compiled into one regular expression per state of the
record and cached in the process: each call costs one query (a fingerprint
of the summits tables) unless the record changed.
"""

import bisect
import datetime
import html
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import strip_tags

from . import lexicon
from .models import Country, Framework, Participant, Region, Summit

# Where a word appears, and how much that says about the article.
ZONE_WEIGHTS = {"title": 3.0, "standfirst": 2.0, "body": 1.0}
# The n-th mention of the same thing in one part of the text counts DECAY**n.
REPEAT_DECAY = 0.7
KIND_WEIGHTS = {
    "name": 1.0,
    "framework": 1.0,
    "demonym": 0.8,
    "place": 0.6,
    "metonym": 0.6,
    "context": 0.0,
}
# Weight of "Central Asian Five" for each of the five.
BLOC_TO_MEMBERS = 0.8
# Share of a framework's score lent to its partner and members.
FRAMEWORK_TO_MEMBERS = 0.5
# Share of a partner's own score lent to a framework named in the text.
PARTNER_TO_FRAMEWORK = 0.25
# Share of a recognised summit's score lent to its framework and participants.
SUMMIT_TO_FRAMEWORK = 0.5
SUMMIT_TO_PARTICIPANTS = 0.2
# What a summit the editor already tagged lends its framework and participants.
TAGGED_SUMMIT_FRAMEWORK = 3.0
TAGGED_SUMMIT_PARTICIPANT = 2.0

# Below these a suggestion is shown as weak (a passing mention). One body
# mention of a country scores 1.0; one in the headline, 3.0.
THRESHOLD = 1.5
SUMMIT_THRESHOLD = 2.5

# Evidence lines kept per suggestion, strongest first.
MAX_EVIDENCE = 8

# How long a compiled vocabulary is trusted when the fingerprint has not
# changed: edits that keep counts and lengths equal show up after this.
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Suggestion[T]:
    obj: T
    score: float
    evidence: tuple[str, ...]
    strong: bool


@dataclass(frozen=True)
class Suggestions:
    """Ranked suggestions per kind, strongest first; weak ones come last."""

    countries: list[Suggestion[Country]] = field(default_factory=list)
    frameworks: list[Suggestion[Framework]] = field(default_factory=list)
    summits: list[Suggestion[Summit]] = field(default_factory=list)

    def strong(self) -> "Suggestions":
        """Only the suggestions above the threshold."""
        return Suggestions(
            countries=[s for s in self.countries if s.strong],
            frameworks=[s for s in self.frameworks if s.strong],
            summits=[s for s in self.summits if s.strong],
        )


# Text -------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\uff0b": "+",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|br|hr|div|section|tr|td|th)\b"
    r"[^>]*>",
    re.IGNORECASE,
)
# "C5+1", "Central Asia – Japan", "Central Asia plus Japan" are one name.
_CONNECTOR = re.compile(r"\s*(?:[-+]|(?<!\w)plus(?!\w))\s*", re.IGNORECASE)
_CONNECTOR_PATTERN = r"(?:\s*[-+]\s*|\s+plus\s+)"


def plain_text(value: str) -> str:
    """HTML or plain text as one string, block elements on lines of their own."""
    return html.unescape(strip_tags(_BLOCK_TAG.sub("\n", value or "")))


def canonical(text: str, *, fold: bool = True) -> str:
    """The form used to look a phrase up, whatever its dashes and spacing."""
    text = _CONNECTOR.sub("+", text.translate(_TYPOGRAPHY))
    text = " ".join(text.split())
    return text.lower() if fold else text


_SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|vs)\.)$"
)


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in _SENTENCE_BREAK.finditer(text):
        before = text[max(0, match.start() - 8) : match.start()]
        if match.group().startswith("\n") or not _ABBREVIATION_END.search(before):
            starts.append(match.end())
    return starts


# Vocabulary ---------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    target: str  # "country", "framework", "group" or "none"
    key: str  # country code or framework slug
    kind: str  # a KIND_WEIGHTS key, or "group"/"none"
    weight: float
    case: str  # "exact", "capital" or "any"
    ambiguous: bool = False

    def accepts(self, matched: str) -> bool:
        if self.case == "any":
            return True
        if self.case == "capital":
            return matched[:1].isupper()
        return canonical(matched, fold=False) == canonical(self.text, fold=False)


def _case_rule(text: str) -> str:
    if not any(ch.islower() for ch in text):
        return "exact"
    return "capital" if text[:1].isupper() else "any"


def _plurals(word: str) -> list[str]:
    if " " in word or word.endswith(("s", "z", "sh", "ch", "ese")):
        return [word]
    return [word, word + "s"]


def _pattern_for(keys: Iterable[str]) -> re.Pattern:
    """One expression for every phrase, shaped as a trie so a long text is read once.

    At each branch the longer phrase is tried first ("Kazakhstan" before
    "Kazakh", "Indian Ocean" before "Indian").
    """
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            unit = _CONNECTOR_PATTERN if ch == "+" else r"\s+" if ch == " " else re.escape(ch)
            node = node.setdefault(unit, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [unit + emit(child) for unit, child in node.items() if unit]
        if not branches:
            return ""
        group = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        if "" in node:
            return f"(?:{group})?"
        return group

    return re.compile(r"(?<!\w)(?:" + emit(root) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class SummitFacts:
    summit: Summit
    framework: str
    level: str
    series: str
    edition: int | None
    # (year, month, day) of every day it lasted, and (year, month) of every month.
    days: frozenset[tuple[int, int, int]]
    months: frozenset[tuple[int, int]]
    cities: frozenset[str]
    participants: tuple[str, ...]

    @classmethod
    def dates_of(cls, summit: Summit) -> tuple[frozenset, frozenset]:
        if summit.start_date:
            last = summit.end_date or summit.start_date
            span = min((last - summit.start_date).days, 14)
            dates = [summit.start_date + datetime.timedelta(days=n) for n in range(span + 1)]
            return (
                frozenset((d.year, d.month, d.day) for d in dates),
                frozenset((d.year, d.month) for d in dates),
            )
        if summit.approximate_month:
            month = summit.approximate_month
            return frozenset(), frozenset({(month.year, month.month)})
        return frozenset(), frozenset()


@dataclass
class Vocabulary:
    """Everything compiled from one state of the record."""

    countries: dict[str, Country]
    frameworks: dict[str, Framework]
    framework_members: dict[str, tuple[str, ...]]
    framework_partners: dict[str, str]
    bloc_members: dict[str, tuple[str, ...]]
    central_asia: tuple[str, ...]
    summits: dict[int, SummitFacts]
    # (framework slug, city) -> the summits of that framework held there
    summits_by_city: dict[tuple[str, str], list[SummitFacts]]
    terms: dict[str, list[Term]]
    pattern: re.Pattern
    city_pattern: re.Pattern | None


def _build_vocabulary() -> Vocabulary:
    countries = {c.code: c for c in Country.objects.all()}
    by_pk = {c.pk: c.code for c in countries.values()}
    bloc_members: dict[str, list[str]] = defaultdict(list)
    for bloc_id, member_id in Country.members.through.objects.values_list(
        "from_country_id", "to_country_id"
    ):
        bloc_members[by_pk[bloc_id]].append(by_pk[member_id])
    frameworks = {f.slug: f for f in Framework.objects.all()}
    slug_by_pk = {f.pk: f.slug for f in frameworks.values()}
    framework_members: dict[str, list[str]] = defaultdict(list)
    for framework_id, country_id in Framework.members.through.objects.values_list(
        "framework_id", "country_id"
    ):
        framework_members[slug_by_pk[framework_id]].append(by_pk[country_id])
    participants: dict[int, list[str]] = defaultdict(list)
    for summit_id, country_id in Participant.objects.values_list("summit_id", "country_id"):
        participants[summit_id].append(by_pk[country_id])
    summits = {}
    summit_cities: dict[str, set[str]] = defaultdict(set)
    for summit in Summit.objects.all():
        cities = set()
        if summit.city:
            for variant in (summit.city, summit.city.split(",")[0], summit.city.replace("'", "")):
                cities.add(canonical(variant))
                if summit.host_country_id:
                    summit_cities[by_pk[summit.host_country_id]].add(variant.strip())
        summit.framework = frameworks[slug_by_pk[summit.framework_id]]
        days, months = SummitFacts.dates_of(summit)
        summits[summit.pk] = SummitFacts(
            summit=summit,
            framework=summit.framework.slug,
            level=summit.level,
            series=summit.series.lower(),
            edition=summit.edition,
            days=days,
            months=months,
            cities=frozenset(cities),
            participants=tuple(participants[summit.pk]),
        )

    collected: dict[tuple[str, str, str], Term] = {}

    def add(text: str, target: str, key: str, kind: str, weight: float | None = None, **extra):
        text = text.strip()
        if not text:
            return
        weight = KIND_WEIGHTS.get(kind, 0.0) if weight is None else weight
        variants = _plurals(text) if kind == "demonym" else [text]
        for variant in variants:
            term = Term(variant, target, key, kind, weight, _case_rule(variant), **extra)
            slot = (canonical(variant), target, key)
            known = collected.get(slot)
            # An ambiguous word stays ambiguous whoever else lists it.
            if known is None or (known.weight < term.weight and not known.ambiguous):
                collected[slot] = term

    partner_names: dict[str, list[str]] = defaultdict(list)
    for code in sorted(set(lexicon.COUNTRIES) | set(countries)):
        words = lexicon.COUNTRIES.get(code, lexicon.CountryWords())
        record = countries.get(code)
        names = [*words.names]
        places = [*words.places, *summit_cities.get(code, ())]
        if record:
            names += [record.name, record.official_name]
            places += [record.capital, record.capital.split(",")[0]]
        ambiguous = {canonical(word) for word in words.ambiguous}
        for word in words.ambiguous:
            add(word, "country", code, "name", ambiguous=True)
        for word in names:
            add(word, "country", code, "name", ambiguous=canonical(word) in ambiguous)
            if word and canonical(word) not in ambiguous:
                partner_names[code].append(word)
        for word in words.demonyms:
            add(word, "country", code, "demonym")
        for word in places:
            add(word, "country", code, "place")
        for word in words.metonyms:
            add(word, "country", code, "metonym")
        for word in words.context:
            add(word, "country", code, "context")
    for phrase in lexicon.NOT_A_COUNTRY:
        add(phrase, "none", "", "none")
    for phrase, weight in lexicon.CENTRAL_ASIA_GROUP_WORDS.items():
        add(phrase, "group", "", "group", weight)

    skip = {canonical(name) for name in lexicon.AMBIGUOUS_FRAMEWORK_NAMES}
    for slug, framework in frameworks.items():
        names = [framework.name, framework.short_name, *framework.alias_list]
        names += lexicon.FRAMEWORK_ALIASES.get(slug, ())
        partner = by_pk.get(framework.partner_id)
        for partner_name in partner_names.get(partner, ()):
            names += [
                f"{partner_name}-Central Asia",
                f"{partner_name}-Central Asian",
                f"Central Asia-{partner_name}",
                f"C5+{partner_name}",
                f"{partner_name}+C5",
            ]
        for name in names:
            if canonical(name) not in skip:
                add(name, "framework", slug, "framework")

    terms: dict[str, list[Term]] = defaultdict(list)
    for (key, _target, _code), term in collected.items():
        terms[key].append(term)
    city_keys = {city for facts in summits.values() for city in facts.cities}
    summits_by_city: dict[tuple[str, str], list[SummitFacts]] = defaultdict(list)
    for facts in summits.values():
        for city in facts.cities:
            summits_by_city[facts.framework, city].append(facts)
    central_asia = tuple(bloc_members.get("C5", ())) or tuple(
        c.code
        for c in countries.values()
        if c.region == Region.CENTRAL_ASIA and c.kind == Country.Kind.STATE
    )
    return Vocabulary(
        countries=countries,
        frameworks=frameworks,
        framework_members={slug: tuple(codes) for slug, codes in framework_members.items()},
        framework_partners={
            slug: by_pk[f.partner_id] for slug, f in frameworks.items() if f.partner_id
        },
        bloc_members={code: tuple(codes) for code, codes in bloc_members.items()},
        central_asia=central_asia,
        summits=summits,
        summits_by_city=dict(summits_by_city),
        terms=dict(terms),
        pattern=_pattern_for(terms),
        city_pattern=_pattern_for(city_keys) if city_keys else None,
    )


def _fingerprint() -> tuple:
    """Counts, last ids, summed name lengths and last change of the record, in one query.

    Adding, deleting or renaming anything changes it (a rename to a name of
    the same length waits for CACHE_SECONDS).
    """
    quote = connection.ops.quote_name

    def col(model, name):
        return quote(model._meta.get_field(name).column)

    def lengths(model, *names):
        return " + ".join(f"LENGTH({col(model, name)})" for name in names)

    framework_members = Framework.members.through
    bloc_members = Country.members.through
    rows = [
        (
            Country,
            f"MAX({col(Country, 'id')})",
            f"SUM({lengths(Country, 'code', 'name', 'official_name', 'capital', 'region')})",
        ),
        (
            Framework,
            f"MAX({col(Framework, 'id')})",
            f"SUM({lengths(Framework, 'slug', 'name', 'short_name', 'aliases')}"
            f" + COALESCE({col(Framework, 'partner')}, 0))",
        ),
        (Summit, f"MAX({col(Summit, 'id')})", f"MAX({col(Summit, 'updated_at')})"),
        (
            Participant,
            f"MAX({col(Participant, 'id')})",
            f"SUM({col(Participant, 'summit')} + {col(Participant, 'country')})",
        ),
        (
            framework_members,
            f"SUM({col(framework_members, 'framework')})",
            f"SUM({col(framework_members, 'country')})",
        ),
        (
            bloc_members,
            f"SUM({col(bloc_members, 'from_country')})",
            f"SUM({col(bloc_members, 'to_country')})",
        ),
    ]
    columns, tables = [], []
    for n, (model, first, second) in enumerate(rows):
        columns += [f"t{n}.c", f"t{n}.a", f"t{n}.b"]
        tables.append(
            f"(SELECT COUNT(*) AS c, {first} AS a, {second} AS b "
            f"FROM {quote(model._meta.db_table)}) t{n}"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {' CROSS JOIN '.join(tables)}")
        return tuple(cursor.fetchone())


_cached: tuple[tuple, float, Vocabulary] | None = None


def vocabulary() -> Vocabulary:
    """The compiled vocabulary for the record as it is now."""
    global _cached
    fingerprint = _fingerprint()
    cached = _cached
    if cached and cached[0] == fingerprint and time.monotonic() - cached[1] < CACHE_SECONDS:
        return cached[2]
    built = _build_vocabulary()
    _cached = (fingerprint, time.monotonic(), built)
    return built


def clear_cache() -> None:
    global _cached
    _cached = None


# Reading a text -----------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    term: Term
    zone: str
    sentence: int
    matched: str


@dataclass
class Reading:
    hits: list[Hit]
    # Every sentence of every part, numbered across the parts, with its part.
    sentences: list[tuple[str, str]]
    # Per sentence: the summit cities it names, and whether each is named as
    # a venue ("in Rome", "Tokyo hosts") rather than as a government ("with Washington").
    cities: dict[int, list[tuple[str, bool]]]


_VENUE_BEFORE = re.compile(r"(?:\b(?:in|at|to|from|near|outside|hosted in|held in)\s+)$", re.I)
_VENUE_AFTER = re.compile(
    r"^(?:,\s+[A-Z][\w.]*)?(?:'s)?\s+(?:on\s+\d|in\s+(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December|\d{4})|(?:will\s+|to\s+)?hosts?\b|"
    r"hosted\b|summit|meeting|talks|session|conference|forum|dialogue|declaration|gathering)",
    re.I,
)


def _named_as_venue(text: str, start: int, end: int) -> bool:
    return bool(
        _VENUE_BEFORE.search(text[max(0, start - 12) : start])
        or _VENUE_AFTER.search(text[end : end + 40])
    )


def _read(vocab: Vocabulary, zones: dict[str, str]) -> Reading:
    hits: list[Hit] = []
    sentences: list[tuple[str, str]] = []
    cities: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for zone, original in zones.items():
        if not original.strip():
            continue
        # One character for one: positions in `text` are positions in `original`.
        text = original.translate(_TYPOGRAPHY)
        starts = _sentence_starts(text)
        offset = len(sentences)
        bounds = [*starts[1:], len(text)]
        sentences += [(zone, text[start:end]) for start, end in zip(starts, bounds, strict=True)]

        def sentence_of(position: int, offset=offset, starts=starts) -> int:
            return offset + bisect.bisect_right(starts, position) - 1

        for match in vocab.pattern.finditer(text):
            matched = match.group()
            written = original[match.start() : match.end()]
            for term in vocab.terms.get(canonical(matched), ()):
                if term.accepts(matched):
                    hits.append(Hit(term, zone, sentence_of(match.start()), written))
        if vocab.city_pattern is not None:
            # Read apart from the other words, so "the Xi'an summit" is a
            # framework name and a city at once.
            for match in vocab.city_pattern.finditer(text):
                if match.group()[:1].isupper():
                    venue = _named_as_venue(text, match.start(), match.end())
                    cities[sentence_of(match.start())].append((match.group(), venue))
    return Reading(hits, sentences, cities)


class _Tally:
    """The evidence for one record: weighted words per part, and scores lent by others."""

    def __init__(self):
        self.words: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self.lent: list[tuple[float, str]] = []

    def add_word(self, zone: str, weight: float, matched: str) -> None:
        self.words[zone].append((weight, " ".join(matched.split())))

    def lend(self, score: float, reason: str) -> None:
        if score > 0:
            self.lent.append((score, reason))

    @property
    def direct(self) -> float:
        total = 0.0
        for zone, words in self.words.items():
            weights = sorted((weight for weight, _ in words), reverse=True)
            total += ZONE_WEIGHTS[zone] * sum(w * REPEAT_DECAY**n for n, w in enumerate(weights))
        return total

    @property
    def score(self) -> float:
        return self.direct + sum(score for score, _ in self.lent)

    def evidence(self) -> tuple[str, ...]:
        lines = []
        for zone in ZONE_WEIGHTS:
            counts: dict[str, int] = defaultdict(int)
            for _, matched in self.words.get(zone, ()):
                counts[matched] += 1
            for matched, n in sorted(counts.items(), key=lambda item: -item[1]):
                lines.append(f"“{matched}” in {zone}" + (f" ×{n}" if n > 1 else ""))
        for _, reason in sorted(self.lent, key=lambda item: -item[0]):
            if reason not in lines:
                lines.append(reason)
        return tuple(lines[:MAX_EVIDENCE])


# Summits: dates, numbers and levels in a sentence --------------------------

_MONTH_NUMBERS = {
    name: n
    for n, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|to|and)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# Most precise first; a later form never reads text an earlier one took.
_DATE_FORMS = [
    re.compile(rf"(?<!\w){_YEAR}-(?P<month_number>[01]\d)-(?P<day>[0-3]\d)(?!\w)"),
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}{_DAY2},?\s+{_YEAR}(?!\w)"),
    re.compile(rf"(?<!\w){_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\w)"),
    re.compile(rf"(?<!\w){_MONTH},?\s+(?:of\s+)?{_YEAR}(?!\w)"),
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}{_DAY2}(?!\w)"),
    re.compile(rf"(?<!\w){_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}(?!\w)"),
    re.compile(rf"(?<!\w){_YEAR}(?!\w)"),
]
_ORDINALS = {
    "first": 1,
    "inaugural": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_EDITION = re.compile(
    r"(?<!\w)(?P<ordinal>" + "|".join(_ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))(?:-ever)?\s+"
    r"(?P<between>(?:[^\s.;:!?]+\s+){0,5}?)"
    r"(?P<noun>summits?|meetings?|dialogues?|conferences?|forums?|sessions?|ministerials?)(?!\w)",
    re.IGNORECASE,
)
_LEADERS = re.compile(
    r"(?<!\w)(?:summits?|leaders'?|leader's|presidents?|presidential|heads? of state"
    r"|heads of government|prime ministers?|chancellor|at the top|highest level)(?!\w)",
    re.IGNORECASE,
)
_MINISTERS = re.compile(
    r"(?<!\w)(?<!prime )(?:foreign ministers?'?|minister's|ministers'?|ministerial"
    r"|secretary of state|foreign affairs)(?!\w)",
    re.IGNORECASE,
)

# How much each kind of cue says, when it fits the summit.
CUE_WEIGHTS = {
    "day": 4.5,
    "month_day": 3.5,
    "month": 3.0,
    "year": 2.0,
    "city": 2.0,
    "edition": 2.0,
    "level": 0.5,
    "other_date": 1.0,
}


# How much a sentence's cues count for a summit, by what ties the sentence to
# the summit's framework.
RELEVANCE = {
    # The framework is named in the sentence, the one before, or the headline.
    "near": 1.0,
    # The article covers the framework.
    "covered": 0.75,
    # The partner is named in the sentence, or the article covers the partner.
    "partner": 0.6,
    # The framework is named in passing elsewhere.
    "in passing": 0.5,
}


@dataclass(frozen=True)
class _DateCue:
    text: str
    year: int | None
    month: int | None
    days: tuple[int, ...]


def _dates(sentence: str) -> list[_DateCue]:
    taken: list[tuple[int, int]] = []
    found = []
    for form in _DATE_FORMS:
        for match in form.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            parts = match.groupdict()
            month = parts.get("month")
            month = _MONTH_NUMBERS[month] if month else parts.get("month_number")
            days = tuple(int(d) for d in (parts.get("day"), parts.get("day2")) if d)
            found.append(
                _DateCue(
                    match.group(),
                    int(parts["year"]) if parts.get("year") else None,
                    int(month) if month else None,
                    days,
                )
            )
    return found


def _date_score(cue: _DateCue, facts: SummitFacts) -> tuple[float, str]:
    if cue.month and cue.days:
        wanted = {(cue.month, n) for n in cue.days}
        if cue.year and {(cue.year, month, day) for month, day in wanted} & facts.days:
            return CUE_WEIGHTS["day"], "date"
        if not cue.year and wanted & {(month, day) for _, month, day in facts.days}:
            return CUE_WEIGHTS["month_day"], "day"
    if cue.year and cue.month and (cue.year, cue.month) in facts.months:
        return CUE_WEIGHTS["month"], "month"
    if cue.year and cue.year in {year for year, _ in facts.months}:
        return CUE_WEIGHTS["year"], "year"
    return 0.0, ""


@dataclass(frozen=True)
class _EditionCue:
    number: int
    level: str | None
    noun: str
    # Frameworks named inside the phrase ("the first Korea–Central Asia summit").
    frameworks: frozenset[str]
    text: str

    def fits(self, facts: SummitFacts) -> bool:
        return (
            self.number == facts.edition
            and self.level in (None, facts.level)
            and (not self.frameworks or facts.framework in self.frameworks)
            # A numbered series ("regional high-level meeting") is named by its noun.
            and (not facts.series or self.noun in facts.series)
        )


@dataclass
class _SentenceCues:
    dates: list[_DateCue]
    editions: list[_EditionCue]
    levels: set[str]
    # canonical city -> (as written, named as a venue)
    cities: dict[str, tuple[str, bool]]

    @property
    def points_somewhere(self) -> bool:
        return bool(self.dates or self.editions or self.cities)


def _cues(vocab: Vocabulary, sentence: str, cities: list[tuple[str, bool]]) -> _SentenceCues:
    editions = []
    for match in _EDITION.finditer(sentence):
        ordinal = match.group("ordinal").lower()
        number = _ORDINALS.get(ordinal) or int(re.sub(r"\D", "", ordinal))
        phrase = match.group("between") + match.group("noun")
        level = None
        if _MINISTERS.search(phrase):
            level = Summit.Level.FOREIGN_MINISTERS
        elif _LEADERS.search(phrase):
            level = Summit.Level.HEADS_OF_STATE
        named = frozenset(
            term.key
            for found in vocab.pattern.finditer(phrase)
            for term in vocab.terms.get(canonical(found.group()), ())
            if term.target == "framework" and term.accepts(found.group())
        )
        noun = match.group("noun").lower().removesuffix("s")
        editions.append(_EditionCue(number, level, noun, named, match.group()))
    levels = set()
    if _LEADERS.search(sentence):
        levels.add(Summit.Level.HEADS_OF_STATE)
    if _MINISTERS.search(sentence):
        levels.add(Summit.Level.FOREIGN_MINISTERS)
    named_cities: dict[str, tuple[str, bool]] = {}
    for city, venue in cities:
        key = canonical(city)
        named_cities[key] = (city, venue or named_cities.get(key, ("", False))[1])
    return _SentenceCues(
        dates=_dates(sentence), editions=editions, levels=levels, cities=named_cities
    )


def _summit_cue_score(
    vocab: Vocabulary, cues: _SentenceCues, facts: SummitFacts
) -> tuple[float, list[str]]:
    score, notes = 0.0, []
    best_date = max(
        ((*_date_score(cue, facts), cue.text) for cue in cues.dates),
        default=(0.0, "", ""),
    )
    if best_date[0]:
        score += best_date[0]
        notes.append(f"{best_date[1]} “{best_date[2]}”")
    city = next((c for c in cues.cities if c in facts.cities), None)
    if city:
        written, venue = cues.cities[city]
        # A city the framework met in more than once says less about which meeting.
        same_place = [
            other
            for other in vocab.summits_by_city.get((facts.framework, city), [facts])
            if not cues.levels or other.level in cues.levels
        ]
        score += CUE_WEIGHTS["city"] * (1.0 if venue else 0.5) / max(len(same_place), 1)
        notes.append(f"place “{written}”")
    edition = next((cue.text for cue in cues.editions if cue.fits(facts)), None)
    if edition:
        score += CUE_WEIGHTS["edition"]
        notes.append(f"number “{edition}”")
    if not score:
        return 0.0, []
    if cues.dates and not best_date[0]:
        # The sentence dates what it describes, and the date is not this summit's.
        score -= CUE_WEIGHTS["other_date"]
    if facts.level in cues.levels and len(cues.levels) == 1:
        score += CUE_WEIGHTS["level"]
    elif cues.levels and facts.level not in cues.levels and facts.level != Summit.Level.OTHER:
        score -= CUE_WEIGHTS["level"]
    return score, notes


# Putting it together ------------------------------------------------------


def suggest_tags(
    *,
    title: str,
    standfirst: str = "",
    body: str = "",
    summits: Iterable[Summit | int] = (),
) -> Suggestions:
    """Countries, frameworks and summits the text covers, best first.

    `body` may be HTML. `summits` are the summits already tagged (records or
    primary keys): their frameworks and participants are suggested too.
    """
    vocab = vocabulary()
    reading = _read(
        vocab,
        {
            "title": plain_text(title),
            "standfirst": plain_text(standfirst),
            "body": plain_text(body),
        },
    )
    words = _words(vocab, reading)
    countries, frameworks = words.countries, words.frameworks

    # A framework named once counts for more when the article covers its partner.
    for slug, tally in frameworks.items():
        partner = countries.get(vocab.framework_partners.get(slug, ""))
        if partner is not None and partner.direct >= THRESHOLD:
            tally.lend(PARTNER_TO_FRAMEWORK * partner.direct, "its partner is covered")

    found_summits = _summits(vocab, reading, words)
    tagged = {item if isinstance(item, int) else item.pk for item in summits}
    for facts, score, _ in found_summits:
        # A tagged summit lends its own, larger share below.
        if score >= SUMMIT_THRESHOLD and facts.summit.pk not in tagged:
            _lend_from_summit(
                facts,
                countries,
                frameworks,
                score * SUMMIT_TO_FRAMEWORK,
                score * SUMMIT_TO_PARTICIPANTS,
                "",
                "took part in",
            )
    for pk in sorted(tagged):
        if pk in vocab.summits:
            _lend_from_summit(
                vocab.summits[pk],
                countries,
                frameworks,
                TAGGED_SUMMIT_FRAMEWORK,
                TAGGED_SUMMIT_PARTICIPANT,
                "tagged ",
                "at tagged summit:",
            )
    for slug, tally in list(frameworks.items()):
        if slug in vocab.frameworks:
            name, share = vocab.frameworks[slug].short_name, FRAMEWORK_TO_MEMBERS * tally.score
            partner = vocab.framework_partners.get(slug)
            for code in {*vocab.framework_members.get(slug, ()), *([partner] if partner else [])}:
                countries[code].lend(
                    share, f"{'partner in' if code == partner else 'member of'} {name}"
                )

    return Suggestions(
        countries=_ranked(vocab.countries, countries, THRESHOLD),
        frameworks=_ranked(vocab.frameworks, frameworks, THRESHOLD),
        summits=[
            Suggestion(facts.summit, round(score, 2), notes, score >= SUMMIT_THRESHOLD)
            for facts, score, notes in found_summits
        ],
    )


@dataclass
class _Words:
    """What the words alone say, before frameworks and summits lend anything."""

    countries: dict[str, _Tally]
    frameworks: dict[str, _Tally]
    # Where each framework, and each country, is named.
    framework_sentences: dict[str, set[int]]
    sentence_countries: dict[int, set[str]]


def _words(vocab: Vocabulary, reading: Reading) -> _Words:
    words = _Words(defaultdict(_Tally), defaultdict(_Tally), defaultdict(set), defaultdict(set))
    by_country: dict[str, list[Hit]] = defaultdict(list)
    for hit in reading.hits:
        term = hit.term
        if term.target == "country":
            by_country[term.key].append(hit)
        elif term.target == "framework":
            words.frameworks[term.key].add_word(hit.zone, term.weight, hit.matched)
            words.framework_sentences[term.key].add(hit.sentence)
        elif term.target == "group":
            for code in vocab.central_asia:
                words.countries[code].add_word(hit.zone, term.weight, hit.matched)
    for code, hits in by_country.items():
        # "Georgia" counts only next to Tbilisi, the Caucasus or "Georgian"...
        supported = any(not hit.term.ambiguous for hit in hits)
        implies_members = lexicon.COUNTRIES.get(code, lexicon.CountryWords()).implies_members
        for hit in hits:
            if hit.term.ambiguous and not supported:
                continue
            words.countries[code].add_word(hit.zone, hit.term.weight, hit.matched)
            words.sentence_countries[hit.sentence].add(code)
            for member in vocab.bloc_members.get(code, ()) if implies_members else ():
                words.countries[member].add_word(hit.zone, BLOC_TO_MEMBERS, hit.matched)
    return words


def _lend_from_summit(
    facts: SummitFacts,
    countries: dict[str, _Tally],
    frameworks: dict[str, _Tally],
    to_framework: float,
    to_participants: float,
    framework_reason: str,
    participant_reason: str,
) -> None:
    frameworks[facts.framework].lend(to_framework, f"{framework_reason}summit: {facts.summit}")
    for code in facts.participants:
        countries[code].lend(to_participants, f"{participant_reason} {facts.summit}")


def _ranked(records: dict, tallies: dict[str, _Tally], threshold: float) -> list:
    found = [
        Suggestion(records[key], round(tally.score, 2), tally.evidence(), tally.score >= threshold)
        for key, tally in tallies.items()
        if key in records and tally.score > 0
    ]
    return sorted(found, key=lambda s: (-s.score, str(s.obj)))


def _summits(
    vocab: Vocabulary, reading: Reading, words: _Words
) -> list[tuple[SummitFacts, float, tuple[str, ...]]]:
    """Summits named by their framework (or partner) and a date, place or number."""
    article_relevance: dict[str, float] = {}
    for slug, tally in words.frameworks.items():
        article_relevance[slug] = (
            RELEVANCE["covered"] if tally.direct >= THRESHOLD else RELEVANCE["in passing"]
        )
    for slug, partner in vocab.framework_partners.items():
        tally = words.countries.get(partner)
        if tally is not None and tally.direct >= THRESHOLD:
            article_relevance[slug] = max(article_relevance.get(slug, 0.0), RELEVANCE["partner"])
    headline = {i for i, (zone, _) in enumerate(reading.sentences) if zone != "body"}
    cues = [
        (i, found)
        for i, (_, text) in enumerate(reading.sentences)
        if (found := _cues(vocab, text, reading.cities.get(i, []))).points_somewhere
    ]
    found = []
    for facts in vocab.summits.values():
        partner = vocab.framework_partners.get(facts.framework)
        named = words.framework_sentences.get(facts.framework, set())
        best, notes = 0.0, ()
        for i, sentence_cues in cues:
            same_part = i > 0 and reading.sentences[i - 1][0] == reading.sentences[i][0]
            if i in named or (same_part and i - 1 in named) or (i in headline and named & headline):
                relevance = RELEVANCE["near"]
            elif partner in words.sentence_countries.get(i, ()):
                relevance = max(RELEVANCE["partner"], article_relevance.get(facts.framework, 0.0))
            else:
                relevance = article_relevance.get(facts.framework, 0.0)
            if not relevance:
                continue
            raw, why = _summit_cue_score(vocab, sentence_cues, facts)
            if raw * relevance > best:
                best, notes = raw * relevance, tuple(why)
        if best > 0:
            found.append((facts, round(best, 2), notes))
    return sorted(found, key=lambda item: (-item[1], str(item[0].summit)))
