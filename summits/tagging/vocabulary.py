"""The words to look for, compiled from the record and the lexicon, kept while the record holds."""

import datetime
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import translation

from .. import lexicon
from ..models import Country, Framework, Participant, Region, Summit
from ..names import (
    CONNECTOR_PATTERN,
    ambiguous_words,
    country_names,
    demonyms,
    fold,
    framework_names,
    partner_names,
    summit_places,
    translated_framework_names,
    translated_names,
)
from .inflection import lookup_keys, units
from .weights import KIND_WEIGHTS

# How long a compiled vocabulary is trusted when the fingerprint has not
# changed: edits that keep counts and lengths equal show up after this.
CACHE_SECONDS = 600


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
            return matched[:1].isupper() or _keeps_later_capitals(self.text, matched)
        return fold(matched, keep_case=True) == fold(self.text, keep_case=True)


def _keeps_later_capitals(text: str, matched: str) -> bool:
    """Whether a name of several words keeps its capitals after the first word.

    Some copy writes the compass word in lower case ("central Asian
    countries", "central Asia"): the capital of "Asian" still marks the name,
    as a lone "turkey" or "china" does not.
    """
    words, found = text.split(), matched.split()
    later = [n for n, word in enumerate(words) if n and word[:1].isupper()]
    return len(words) == len(found) and bool(later) and all(found[n][:1].isupper() for n in later)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _case_rule(text: str) -> str:
    if not any(ch.islower() for ch in text):
        return "exact"
    # Russian capitalises only a phrase's first word, and not always:
    # "консультативная встреча глав государств Центральной Азии".
    if " " in text and _CYRILLIC.search(text):
        return "any"
    return "capital" if text[:1].isupper() else "any"


def _pattern_for(phrases: Iterable[list[str]]) -> re.Pattern:
    """One expression for every phrase, shaped as a trie so a long text is read once.

    A phrase is a list of units (`inflection.units`): characters, or a
    declined word's endings. At each branch the longer phrase is tried first
    ("Kazakhstan" before "Kazakh", "Indian Ocean" before "Indian").
    """
    root: dict = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            if len(ch) > 1:
                unit = ch
            else:
                unit = CONNECTOR_PATTERN if ch == "+" else r"\s+" if ch == " " else re.escape(ch)
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

    # A name in Hangul or Cyrillic may go on with an ending ("카자흐스탄의",
    # "Казахстана"); any other ends where its word does.
    return re.compile(
        r"(?<!\w)(?:" + emit(root) + r")(?:(?<=[\uac00-\ud7a3\u0400-\u04ff])|(?!\w))",
        re.IGNORECASE,
    )


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
    # Every city's key, as `SummitFacts.cities` holds them.
    city_keys: frozenset[str] = frozenset()

    def lookup(self, matched: str) -> list[Term]:
        """The terms a piece of text the pattern matched stands for ("России" is "Россия")."""
        for key in lookup_keys(fold(matched)):
            if key in self.terms:
                return self.terms[key]
        return []

    def city_key(self, matched: str) -> str:
        """The key summits know a city the city pattern matched by ("Астане" is "Астана")."""
        candidates = lookup_keys(fold(matched))
        return next((key for key in candidates if key in self.city_keys), candidates[0])


@translation.override("en")  # suggestions read English copy, whatever the editor's language
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
    city_phrases: dict[str, list[str]] = {}
    for summit in Summit.objects.all():
        cities = set()
        for variant in [*summit_places(summit.city), *translated_names(summit, "city")]:
            phrase, key = units(fold(variant, keep_case=True))
            city_phrases.setdefault(key, phrase)
            cities.add(key)
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
    phrases: dict[str, list[str]] = {}

    def add(
        text: str,
        target: str,
        key: str,
        kind: str,
        weight: float | None = None,
        *,
        as_stem: bool = False,
        **extra,
    ):
        text = text.strip()
        if not text:
            return
        weight = KIND_WEIGHTS.get(kind, 0.0) if weight is None else weight
        term = Term(text, target, key, kind, weight, _case_rule(text), **extra)
        phrase, lookup = units(fold(text, keep_case=True), as_stem=as_stem)
        phrases.setdefault(lookup, phrase)
        slot = (lookup, target, key)
        known = collected.get(slot)
        # An ambiguous word stays ambiguous whoever else lists it.
        if known is None or (known.weight < term.weight and not known.ambiguous):
            collected[slot] = term

    partners: dict[str, list[str]] = {}
    translated_partners: dict[str, list[str]] = {}
    named = set(lexicon.COUNTRIES) | set(lexicon.TRANSLATED_NAMES) | set(countries)
    for code in sorted(named):
        words = lexicon.COUNTRIES.get(code, lexicon.CountryWords())
        other = lexicon.TRANSLATED_NAMES.get(code, lexicon.CountryWords())
        record = countries.get(code)
        places = [*words.places, *other.places, *summit_cities.get(code, ())]
        if record:
            places += [record.capital, record.capital.split(",")[0]]
        ambiguous = {fold(word) for word in ambiguous_words(code)}
        for word in ambiguous_words(code):
            add(word, "country", code, "name", ambiguous=True)
        for word in country_names(code, record):
            add(word, "country", code, "name", ambiguous=fold(word) in ambiguous)
        translated = [*other.names]
        if record:
            translated += translated_names(record, "name", "official_name")
            places += translated_names(record, "capital")
        for word in translated:
            add(word, "country", code, "name")
        partners[code] = partner_names(code, record)
        translated_partners[code] = translated
        for word in demonyms(code):
            add(word, "country", code, "demonym")
        # The lexicon gives Korean and Russian demonyms as beginnings ("казахстанск").
        for word in [*lexicon.TRANSLATED_DEMONYMS.get(code, ()), *other.demonyms]:
            add(word, "country", code, "demonym", as_stem=True)
        for word in places:
            add(word, "country", code, "place")
        for word in [*words.metonyms, *other.metonyms]:
            add(word, "country", code, "metonym")
        for word in words.context:
            add(word, "country", code, "context")
    for phrase in lexicon.NOT_A_COUNTRY:
        add(phrase, "none", "", "none")
    for phrase, weight in lexicon.CENTRAL_ASIA_GROUP_WORDS.items():
        add(phrase, "group", "", "group", weight)

    skip = {fold(name) for name in lexicon.AMBIGUOUS_FRAMEWORK_NAMES}
    for slug, framework in frameworks.items():
        partner = by_pk.get(framework.partner_id)
        for name in [
            *framework_names(framework, partners.get(partner, ())),
            *translated_names(framework, "name", "short_name"),
            *translated_framework_names(
                korean=[
                    *(n for n in translated_partners.get(partner, ()) if _HANGUL.search(n)),
                    *lexicon.KOREAN_PARTNER_PREFIXES.get(partner, ()),
                ],
                russian=[n for n in translated_partners.get(partner, ()) if _CYRILLIC.search(n)],
            ),
        ]:
            if fold(name) not in skip:
                add(name, "framework", slug, "framework")

    # What the lexicon reads as "the five states" is that, not the bloc's
    # record: "중앙아시아 5개국" is both the Korean name of the C5 bloc and the
    # everyday phrase for the five countries.
    group_keys = {lookup for lookup, target, _ in collected if target == "group"}
    terms: dict[str, list[Term]] = defaultdict(list)
    for (key, target, code), term in collected.items():
        if target == "country" and key in group_keys and _names_its_members(code):
            continue
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
        pattern=_pattern_for(phrases[key] for key in terms),
        city_pattern=_pattern_for(city_phrases[key] for key in city_keys) if city_keys else None,
        city_keys=frozenset(city_keys),
    )


def _names_its_members(code: str) -> bool:
    return lexicon.COUNTRIES.get(code, lexicon.CountryWords()).implies_members


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
    """The compiled vocabulary for the record as it is now.

    One regular expression per state of the record, kept in the process: a
    call costs one query (the fingerprint of the summits tables) unless the
    record changed.
    """
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
