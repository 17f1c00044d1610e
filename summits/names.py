"""What countries, frameworks and summits are called, and how search and tagging recognise it."""

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation

from . import lexicon
from .models import Country, Framework, Summit

_TYPOGRAPHY = {
    ord(typographic): plain
    for typographic, plain in {
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
    }.items()
}


class _Folding(dict):
    """A `str.translate` table, filled on demand, that never changes a text's length."""

    def __missing__(self, code: int) -> int | str:
        folded = _TYPOGRAPHY.get(code)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", chr(code))
            base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
            # "ﬁ" or "½" decompose to several characters; positions must hold.
            folded = base if len(base) == 1 else code
        self[code] = folded
        return folded


_FOLDING = _Folding()

# "C5+1", "C5 + 1", "Central Asia – Japan" and "Central Asia plus Japan" join
# their parts the same way; Korean joins them with a middle dot too ("한·중앙아").
_CONNECTOR = re.compile(r"\s*(?:[-+\u00b7\u2219\u30fb]|(?<!\w)plus(?!\w))\s*", re.IGNORECASE)
CONNECTOR_PATTERN = r"(?:\s*[-+\u00b7\u2219\u30fb]\s*|\s+plus\s+)"


def fold_characters(text: str) -> str:
    """ASCII dashes, quotes and spaces, and no accents, one character for one.

    A match found in the result is at the same place in `text`.
    """
    return text.translate(_FOLDING)


# Search and tagging fold the same few hundred names again and again.
@functools.lru_cache(maxsize=8192)
def fold(text: str, *, keep_case: bool = False) -> str:
    """The form names are compared in: "C5 + 1" and "c5 plus 1" give "c5+1", "Türkiye" "turkiye"."""
    text = _CONNECTOR.sub("+", fold_characters(text))
    text = " ".join(text.split())
    return text if keep_case else text.lower()


@functools.lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Letters, digits and the joins between parts: "C5 + 1", "C5 plus 1" and "C5–1" give "c5+1"."""
    return re.sub(r"[^\w+]+", "", fold(text)).strip("+")


# What records are called ------------------------------------------------------


def _words(code: str) -> lexicon.CountryWords:
    return lexicon.COUNTRIES.get(code, lexicon.CountryWords())


def country_names(code: str, country: Country | None = None) -> list[str]:
    """The lexicon's names for the country, then the record's name and official name."""
    names = [*_words(code).names]
    if country is not None:
        names += [country.name, country.official_name]
    return [name for name in names if name.strip()]


def ambiguous_words(code: str) -> tuple[str, ...]:
    """Names that only count next to other evidence ("Georgia" is also a US state)."""
    return _words(code).ambiguous


def partner_names(code: str, country: Country | None = None) -> list[str]:
    """The country's names that mean it on their own, for "<partner>–Central Asia"."""
    ambiguous = {fold(word) for word in ambiguous_words(code)}
    return [name for name in country_names(code, country) if fold(name) not in ambiguous]


def _plurals(word: str) -> list[str]:
    if " " in word or word.endswith(("s", "z", "sh", "ch", "ese")):
        return [word]
    return [word, word + "s"]


def demonyms(code: str) -> list[str]:
    """What its people are called, with the plural: "Kazakh", "Kazakhs", "Kazakhstani"..."""
    return [form for word in _words(code).demonyms for form in _plurals(word)]


def framework_names(framework: Framework, partners: Iterable[str] = ()) -> list[str]:
    """Its name, short name and aliases, the lexicon's, and "<partner>–Central Asia" forms."""
    names = [framework.name, framework.short_name, *framework.alias_list]
    names += lexicon.FRAMEWORK_ALIASES.get(framework.slug, ())
    for partner in partners:
        names += [
            f"{partner}-Central Asia",
            f"{partner}-Central Asian",
            f"Central Asia-{partner}",
            f"C5+{partner}",
            f"{partner}+C5",
        ]
    return names


def translated_framework_names(
    korean: Iterable[str] = (), russian: Iterable[str] = ()
) -> list[str]:
    """The "<partner>–Central Asia" forms in Korean and in Russian, for the partner's names there.

    Korean puts a one-syllable partner first ("한-중앙아", "미-중앙아시아"), so
    the partner comes after the region only when named in full.
    """
    names = []
    for partner in korean:
        names += [f"{partner}-중앙아시아", f"{partner}-중앙아", f"{partner}+중앙아시아"]
        if len(partner) > 1:
            names += [f"중앙아시아-{partner}", f"중앙아시아+{partner}", f"중앙아+{partner}"]
    for partner in russian:
        names += [
            f"{partner} - Центральная Азия",
            f"Центральная Азия - {partner}",
            f"Центральная Азия + {partner}",
            f"{partner} + Центральная Азия",
            f"{partner} - ЦА",
            f"ЦА - {partner}",
            f"ЦА + {partner}",
        ]
    return names


def summit_places(city: str) -> list[str]:
    """A summit city as coverage writes it: "Washington, D.C." or "Washington", "Xian" too."""
    if not city:
        return []
    return [city, city.split(",")[0], city.replace("'", "")]


# Names in a search query -------------------------------------------------------

MAX_RECORD_MATCHES = 6
# A shorter name ("US", "EU", "C5") is recognised only as the whole query.
SHORTEST_NAME_IN_A_QUERY = 4


@dataclass
class RecordMatches:
    """Countries, frameworks and summits whose names a query mentions."""

    countries: list[Country] = field(default_factory=list)
    frameworks: list[Framework] = field(default_factory=list)
    summits: list[Summit] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.countries or self.frameworks or self.summits)


@functools.lru_cache(maxsize=4)
def _country_phrases(
    names: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[re.Pattern | None, dict[str, str | None]]:
    owners: dict[str, str | None] = {}
    for code in lexicon.COUNTRIES:
        for name in [*country_names(code), *demonyms(code)]:
            owners.setdefault(fold(name), code)
    for code, record_names in names:
        for name in record_names:
            owners[fold(name)] = code
    for phrase in lexicon.NOT_A_COUNTRY:
        owners[fold(phrase)] = None
    phrases = sorted(
        (phrase for phrase in owners if len(phrase) >= SHORTEST_NAME_IN_A_QUERY),
        key=len,
        reverse=True,
    )
    if not phrases:
        return None, owners
    alternatives = "|".join(map(re.escape, phrases))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), owners


@dataclass
class RecordVocabulary:
    """Every country, framework and summit with the names a query may call it by.

    Built from the database by `record_vocabulary()`; a caller that searches
    often keeps one until the records change, and hands it to `records_named`.
    """

    countries: list[Country]
    country_names: dict[str, list[str]]
    frameworks: list[tuple[Framework, list[str]]]
    summits: list[tuple[Summit, list[str]]]

    @functools.cached_property
    def index(self) -> "_NameIndex":
        """The names as `records_named` looks them up, worked out once per vocabulary."""
        return _NameIndex(self)


# A record, as the index finds it: its kind and its place in the vocabulary's list.
_COUNTRY, _FRAMEWORK, _SUMMIT = range(3)


class _NameIndex:
    """A vocabulary's names in the forms queries are compared in, looked up, not tried in turn.

    A new search compares its words with a thousand names or so.
    """

    def __init__(self, vocabulary: RecordVocabulary):
        countries = vocabulary.countries
        records = [
            *((_COUNTRY, i, vocabulary.country_names[c.code]) for i, c in enumerate(countries)),
            *((_FRAMEWORK, i, names) for i, (_record, names) in enumerate(vocabulary.frameworks)),
            *((_SUMMIT, i, names) for i, (_record, names) in enumerate(vocabulary.summits)),
        ]
        self.bare: dict[str, set[tuple[int, int]]] = {}  # compacted, without the joins
        compacted: set[tuple[str, int, int]] = set()
        self.words: dict[str, set[tuple[int, int]]] = {}  # folded, of frameworks and summits
        for kind, position, names in records:
            for name in names:
                if short := compact(name):
                    self.bare.setdefault(short.replace("+", ""), set()).add((kind, position))
                    compacted.add((short, kind, position))
                folded = fold(name)
                if kind != _COUNTRY and len(folded) >= SHORTEST_NAME_IN_A_QUERY:
                    self.words.setdefault(folded, set()).add((kind, position))
        self.compacted = sorted(compacted)
        self.country_at = {country.code: i for i, country in enumerate(countries)}
        self.country_phrases = _country_phrases(
            tuple((code, tuple(words)) for code, words in vocabulary.country_names.items())
        )

    def named(self, query: str) -> set[tuple[int, int]]:
        """The records the folded query names."""
        return self._is_or_starts(query) | self._contains(query) | self._countries_in(query)

    def _is_or_starts(self, query: str) -> set[tuple[int, int]]:
        """The records the query is a name of, or the start of one.

        A whole name may be typed without its dashes ("Cholpon Ata", "EU CA");
        a start stops at a join, so "Central Asia's" is not "Central Asia-Sino".
        """
        typed = compact(query)
        found = set(self.bare.get(typed.replace("+", ""), ()))
        # "kazakh" finds Kazakhstan; three letters are too few to mean anything.
        if len(typed) >= SHORTEST_NAME_IN_A_QUERY:
            at = bisect.bisect_left(self.compacted, (typed,))
            while at < len(self.compacted) and self.compacted[at][0].startswith(typed):
                found.add(self.compacted[at][1:])
                at += 1
        return found

    def _contains(self, query: str) -> set[tuple[int, int]]:
        """The frameworks and summits the query holds a name of as words."""
        found = set()
        for name, owners in self.words.items():
            if name in query and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", query):
                found |= owners
        return found

    def _countries_in(self, query: str) -> set[tuple[int, int]]:
        """The countries the query names as words, the longest name winning.

        As in tagging, "North Korea" and "Indian Ocean" are read whole, so
        "Korea" and "Indian" inside them name nothing.
        """
        pattern, owners = self.country_phrases
        if pattern is None:
            return set()
        codes = {owners[match.group()] for match in pattern.finditer(query)}
        return {(_COUNTRY, self.country_at[code]) for code in codes if code in self.country_at}


# The languages records have names in besides English.
TRANSLATED_LANGUAGES = [language for language, _name in settings.LANGUAGES if language != "en"]


@translation.override("en")  # names are recognised in English; pages show them in theirs
def record_vocabulary() -> RecordVocabulary:
    countries = list(Country.objects.only("name", "official_name", "slug", "capital", "code"))
    frameworks = Framework.objects.select_related("partner").only(
        "name",
        "short_name",
        "slug",
        "aliases",
        "partner__code",
        "partner__name",
        "partner__official_name",
    )
    summits = Summit.objects.select_related("framework", "host_country").order_by("-sort_date")
    return RecordVocabulary(
        countries=countries,
        country_names={
            c.code: [
                *country_names(c.code, c),
                *demonyms(c.code),
                *translated_names(c, "name", "official_name"),
            ]
            for c in countries
        },
        frameworks=[
            (
                framework,
                [
                    *framework_names(
                        framework,
                        partner_names(framework.partner.code, framework.partner)
                        if framework.partner
                        else (),
                    ),
                    *translated_names(framework, "name", "short_name"),
                ],
            )
            for framework in frameworks
        ],
        summits=[
            (
                summit,
                [
                    summit.title,
                    *summit_places(summit.city),
                    *translated_names(summit, "title", "city"),
                ],
            )
            for summit in summits
        ],
    )


def translated_names(record, *fields: str) -> list[str]:
    """The record's names in the journal's other languages (summits/translation.py).

    Search takes a query in any language: "카자흐스탄" and "Казахстан" name
    Kazakhstan as "Kazakhstan" does.
    """
    return [
        value
        for field_name in fields
        for language in TRANSLATED_LANGUAGES
        if (value := getattr(record, f"{field_name}_{language}", None))
    ]


def records_named(text: str, vocabulary: RecordVocabulary | None = None) -> RecordMatches:
    """The countries, frameworks and summits a search query names, by the names tagging reads."""
    query = fold(text)
    if len(compact(query)) < 2:
        return RecordMatches()
    vocabulary = vocabulary or record_vocabulary()
    found = vocabulary.index.named(query)

    def named(kind: int, records: list) -> list:
        return [record for at, record in enumerate(records) if (kind, at) in found][
            :MAX_RECORD_MATCHES
        ]

    return RecordMatches(
        countries=named(_COUNTRY, vocabulary.countries),
        frameworks=named(_FRAMEWORK, [framework for framework, _names in vocabulary.frameworks]),
        summits=named(_SUMMIT, [summit for summit, _names in vocabulary.summits]),
    )
