"""Dates (`dates`), numbers and levels (`editions`) and places in a sentence, and the summits
they point to."""

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from ..models import Summit
from .dates import DateCue, dates
from .editions import EditionCue, edition_numbers, levels_named, meeting_levels, read_editions
from .reading import Reading
from .tally import Words
from .vocabulary import SummitFacts, Vocabulary
from .weights import CUE_WEIGHTS, RELEVANCE, SUMMIT_THRESHOLD, THRESHOLD


def _date_score(cue: DateCue, facts: SummitFacts) -> tuple[float, str]:
    if cue.months:
        # A span says a meeting fell in it, as a year does, not which.
        return (CUE_WEIGHTS["year"], "span") if facts.months & set(cue.months) else (0.0, "")
    if cue.month and cue.days:
        wanted = {(cue.month, n) for n in cue.days}
        if cue.year and {(cue.year, month, day) for month, day in wanted} & facts.days:
            return CUE_WEIGHTS["day"], "date"
        if not cue.year and wanted & {(month, day) for _, month, day in facts.days}:
            return CUE_WEIGHTS["month_day"], "day"
    if cue.exact:
        # A summit known only by its month is any day of it: "from Friday to Monday"
        # falls in the August a cancelled summit was planned for.
        if not facts.days and cue.days and (cue.year, cue.month) in facts.months:
            return CUE_WEIGHTS["month"], "month"
        return 0.0, ""
    if cue.year and cue.month:
        # "In May 2023" dates May: no cue for a meeting in February of that year.
        if (cue.year, cue.month) in facts.months:
            return CUE_WEIGHTS["month"], "month"
        return 0.0, ""
    if cue.year and cue.year in {year for year, _ in facts.months}:
        return CUE_WEIGHTS["year"], "year"
    return 0.0, ""


@dataclass
class _SentenceCues:
    dates: list[DateCue]
    editions: list[EditionCue]
    levels: set[str]
    # folded city -> (as written, named as a venue)
    cities: dict[str, tuple[str, bool]]
    # Every level the sentence names (a title before a name aside), before a summit claims
    # the sentence for the leaders.
    named_levels: set[str] = field(default_factory=set)
    # The meetings the sentence gives the full date of.
    fully_dated: tuple[SummitFacts, ...] = ()

    @property
    def points_somewhere(self) -> bool:
        return bool(self.dates or self.editions or self.cities)


def _cues(
    vocab: Vocabulary,
    sentence: str,
    cities: list[tuple[str, bool]],
    published: datetime.date | None = None,
    written: str | None = None,
    year_before: int | None = None,
    headline: bool = False,
) -> _SentenceCues:
    levels = meeting_levels(sentence)
    found_editions = read_editions(vocab, sentence, written, levels)
    named_cities: dict[str, tuple[str, bool]] = {}
    for city, venue in cities:
        key = vocab.city_key(city)
        named_cities[key] = (city, venue or named_cities.get(key, ("", False))[1])
    found = dates(sentence, published, written, year_before, headline)
    named_levels = levels_named(sentence)
    with_days = [cue for cue in found if cue.days]
    fully_dated = tuple(
        facts
        for facts in (vocab.summits.values() if with_days else ())
        if any(_date_score(cue, facts)[1] == "date" for cue in with_days)
    )
    return _SentenceCues(
        dates=found,
        editions=found_editions,
        levels=levels,
        cities=named_cities,
        named_levels=named_levels,
        fully_dated=fully_dated,
    )


def _summit_cue_score(
    vocab: Vocabulary,
    cues: _SentenceCues,
    facts: SummitFacts,
    near: bool = True,
    far_ahead: bool = False,
    covered: Collection[int] = (),
    taken: Collection[str] = (),
    far_behind: bool = False,
) -> tuple[float, list[str]]:
    score, notes = 0.0, []
    best_date, best_cue = max(
        (((*_date_score(cue, facts), cue.text), cue) for cue in cues.dates),
        key=lambda item: item[0],
        default=((0.0, "", ""), None),
    )
    if best_date[1] in ("year", "span") and not near:
        # A bare year away from the framework's name is background ("since 2015").
        best_date = (0.0, "", "")
    other_level = bool(cues.named_levels) and facts.level not in cues.named_levels
    if best_date[1] in ("year", "span") and other_level:
        # "In 2023, the C5+1 presidents met in New York": the year of a leaders' meeting
        # is no cue for the ministers' of that year, as a place is not (below).
        best_date = (0.0, "", "")
    elif best_date[1] == "month" and other_level and _met_at(vocab, cues, facts, best_cue):
        # So is a month the format met in at the level named. In a month it met in only
        # at another level ("In February 2023 the C5+1 met in Astana to prepare the
        # first presidential summit"), the leaders' word is not the meeting's.
        best_date = (0.0, "", "")
    if best_date[0]:
        score += best_date[0]
        notes.append(f"{best_date[1]} “{best_date[2]}”")
    # A city named as a government ("talks with Seoul") is no place of meeting.
    city = next((c for c in cues.cities if c in facts.cities and cues.cities[c][1]), None)
    if far_ahead or city in taken:
        # Formats meet every year or two: an article cannot know the place or the
        # number of a meeting further ahead than that, only a date it gives. Nor is a
        # place `taken` by another format's meeting the article covers this one's.
        city = None
    if far_behind and not _dated_or_numbered(cues, facts):
        # Nor, undated in a headline, a place the format met in years before the article:
        # "the C5+1 ministerial in Samarkand" in 2023 is that year's, not the one of 2015.
        city = None
    # So is a city where the format met at another level than the sentence speaks of:
    # "the summit in New Delhi" is not the ministerial held there.
    placed = None
    if city and (not cues.levels or facts.level in cues.levels):
        written, _venue = cues.cities[city]
        # A city the framework met in more than once says less about which meeting,
        # unless the sentence dates or numbers one of them: the place is that one's.
        same_place = [
            other
            for other in vocab.summits_by_city.get((facts.framework, city), [facts])
            if not cues.levels or other.level in cues.levels
        ]
        dated = [other for other in same_place if _dated_or_numbered(cues, other)]
        if not dated:
            # "The Tokyo Declaration", in a piece on the Tokyo summit of 2025: the place
            # is that meeting's, not the ministers' of 2006 there.
            dated = [other for other in same_place if other.summit.pk in covered]
        if not dated or facts in dated:
            score += CUE_WEIGHTS["city"] / max(len(dated or same_place), 1)
            notes.append(f"place “{written}”")
            placed = city
    numbered = None if far_ahead else next((c for c in cues.editions if c.fits(facts)), None)
    if numbered:
        score += CUE_WEIGHTS["edition"]
        notes.append(f"number “{numbered.text}”")
    if not score:
        return 0.0, []
    if not best_date[0] and _dated_meeting_explains(cues, facts, placed, numbered):
        # "The inaugural meeting ... on 13 January 2019 in Samarkand": a sentence whose
        # full date is another meeting of the format's numbers and places that one.
        return 0.0, []
    if cues.dates and not best_date[0]:
        # The sentence dates what it describes, and the date is not this summit's.
        score -= CUE_WEIGHTS["other_date"]
    if facts.level in cues.levels and len(cues.levels) == 1:
        score += CUE_WEIGHTS["level"]
    elif cues.levels and facts.level not in cues.levels and facts.level != Summit.Level.OTHER:
        score -= CUE_WEIGHTS["level"]
    return score, notes


def _met_at(vocab: Vocabulary, cues: _SentenceCues, facts: SummitFacts, cue: DateCue) -> bool:
    """Whether the format met at a level the sentence names on the date `cue` gives."""
    return any(
        other.framework == facts.framework
        and other.level in cues.named_levels
        and _date_score(cue, other)[0]
        for other in vocab.summits.values()
    )


def _dated_meeting_explains(
    cues: _SentenceCues,
    facts: SummitFacts,
    city: str | None,
    numbered: EditionCue | None,
) -> bool:
    """Whether another meeting of the format, which the sentence fully dates, has the place
    and the number that point to this one.

    "The inaugural meeting ... was held in Samarkand on 13 January 2019": the number
    is the dated meeting's. "The second summit was held in Dushanbe on 9 October 2025,
    three years after the first in Astana": the first, and Astana, are not the second's.
    """
    return any(
        other.framework == facts.framework
        and other is not facts
        and (city is None or city in other.cities)
        and (numbered is None or numbered.fits(other))
        for other in cues.fully_dated
    )


def _dated_or_numbered(cues: _SentenceCues, facts: SummitFacts) -> bool:
    return any(_date_score(cue, facts)[0] for cue in cues.dates) or any(
        cue.fits(facts) for cue in cues.editions
    )


# A summit over this long before the article, recalled only in its body,
# counts this much, and at most as much as half a suggestion: the article is
# about something since, and background is mentioned, never suggested.
BACKGROUND_AFTER = datetime.timedelta(days=90)
BACKGROUND = 0.5


def _long_before(facts: SummitFacts, published: datetime.date) -> bool:
    if facts.days:
        last = max(datetime.date(*day) for day in facts.days)
    elif facts.months:
        year, month = max(facts.months)
        last = datetime.date(year, month, 28)
    else:
        return False
    return last < published - BACKGROUND_AFTER


@dataclass(frozen=True)
class _Story:
    """What the headline says the story is: the formats it speaks of, and the meeting's level."""

    formats: frozenset[str]
    level: str | None
    # The meeting numbers it gives ("Rome hosts 3rd Central Asia–Italy summit").
    numbers: frozenset[int] = frozenset()


def _story(vocab: Vocabulary, reading: Reading, words: Words, headline: set[int]) -> _Story:
    formats = {slug for slug, where in words.framework_sentences.items() if where & headline}
    partners = {code: slug for slug, code in vocab.framework_partners.items()}
    for i in headline:
        named = words.sentence_countries.get(i, set())
        formats |= {partners[code] for code in named if code in partners}
    text = " ".join(reading.sentences[i][1] for i in sorted(headline))
    levels = meeting_levels(text)
    numbers = edition_numbers(text)
    return _Story(
        frozenset(formats), next(iter(levels)) if len(levels) == 1 else None, frozenset(numbers)
    )


def _aside(
    vocab: Vocabulary, facts: SummitFacts, published: datetime.date, story: _Story, words: Words
) -> bool:
    """A meeting held before the article, beside the one its headline speaks of.

    A piece whose headline names a format's summit recalls the ministers'
    meeting that prepared it; one whose headline speaks of Germany and Central
    Asia recalls, without naming it, the format the US met the five in.

    A headline that numbers a meeting no meeting at its level has ("Rome hosts
    3rd Central Asia–Italy summit", after two ministerials) speaks of the one
    at the other level with that number, whatever it calls it.
    """
    held = max((datetime.date(*day) for day in facts.days), default=None)
    if held is None or held >= published or not story.formats:
        return False
    if facts.framework in story.formats:
        if story.level is None or facts.level == story.level:
            return False
        return facts.edition not in story.numbers or any(
            other.framework == facts.framework
            and other.level == story.level
            and other.edition == facts.edition
            for other in vocab.summits.values()
        )
    return facts.framework not in words.named_frameworks


# "Ahead of", "preparing for", "the preparations for": what a meeting readies.
_PREPARING = re.compile(
    r"\b(?:ahead\s+of|on\s+the\s+eve\s+of|in\s+the\s+run-up\s+to|in\s+preparation\s+for"
    r"|prepar(?:e|es|ed|ing|ations?)\s+(?:for|the)|paving\s+the\s+way\s+for)\b",
    re.IGNORECASE,
)
# Who readies it, written before those words: the ministers (or top diplomats) whose
# meeting the story covers, or that meeting. An envoy or a minister sent to prepare a
# summit is part of its story; "ahead of the meeting" names the summit itself.
_PREPARERS = re.compile(
    r"\b(?:ministers|ministerial|top\s+diplomats|(?:the|this)\s+(?:meeting|gathering|session)"
    r"(?=\s+(?:is|was|are|were|will)\b))",
    re.IGNORECASE,
)


def _prepared_for(text: str, facts: SummitFacts, published: datetime.date | None) -> bool:
    """Whether the sentence has ministers, or their meeting, ready a summit still to come."""
    if published is None or facts.level != "heads_of_state" or not facts.days:
        return False
    if min(datetime.date(*day) for day in facts.days) <= published:
        return False
    preparing = _PREPARING.search(text)
    return bool(preparing and _PREPARERS.search(text, 0, preparing.start()))


# The longest a format waits between meetings: further ahead, a meeting is not yet set.
AHEAD_AT_MOST = datetime.timedelta(days=2 * 365)


def _long_ago(facts: SummitFacts, published: datetime.date) -> bool:
    last = max((datetime.date(*day) for day in facts.days), default=None)
    if last is None and facts.months:
        last = datetime.date(*max(facts.months), 28)
    return last is not None and last < published - AHEAD_AT_MOST


def _long_after(facts: SummitFacts, published: datetime.date) -> bool:
    first = min((datetime.date(*day) for day in facts.days), default=None)
    if first is None and facts.months:
        first = datetime.date(*min(facts.months), 1)
    return first is not None and first > published + AHEAD_AT_MOST


def find_summits(
    vocab: Vocabulary,
    reading: Reading,
    words: Words,
    published: datetime.date | None = None,
    beside: Collection[str] = (),
) -> list[tuple[SummitFacts, float, tuple[str, ...]]]:
    """Summits named by their framework (or partner) and a date, place or number.

    With the publication date, "on Thursday" or "last month" are dates too.
    The meetings of the formats `beside` the story
    (`descriptions.formats_beside_the_story`) are background wherever their
    cues are.
    """
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
    story = _story(vocab, reading, words, headline)
    cues = []
    # The year the text named last, for "that year" in a later sentence.
    year_before = None
    for i, (_, text) in enumerate(reading.sentences):
        found = _cues(
            vocab,
            text,
            reading.cities.get(i, []),
            published,
            reading.written[i] if i < len(reading.written) else None,
            year_before,
            i in headline,
        )
        if found.points_somewhere:
            cues.append((i, found))
        written_years = [cue for cue in found.dates if cue.year and not cue.exact and cue.span]
        if written_years:
            year_before = max(written_years, key=lambda cue: cue.span[0]).year
    # The frameworks each sentence names (or describes): its cues are theirs.
    sentence_frameworks: dict[int, set[str]] = {}
    for slug, sentences in words.framework_sentences.items():
        for i in sentences:
            sentence_frameworks.setdefault(i, set()).add(slug)
    all_partners = set(vocab.framework_partners.values())

    def score(facts: SummitFacts, covered: Collection[int]) -> tuple[float, tuple[str, ...]]:
        partner = vocab.framework_partners.get(facts.framework)
        named = words.framework_sentences.get(facts.framework, set())
        best, notes, where = 0.0, (), None
        far_ahead = published is not None and _long_after(facts, published)
        far_behind = published is not None and _long_ago(facts, published)
        for i, sentence_cues in cues:
            if facts.framework not in sentence_frameworks.get(i, {facts.framework}):
                # "Beijing held the first such summit in 2023": another framework's date.
                continue
            same_part = i > 0 and reading.sentences[i - 1][0] == reading.sentences[i][0]
            near = bool(
                i in named or (same_part and i - 1 in named) or (i in headline and named & headline)
            )
            if facts.framework in beside and i in headline:
                # "Japan and Uzbekistan hold first strategic dialogue": a bilateral
                # headline numbers, dates and places the two states' meeting.
                continue
            partners_named = words.sentence_countries.get(i, set()) & all_partners
            if not near and partners_named and partner not in partners_named:
                # "Xi invites the region's leaders to a first summit in China": a sentence
                # that names another format's partner, and no format, numbers its meetings.
                continue
            taken: Collection[str] = ()
            if near:
                relevance = RELEVANCE["near"]
            elif partner in words.sentence_countries.get(i, ()):
                relevance = max(RELEVANCE["partner"], article_relevance.get(facts.framework, 0.0))
            else:
                relevance = article_relevance.get(facts.framework, 0.0)
                # "The summit in Astana", in a piece on another format's meeting there,
                # names neither this format nor its partner: the place is that meeting's.
                taken = {
                    city
                    for pk in covered
                    if vocab.summits[pk].framework != facts.framework
                    for city in vocab.summits[pk].cities
                }
            if not relevance:
                continue
            raw, why = _summit_cue_score(
                vocab,
                sentence_cues,
                facts,
                near,
                far_ahead,
                covered,
                taken,
                # The headline tells the news: recalled in the body, the old meeting is
                # background, which the cap below keeps shown, never offered.
                far_behind and i in headline,
            )
            if raw and _prepared_for(reading.sentences[i][1], facts, published):
                # "The ministers discussed the preparations for the first EU-Central Asia
                # Summit on 4 April": the story is their meeting; the summit is to come.
                raw = min(raw * BACKGROUND, SUMMIT_THRESHOLD * BACKGROUND / relevance)
            if raw * relevance > best:
                best, notes, where = raw * relevance, tuple(why), i
        if best > 0 and (
            facts.framework in beside
            or (
                published is not None
                and where not in headline
                and (
                    _long_before(facts, published) or _aside(vocab, facts, published, story, words)
                )
            )
        ):
            # Recalled in the text, months before the article or beside the meeting
            # it covers, or a format a bilateral story sets its visit beside: background.
            best = min(best * BACKGROUND, SUMMIT_THRESHOLD * BACKGROUND)
        return best, notes

    scored = {pk: score(facts, ()) for pk, facts in vocab.summits.items()}
    # A place the format met in more than once, in a sentence that dates none of its
    # meetings there, is the place of the meeting the article covers.
    covered = {pk for pk, (best, _) in scored.items() if best >= SUMMIT_THRESHOLD}
    if covered:
        scored = {pk: score(facts, covered) for pk, facts in vocab.summits.items()}
    found = [
        (vocab.summits[pk], round(best, 2), notes)
        for pk, (best, notes) in scored.items()
        if best > 0
    ]
    return sorted(found, key=lambda item: (-item[1], str(item[0].summit)))
