"""`suggest_tags()`: a text read, tallied and ranked into countries, frameworks and summits."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import Country, Framework, Summit
from .descriptions import describe_frameworks
from .reading import read
from .summit_cues import find_summits
from .tally import Tally, lend_from_summit, tally_words
from .text import plain_text
from .vocabulary import vocabulary
from .weights import (
    FRAMEWORK_TO_MEMBERS,
    PARTNER_TO_FRAMEWORK,
    SUMMIT_THRESHOLD,
    SUMMIT_TO_FRAMEWORK,
    SUMMIT_TO_PARTICIPANTS,
    TAGGED_SUMMIT_FRAMEWORK,
    TAGGED_SUMMIT_PARTICIPANT,
    THRESHOLD,
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

    # A framework named once counts for more when the article covers its partner.
    for slug, tally in frameworks.items():
        partner = countries.get(vocab.framework_partners.get(slug, ""))
        if partner is not None and partner.direct >= THRESHOLD:
            tally.lend(PARTNER_TO_FRAMEWORK * partner.direct, "its partner is covered")

    found_summits = find_summits(vocab, reading, words, published)
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
    for slug, tally in list(frameworks.items()):
        if slug in vocab.frameworks:
            name, share = vocab.frameworks[slug].short_name, FRAMEWORK_TO_MEMBERS * tally.score
            partner = vocab.framework_partners.get(slug)
            for code in {*vocab.framework_members.get(slug, ()), *([partner] if partner else [])}:
                countries[code].lend(
                    share, f"{'partner in' if code == partner else 'member of'} {name}"
                )

    # The journal's beat is the five; a partner bloc's members (the EU's, the
    # GCC's) are tagged only when the text names them, so what the bloc's
    # framework or summits lend a member the text does not name does not count.
    region, partners = set(vocab.central_asia), set(vocab.framework_partners.values())
    for members in vocab.bloc_members.values():
        # Germany is an EU member, and the partner of its own framework too.
        for code in set(members) - region - partners:
            if code in countries and not countries[code].direct:
                countries[code].lent.clear()

    return Suggestions(
        countries=_ranked(vocab.countries, countries, THRESHOLD),
        frameworks=_ranked(vocab.frameworks, frameworks, THRESHOLD),
        summits=[
            Suggestion(facts.summit, round(score, 2), notes, score >= SUMMIT_THRESHOLD)
            for facts, score, notes in found_summits
        ],
    )


def _ranked(records: dict, tallies: dict[str, Tally], threshold: float) -> list:
    found = [
        Suggestion(records[key], round(tally.score, 2), tally.evidence(), tally.score >= threshold)
        for key, tally in tallies.items()
        if key in records and tally.score > 0
    ]
    return sorted(found, key=lambda s: (-s.score, str(s.obj)))
