"""Each country's and framework's score: its weighted words, and the shares others lend it."""

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
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
    # The group words that made it so ("Central Asian states").
    region_words: list[Hit] = field(default_factory=list)

    def seat_the_five(self, vocab: Vocabulary) -> None:
        """Give the five back the group words the region took: they sit at a meeting's table."""
        region = self.countries[self.region_as_whole]
        for hit in self.region_words:
            region.words[hit.zone].remove((KIND_WEIGHTS["name"], " ".join(hit.matched.split())))
            for code in vocab.central_asia:
                self.countries[code].add_word(hit.zone, hit.term.weight, hit.matched)
        if not any(region.words.values()) and not region.lent:
            del self.countries[self.region_as_whole]
        self.region_as_whole, self.region_words = None, []


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
            text = reading.sentences[hit.sentence][1]
            if not _half_a_formats_name(vocab, text, hit.end) and not (
                _some_of_the_five(text[: hit.start]) and not _listed_after(vocab, reading, hit)
            ):
                groups.append(hit)
    region = _region_bloc(vocab)
    named = any(code in by_country for code in vocab.central_asia)
    if region and groups and not named and not any(_FIVE.search(h.matched) for h in groups):
        # "Central Asian states", and never one of them nor "the five": the region.
        words.region_as_whole, words.region_words = region, groups
        for hit in groups:
            words.countries[region].add_word(hit.zone, KIND_WEIGHTS["name"], hit.matched)
            words.sentence_countries[hit.sentence].add(region)
    else:
        for hit in groups:
            for code in _listed_after(vocab, reading, hit) or vocab.central_asia:
                words.countries[code].add_word(hit.zone, hit.term.weight, hit.matched)
    for code, hits in by_country.items():
        # "Georgia" counts only next to Tbilisi, the Caucasus or "Georgian"...
        supported = any(not hit.term.ambiguous for hit in hits)
        implies_members = lexicon.COUNTRIES.get(code, lexicon.CountryWords()).implies_members
        for hit in hits:
            if hit.term.ambiguous and not supported:
                continue
            if hit.backdrop:
                # "A region seen as Russia's backyard": named in passing, wherever it is.
                words.countries[code].add_word("body", hit.term.weight, hit.matched)
                continue
            words.countries[code].add_word(hit.zone, hit.term.weight, hit.matched)
            words.sentence_countries[hit.sentence].add(code)
            for member in vocab.bloc_members.get(code, ()) if implies_members else ():
                words.countries[member].add_word(hit.zone, BLOC_TO_MEMBERS, hit.matched)
    partners = {code: slug for slug, code in vocab.framework_partners.items()}
    # The formats each sentence names with their partner in the name ("Italy – Central Asia"),
    # and where, for a "C5+1 format" that labels one of them.
    sentence_formats: dict[int, list[Hit]] = defaultdict(list)
    for hit in named_formats:
        if not _PLUS_ONE.fullmatch(hit.matched.strip()):
            sentence_formats[hit.sentence].append(hit)
    for hit in named_formats:
        slug = hit.term.key
        if slug not in vocab.framework_partners and _owned_by_another(vocab, reading, hit):
            # "The 18th Consultative Meeting of the GCC leaders" is the Gulf's own.
            continue
        if _PLUS_ONE.fullmatch(hit.matched.strip()):
            # "C5+1" is the five and one partner: "a summit in the C5+1 format" that
            # Japan hosts, or Berlin, is that partner's format, not the US one; so is
            # "the 'Italy – Central Asia' conference on the C5+1 format".
            others = {
                partners[code]
                for code in words.sentence_countries.get(hit.sentence, ())
                if code in partners and partners[code] != slug
            }
            text = reading.sentences[hit.sentence][1]
            if _FORMAT_AFTER.match(text, hit.end) and _LABEL_BEFORE.search(text[: hit.start]):
                others |= {
                    other.term.key
                    for other in sentence_formats.get(hit.sentence, ())
                    if other.end <= hit.start
                } - {slug}
            own = vocab.framework_partners.get(slug)
            if len(others) == 1 and own not in words.sentence_countries.get(hit.sentence, ()):
                (slug,) = others
        words.frameworks[slug].add_word(hit.zone, hit.term.weight, hit.matched)
        words.framework_sentences[slug].add(hit.sentence)
        words.named_frameworks.add(slug)
    return words


# "Consultative Meeting of the GCC", "the GCC's 18th Consultative Meeting".
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
_OWNER_BEFORE = re.compile(r"^(?:'s?)?\s+(?:\d{1,2}(?:st|nd|rd|th)\s+)?$")


def _owned_by_another(vocab: Vocabulary, reading: Reading, hit: Hit) -> bool:
    """Whether a format's name that names no partner is said to be another body's.

    The region's own "Consultative Meeting" is a common name: the Gulf
    Cooperation Council holds consultative meetings of its leaders too.
    """
    text = reading.sentences[hit.sentence][1]
    of_the = _OF_THE.match(text, hit.end)
    region = {*vocab.central_asia, _region_bloc(vocab)}
    owners = [
        other
        for other in reading.hits
        if other.sentence == hit.sentence
        and other.term.target == "country"
        and other.term.key not in region
    ]
    return any(
        (of_the is not None and other.start == of_the.end())
        or (other.end <= hit.start and _OWNER_BEFORE.match(text[other.end : hit.start]))
        for other in owners
    )


# A group word followed by the states it stands for: "Central Asian countries Kazakhstan,
# Kyrgyzstan and Uzbekistan", "중앙아시아 국가들(카자흐스탄·우즈베키스탄)".
_APPOSITION = re.compile(r"\s*[(:,\u2013\u2014-]?\s*")
_LIST_JOIN = re.compile(r"\s*(?:[,;·/&]|\band\b|\bor\b|(?<!\w)и(?!\w)|과|와|및)?\s*(?:and\s+)?")


def _listed_after(vocab: Vocabulary, reading: Reading, group: Hit) -> list[str]:
    """The states a group word is followed by, as their list: only those are named."""
    text = reading.sentences[group.sentence][1]
    states = sorted(
        (hit.start, hit.end, hit.term.key)
        for hit in reading.hits
        if hit.sentence == group.sentence
        and hit.term.target == "country"
        and hit.term.key in vocab.central_asia
        and hit.start >= group.end
    )
    listed: list[str] = []
    position = group.end
    for start, end, code in states:
        join = _LIST_JOIN if listed else _APPOSITION
        if not join.fullmatch(text[position:start]):
            break
        if code not in listed:
            listed.append(code)
        position = end
    return listed


# The family name of the Central Asia + partner formats, in Latin or Cyrillic letters.
_PLUS_ONE = re.compile(r"[CcСс]5\s*\+\s*1")
_PLUS_AFTER = re.compile(r"\s*\+\s*(?P<next>[^\W_][\w.-]*)")


def _half_a_formats_name(vocab: Vocabulary, text: str, end: int) -> bool:
    """Whether the group word ending at `end` is the first half of a format's name.

    "The C5+K summit", "C5+EU", "C5+Japan": the five and a partner, the
    partner's format, not the five. "C5+ diplomacy", "the C5+ formula" and
    "a C5+Azerbaijan format" Azerbaijan has no format of are the five, and the
    formats they hold.
    """
    plus = _PLUS_AFTER.match(text, end)
    if plus is None:
        return False
    following = plus["next"]
    if following[0].isdigit() or (len(following) == 1 and following.isupper()):
        return True
    partners = set(vocab.framework_partners.values())
    return any(
        term.target == "country" and term.key in partners and term.accepts(found.group())
        for found in vocab.pattern.finditer(following)
        for term in vocab.lookup(found.group())
    )


# "The 'Italy – Central Asia' conference on the C5+1 format", "... (in the C5+1 format)":
# the family's name as the label of a format named before it, not joined to it as another
# ("both the C5+1 format and the Italy – Central Asia conference").
_FORMAT_AFTER = re.compile(r"['\"»”]?\s*(?:format|formula|model)\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:on|in|under|within|of)\s+|\(\s*)(?:the\s+)?['\"«“]?\s*$", re.IGNORECASE
)


# A group word that counts the states ("the five Central Asian states", "5개국",
# "пяти стран") names each of them.
_FIVE = re.compile(r"five|(?<!\d)5(?!\d)|다섯|пят|C5", re.IGNORECASE)
# "A trip to 3 Central Asian nations", "two Central Asian states", "several Central Asian
# countries": some of the five, which ones the text says elsewhere (or, listed right
# after, there).
_SOME_OF_THE_FIVE = re.compile(
    r"(?<![\w.,])(?P<number>[2-4]|two|three|four|several|some|a\s+few|both|a\s+number\s+of)"
    r"(?:\s+of\s+the)?(?:\s+(?:other|fellow|neighbouring|neighboring|resource-rich))?\s+$",
    re.IGNORECASE,
)
# "On March 4 Central Asian ministers", "No. 3": a figure that counts nothing.
_NOT_A_COUNT = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?|\bNo\.?)\s*$",
    re.IGNORECASE,
)


def _some_of_the_five(before: str) -> bool:
    """Whether the words before a group word count fewer than the five."""
    some = _SOME_OF_THE_FIVE.search(before)
    if some is None:
        return False
    return not (some["number"][0].isdigit() and _NOT_A_COUNT.search(before[: some.start()]))


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


def named_as_members(vocab: Vocabulary, reading: Reading, venues: Collection[str] = ()) -> set[str]:
    """Member states the text names only where it tells what their bloc is made of.

    "The GCC comprises Saudi Arabia, Kuwait and four others" says who the Gulf
    Cooperation Council is, not that Kuwait took part in anything. Nor does a
    city that hosted a meeting the article does not cover ("the first summit
    was held in Jeddah", in a piece on the second): of the cities, only the
    `venues` of the meetings it covers seat their country.
    """
    sentences: dict[str, set[int]] = defaultdict(set)
    for hit in reading.hits:
        if hit.term.target != "country":
            continue
        if hit.term.kind == "place" and vocab.city_key(hit.matched) not in venues:
            continue
        sentences[hit.term.key].add(hit.sentence)
    composition = {i for i, (_, text) in enumerate(reading.sentences) if _COMPOSITION.search(text)}
    listed = set()
    for bloc, members in vocab.bloc_members.items():
        told = composition & sentences.get(bloc, set())
        for code in members:
            if sentences.get(code) and sentences[code] <= told:
                listed.add(code)
    return listed
