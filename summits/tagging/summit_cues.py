"""Dates, numbers, levels and places in a sentence, and the summits they point to."""

import datetime
import re
from dataclasses import dataclass

from ..models import Summit
from ..names import fold
from .reading import Reading
from .tally import Words
from .vocabulary import SummitFacts, Vocabulary
from .weights import CUE_WEIGHTS, RELEVANCE, THRESHOLD

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


@dataclass(frozen=True)
class _DateCue:
    text: str
    year: int | None
    month: int | None
    days: tuple[int, ...]
    # A day read from "on Thursday" names that day, not its month or year.
    exact: bool = False


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"(?<!\w)(?:(?P<weekday>(?:on\s+|last\s+|next\s+|this\s+)?(?:"
    + "|".join(_WEEKDAYS)
    + r"))|(?P<day>today|yesterday|tomorrow)|(?P<which>this|last|next)\s+week)"
    r"(?!\w)",
    re.IGNORECASE,
)


def _relative_dates(sentence: str, published: datetime.date) -> list[_DateCue]:
    """ "On Thursday", "last week", "this month": dates read against the publication date.

    A weekday is the nearest one before the publication or, said with
    "next", after it; news tells of the week's events in the past tense, and
    of the coming ones with "next" or "will". A week is read as its days.
    """
    found = []
    for match in _RELATIVE.finditer(sentence):
        text = match.group()
        days: list[datetime.date] = []
        if match["weekday"]:
            words = match["weekday"].lower().split()
            target = _WEEKDAYS.index(words[-1])
            back = (published.weekday() - target) % 7
            if words[0] == "last":
                back = back or 7  # "last Thursday", said on a Thursday: a week ago
            ahead = (target - published.weekday()) % 7 or 7
            if words[0] == "next" or " will " in f" {sentence.lower()} ":
                days.append(published + datetime.timedelta(days=ahead))
            if words[0] != "next":
                days.append(published - datetime.timedelta(days=back))
        elif match["day"]:
            shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[match["day"].lower()]
            days.append(published + datetime.timedelta(days=shift))
        else:
            step = {"this": 0, "last": -1, "next": 1}[match["which"].lower()]
            monday = published - datetime.timedelta(days=published.weekday())
            start = monday + datetime.timedelta(weeks=step)
            days += [start + datetime.timedelta(days=n) for n in range(7)]
        found += [_DateCue(text, day.year, day.month, (day.day,), exact=True) for day in days]
    return found


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
    if cue.exact:
        return 0.0, ""
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
    # folded city -> (as written, named as a venue)
    cities: dict[str, tuple[str, bool]]

    @property
    def points_somewhere(self) -> bool:
        return bool(self.dates or self.editions or self.cities)


def _cues(
    vocab: Vocabulary,
    sentence: str,
    cities: list[tuple[str, bool]],
    published: datetime.date | None = None,
) -> _SentenceCues:
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
            for term in vocab.terms.get(fold(found.group()), ())
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
        key = fold(city)
        named_cities[key] = (city, venue or named_cities.get(key, ("", False))[1])
    dates = _dates(sentence)
    if published is not None:
        dates += _relative_dates(sentence, published)
    return _SentenceCues(dates=dates, editions=editions, levels=levels, cities=named_cities)


def _summit_cue_score(
    vocab: Vocabulary, cues: _SentenceCues, facts: SummitFacts, near: bool = True
) -> tuple[float, list[str]]:
    score, notes = 0.0, []
    best_date = max(
        ((*_date_score(cue, facts), cue.text) for cue in cues.dates),
        default=(0.0, "", ""),
    )
    if best_date[1] == "year" and not near:
        # A bare year away from the framework's name is background ("since 2015").
        best_date = (0.0, "", "")
    if best_date[0]:
        score += best_date[0]
        notes.append(f"{best_date[1]} “{best_date[2]}”")
    # A city named as a government ("talks with Seoul") is no place of meeting.
    city = next((c for c in cues.cities if c in facts.cities and cues.cities[c][1]), None)
    if city:
        written, _venue = cues.cities[city]
        # A city the framework met in more than once says less about which meeting.
        same_place = [
            other
            for other in vocab.summits_by_city.get((facts.framework, city), [facts])
            if not cues.levels or other.level in cues.levels
        ]
        score += CUE_WEIGHTS["city"] / max(len(same_place), 1)
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


# A summit over this long before the article, recalled only in its body,
# counts this much: the article is about something since.
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


def find_summits(
    vocab: Vocabulary, reading: Reading, words: Words, published: datetime.date | None = None
) -> list[tuple[SummitFacts, float, tuple[str, ...]]]:
    """Summits named by their framework (or partner) and a date, place or number.

    With the publication date, "on Thursday" or "last month" are dates too.
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
    cues = [
        (i, found)
        for i, (_, text) in enumerate(reading.sentences)
        if (found := _cues(vocab, text, reading.cities.get(i, []), published)).points_somewhere
    ]
    # The frameworks each sentence names (or describes): its cues are theirs.
    sentence_frameworks: dict[int, set[str]] = {}
    for slug, sentences in words.framework_sentences.items():
        for i in sentences:
            sentence_frameworks.setdefault(i, set()).add(slug)
    found = []
    for facts in vocab.summits.values():
        partner = vocab.framework_partners.get(facts.framework)
        named = words.framework_sentences.get(facts.framework, set())
        best, notes, where = 0.0, (), None
        for i, sentence_cues in cues:
            if facts.framework not in sentence_frameworks.get(i, {facts.framework}):
                # "Beijing held the first such summit in 2023": another framework's date.
                continue
            same_part = i > 0 and reading.sentences[i - 1][0] == reading.sentences[i][0]
            near = bool(
                i in named or (same_part and i - 1 in named) or (i in headline and named & headline)
            )
            if near:
                relevance = RELEVANCE["near"]
            elif partner in words.sentence_countries.get(i, ()):
                relevance = max(RELEVANCE["partner"], article_relevance.get(facts.framework, 0.0))
            else:
                relevance = article_relevance.get(facts.framework, 0.0)
            if not relevance:
                continue
            raw, why = _summit_cue_score(vocab, sentence_cues, facts, near)
            if raw * relevance > best:
                best, notes, where = raw * relevance, tuple(why), i
        if (
            best > 0
            and published is not None
            and where not in headline
            and _long_before(facts, published)
        ):
            # Recalled in the text, months before the article: background.
            best *= BACKGROUND
        if best > 0:
            found.append((facts, round(best, 2), notes))
    return sorted(found, key=lambda item: (-item[1], str(item[0].summit)))
