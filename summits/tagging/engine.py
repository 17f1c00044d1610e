"""`suggest_tags()`: a text read, tallied and ranked into countries, frameworks and summits."""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Country, Framework, Summit
from .descriptions import (
    describe_frameworks,
    formats_beside_the_story,
    names_a_meeting,
    proposes_a_meeting,
    visit_destinations,
)
from .reading import Reading, read
from .summit_cues import find_summits
from .tally import Tally, Words, lend_from_summit, named_as_members, tally_words
from .text import plain_text
from .vocabulary import Vocabulary, vocabulary
from .weights import (
    FRAMEWORK_TO_MEMBERS,
    PARTNER_TO_FRAMEWORK,
    SUMMIT_THRESHOLD,
    SUMMIT_TO_FRAMEWORK,
    SUMMIT_TO_PARTICIPANTS,
    TAGGED_SUMMIT_FRAMEWORK,
    TAGGED_SUMMIT_PARTICIPANT,
    THRESHOLD,
    VISIT_DESTINATION,
)


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


def suggest_tags(
    *,
    title: str,
    standfirst: str = "",
    body: str = "",
    summits: Iterable[Summit | int] = (),
    published: datetime.date | None = None,
) -> Suggestions:
    """Countries, frameworks and summits the text covers, best first.

    `body` may be HTML. `summits` are the summits already tagged (records or
    primary keys): their frameworks and participants are suggested too.
    `published` is when the article appeared (or is to): "on Thursday",
    "yesterday" and "last week" are read against it.

    Words come from the record itself (names, official names, capitals,
    summit cities, framework aliases, in English, Korean and Russian) and
    from `lexicon` (short forms, demonyms, cities, office holders, false
    friends); a Russian word is matched with its case endings (`inflection`). A word in the headline
    weighs three times a word in the body, the standfirst twice, and each
    repetition in the same part counts less than the one before.

    A framework lends part of its score to its partner and members; a summit
    is recognised from its framework (or partner) next to a date, a year, its
    city or its number ("the second summit") in the same sentence. Summits
    already tagged lend their framework and participants a score above the
    threshold.
    """
    if isinstance(published, datetime.datetime):
        published = published.date()
    vocab = vocabulary()
    reading = read(
        vocab,
        {
            "title": plain_text(title),
            "standfirst": plain_text(standfirst),
            "body": plain_text(body),
        },
    )
    words = tally_words(vocab, reading)
    describe_frameworks(vocab, reading, words)
    countries, frameworks = words.countries, words.frameworks
    for code in visit_destinations(vocab, reading, published):
        countries[code].lend(VISIT_DESTINATION, "where the visit goes")

    # A framework named once counts for more when the article covers its partner.
    # Not one only described: the description is made of the partner's name, and
    # "Beijing held a summit with the five" in a piece on China is background.
    # Nor one a bilateral story names only after its lead: the visit is set beside it.
    beside = formats_beside_the_story(vocab, reading, words, published)
    for slug, tally in frameworks.items():
        partner = countries.get(vocab.framework_partners.get(slug, ""))
        if (
            partner is not None
            and partner.direct >= THRESHOLD
            and slug in words.named_frameworks
            and slug not in beside
        ):
            tally.lend(PARTNER_TO_FRAMEWORK * partner.direct, "its partner is covered")

    found_summits = find_summits(vocab, reading, words, published, beside=beside)
    tagged = {item if isinstance(item, int) else item.pk for item in summits}
    for facts, score, _ in found_summits:
        # A tagged summit lends its own, larger share below.
        if score >= SUMMIT_THRESHOLD and facts.summit.pk not in tagged:
            lend_from_summit(
                facts,
                countries,
                frameworks,
                score * SUMMIT_TO_FRAMEWORK,
                score * SUMMIT_TO_PARTICIPANTS,
                "",
                "took part in",
                members=[
                    *vocab.framework_members.get(facts.framework, ()),
                    vocab.framework_partners.get(facts.framework, ""),
                ],
            )
    for pk in sorted(tagged):
        if pk in vocab.summits:
            lend_from_summit(
                vocab.summits[pk],
                countries,
                frameworks,
                TAGGED_SUMMIT_FRAMEWORK,
                TAGGED_SUMMIT_PARTICIPANT,
                "tagged ",
                "at tagged summit:",
            )
    # The five are in a format for its meetings: its name lends them a share when
    # the article covers one (a bilateral visit that names the format, a talk on
    # what the format has done, is about the states it names); the partner is the
    # format's other side whatever the article covers.
    met = {facts.framework for facts, score, _ in found_summits if score >= SUMMIT_THRESHOLD}
    met |= {vocab.summits[pk].framework for pk in tagged if pk in vocab.summits}
    # A headline naming the format's meeting ("Korea–Central Asia summit held")
    # covers one, whether or not the record holds it yet. One proposing it
    # ("Tokayev supports holding the first Korea summit", "정상회의 창설") covers
    # none yet: the five are at no table, and are shown on its account, not offered.
    headline = {
        i
        for i, (zone, text) in enumerate(reading.sentences)
        if zone != "body" and names_a_meeting(text)
    }
    proposed = {i for i in headline if proposes_a_meeting(reading.sentences[i][1])}
    met |= {
        slug for slug, where in words.framework_sentences.items() if where & (headline - proposed)
    }
    announced = {slug for slug, where in words.framework_sentences.items() if where & proposed}
    announced -= met
    announced_shares: dict[str, float] = defaultdict(float)
    for slug, tally in list(frameworks.items()):
        if slug in vocab.frameworks:
            name, share = vocab.frameworks[slug].short_name, FRAMEWORK_TO_MEMBERS * tally.score
            partner = vocab.framework_partners.get(slug)
            for code in {*vocab.framework_members.get(slug, ()), *([partner] if partner else [])}:
                if code != partner and slug not in met | announced:
                    continue
                if code != partner and slug in announced:
                    announced_shares[code] += share
                countries[code].lend(
                    share, f"{'partner in' if code == partner else 'member of'} {name}"
                )

    # The journal's beat is the five; a partner bloc's members (the EU's, the
    # GCC's) are tagged only when the text names them, so what the bloc's
    # framework or summits lend a member the text does not name does not count.
    # A member named only where the text says what its bloc is made of ("the GCC
    # comprises Saudi Arabia, Kuwait ..."), or by a city that hosted a meeting the
    # article does not cover ("the first was held in Jeddah"), is not named as
    # taking part either.
    region, partners = set(vocab.central_asia), set(vocab.framework_partners.values())
    covered = [facts for facts, score, _ in found_summits if score >= SUMMIT_THRESHOLD]
    covered += [vocab.summits[pk] for pk in tagged if pk in vocab.summits]
    listed = named_as_members(vocab, reading, {city for facts in covered for city in facts.cities})
    for members in vocab.bloc_members.values():
        # Germany is an EU member, and the partner of its own framework too.
        for code in set(members) - region - partners:
            if code in countries and (not countries[code].direct or code in listed):
                countries[code].lent.clear()

    if words.region_as_whole and met:
        # "The Central Asian states" at a format's meeting are the five at its table.
        words.seat_the_five(vocab)
    if words.region_as_whole:
        # The text speaks of the region, not of its states: what formats and
        # meetings lend each of the five goes to the region's record, once.
        shares = max((countries[code].lent for code in vocab.central_asia), key=len)
        countries[words.region_as_whole].lent.extend(shares)
        for code in vocab.central_asia:
            countries.pop(code, None)

    return Suggestions(
        countries=_ranked(
            vocab.countries,
            countries,
            THRESHOLD,
            passing=frozenset(
                _named_in_passing(vocab, reading, words, frameworks, found_summits, tagged)
                | {
                    code
                    for code, share in announced_shares.items()
                    if countries[code].score - share < THRESHOLD
                }
            ),
        ),
        # A format a bilateral story sets its visit beside is shown, never offered.
        frameworks=_ranked(vocab.frameworks, frameworks, THRESHOLD, passing=frozenset(beside)),
        summits=[
            Suggestion(facts.summit, round(score, 2), notes, score >= SUMMIT_THRESHOLD)
            for facts, score, notes in found_summits
        ],
    )


def _named_in_passing(
    vocab: Vocabulary,
    reading: Reading,
    words: Words,
    frameworks: dict[str, Tally],
    found_summits: list,
    tagged: set[int],
) -> set[str]:
    """Countries from outside the table of the meeting the article covers, named in its body.

    An article on a format's meeting is about those at the table: the five,
    the partner, the participants. Afghanistan discussed at an India–Central
    Asia summit, France recalled beside Germany's visit, Russia named beside
    Korea's plans: the body names them in passing, however often. Without a
    covered format there is no table, and a country named in the body may be
    the subject ("Uzbek garments for the European Union"). A country whose
    minister or leader the text says is invited ("the Afghan foreign minister
    has also been invited", "as a guest of honour") is at the table as a guest,
    unless the sentence says it is invited to something else ("to a separate
    conference", "a guest of honour at the forum in May").
    """
    covered = {slug for slug, tally in frameworks.items() if tally.score >= THRESHOLD}
    if not covered:
        return set()
    table = set(vocab.central_asia) | ({words.region_as_whole} - {None})
    for slug in covered:
        table |= {*vocab.framework_members.get(slug, ()), vocab.framework_partners.get(slug, "")}
    for facts, score, _ in found_summits:
        if score >= SUMMIT_THRESHOLD or facts.summit.pk in tagged:
            table |= set(facts.participants)
    countries_in: dict[int, list] = defaultdict(list)
    for hit in reading.hits:
        if hit.term.target == "country":
            countries_in[hit.sentence].append(hit)
    for number, (_, text) in enumerate(reading.sentences):
        for guest in _GUEST.finditer(text):
            before = [hit for hit in countries_in.get(number, ()) if hit.end <= guest.start()]
            if before and _invited_to_the_meeting(text, guest.end()):
                table.add(max(before, key=lambda hit: hit.start).term.key)
    passing = set()
    for code, tally in words.countries.items():
        if code not in table and tally.words and set(tally.words) == {"body"}:
            passing.add(code)
    return passing


# "Has also been invited", "was invited", "as a guest of honour", "as a special guest":
# the one named before it is at the meeting, told in the words a guest is told in. The
# active voice ("Moscow has invited the five") tells of the one who invites.
_GUEST = re.compile(
    r"\b(?:(?:is|are|was|were|been|be)\s+(?:also\s+)?invited"
    r"|guests?\s+of\s+hono(?:u)?r"
    r"|as\s+(?:an?\s+)?(?:special\s+|honou?red\s+)?(?:guest|invitee)s?)\b",
    re.IGNORECASE,
)
# What a guest is invited to or is a guest at, where the sentence says: "to the summit",
# "for the session on connectivity", "to attend the meeting".
_INVITED_TO = re.compile(
    r"\s*(?:,\s*)?(?:to|at|for)\s+(?:(?:attend|join|take\s+part\s+in|participate\s+in)\s+)?",
    re.IGNORECASE,
)
# The meeting the article covers, spoken of as one already known: "the summit", "this
# week's meeting", "their consultations"; "a separate conference", "the Victory Day
# parade" or "the Astana International Forum" are something else.
_THE_MEETING = re.compile(
    r"(?:the|this|that|its|their)\s+(?:[a-z][\w'-]*\s+){0,2}?"
    r"(?:summit|meeting|talks|session|dialogue|gathering|ministerial|consultations?)s?\b"
)


def _invited_to_the_meeting(text: str, end: int) -> bool:
    """Whether what follows an invitation leaves it to the meeting covered.

    "The Afghan foreign minister has also been invited.", "invited to the
    summit", "as a special invitee for the session on connectivity": the
    meeting. "Invited to a separate conference in Termez", "a guest of honour at
    the Astana International Forum": another event, which makes no guest at
    this one's table.
    """
    to = _INVITED_TO.match(text, end)
    return to is None or bool(_THE_MEETING.match(text, to.end()))


def _ranked(
    records: dict,
    tallies: dict[str, Tally],
    threshold: float,
    passing: frozenset[str] = frozenset(),
) -> list:
    found = [
        Suggestion(
            records[key],
            round(tally.score, 2),
            tally.evidence(),
            tally.score >= threshold and key not in passing,
        )
        for key, tally in tallies.items()
        if key in records and tally.score > 0
    ]
    return sorted(found, key=lambda s: (-s.score, str(s.obj)))
