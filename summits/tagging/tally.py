"""Each country's and framework's score: its weighted words, and the shares others lend it."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import lexicon
from .reading import Hit, Reading
from .vocabulary import SummitFacts, Vocabulary
from .weights import BLOC_TO_MEMBERS, KIND_WEIGHTS, MAX_EVIDENCE, REPEAT_DECAY, ZONE_WEIGHTS


class Tally:
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


@dataclass
class Words:
    """What the words alone say, before frameworks and summits lend anything."""

    countries: dict[str, Tally]
    frameworks: dict[str, Tally]
    # Where each framework, and each country, is named.
    framework_sentences: dict[str, set[int]]
    sentence_countries: dict[int, set[str]]
    # The frameworks the text names by a name (not only describes).
    named_frameworks: set[str] = field(default_factory=set)
    # The region's record (the C5 bloc) when the text speaks of Central Asia's
    # states only as a whole: what would go to each of the five goes to it.
    region_as_whole: str | None = None


def tally_words(vocab: Vocabulary, reading: Reading) -> Words:
    """Each hit counted for its country or framework, with where it was found."""
    words = Words(defaultdict(Tally), defaultdict(Tally), defaultdict(set), defaultdict(set))
    by_country: dict[str, list[Hit]] = defaultdict(list)
    groups: list[Hit] = []
    named_formats: list[Hit] = []
    for hit in reading.hits:
        term = hit.term
        if term.target == "country":
            by_country[term.key].append(hit)
        elif term.target == "framework":
            named_formats.append(hit)
        elif term.target == "group":
            groups.append(hit)
    region = _region_bloc(vocab)
    named = any(code in by_country for code in vocab.central_asia)
    if region and groups and not named and not any(_FIVE.search(h.matched) for h in groups):
        # "Central Asian states", and never one of them nor "the five": the region.
        words.region_as_whole = region
        for hit in groups:
            words.countries[region].add_word(hit.zone, KIND_WEIGHTS["name"], hit.matched)
            words.sentence_countries[hit.sentence].add(region)
    else:
        for hit in groups:
            for code in vocab.central_asia:
                words.countries[code].add_word(hit.zone, hit.term.weight, hit.matched)
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
    partners = {code: slug for slug, code in vocab.framework_partners.items()}
    for hit in named_formats:
        slug = hit.term.key
        if _PLUS_ONE.fullmatch(hit.matched.strip()):
            # "C5+1" is the five and one partner: "a summit in the C5+1 format" that
            # Japan hosts, or Berlin, is that partner's format, not the US one.
            others = {
                partners[code]
                for code in words.sentence_countries.get(hit.sentence, ())
                if code in partners and partners[code] != slug
            }
            own = vocab.framework_partners.get(slug)
            if len(others) == 1 and own not in words.sentence_countries.get(hit.sentence, ()):
                (slug,) = others
        words.frameworks[slug].add_word(hit.zone, hit.term.weight, hit.matched)
        words.framework_sentences[slug].add(hit.sentence)
        words.named_frameworks.add(slug)
    return words


# The family name of the Central Asia + partner formats, in Latin or Cyrillic letters.
_PLUS_ONE = re.compile(r"[CcСс]5\s*\+\s*1")


# A group word that counts the states ("the five Central Asian states", "5개국",
# "пяти стран") names each of them.
_FIVE = re.compile(r"five|(?<!\d)5(?!\d)|다섯|пят|C5", re.IGNORECASE)


def _region_bloc(vocab: Vocabulary) -> str | None:
    region = set(vocab.central_asia)
    return next(
        (code for code, members in vocab.bloc_members.items() if set(members) == region), None
    )


def lend_from_summit(
    facts: SummitFacts,
    countries: dict[str, Tally],
    frameworks: dict[str, Tally],
    to_framework: float,
    to_participants: float,
    framework_reason: str,
    participant_reason: str,
    members: Iterable[str] | None = None,
) -> None:
    """A summit's share for its framework and participants, with the reasons shown as evidence.

    Given the framework's `members`, a guest of that one meeting (Azerbaijan
    at a Central Asian consultative meeting) gets a share only when the text
    names it: the meeting is not what makes an article about it.
    """
    frameworks[facts.framework].lend(to_framework, f"{framework_reason}summit: {facts.summit}")
    regulars = None if members is None else set(members)
    for code in facts.participants:
        if regulars is not None and code not in regulars and not countries[code].direct:
            continue
        countries[code].lend(to_participants, f"{participant_reason} {facts.summit}")


# "The GCC comprises Saudi Arabia, Kuwait and ...", "в состав ... входят": a
# sentence that says what a bloc is made of.
_COMPOSITION = re.compile(
    r"(?<!\w)(?:includes|include|comprising|comprises|comprised of|consists of|consisting of"
    r"|made up of|composed of|whose members are|members are)(?!\w)"
    r"|으로\s*구성|로\s*구성|(?<!\w)(?:входят|в\s+состав|включает)(?!\w)",
    re.IGNORECASE,
)


def named_as_members(vocab: Vocabulary, reading: Reading) -> set[str]:
    """Member states the text names only where it tells what their bloc is made of.

    "The GCC comprises Saudi Arabia, Kuwait and four others" says who the Gulf
    Cooperation Council is, not that Kuwait took part in anything.
    """
    sentences: dict[str, set[int]] = defaultdict(set)
    for hit in reading.hits:
        if hit.term.target == "country":
            sentences[hit.term.key].add(hit.sentence)
    composition = {i for i, (_, text) in enumerate(reading.sentences) if _COMPOSITION.search(text)}
    listed = set()
    for bloc, members in vocab.bloc_members.items():
        told = composition & sentences.get(bloc, set())
        for code in members:
            if sentences.get(code) and sentences[code] <= told:
                listed.add(code)
    return listed
