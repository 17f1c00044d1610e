"""Dates (`dates`), numbers, levels and places in a sentence, and the summits they point to.

Numbers and levels are read in English, Korean and Russian: "the second
summit", "제2차 정상회의", "второй саммит"; "foreign ministers", "외교장관",
"министры иностранных дел".
"""

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from ..models import Summit
from .dates import DateCue, dates
from .reading import Reading
from .tally import Words
from .vocabulary import SummitFacts, Vocabulary
from .weights import CUE_WEIGHTS, RELEVANCE, SUMMIT_THRESHOLD, THRESHOLD

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
# Korean: "제2차 중국-중앙아시아 정상회의", "첫 정상회의", "2차 中·중앙아 정상회의".
_KO_ORDINALS = {"첫": 1, "최초": 1, "최초의": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}
_KO_ORDINALS |= {"여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_EDITION_KO = re.compile(
    r"(?<!\w)(?:제\s*(?P<number>\d{1,2})\s*(?:차|회)|(?P<bare>\d{1,2})\s*차"
    r"|(?P<word>첫|최초의?|(?:두|세|네|다섯|여섯|일곱|여덟|아홉|열)(?=\s*번째))(?:\s*번째)?)"
    r"(?![가-힣])\s*(?P<between>(?:[^\s.;:!?]+\s+){0,5}?)"
    r"(?P<noun>정상회의|정상회담|외교장관\s*회의|외무장관\s*회의|장관급?\s*회의|회의|회담|협의회|포럼|대화)"
)
# Russian: "второй саммит", "седьмой Консультативной встрече", "VII Консультативной
# встречи", "7-я встреча" (read folded: "первыи").
_RU_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7}
_RU_ORDINALS |= {"восьм": 8, "девят": 9, "десят": 10}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
_ROMAN |= {"X": 10}
_EDITION_RU = re.compile(
    r"(?<!\w)(?:(?P<word>перв|втор(?!ник)|трет|четверт|пят|шест|седьм|восьм|девят|десят)"
    r"(?:ого|ому|ыи|ии|ои|ая|ое|ом|ую|ые|ых|ья|ье|ьего|ьем|ьеи|ью|еи)"
    r"|(?P<number>\d{1,2})-(?:ого|го|ои|ом|ую|ыи|и|я|е)"
    r"|(?-i:(?P<roman>VIII|VII|VI|IV|IX|V|III|II|I|X)))\s+"
    r"(?P<between>(?:[^\s.;:!?]+\s+){0,5}?)"
    r"(?P<noun>саммит|встреч|заседани|совещани|форум|конференци|диалог|сесси)[а-я]*",
    re.IGNORECASE,
)
# A Korean or Russian noun, as the English one a numbered series is named by.
_NOUNS = {
    "정상회의": "summit",
    "정상회담": "summit",
    "외교장관회의": "meeting",
    "외무장관회의": "meeting",
    "장관회의": "meeting",
    "장관급회의": "meeting",
    "회의": "meeting",
    "회담": "meeting",
    "협의회": "meeting",
    "포럼": "forum",
    "대화": "dialogue",
    "саммит": "summit",
    "встреч": "meeting",
    "заседани": "meeting",
    "совещани": "meeting",
    "форум": "forum",
    "конференци": "conference",
    "диалог": "dialogue",
    "сесси": "session",
}
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

_LEADERS_KO = re.compile(r"정상|대통령|국가원수|총리|주석|수반")
_MINISTERS_KO = re.compile(r"장관|외무상")
_LEADERS_RU = re.compile(
    r"(?<!\w)(?:саммит|лидер|президент|глав[а-я]*\s+государств|канцлер|премьер"
    r"|на\s+высшем\s+уровне)",
    re.IGNORECASE,
)
_MINISTERS_RU = re.compile(
    r"(?<!\w)(?:(?<!премьер-)министр|министерск|глав[а-я]*\s+мид(?!\w))", re.IGNORECASE
)
# A summit is the leaders' meeting, whoever else the sentence names ("the
# minister's envoys prepare next year's summit"), unless it speaks of a
# ministers' meeting too.
_SUMMIT_NOUN = re.compile(r"(?<!\w)summits?(?!\w)|정상회의|정상회담|(?<!\w)саммит", re.IGNORECASE)
_MINISTERS_MEETING = re.compile(
    r"(?<!\w)(?:ministerials?|(?:foreign )?ministers'? (?:meeting|conference|dialogue))(?!\w)"
    r"|장관\s*(?:급\s*)?회의|(?<!\w)(?:встреч|заседани|совещани)[а-я]*\s+(?:глав\s+)?мид"
    r"|(?<!\w)(?:встреч|заседани|совещани)[а-я]*\s+министр",
    re.IGNORECASE,
)
# "The first meeting of national security advisers", "deputy ministers' meeting",
# "제1차 안보실장 회의", "встреча секретарей советов безопасности": a meeting of another
# body than the leaders or the foreign ministers, whose number counts that body's
# meetings.
_BODY_EN = (
    r"(?:national\s+security\s+advis|NSAs?\b|security\s+council|secretar(?:y|ies)\s+of"
    r"\s+(?:the\s+)?security|deputy|vice[- ]|senior\s+officials|experts?\b"
    r"|national\s+coordinators|parliament|speakers\b|defen[cs]e\s+ministers)"
)
_BODY_KO_RU = (
    r"(?:안보실장|안보보좌관|차관|실무|전문가|국회|의회"
    r"|секретар[а-я]*\s+совет|замминистр|заместител|эксперт|парламент)"
)
_OTHER_BODY_IN = re.compile(f"{_BODY_EN}|{_BODY_KO_RU}", re.IGNORECASE)
_OTHER_BODY_AFTER = re.compile(
    rf"^\s+(?:of\s+(?:the\s+|their\s+)?{_BODY_EN}|{_BODY_KO_RU})", re.IGNORECASE
)
_LEVELS = (
    (_MINISTERS, Summit.Level.FOREIGN_MINISTERS),
    (_MINISTERS_KO, Summit.Level.FOREIGN_MINISTERS),
    (_MINISTERS_RU, Summit.Level.FOREIGN_MINISTERS),
    (_LEADERS, Summit.Level.HEADS_OF_STATE),
    (_LEADERS_KO, Summit.Level.HEADS_OF_STATE),
    (_LEADERS_RU, Summit.Level.HEADS_OF_STATE),
)


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
    dates: list[DateCue]
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
    written: str | None = None,
    year_before: int | None = None,
    headline: bool = False,
) -> _SentenceCues:
    editions = []
    levels = _levels(sentence)
    for match in [
        *_EDITION.finditer(sentence),
        *_EDITION_KO.finditer(sentence),
        *_EDITION_RU.finditer(sentence),
    ]:
        phrase = match.group("between") + match.group("noun")
        terms = [
            term
            for found in vocab.pattern.finditer(phrase)
            for term in vocab.lookup(found.group())
            if term.accepts(found.group())
        ]
        if any(
            term.target == "country" and term.kind != "place" and term.key in vocab.central_asia
            for term in terms
        ):
            # "The inaugural Japan–Uzbekistan strategic dialogue": a meeting named after one
            # of the five is that state's own, numbered among its own. A city's name is
            # not ("the first Astana consultative meeting" is the region's).
            continue
        level = next((level for pattern, level in _LEVELS if pattern.search(phrase)), None)
        if _OTHER_BODY_IN.search(phrase) or _OTHER_BODY_AFTER.search(sentence[match.end() :]):
            level = Summit.Level.OTHER
        elif level is None and len(levels) == 1:
            # "The first meeting" in a sentence about leaders is their first summit.
            (level,) = levels
        named = frozenset(term.key for term in terms if term.target == "framework")
        noun = re.sub(r"\s+", "", match.group("noun").lower()).removesuffix("s")
        noun = _NOUNS.get(noun, noun)
        text = (written or sentence)[match.start() : match.end()]
        editions.append(_EditionCue(_edition_number(match), level, noun, named, text))
    named_cities: dict[str, tuple[str, bool]] = {}
    for city, venue in cities:
        key = vocab.city_key(city)
        named_cities[key] = (city, venue or named_cities.get(key, ("", False))[1])
    found = dates(sentence, published, written, year_before, headline)
    return _SentenceCues(dates=found, editions=editions, levels=levels, cities=named_cities)


def _levels(sentence: str) -> set[str]:
    """The levels a sentence speaks of: leaders, ministers, or both."""
    levels = {level for pattern, level in _LEVELS if pattern.search(sentence)}
    if (
        len(levels) > 1
        and _SUMMIT_NOUN.search(sentence)
        and not _MINISTERS_MEETING.search(sentence)
    ):
        levels = {Summit.Level.HEADS_OF_STATE}
    return levels


def _edition_number(match: re.Match) -> int:
    parts = {name: value for name, value in match.groupdict().items() if value}
    if "ordinal" in parts:
        ordinal = parts["ordinal"].lower()
        return _ORDINALS.get(ordinal) or int(re.sub(r"\D", "", ordinal))
    if "roman" in parts:
        return _ROMAN[parts["roman"]]
    if "word" in parts:
        word = re.sub(r"\s+", "", parts["word"].lower())
        return _KO_ORDINALS.get(word) or _RU_ORDINALS[word]
    return int(parts.get("number") or parts["bare"])


def _summit_cue_score(
    vocab: Vocabulary,
    cues: _SentenceCues,
    facts: SummitFacts,
    near: bool = True,
    far_ahead: bool = False,
    covered: Collection[int] = (),
) -> tuple[float, list[str]]:
    score, notes = 0.0, []
    best_date = max(
        ((*_date_score(cue, facts), cue.text) for cue in cues.dates),
        default=(0.0, "", ""),
    )
    if best_date[1] in ("year", "span") and not near:
        # A bare year away from the framework's name is background ("since 2015").
        best_date = (0.0, "", "")
    if best_date[0]:
        score += best_date[0]
        notes.append(f"{best_date[1]} “{best_date[2]}”")
    # A city named as a government ("talks with Seoul") is no place of meeting.
    city = next((c for c in cues.cities if c in facts.cities and cues.cities[c][1]), None)
    if far_ahead:
        # Formats meet every year or two: an article cannot know the place or the
        # number of a meeting further ahead than that, only a date it gives.
        city = None
    # So is a city where the format met at another level than the sentence speaks of:
    # "the summit in New Delhi" is not the ministerial held there.
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
    edition = None if far_ahead else next((c.text for c in cues.editions if c.fits(facts)), None)
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
    levels = _levels(text)
    numbers = {
        _edition_number(match)
        for pattern in (_EDITION, _EDITION_KO, _EDITION_RU)
        for match in pattern.finditer(text)
    }
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


# The longest a format waits between meetings: further ahead, a meeting is not yet set.
AHEAD_AT_MOST = datetime.timedelta(days=2 * 365)


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
            if near:
                relevance = RELEVANCE["near"]
            elif partner in words.sentence_countries.get(i, ()):
                relevance = max(RELEVANCE["partner"], article_relevance.get(facts.framework, 0.0))
            else:
                relevance = article_relevance.get(facts.framework, 0.0)
            if not relevance:
                continue
            raw, why = _summit_cue_score(vocab, sentence_cues, facts, near, far_ahead, covered)
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
