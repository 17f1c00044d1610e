"""Dates in a sentence, as English, Korean and Russian copy write them, and as said against the
publication date ("on Thursday", "지난 16일", "сегодня").

Sentences arrive folded (`names.fold_characters`): accents gone, so the
Russian "й" is written "и" and "ё" "е" here.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class DateCue:
    text: str
    year: int | None
    month: int | None
    days: tuple[int, ...]
    # A day read from "on Thursday" names that day, not its month or year.
    exact: bool = False
    # The months of a span up to the publication ("over the past six months").
    months: tuple[tuple[int, int], ...] = ()
    # Where it was read in the sentence.
    span: tuple[int, int] | None = field(default=None, compare=False)


# English ---------------------------------------------------------------------

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

# Korean: "2025년 11월 6일", "9월 16일부터 17일", "2018. 3. 15-16", "2023년 5월", "2025년".
_KO_MONTH = r"(?P<month_number>1[0-2]|0?[1-9])\s*월"
_KO_DAY = r"(?P<day>[0-3]?\d)\s*일(?:\s*(?:~|-|부터|과|와|및)\s*(?P<day2>[0-3]?\d)\s*일)?"
_KO_DAY_RANGE = r"(?P<day>[0-3]?\d)\s*(?:~|-)\s*(?P<day2>[0-3]?\d)\s*일"
_KO_YEAR = rf"{_YEAR}\s*년"

# Russian: "6 ноября 2025 года", "15-16 ноября", "в сентябре 2023 года".
_RU_MONTHS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_RU_MONTH = (
    r"(?P<ru_month>январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[ияей]|июн[ьяе]|июл[ьяе]"
    r"|август[ае]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_RU_DAY = r"(?P<day>[0-3]?\d)(?:\s*-\s*(?P<day2>[0-3]?\d))?"

# Most precise first; a later form never reads text an earlier one took.
_DATE_FORMS = [
    re.compile(rf"(?<!\w){_YEAR}-(?P<month_number>[01]\d)-(?P<day>[0-3]\d)(?!\w)"),
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}{_DAY2},?\s+{_YEAR}(?!\w)"),
    re.compile(rf"(?<!\w){_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\w)"),
    re.compile(rf"(?<!\w){_KO_YEAR}\s*{_KO_MONTH}\s*{_KO_DAY}"),
    re.compile(rf"(?<!\w){_KO_YEAR}\s*{_KO_MONTH}\s*{_KO_DAY_RANGE}"),
    re.compile(rf"(?<!\w){_RU_DAY}\s+{_RU_MONTH}\s+{_YEAR}(?!\w)", re.IGNORECASE),
    re.compile(rf"(?<!\w){_MONTH},?\s+(?:of\s+)?{_YEAR}(?!\w)"),
    re.compile(rf"(?<!\w){_KO_YEAR}\s*{_KO_MONTH}"),
    re.compile(rf"(?<!\w){_RU_MONTH}\s+{_YEAR}(?!\w)", re.IGNORECASE),
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY}{_DAY2}(?!\w)"),
    re.compile(rf"(?<!\w){_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}(?!\w)"),
    re.compile(rf"(?<![\w.]){_KO_MONTH}\s*{_KO_DAY}"),
    re.compile(rf"(?<![\w.]){_KO_MONTH}\s*{_KO_DAY_RANGE}"),
    re.compile(rf"(?<!\w){_RU_DAY}\s+{_RU_MONTH}(?!\w)", re.IGNORECASE),
    re.compile(rf"(?<!\w){_KO_YEAR}"),
    re.compile(rf"(?<!\w){_YEAR}(?!\w)"),
]

# "2019. 11. 29", "2018. 3. 15-16": read in Korean sentences only, where the
# dots are a date's and not a list's.
_KO_DOTTED = re.compile(
    rf"(?<![\w.]){_YEAR}\.\s*(?P<month_number>1[0-2]|0?[1-9])\.\s*(?P<day>[0-3]?\d)"
    r"(?:\s*-\s*(?P<day2>[0-3]?\d))?(?!\d)"
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# As precise as a full date: before the forms that would read its year alone.
_DATE_FORMS_KO = [_KO_DOTTED, *_DATE_FORMS]

# "С 2004 года", "2004년부터": where a span starts, not a date something happened on.
# So is the year a format began in ("launched in 2015", "2015년 출범", "запущенная в
# 2015 году"): it dates the format, not one of its meetings.
_SINCE = re.compile(
    r"(?<!\w)(?:со?\s+(?:19|20)\d\d(?:\s*(?:года|г\.))?|(?:19|20)\d\d\s*년\s*(?:부터|이후|이래))"
    r"|(?<!\w)(?:since|(?:launched|began|begun|started|starting|established|founded|created"
    r"|formed|set\s+up|inaugurated|launch|inception|creation|establishment)\s+in)"
    r"\s+(?:19|20)\d\d(?!\w)"
    r"|(?<!\w)(?:19|20)\d\d\s*년\s*(?:에\s*)?(?:출범|창설|발족|설립|시작)"
    r"|(?<!\w)(?:запущен|создан|учрежден|основан|начал)[а-я]*\s+в\s+(?:19|20)\d\d"
    r"(?:\s*(?:году|г\.))?",
    re.IGNORECASE,
)

# "Between 2004 and 2022", "с 2004 по 2022 год", "2004년부터 2022년까지": a period (a
# series of meetings'), not a date something happened on. So is a range of years a plan is
# for ("a roadmap for 2022-2024", "the 2022-2024 period", "план на 2025–2027 годы",
# "2023~2027년 행동계획"); a range after "held in" or "met in" ("held in 2018-2019 in
# Astana and Tashkent") is its years.
_RANGE = r"(?:19|20)\d\d\s*(?:[-\u2013\u2014~]|to|until|till|through)\s*(?:19|20)\d\d"
_PERIOD = re.compile(
    r"(?<!\w)(?i:between|from)\s+(?:19|20)\d\d\s+(?i:and|to|until|till|through)\s+"
    r"(?:19|20)\d\d(?!\w)"
    r"|(?<!\w)(?i:с)\s+(?:19|20)\d\d\s*(?:г\.|года)?\s+(?i:по)\s+(?:19|20)\d\d(?!\w)"
    r"|(?<!\w)(?:19|20)\d\d\s*년\s*부터\s*(?:19|20)\d\d\s*년\s*까지"
    r"|(?<!\w)(?i:for|plan|roadmap|programme|program|strategy|period|на)\s+(?:the\s+)?(?:years\s+)?"
    rf"{_RANGE}(?![\w-])"
    rf"|(?<![\w.-]){_RANGE}\s+(?i:period|plan|roadmap|programme|program|strategy)\b"
    r"|(?<![\w.-])(?:19|20)\d\d\s*[~\u2013-]\s*(?:19|20)\d\d\s*년\s*(?:간|동안"
    r"|(?:의\s*)?(?:[가-힣]+\s*){0,2}?(?:계획|로드맵|전략|프로그램))"
)

# Said against the publication date ----------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"(?<!\w)(?:(?P<weekday>(?:on\s+|last\s+|next\s+|this\s+)?(?:"
    + "|".join(_WEEKDAYS)
    + r"))|(?P<day>today|yesterday|tomorrow)|(?P<which>this|last|next)\s+week)"
    r"(?!\w)",
    re.IGNORECASE,
)
# The same in Korean and Russian, each weekday as the index of `_WEEKDAYS`.
_KO_WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")
_RU_WEEKDAYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")
_RELATIVE_KO = re.compile(
    r"(?<!\w)(?:(?:(?P<ko_which_day>지난|이번|다음)\s*)?(?P<ko_weekday>[월화수목금토일])요일"
    r"|(?P<ko_day>오늘(?!날)|어제|내일|그제|모레)"
    # "이번 주" is this week; "이번 주요 합의", "이번 주최국" are no week.
    r"|(?P<ko_which>지난|이번|다음)\s*주(?![최요장도석민식간]))"
)
_RELATIVE_RU = re.compile(
    r"(?<!\w)(?:(?:во?\s+)?(?:(?P<ru_which_day>прошл|следующ|эт)[а-я]*\s+)?"
    r"(?P<ru_weekday>понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау]|воскресенье)"
    r"|(?P<ru_day>сегодня|вчера|завтра|позавчера|послезавтра)"
    r"|на\s+(?P<ru_which>прошл|следующ|эт)[а-я]*\s+недел[ея])(?!\w)",
    re.IGNORECASE,
)
_DAY_SHIFTS = {
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "오늘": 0,
    "어제": -1,
    "내일": 1,
    "그제": -2,
    "모레": 2,
    "сегодня": 0,
    "вчера": -1,
    "завтра": 1,
    "позавчера": -2,
    "послезавтра": 2,
}
_WEEK_STEPS = {"this": 0, "last": -1, "next": 1, "이번": 0, "지난": -1, "다음": 1}
_WEEK_STEPS |= {"эт": 0, "прошл": -1, "следующ": 1}
_WEEK_WORDS = {"지난": "last", "다음": "next", "이번": "this"}
# What says a weekday is still to come in Korean and Russian, as "will" does in English.
_FUTURE = re.compile(
    r"(?<!\w)(?:состоится|пройдет|будет|проведет|примет)(?!\w)|예정|열린다|개최한다",
    re.IGNORECASE,
)

# Korean papers date the week's events by the day of the month: "지난 16일", "18일",
# "오는 18~19일", "다음 달 6일".
_KO_DAY_ONLY = re.compile(
    r"(?<![\w.~-])(?:(?P<when>지난달|다음\s*달|이번\s*달|지난|오는|이번)\s*)?"
    r"(?P<day>[0-3]?\d)\s*(?:일\s*)?(?:(?:~|-|부터|과|와|및)\s*(?P<day2>[0-3]?\d)\s*)?일"
    r"(?!\s*(?:간|째|동안|이내|만에|전|후|분))"
)

# "This year", "next year" in Korean and Russian, alone or with a month:
# "지난해 1월", "в мае этого года".
_KO_RELATIVE_YEAR = re.compile(
    r"(?<!\w)(?P<rel>올해|금년|내년|지난해|작년)(?:\s*(?P<month_number>1[0-2]|0?[1-9])\s*월)?"
)
_RU_RELATIVE_YEAR = re.compile(
    r"(?<!\w)(?:(?:в\s+)?" + _RU_MONTH + r"\s+)?(?:в\s+)?(?P<rel>этом|этого|прошлом|прошлого"
    r"|следующем|следующего)\s+год[ауе]?(?!\w)",
    re.IGNORECASE,
)
# "In January this year", "in May last year": a month, as "в мае этого года" is;
# "on November 10 last year", "on 10 November last year": a day.
_EN_RELATIVE_YEAR = re.compile(
    rf"(?<!\w){_MONTH}\s+(?:{_DAY}{_DAY2}\s+)?(?:of\s+)?(?i:(?P<rel>this|last|next)\s+year)(?!\w)"
)
_EN_DAY_RELATIVE_YEAR = re.compile(
    rf"(?<!\w){_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}\s+(?i:(?P<rel>this|last|next)\s+year)(?!\w)"
)
# "Held online last year", "Seoul plans to host next year": the year before or after the
# publication's, a cue beside the format's name as a written year is. "This year" alone
# says too little in English copy, which uses it of anything under way.
_EN_YEAR_NEAR = re.compile(r"(?<!\w)(?i:(?P<rel>last|next)\s+year)(?!\w)")
# "Scheduled for May", "last August", "in early March": a month without its year, the
# nearest such month to the publication, ahead when its clause speaks of what is to come
# and behind when it tells what happened (`_direction`).
_EN_BARE_MONTH = re.compile(
    r"(?<!\w)(?:(?i:(?P<which>last|next|this|coming)\s+)"
    r"|(?i:(?:in|for|by|until|till|during|(?:the\s+)?(?:end|beginning|start|middle)\s+of)\s+)"
    r"(?i:(?:early|late|mid)-?\s*)?|(?i:early|late|mid)-?\s*)"
    rf"{_MONTH}(?!\s*,?\s*\d)(?![\w'])"
)
# The words that say which way a month lies: "will meet", "to host", "plans to", "is to",
# "scheduled for" ahead; "met", "was held" behind. "Will be held" is ahead, though
# "held" alone is behind.
_DIRECTION = re.compile(
    r"\b(?P<ahead>(?:will|shall|to|would)\s+(?:not\s+)?be\s+(?:held|hosted|convened|organi[sz]ed)"
    r"|will|shall|won't|scheduled|rescheduled|planned|plans?\s+to|planning\s+to"
    r"|expected|expects?\s+to|upcoming|forthcoming|due\s+(?:in|for|to\s+(?:be|take|meet|open|hold|host))|slated|set\s+(?:for|to)"
    r"|(?:postponed|put\s+off|moved|delayed)\s+(?:to|until|till)"
    r"|(?:is|are|am)\s+to|intends?\s+to|aims?\s+to|prepares?\s+to|preparing\s+to"
    r"|to\s+(?:take\s+place|host|hold|meet|visit|attend|convene|gather|travel|open|sign))\b"
    r"|\b(?P<behind>met|held|hosted|convened|gathered|attended|visited|took\s+place"
    r"|was|were|had|has\s+been|have\s+been|opened|ended|closed|signed|launched|began)\b",
    re.IGNORECASE,
)
# Where a clause ends: "The ministers, who met in March, will meet again in September".
_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
# "In October that year", "later that year", "в октябре того же года", "같은 해 10월":
# the year the text named last.
_THAT_YEAR = re.compile(
    rf"(?<!\w)(?:{_MONTH}\s+(?:of\s+)?)?(?i:(?:that|the\s+same|that\s+same)\s+year)(?!\w)"
    rf"|(?<!\w)(?i:(?:{_RU_MONTH}\s+)?того\s+же\s+года|в\s+том\s+же\s+году)(?!\w)"
    rf"|(?<!\w)(?:같은\s*해|그\s*해)(?:\s*{_KO_MONTH})?"
)
# "Over the past six months", "за последние полгода", "지난 1년간": the months up to
# the publication, any of which a meeting may have been in.
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "nine": 9}
_NUMBERS |= {"twelve": 12, "eighteen": 18, "два": 2, "три": 3, "четыре": 4, "пять": 5}
_NUMBERS |= {"шесть": 6, "восемь": 8, "девять": 9, "двенадцать": 12}
_SPAN_MONTHS = {"halfyear": 6, "half-year": 6, "year": 12, "полгода": 6, "год": 12}
_SPAN_MONTHS |= {"반년": 6, "1년": 12, "한해": 12, "일년": 12}
_SPAN = re.compile(
    r"(?<!\w)(?i:(?:over|in|during|within)\s+the\s+(?:past|last)\s+"
    r"(?:(?P<en_n>\d{1,2}|two|three|four|five|six|eight|nine|twelve|eighteen)\s+months"
    r"|(?P<en_unit>half[- ]year|year))"
    r"|(?:за|в)\s+(?:последн|прошедш)[а-я]*\s+(?:(?P<ru_n>\d{1,2}|два|три|четыре|пять|шесть"
    r"|восемь|девять|двенадцать)\s+месяц[а-я]*|(?P<ru_unit>полгода|год)))(?!\w)"
    r"|(?<!\w)(?:지난|최근)\s*(?:(?P<ko_n>\d{1,2})\s*개월|(?P<ko_unit>반년|1년|한\s*해|일\s*년))"
    r"(?:간|동안|새)?"
)
_YEAR_SHIFTS = {
    "this": 0,
    "last": -1,
    "next": 1,
    "올해": 0,
    "금년": 0,
    "내년": 1,
    "지난해": -1,
    "작년": -1,
    "этом": 0,
    "этого": 0,
    "прошлом": -1,
    "прошлого": -1,
    "следующем": 1,
    "следующего": 1,
}


def dates(
    sentence: str,
    published: datetime.date | None = None,
    written: str | None = None,
    year_before: int | None = None,
    headline: bool = False,
) -> list[DateCue]:
    """Every date the sentence writes out, then (given the publication date) those it implies.

    `sentence` is folded; each cue's text is taken from `written`, the
    sentence as written, where given. `year_before` is the year the text
    named last before the sentence: "that year" is that one. A `headline`
    speaks in the present of what is to come ("Leaders meet in Astana in
    October").
    """
    taken: list[tuple[int, int]] = []
    found = []

    def free(match: re.Match) -> bool:
        if any(match.start() < end and start < match.end() for start, end in taken):
            return False
        taken.append(match.span())
        return True

    taken += [match.span() for match in _SINCE.finditer(sentence)]
    taken += [match.span() for match in _PERIOD.finditer(sentence)]
    if published is not None:
        # "On November 10 last year" is one date: read before "November 10" alone is.
        for pattern in (_EN_DAY_RELATIVE_YEAR, _EN_RELATIVE_YEAR):
            for match in pattern.finditer(sentence):
                if free(match):
                    found.append(_relative_year(match, published))
    forms = _DATE_FORMS_KO if _HANGUL.search(sentence) else _DATE_FORMS
    for form in forms:
        for match in form.finditer(sentence):
            if free(match):
                found.append(_written(match))
    if year_before is not None:
        for match in _THAT_YEAR.finditer(sentence):
            if free(match):
                month = _month_of(match.groupdict())
                found.append(DateCue(match.group(), year_before, month, (), span=match.span()))
    if published is not None:
        for match in _SPAN.finditer(sentence):
            if free(match):
                found.append(_span(match, published))
        found += _relative_dates(sentence, published)
        for match in _KO_DAY_ONLY.finditer(sentence):
            if free(match):
                found += _day_of_month(match, published)
        for pattern in (_KO_RELATIVE_YEAR, _RU_RELATIVE_YEAR, _EN_YEAR_NEAR):
            for match in pattern.finditer(sentence):
                if free(match):
                    found.append(_relative_year(match, published))
        for match in _EN_BARE_MONTH.finditer(sentence):
            if not free(match):
                continue
            ahead = _direction(sentence, match, headline)
            if ahead is not None or match["which"]:
                found.append(_bare_month(match, published, bool(ahead)))
    if written is not None and len(written) == len(sentence):
        found = [
            replace(cue, text=written[cue.span[0] : cue.span[1]]) if cue.span else cue
            for cue in found
        ]
    return found


def _month_of(parts: dict) -> int | None:
    if parts.get("month"):
        return _MONTH_NUMBERS[parts["month"]]
    if parts.get("ru_month"):
        written = parts["ru_month"].lower()
        return next(
            n
            for n, stem in sorted(enumerate(_RU_MONTHS, 1), key=lambda item: -len(item[1]))
            if written.startswith(stem)
        )
    return int(parts["month_number"]) if parts.get("month_number") else None


def _written(match: re.Match) -> DateCue:
    parts = match.groupdict()
    days = tuple(int(d) for d in (parts.get("day"), parts.get("day2")) if d)
    year = int(parts["year"]) if parts.get("year") else None
    return DateCue(match.group(), year, _month_of(parts), days, span=match.span())


def _relative_dates(sentence: str, published: datetime.date) -> list[DateCue]:
    """ "On Thursday", "last week", "сегодня", "지난주": dates read against the publication date.

    A weekday is the nearest one before the publication or, said with
    "next", after it; news tells of the week's events in the past tense, and
    of the coming ones with "next" or "will". Reporting what was said, "would"
    puts the weekday it leads to ahead ("the Kremlin said he would attend,
    beginning Thursday"), not the day the words were said on ("told Putin on
    Thursday that Kazakhstan would back ...", "Putin would attend, the Kremlin
    said on Thursday"). A week is read as its days.
    """
    padded = f" {sentence.lower()} "
    future = " will " in padded or bool(_FUTURE.search(sentence))
    found = []
    for match in [*_RELATIVE.finditer(sentence), *_RELATIVE_KO.finditer(sentence)]:
        found += _relative(match, published, future or _would_lead_to(sentence, match))
    for match in _RELATIVE_RU.finditer(sentence):
        found += _relative(match, published, future)
    return found


# "Would" before a weekday, as in "said he would attend, beginning Thursday".
_WOULD = re.compile(r"(?<!\w)would(?!\w)", re.IGNORECASE)
# What was done or said on a day: "said", "told", "hosted", "met" ... on Thursday.
_DONE_ON = re.compile(
    r"(?<!\w)(?:said|told|announced|confirmed|stated|added|noted|declared|wrote|reported"
    r"|hosted|met|received|held|signed|agreed|spoke|called|promised|pledged)(?!\w)",
    re.IGNORECASE,
)


def _would_lead_to(sentence: str, weekday: re.Match) -> bool:
    """Whether a "would" before the weekday leads to it, with no day's deed or words between."""
    would = list(_WOULD.finditer(sentence, 0, weekday.start()))
    return bool(would) and not _DONE_ON.search(sentence, would[-1].end(), weekday.start())


def _relative(match: re.Match, published: datetime.date, future: bool) -> list[DateCue]:
    parts = {name: value for name, value in match.groupdict().items() if value}
    days: list[datetime.date] = []
    if "weekday" in parts or "ko_weekday" in parts or "ru_weekday" in parts:
        if "weekday" in parts:
            words = parts["weekday"].lower().split()
            target, which = _WEEKDAYS.index(words[-1]), words[0]
        elif "ko_weekday" in parts:
            target = _KO_WEEKDAYS.index(parts["ko_weekday"])
            which = _WEEK_WORDS.get(parts.get("ko_which_day", ""))
        else:
            written = parts["ru_weekday"].lower()
            target = next(n for n, stem in enumerate(_RU_WEEKDAYS) if written.startswith(stem))
            step = _WEEK_STEPS.get(parts.get("ru_which_day", "").lower())
            which = {-1: "last", 1: "next", 0: "this"}.get(step)
        back = (published.weekday() - target) % 7
        if which == "last":
            back = back or 7  # "last Thursday", said on a Thursday: a week ago
        ahead = (target - published.weekday()) % 7 or 7
        if which == "next" or future:
            days.append(published + datetime.timedelta(days=ahead))
        if which != "next":
            days.append(published - datetime.timedelta(days=back))
    elif day := parts.get("day") or parts.get("ko_day") or parts.get("ru_day"):
        days.append(published + datetime.timedelta(days=_DAY_SHIFTS[day.lower()]))
    else:
        which = parts.get("which") or parts.get("ko_which") or parts.get("ru_which")
        step = _WEEK_STEPS[which.lower()]
        monday = published - datetime.timedelta(days=published.weekday())
        start = monday + datetime.timedelta(weeks=step)
        days += [start + datetime.timedelta(days=n) for n in range(7)]
    return [
        DateCue(match.group(), d.year, d.month, (d.day,), exact=True, span=match.span())
        for d in days
    ]


def _shift_month(published: datetime.date, step: int) -> tuple[int, int]:
    month = published.month - 1 + step
    return published.year + month // 12, month % 12 + 1


def _day_of_month(match: re.Match, published: datetime.date) -> list[DateCue]:
    """ "지난 16일" (the 16th just past), "오는 18~19일" (the coming ones), "다음 달 6일".

    Without a word saying which, a day after the publication's is this
    month's, to come, or last month's, told after it.
    """
    when = re.sub(r"\s+", "", match["when"] or "")
    day = int(match["day"])
    days = tuple(int(d) for d in (match["day"], match["day2"]) if d)
    if when == "다음달":
        steps = [1]
    elif when == "지난달":
        steps = [-1]
    elif when in ("이번달", "이번"):
        steps = [0]
    elif when == "오는":
        steps = [0 if day >= published.day else 1]
    elif when == "지난" or day <= published.day:
        steps = [0 if day <= published.day else -1]
    else:
        steps = [0, -1]
    found = []
    for step in steps:
        year, month = _shift_month(published, step)
        real = tuple(d for d in days if d <= calendar.monthrange(year, month)[1])
        if real:
            found.append(DateCue(match.group(), year, month, real, exact=True, span=match.span()))
    return found


def _span(match: re.Match, published: datetime.date) -> DateCue:
    parts = {name: value for name, value in match.groupdict().items() if value}
    number = parts.get("en_n") or parts.get("ru_n") or parts.get("ko_n")
    if number:
        count = int(number) if number.isdigit() else _NUMBERS[number.lower()]
    else:
        unit = parts.get("en_unit") or parts.get("ru_unit") or parts.get("ko_unit")
        count = _SPAN_MONTHS[re.sub(r"\s+", "", unit.lower())]
    months = tuple(_shift_month(published, -step) for step in range(count + 1))
    return DateCue(match.group(), None, None, (), months=months, span=match.span())


def _relative_year(match: re.Match, published: datetime.date) -> DateCue:
    parts = match.groupdict()
    year = published.year + _YEAR_SHIFTS[parts["rel"].lower()]
    days = tuple(int(d) for d in (parts.get("day"), parts.get("day2")) if d)
    return DateCue(match.group(), year, _month_of(parts), days, span=match.span())


def _direction(sentence: str, month: re.Match, headline: bool) -> bool | None:
    """Whether a month without its year lies ahead (True) or behind (False), or None.

    The words of its own clause decide, the nearest before it first ("who met
    in March", "will meet again in September"), then the rest of the sentence.
    A headline with no such word speaks of what is to come; a sentence in the
    body that says neither gives no year rather than a wrong one.
    """
    start = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, month.start())), default=0)
    end = next((m.start() for m in _CLAUSE_END.finditer(sentence, month.end())), len(sentence))
    for before, after in ((start, end), (0, len(sentence))):
        cues = list(_DIRECTION.finditer(sentence, before, after))
        earlier = [m for m in cues if m.end() <= month.start()]
        later = [m for m in cues if m.start() >= month.end()]
        nearest = earlier[-1] if earlier else next(iter(later), None)
        if nearest is not None:
            return nearest["ahead"] is not None
    return True if headline else None


def _bare_month(match: re.Match, published: datetime.date, ahead: bool) -> DateCue:
    """ "Last August", "next May", "scheduled for May": the month of the year it must be in."""
    month = _MONTH_NUMBERS[match["month"]]
    which = (match["which"] or "").lower()
    if which == "last" or (not which and not ahead):
        # The latest such month up to the publication ("last August" said in August: a year ago).
        later = month > published.month or (which == "last" and month == published.month)
        year = published.year - 1 if later else published.year
    elif which == "this":
        year = published.year
    else:
        earlier = month < published.month or (which == "next" and month == published.month)
        year = published.year + 1 if earlier else published.year
    return DateCue(match.group(), year, month, (), span=match.span())
