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

import datetime
import re

from .dates import dates
from .reading import Reading
from .tally import Words
from .vocabulary import Vocabulary
from .weights import THRESHOLD

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
    r"consultative)\b"
    # "The C5+1 Development Ministerial in Samarkand": the noun, before punctuation, a
    # preposition or a verb; not "a ministerial delegation" or "ministerial changes".
    r"|\bministerials?(?=\s*(?:[.,;:!?)]|$)|\s+(?:in|of|on|at|for|with|to|between|among"
    r"|held|was|were|is|are|will|would|opened|opens|kicked|took|takes|has|had|met|meets"
    r"|ended|ends|began|begins|concluded|adopted|agreed|brought|focused)\b)",
    re.IGNORECASE,
)
_LEADERS = re.compile(
    r"\b(?:leaders|presidents|heads of state|head of state)\b",
    re.IGNORECASE,
)
# "A Central Asian summit", "Central Asia summit": the region meeting as such.
_REGIONAL_MEETING = re.compile(
    r"\bCentral Asian? (?:summit|leaders' meeting|consultative meeting)s?\b", re.IGNORECASE
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
    r"|(?<!\w)(?:саммит|встреч|переговор|форум|заседани|совещ|конференци)[а-я]*",
    re.IGNORECASE,
)
# "정상" alone is "leaders"; in "정상회의" it is only the meeting, unless the
# meeting is Central Asia's own ("중앙아시아 정상회의", "중앙아 5개국 정상회담").
_LEADERS_KO_RU = re.compile(
    r"정상(?!회의|회담)|중앙아(?:시아)?\s*(?:5개국\s*)?정상|대통령|국가원수"
    r"|(?<!\w)(?:лидер|президент|глав[а-я]*\s+государств)",
    re.IGNORECASE,
)


# "A summit with leaders of Central Asia", "talks with the five Central Asian presidents",
# "встреча с лидерами стран Центральной Азии": a meeting someone holds with the region.
_WITH_THE_REGION = re.compile(
    r"\b(?:summits?|meetings?|talks)\s+with\s+(?:the\s+)?"
    r"(?:(?:leaders|presidents|heads\s+of\s+state)\s+of\s+(?:the\s+)?)?"
    r"(?:(?:five|all\s+five)\s+)?Central\s+Asian?\b"
    r"|(?<!\w)(?:саммит|встреч|переговор)[а-я]*\s+с\s+(?:лидер|президент|глав)[а-я]*\s+"
    r"(?:государств\s+|стран\s+)?(?:Центральн|ЦА|пят)",
    re.IGNORECASE,
)


def _meets_the_region(reading: Reading, number: int, text: str, region: set[str]) -> bool:
    """Whether a sentence tells of someone from outside meeting the region's leaders.

    "A first virtual summit with leaders of Central Asia" does; "Tokayev will
    hold talks with Central Asian leaders at their annual summit" is one of the
    five meeting the others, at their own meeting.
    """
    meets = _WITH_THE_REGION.search(text)
    if meets is None or _THEIR_OWN.search(text):
        return False
    return not any(
        hit.sentence == number
        and hit.term.target == "country"
        and hit.term.key in region
        and hit.end <= meets.start()
        for hit in reading.hits
    )


def names_a_meeting(text: str) -> bool:
    """Whether a sentence speaks of a meeting ("summit", "talks", "정상회의", "встреча")."""
    return bool(_MEETING.search(text) or _MEETING_KO_RU.search(text))


# "Supports holding the first summit", "proposed a summit", "summit to be established",
# "plans to set up a summit", "정상회의 창설", "предложил провести саммит": a meeting put
# forward, not held or set.
_PROPOSAL = re.compile(
    r"\b(?:propos(?:e|es|ed|ing)|supports?\s+(?:holding|creating|the\s+creation)"
    r"|backs?\s+(?:holding|creating)|initiative\s+to\s+hold"
    r"|to\s+be\s+(?:established|created|set\s+up)"
    r"|(?:establish(?:es|ed|ing)?|creat(?:e|es|ed|ing)|set(?:s|ting)?\s+up)"
    r"\s+(?:a|an)\s+(?:new\s+)?summit)\b"
    r"|창설|신설|개최\s*(?:를\s*|을\s*)?제안"
    r"|(?<!\w)(?:предлож[а-я]*\s+провести|инициатив[а-я]*\s+(?:о\s+)?проведени"
    r"|создани[а-я]*|учрежд[а-я]*)",
    re.IGNORECASE,
)


def proposes_a_meeting(text: str) -> bool:
    """Whether a sentence puts a meeting forward ("proposes a summit", "정상회의 창설")."""
    return bool(_PROPOSAL.search(text))


def describe_frameworks(vocab: Vocabulary, reading: Reading, words: Words) -> None:
    """Count each framework a sentence describes as if it were named there once."""
    named_in = set().union(*words.framework_sentences.values())
    partners = {code: slug for slug, code in vocab.framework_partners.items()}
    region = set(vocab.central_asia)
    for number, (zone, _) in enumerate(reading.sentences):
        if number in named_in:
            continue
        # "Members of the 'Germany – Central Asia' friendship group" describe no meeting.
        text = reading.without_bodies(number)
        meeting = _MEETING.search(text) or _MEETING_KO_RU.search(text)
        if meeting is None:
            continue
        named = words.sentence_countries.get(number, set())
        central_asia = _CENTRAL_ASIA.search(text) or _CENTRAL_ASIA_KO_RU.search(text)
        if not (central_asia or len(named & region) >= 3):
            continue
        candidates = {code for code in named - region if code in partners}
        candidates -= _in_the_backdrop(reading, number, candidates, meeting)
        if len(candidates) > 1:
            # "After summits with Xi in Xi'an, the five met Biden": the partner meeting
            # Central Asia is the one named next to it; the other is a comparison.
            candidates = _closest(reading, number, candidates, region, central_asia)
        described = {partners[code] for code in candidates}
        guests = not candidates and _meets_the_region(reading, number, text, region)
        if guests:
            # "The first virtual summit with leaders of Central Asia": someone meets
            # the region, so it is no meeting of its own; the host is the partner the
            # article covers, if it covers one.
            host = [
                code
                for code in partners
                if code in words.countries and words.countries[code].direct >= THRESHOLD
            ]
            described = {partners[host[0]]} if len(host) == 1 else set()
        leaders = (
            _LEADERS.search(text) or _LEADERS_KO_RU.search(text) or _REGIONAL_MEETING.search(text)
        )
        if (
            not described
            and not guests
            and leaders
            and not (named - region)
            and not _the_meeting_named_before(reading, words, number, text, meeting)
            and not _the_headlines_meeting(reading, words, number)
        ):
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


# "Japan hosted the five, at a time when Russia and China seek influence": a clause
# that sets the meeting against its backdrop.
_BACKDROP = re.compile(
    r"\b(?:at\s+a\s+time\s+(?:when|of)|while|whereas|even\s+as|amid(?:st)?)\b"
    r"|(?<!\w)(?:в\s+то\s+время\s+как|на\s+фоне)(?!\w)",
    re.IGNORECASE,
)


def _in_the_backdrop(reading: Reading, number: int, codes: set[str], meeting: re.Match) -> set[str]:
    """Partners a sentence names only in a clause after its meeting that sets the scene."""
    text = reading.sentences[number][1]
    clause = next((m for m in _BACKDROP.finditer(text) if m.start() > meeting.end()), None)
    if clause is None:
        return set()
    first: dict[str, int] = {}
    for hit in reading.hits:
        if hit.sentence == number and hit.term.target == "country" and hit.term.key in codes:
            first[hit.term.key] = min(first.get(hit.term.key, hit.start), hit.start)
    return {code for code, start in first.items() if start > clause.start()}


# "The summit", "this meeting": one the text has spoken of already.
_DEFINITE = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)


# "The summit of the presidents of Kazakhstan, ...": a meeting said to be the leaders' own.
_WHOSE = re.compile(
    r"\s+of\s+(?:the\s+)?(?:leaders|presidents|heads\s+of\s+state)\s+of\b", re.IGNORECASE
)
# A summit, as against the ministers' or experts' meetings a format also holds.
_SUMMIT = re.compile(r"\bsummits?\b|정상|(?<!\w)саммит", re.IGNORECASE)


def _the_meeting_named_before(
    reading: Reading, words: Words, number: int, text: str, meeting: re.Match
) -> bool:
    """Whether the sentence's meeting is the partner format's summit the text named before it.

    "The first EU–Central Asia Summit ... The summit will be attended by the
    leaders of Kazakhstan, Kyrgyzstan ...": the leaders are at the EU's meeting,
    not at one of their own. A ministers' meeting named before ("foreign
    ministers met under the C5+1. The summit of the presidents of ...") is not
    that summit, nor is a summit the sentence says is the leaders' own.
    """
    if _REGIONAL_MEETING.search(text) or not _DEFINITE.search(text[: meeting.start()]):
        return False
    if _WHOSE.match(text, meeting.end()):
        return False
    sentences = words.framework_sentences
    last = max((i for where in sentences.values() for i in where if i < number), default=None)
    return (
        last is not None
        and any(last in where for slug, where in sentences.items() if slug != REGIONAL_FORMAT)
        and bool(_SUMMIT.search(reading.sentences[last][1]))
    )


def _the_headlines_meeting(reading: Reading, words: Words, number: int) -> bool:
    """Whether a body sentence of the lead tells the meeting with a partner the headline names.

    "India–Central Asia summit to be held online. The leaders of five Central
    Asian countries will meet virtually": in the lead of a story whose headline
    is a partner's meeting with the five, the five leaders meeting is that
    meeting, not one of their own. Unless the sentence says it is their own
    ("their own annual summit in Dushanbe", "the consultative meeting").
    """
    if reading.sentences[number][0] != "body" or not in_lead(reading, number):
        return False
    if _THEIR_OWN.search(reading.sentences[number][1]):
        return False
    headline = {
        i
        for i, (zone, text) in enumerate(reading.sentences)
        if zone != "body" and names_a_meeting(text)
    }
    return any(
        where & headline
        for slug, where in words.framework_sentences.items()
        if slug != REGIONAL_FORMAT
    )


# What says the five meet on their own: "their own summit", "annual", "consultative".
_THEIR_OWN = re.compile(
    r"\b(?:their\s+own|annual|yearly|consultative)\b|자체|연례|협의회의"
    r"|(?<!\w)(?:собствен|ежегодн|консультативн)",
    re.IGNORECASE,
)


def _closest(
    reading: Reading,
    number: int,
    codes: set[str],
    region: set[str],
    central_asia: re.Match | None,
) -> set[str]:
    """Of the partners a sentence names, those named nearest to Central Asia in it.

    Partners listed together ("Russia, China, the US and others held summits with
    Central Asia") are one group, and all of them meet it.
    """
    written = (
        reading.written[number] if number < len(reading.written) else reading.sentences[number][1]
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for hit in reading.hits:
        if hit.sentence != number or hit.term.target != "country":
            continue
        found = [m.span() for m in re.finditer(re.escape(hit.matched), written)]
        spans.setdefault(hit.term.key, []).extend(found)
    anchors = [central_asia.span()] if central_asia else []
    anchors += [span for code in region for span in spans.get(code, ())]
    mentions = sorted((span, code) for code in codes for span in spans.get(code, ()))
    if not anchors or not mentions:
        return codes
    groups: list[tuple[list[tuple[int, int]], set[str]]] = []
    for span, code in mentions:
        if groups and _LIST_JOIN.fullmatch(written[groups[-1][0][-1][1] : span[0]]):
            groups[-1][0].append(span)
            groups[-1][1].add(code)
        else:
            groups.append(([span], {code}))

    def gap(group_spans: list[tuple[int, int]]) -> int:
        return min(
            max(0, max(start, a_start) - min(end, a_end))
            for start, end in group_spans
            for a_start, a_end in anchors
        )

    nearest = min(gap(group_spans) for group_spans, _ in groups)
    return set().union(*(found for group_spans, found in groups if gap(group_spans) == nearest))


# What joins the names of a list: "Russia, China, the US", "러시아·중국", "России и Китая".
_LIST_JOIN = re.compile(
    r"\s*(?:,|;|·|/|&|\band\b|\bor\b|(?<!\w)и(?!\w)|과|와|및)?\s*(?:the\s+)?", re.IGNORECASE
)


# The lead: the headline, the standfirst and the body's first paragraphs.
LEAD_PARAGRAPHS = 2


def in_lead(reading: Reading, number: int) -> bool:
    """Whether a sentence is in the headline, the standfirst or the body's first paragraphs."""
    zone = reading.sentences[number][0]
    paragraph = reading.paragraphs[number] if number < len(reading.paragraphs) else 0
    return zone != "body" or paragraph < LEAD_PARAGRAPHS


# "A trip to", "state visits to", "a tour of", "will take Wang to", "arrived in", "will
# visit", "toured", and a region's list after them ("a trip to Central Asia, including").
_VISIT = re.compile(
    r"\b(?:(?:(?:state|official|working)\s+)?visits?\s+to|trips?\s+to"
    r"|tours?\s+(?:of|to|across|through)|travel(?:s|led|ed|ling|ing)?\s+to"
    r"|take\s+(?:him|her|them|[A-Z][\w-]+)\s+to|arriv(?:e|es|ed|ing)\s+in"
    r"|(?:will|to|would|and|he|she|they|[a-z]+ly)\s+(?:visit|tour)|visit(?:s|ed|ing)|tour(?:s|ed|ing))"
    r"\s+(?:the\s+)?(?:(?:Central\s+Asia|region)(?:n\s+(?:countries|states|nations))?,?\s+"
    r"(?:including|namely)\s+)?"
)
# A visit called off, or the one a visit is the first since: not this story's.
_NOT_THIS_VISIT = re.compile(
    r"\b(?:cancel\w*|postpon\w*|call(?:s|ed|ing)?\s+off|scrap\w*|since)\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def visit_destinations(
    vocab: Vocabulary, reading: Reading, published: datetime.date | None = None
) -> set[str]:
    """The Central Asian states the lead lists as where a visit or tour goes.

    "A week-long trip to Turkmenistan, Kazakhstan and Uzbekistan": each is what
    the story covers, named once or not, as the headline's states are. Not a
    trip called off, one a visit is the first since, or one of another year.
    """
    region = set(vocab.central_asia)
    visited: set[str] = set()
    for i, (_zone, text) in enumerate(reading.sentences):
        if not in_lead(reading, i):
            continue
        states = sorted(
            (hit.start, hit.end, hit.term.key)
            for hit in reading.hits
            if hit.sentence == i and hit.term.target == "country" and hit.term.key in region
        )
        for visit in _VISIT.finditer(text):
            if _NOT_THIS_VISIT.search(text, 0, visit.start()):
                continue
            if published and any(
                int(year) != published.year for year in _YEAR.findall(text[visit.end() :])
            ):
                continue
            position, listed = visit.end(), 0
            for start, end, code in states:
                if start < position:
                    continue
                if not (_AND if listed else _NOTHING).fullmatch(text[position:start]):
                    break
                visited.add(code)
                listed, position = listed + 1, end
    return visited


_NOTHING = re.compile(r"\s*")
_AND = re.compile(r"\s*(?:,\s*and|,|and|&)\s*")


def formats_beside_the_story(
    vocab: Vocabulary,
    reading: Reading,
    words: Words,
    published: datetime.date | None = None,
) -> set[str]:
    """Formats a story names only after its lead, beside the one it covers.

    News puts what it covers in the headline and the first paragraphs. When the
    headline is about one or two Central Asian states and a partner ("Kyrgyz
    president meets Japan's emperor", "Lee speaks with the leaders of Kyrgyzstan
    and Tajikistan"), naming no format and not the region (three states are the
    region, as a description reads them), a format first named further down ("he
    will also attend the Central Asia + Japan summit") is what the visit is set
    beside, not what the story covers. So is another format first named after the
    lead of a story whose headline names or describes a format: a piece on the
    Japan summit that lists, paragraphs down, what the US, Russia and Korea have
    held or plan with the five compares them with it. Unless the text tells of a
    meeting of it to come that someone attends ("he and the other four presidents
    will hold the first Germany–Central Asia summit") or gives that meeting's day
    ("the first Germany–Central Asia summit opens in Berlin on 29 September"): a
    trip or a season of summits goes from one to the next.
    """
    headline = [i for i, (zone, _) in enumerate(reading.sentences) if zone != "body"]
    story = {slug for slug, where in words.framework_sentences.items() if where & set(headline)}
    if story:
        return {
            slug
            for slug, where in words.framework_sentences.items()
            if slug not in story
            and not any(in_lead(reading, i) for i in where)
            and not any(_a_meeting_to_come(reading.sentences[i][1], published) for i in where)
        }
    region = set(vocab.central_asia)
    for i in headline:
        text = reading.sentences[i][1]
        if _CENTRAL_ASIA.search(text) or _CENTRAL_ASIA_KO_RU.search(text):
            return set()
    in_headline = set().union(*(words.sentence_countries.get(i, set()) for i in headline))
    states = in_headline & region
    if len(states) >= 3 or any(h.term.target == "group" for h in reading.hits if h.zone != "body"):
        return set()
    return {
        slug
        for slug, where in words.framework_sentences.items()
        if not any(in_lead(reading, i) for i in where)
        # "To visit Kazakhstan and Uzbekistan ... in Astana he will hold the first Central
        # Asia plus Japan summit": a visit to two of the five that holds the format's
        # meeting is at it.
        and not (len(states) == 2 and any(_HOLDS.search(reading.sentences[i][1]) for i in where))
        # "Putin arrives in Astana ... On October 14, Astana hosts a meeting in the Russia -
        # Central Asia format": the visitor's own format meeting, on a day of its record in
        # the visit's first days, is what the visit is for.
        and not (
            vocab.framework_partners.get(slug) in in_headline
            and any(
                _days_after(reading.sentences[i][1], published) & _meeting_days(vocab, slug)
                for i in where
            )
        )
    }


def _meeting_days(vocab: Vocabulary, slug: str) -> set[datetime.date]:
    """The days the format's recorded meetings were, or are to be, held on."""
    return {
        datetime.date(*day)
        for facts in vocab.summits.values()
        if facts.framework == slug
        for day in facts.days
    }


def _a_meeting_to_come(text: str, published: datetime.date | None) -> bool:
    """Whether a sentence tells of a meeting someone will hold or attend, or dates one to come."""
    if _HOLDS.search(text):
        return True
    return bool(_days_after(text, published, within=None))


# How soon after a visit's story a meeting it dates is the visit's own.
VISIT_DAYS = datetime.timedelta(days=7)


def _days_after(
    text: str, published: datetime.date | None, within: datetime.timedelta | None = VISIT_DAYS
) -> set[datetime.date]:
    """The days a sentence gives on or after the article's date (and `within` of it)."""
    found: set[datetime.date] = set()
    if published is None:
        return found
    for cue in dates(text, published):
        if cue.month and cue.days:
            try:
                day = datetime.date(cue.year or published.year, cue.month, cue.days[-1])
            except ValueError:
                continue
            if day >= published and (within is None or day <= published + within):
                found |= {day.replace(day=d) for d in cue.days if d <= day.day}
    return found


# "He will hold the first Central Asia plus Japan summit", "attends the C5+1 meeting": the
# visitor at the format's meeting, not one who agrees to meet at it some day.
_HOLDS = re.compile(
    r"\b(?:hold|holds|holding|attend|attends|attending|chair|chairs|chairing|co-chair"
    r"|co-chairs|co-chairing|take\s+part\s+in|takes\s+part\s+in|taking\s+part\s+in)"
    r"\s+(?:the|a|an|its|his|her|their)\s+(?:[^\s.;:]+\s+){0,8}?"
    r"(?:summit|meeting|talks|consultative\s+meeting|dialogue)\b",
    re.IGNORECASE,
)
