"""Korean in plain-text exports: bylines, reporters' sign-offs and the editor's note."""

import re
from collections.abc import Iterable

from journal.services.plaintext_names import (
    EMAIL_TAIL,
    HANGUL,
    KNOWN_OUTLETS,
    LOCAL_NOT_NAMES,
    LocalByline,
)
from journal.services.wirecopy import LOCAL_OUTLETS, WIRE_OUTLETS, named_like_an_outlet

# Bylines: "김대식 기자", "외교저널 김대식·이민정 기자", "글 김대식", "김대식 전 주카자흐스탄 대사".
_KO_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지"
    "엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉"
)
_KO_COMPOUND_SURNAMES = ("황보", "남궁", "제갈", "선우", "독고", "사공", "서문")
# Words that begin like a surname and are as short as a name: "신임 대사" is "the new
# ambassador", "주한 대사" "the ambassador in Seoul".
_KO_NOT_NAMES = {"신임", "주한", "전임", "현직", "전직", "주요", "이번", "정부", "한국", "전문"}
_KO_NOT_NAMES |= {"한중", "한일", "한러", "정상", "차기", "초대", "역대", "명예", "특임", "여성"}
_KO_STAFF_TITLE = (
    r"(?:(?:선임|수석|전문|객원|수습|사진|영상|취재|인턴)?기자"
    r"|특파원|통신원|논설위원|편집위원|편집장)"
)
_KO_STAFF = re.compile(rf"^(?P<names>.*?)\s*{_KO_STAFF_TITLE}$")
_KO_STAFF_AFTER_NAME = re.compile(rf"\s*{_KO_STAFF_TITLE}$")
# "글 김대식", "글·사진 김대식", "글=김대식".
_KO_TEXT_BY = re.compile(
    r"^(?:글|기고|글\s*[·ㆍ/,]\s*사진|사진\s*[·ㆍ/,]\s*글)(?:\s*[=:\uff1a]\s*|\s+)(?=\S)"
)
# "워싱턴=김대식 특파원": where a correspondent files from.
_KO_PLACE = re.compile(r"^[가-힣]{1,8}\s*=\s*(?=\S)")
_KO_SEPARATORS = re.compile(r"\s*[·ㆍ・‧∙,/、]\s*|\s+및\s+")
# What a guest's position ends with: "전 주카자흐스탄 대사", "한국외대 교수".
_KO_POSITION_END = re.compile(
    r"(?:대사|총영사|영사|공사|참사관|교수|연구위원|연구원|원장|소장|이사장|이사|위원장|위원|회장|"
    r"대표|사무총장|총장|장관|차관|의원|박사|전문가|고문|센터장|실장|국장|학장|변호사|작가|평론가|"
    r"칼럼니스트|외교관)$"
)


def _korean_name(token: str) -> bool:
    """A Korean name as Koreans write it: a surname and one or two syllables, "김대식"."""
    if (
        not re.fullmatch(r"[가-힣]{2,4}", token)
        or token in LOCAL_NOT_NAMES
        or token in _KO_NOT_NAMES
        or token.endswith("의")
    ):
        return False
    if token[:2] in _KO_COMPOUND_SURNAMES:
        return len(token) >= 3
    return token[0] in _KO_SURNAMES and len(token) <= 3


def korean_people(text: str) -> tuple[str, ...] | None:
    """The names before "기자": "김대식·이민정", "김대식 이민정" (agencies' spacing), or one
    foreign name in Hangul, "아이굴 사르센바예바". None when a part is not a name."""
    people: list[str] = []
    for part in _KO_SEPARATORS.split(text.strip()):
        part = _KO_STAFF_AFTER_NAME.sub("", part).strip()
        tokens = part.split()
        if not tokens:
            continue
        if part in LOCAL_NOT_NAMES:
            continue
        if all(_korean_name(token) for token in tokens):
            people.extend(tokens)
        elif 1 < len(tokens) <= 3 and all(
            # A foreign name in Hangul or in Latin letters, but no word with a
            # particle: "현장의 기자" is "the reporter on the spot".
            re.fullmatch(r"[가-힣]{1,8}(?<![의은는을를에도로])|[A-Z][A-Za-z'-]+", token)
            for token in tokens
        ):
            people.append(part)
        else:
            return None
    return tuple(people)


def _leading_outlet(line: str, outlets: Iterable[str]) -> tuple[str | None, str]:
    """ "외교저널 김대식 기자" → ("외교저널", "김대식 기자")."""
    folded = line.casefold()
    for name in sorted({*outlets, *WIRE_OUTLETS, *LOCAL_OUTLETS}, key=len, reverse=True):
        if folded.startswith(name.casefold() + " "):
            return name, line[len(name) :].strip()
    first, _, rest = line.partition(" ")
    if rest and HANGUL.search(first) and named_like_an_outlet(first):
        return first, rest.strip()
    return None, line


def korean_byline(text: str, outlets: Iterable[str]) -> LocalByline | None:
    """The Korean byline `text` is, or None for another line."""
    line = EMAIL_TAIL.sub("", text).strip(" =/")
    if line[:1] in "[(" and line[-1:] in "])":
        line = line[1:-1].strip()
    marked = _KO_TEXT_BY.match(line)
    if marked:
        line = line[marked.end() :]
    line = _KO_PLACE.sub("", line)
    outlet, line = _leading_outlet(line, outlets)
    if staff := _KO_STAFF.match(line):
        people = korean_people(staff["names"])
        if people is None or not (people or marked or outlet):
            return None
        return LocalByline(people, ("",) * len(people), outlet)
    people, positions = [], []
    for part in _KO_SEPARATORS.split(line):
        tokens = part.split()
        if len(tokens) > 1 and _korean_name(tokens[0]) and _KO_POSITION_END.search(tokens[-1]):
            people.append(tokens[0])
            positions.append(" ".join(tokens[1:]))
        elif len(tokens) == 1 and _korean_name(tokens[0]):
            people.append(tokens[0])
            positions.append("")
        elif marked and (found := korean_people(part)) is not None:
            people.extend(found)
            positions.extend("" for _ in found)
        elif tokens:
            return None
    if not marked and not (positions and positions[-1]):
        return None
    if positions and positions[-1] and not any(positions[:-1]):
        # "김대식·이민정 교수": the title after the last name is everyone's.
        positions = [positions[-1]] * len(positions)
    # A name and a position alone read as a byline only under a headline.
    return LocalByline(
        tuple(people), tuple(positions), outlet, guest=any(positions), bare=not (marked or outlet)
    )


def is_korean_signoff(line: str) -> bool:
    """A reporter's name at the foot of Korean copy: "김대식 기자 dskim@example.kr"."""
    if len(line) > 150 or not HANGUL.search(line):
        return False
    if not _KO_STAFF.match(EMAIL_TAIL.sub("", line).strip(" =/[]()")):
        return False
    local = korean_byline(line, KNOWN_OUTLETS)
    return local is not None and bool(local.people)


# Editor's notes: "다음 글은 김대식 전 주카자흐스탄 대사가 주한 카자흐스탄 대사관을 통해
# 외교저널에 기고한 것이다." The writer is the subject of the verb of writing;
# the channel is what "을/를 통해" (through) follows.
_KO_WRITING = re.compile(r"^(?:기고|보내|보낸|작성|집필|썼|쓴|전해|제공)")
_KO_ENDS_PHRASE = re.compile(r"(?:을|를|에|에게|에서|으로|로|와|과|도|[,.:;])$")
_KO_CREDIT = "{channel}{particle} 통해 기고"


def _has_final_consonant(syllable: str) -> bool:
    return "가" <= syllable <= "힣" and (ord(syllable) - 0xAC00) % 28 != 0


def _korean_subject(token: str) -> str | None:
    """`token` without its subject or topic particle ("대사가" → "대사"), or None."""
    token = token.rstrip(",")
    if len(token) > 2 and token.endswith("께서"):
        return token[:-2]
    if len(token) < 2 or not "가" <= token[-2] <= "힣":
        return None
    stem, particle = token[:-1], token[-1]
    after_consonant = _has_final_consonant(stem[-1])
    if (particle in "이은" and after_consonant) or (particle in "가는" and not after_consonant):
        return stem
    return None


def _korean_phrase_start(tokens: list[str], end: int) -> int:
    """Where the phrase ending at `end` starts: after the last word with a particle."""
    start = end
    while start > 0 and not (
        _KO_ENDS_PHRASE.search(tokens[start - 1])
        or _korean_subject(tokens[start - 1])
        or tokens[start - 1].startswith("통해")
    ):
        start -= 1
    return start


def read_korean_note(note: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(contributor name, position, channel, credit format) from a Korean editor's note; the
    credit format is None when the note names no channel."""
    tokens = note.split()
    channel, credit = None, None
    for index, token in enumerate(tokens[1:], start=1):
        previous = tokens[index - 1]
        if token.startswith(("통해", "통하여")) and previous[-1] in "을를" and len(previous) > 1:
            start = _korean_phrase_start(tokens, index - 1)
            channel = " ".join([*tokens[start : index - 1], previous[:-1]])
            credit = _KO_CREDIT.replace("{particle}", previous[-1])
            break
    for verb, token in enumerate(tokens):
        if not _KO_WRITING.match(token):
            continue
        for subject in range(verb - 1, -1, -1):
            stem = _korean_subject(tokens[subject])
            if stem is None and subject == verb - 1 and tokens[subject].endswith("의"):
                stem = tokens[subject][:-1]  # "김대식 전 대사의 기고문"
            if stem is None:
                continue
            start = _korean_phrase_start(tokens, subject)
            found = _korean_writer([*tokens[start:subject], stem])
            if found:
                return (*found, channel, credit)
    return None, None, channel, credit


def _korean_writer(phrase: list[str]) -> tuple[str, str | None] | None:
    """(name, position) from "김대식 전 주카자흐스탄 대사" or "전 대사인 김대식 씨"."""
    phrase = [token for token in phrase if token not in ("씨", "님")]
    for index, token in enumerate(phrase[:-1]):
        if len(token) > 1 and token.endswith("인") and _korean_name(phrase[index + 1]):
            return phrase[index + 1], " ".join([*phrase[:index], token[:-1]]) or None
    if phrase and _korean_name(phrase[0]):
        return phrase[0], " ".join(phrase[1:]) or None
    return None
