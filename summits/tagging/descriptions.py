"""Frameworks recognised from how a sentence describes a meeting, not from their names.

"Leaders of the European Union and five Central Asian countries held their
first summit" names no framework, but an editor reads EU–Central Asia; so
does "유럽연합과 중앙아시아 5개국 정상이 회담했다" or "саммит ЕС и стран
Центральной Азии". A
sentence describes a framework's meeting when it names Central Asia (or
three of its states), a meeting, and the framework's partner; with no
partner but the region's own leaders meeting, it describes their
consultative meeting. A sentence that names a framework outright is left to
the name.
"""

import re

from .reading import Reading
from .tally import Words
from .vocabulary import Vocabulary

# What a description weighs against a name (1.0): as much as a place.
DESCRIBED = 0.6
# The region's own format, met without a partner.
REGIONAL_FORMAT = "c5-consultative-meeting"
_CENTRAL_ASIA = re.compile(
    r"\bCentral Asian?\b|\bfive (?:Central Asian )?(?:countries|states|nations|republics)\b",
    re.IGNORECASE,
)
_MEETING = re.compile(
    r"\b(?:summit|summits|meeting|talks|get-together|gathering|conference|forum|"
    r"consultative)\b",
    re.IGNORECASE,
)
_LEADERS = re.compile(
    r"\b(?:leaders|presidents|heads of state|head of state)\b",
    re.IGNORECASE,
)
# The same words in Korean ("중앙아시아 5개국 정상이 ... 회담했다") and Russian
# ("лидеров пяти стран Центральной Азии", "встреча глав государств").
_CENTRAL_ASIA_KO_RU = re.compile(
    r"중앙아|Центральн[а-я]*\s+Ази|центральноазиатск|(?<!\w)ЦА(?!\w)"
    r"|(?<!\w)пят[а-я]*\s+(?:стран|государств|республик)",
    re.IGNORECASE,
)
_MEETING_KO_RU = re.compile(
    r"정상회의|정상회담|회의|회담|포럼|협의회|회동"
    r"|(?<!\w)(?:саммит|встреч|переговор|форум|заседани|совещани|конференци)[а-я]*",
    re.IGNORECASE,
)
# "정상" alone is "leaders"; in "정상회의" it is only the meeting, unless the
# meeting is Central Asia's own ("중앙아시아 정상회의", "중앙아 5개국 정상회담").
_LEADERS_KO_RU = re.compile(
    r"정상(?!회의|회담)|중앙아(?:시아)?\s*(?:5개국\s*)?정상|대통령|국가원수"
    r"|(?<!\w)(?:лидер|президент|глав[а-я]*\s+государств)",
    re.IGNORECASE,
)


def describe_frameworks(vocab: Vocabulary, reading: Reading, words: Words) -> None:
    """Count each framework a sentence describes as if it were named there once."""
    named_in = set().union(*words.framework_sentences.values())
    partners = {code: slug for slug, code in vocab.framework_partners.items()}
    region = set(vocab.central_asia)
    for number, (zone, text) in enumerate(reading.sentences):
        if number in named_in:
            continue
        meeting = _MEETING.search(text) or _MEETING_KO_RU.search(text)
        if meeting is None:
            continue
        named = words.sentence_countries.get(number, set())
        central_asia = _CENTRAL_ASIA.search(text) or _CENTRAL_ASIA_KO_RU.search(text)
        if not (central_asia or len(named & region) >= 3):
            continue
        described = {partners[code] for code in named - region if code in partners}
        leaders = _LEADERS.search(text) or _LEADERS_KO_RU.search(text)
        if not described and leaders and not (named - region):
            described = {REGIONAL_FORMAT}
        word = meeting.group().lower()
        for slug in described:
            if slug not in vocab.frameworks:
                continue
            if slug == REGIONAL_FORMAT:
                evidence = f"described: Central Asian leaders' {word}"
            else:
                partner = vocab.countries[vocab.framework_partners[slug]]
                evidence = f"described: {partner} and Central Asia, {word}"
            words.frameworks[slug].add_word(zone, DESCRIBED, evidence)
            words.framework_sentences[slug].add(number)
