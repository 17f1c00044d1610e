"""Each country's and framework's score: its weighted words, and the shares others lend it."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .. import lexicon
from .reading import Hit, Reading
from .vocabulary import SummitFacts, Vocabulary
from .weights import BLOC_TO_MEMBERS, MAX_EVIDENCE, REPEAT_DECAY, ZONE_WEIGHTS


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


def tally_words(vocab: Vocabulary, reading: Reading) -> Words:
    """Each hit counted for its country or framework, with where it was found."""
    words = Words(defaultdict(Tally), defaultdict(Tally), defaultdict(set), defaultdict(set))
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
