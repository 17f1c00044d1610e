"""Numbered meetings and levels in a sentence, and the meetings of the record a number points to.

Read in English, Korean and Russian: "the second summit", "제2차 정상회의",
"второй саммит"; "foreign ministers", "외교장관", "министры иностранных дел".
"""

import re
from dataclasses import dataclass

from ..models import Summit
from .vocabulary import SummitFacts, Vocabulary

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


@dataclass(frozen=True)
class EditionCue:
    """A numbered meeting a sentence names: "the second summit", "제2차 정상회의"."""

    number: int
    level: str | None
    noun: str
    # Frameworks named inside the phrase ("the first Korea–Central Asia summit").
    frameworks: frozenset[str]
    text: str
    # Places named inside the phrase ("the first White House summit"), as city keys, and
    # the meetings the number then counts to: each format's meetings held there.
    places: frozenset[str] = frozenset()
    held_there: frozenset[int] = frozenset()

    def fits(self, facts: SummitFacts) -> bool:
        if self.places:
            # "The first White House summit" counts the meetings held there, not the
            # format's: the first in Washington may be the format's second.
            return facts.summit.pk in self.held_there
        return (
            self.number == facts.edition
            and self.level in (None, facts.level)
            and (not self.frameworks or facts.framework in self.frameworks)
            # A numbered series ("regional high-level meeting") is named by its noun.
            and (not facts.series or self.noun in facts.series)
        )


def _counted_there(
    vocab: Vocabulary, number: int, level: str | None, named: frozenset[str], places: frozenset
) -> frozenset[int]:
    """Each format's `number`th meeting (at `level`) held in one of `places`."""
    by_format: dict[str, list[SummitFacts]] = {}
    for facts in vocab.summits.values():
        if (
            facts.cities & places
            and level in (None, facts.level)
            and (not named or facts.framework in named)
            and (facts.days or facts.months)
        ):
            by_format.setdefault(facts.framework, []).append(facts)
    counted = set()
    for meetings in by_format.values():
        meetings.sort(key=lambda facts: min(facts.days) if facts.days else (*min(facts.months), 1))
        if 0 < number <= len(meetings):
            counted.add(meetings[number - 1].summit.pk)
    return frozenset(counted)


# The buildings a government is named by, which stand for its capital: "the first White
# House summit" is the first in Washington. A leader or an agency ("the first Biden-hosted
# summit", "a JICA meeting") names no place.
_SEATS_OF_GOVERNMENT = frozenset({"white house", "kremlin", "elysee", "zhongnanhai"})
# "Biden-hosted", "Modi-chaired", "Kremlin-led": who held the meeting, not where.
_WHO_HELD_IT = re.compile(r"-(?:hosted|led|chaired|backed|sponsored|era|style)\b", re.IGNORECASE)


def _place_key(vocab: Vocabulary, found: re.Match, phrase: str, term) -> str:
    """The city a place in a number's phrase stands for: a city, or the capital of a seat
    of government ("White House", "Kremlin"); "" for anything else."""
    if term.target != "country" or _WHO_HELD_IT.match(phrase, found.end()):
        return ""
    if term.kind == "place":
        return vocab.city_key(found.group())
    if term.kind != "metonym" or found.group().lower() not in _SEATS_OF_GOVERNMENT:
        return ""
    country = vocab.countries.get(term.key)
    capital = country.capital.split(",")[0].strip() if country else ""
    return vocab.city_key(capital) if capital else ""


def read_editions(
    vocab: Vocabulary, sentence: str, written: str | None, levels: set[str]
) -> list[EditionCue]:
    """The numbered meetings a sentence names, each at the level it names or the sentence's
    (`levels`, from `meeting_levels`)."""
    editions = []
    for match in [
        *_EDITION.finditer(sentence),
        *_EDITION_KO.finditer(sentence),
        *_EDITION_RU.finditer(sentence),
    ]:
        phrase = match.group("between") + match.group("noun")
        found_terms = [
            (found, term)
            for found in vocab.pattern.finditer(phrase)
            for term in vocab.lookup(found.group())
            if term.accepts(found.group())
        ]
        terms = [term for _, term in found_terms]
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
        places = frozenset(
            _place_key(vocab, found, phrase, term) for found, term in found_terms
        ) - {""}
        number = _edition_number(match)
        held_there = _counted_there(vocab, number, level, named, places) if places else frozenset()
        editions.append(EditionCue(number, level, noun, named, text, places, held_there))
    return editions


def edition_numbers(text: str) -> set[int]:
    """The meeting numbers a text gives ("Rome hosts 3rd Central Asia–Italy summit")."""
    return {
        _edition_number(match)
        for pattern in (_EDITION, _EDITION_KO, _EDITION_RU)
        for match in pattern.finditer(text)
    }


# A title before a name says who someone is, not at what level a meeting is held: "Blinken
# brought the C5+1 to Astana, where President Tokayev received him".
_TITLE = re.compile(r"(?:President|Prime\s+Minister|Chancellor)\s+[A-Z]")


def levels_named(sentence: str) -> set[str]:
    """Every level a sentence names, titles before a name aside."""
    kept = _TITLE.sub(lambda m: " " * len(m.group()), sentence)
    return {level for pattern, level in _LEVELS if pattern.search(kept)}


def meeting_levels(sentence: str) -> set[str]:
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
