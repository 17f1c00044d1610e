"""What countries, frameworks and summits are called, and how search and tagging recognise it."""

import functools
import re
import unicodedata
from collections.abc import Iterable

from . import lexicon
from .models import Country, Framework

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
# their parts the same way.
_CONNECTOR = re.compile(r"\s*(?:[-+]|(?<!\w)plus(?!\w))\s*", re.IGNORECASE)
CONNECTOR_PATTERN = r"(?:\s*[-+]\s*|\s+plus\s+)"


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


def summit_places(city: str) -> list[str]:
    """A summit city as coverage writes it: "Washington, D.C." or "Washington", "Xian" too."""
    if not city:
        return []
    return [city, city.split(",")[0], city.replace("'", "")]
