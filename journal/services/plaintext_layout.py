"""What a line of a plain-text export is: headline, deck, byline, outlet line or editor's note."""

import re
from collections.abc import Iterable

from journal.services.plaintext_english import read_english_byline
from journal.services.plaintext_korean import korean_byline
from journal.services.plaintext_names import CYRILLIC, HANGUL, KNOWN_OUTLETS, LocalByline
from journal.services.plaintext_russian import russian_byline
from journal.services.wirecopy import known_outlet, named_like_an_outlet

# A subheading is a short line; past this it is a paragraph even without a full stop.
MAX_HEADING_CHARS = 120
# Article.title and the text fields it feeds.
MAX_TITLE_CHARS = 255

# What may follow the last word of a sentence: closing quotes and brackets.
CLOSERS = "\"'\u2019\u201d\u00bb\u203a)]\u300d\u300f\u300b\u3009\uff09"
_FINAL_PUNCTUATION = ".!?:;,\u2026-\u2013\u2014\u3002\uff0e\uff01\uff1f\u22ef"
# Korean's formal sentence endings say "sentence" even without the full stop.
_KOREAN_SENTENCE_ENDINGS = ("니다", "니까")
BULLET = re.compile(r"^[\u2022\u00b7\u25aa\u25cf*\u2013\u2014-]\s+(?=\S)")
SEPARATOR = re.compile(r"^(?:[*\u2022\u00b7~=_-]\s*){3,}$")
BYLINE = re.compile(r"^by\s*:?\s+(?P<rest>\S.*)$", re.IGNORECASE)
# "… in Seoul. –Ed." and its spellings; also "[Editor's note: …]".
_NOTE_MARK = re.compile(r"\s*\(?\s*[-\u2013\u2014]{1,2}\s*Eds?\.?\s*\)?\s*$")
_NOTE_PREFIX = re.compile(r"^\[?\s*editor['\u2019]?s\s+note\s*[:.\u2013\u2014-]\s*", re.IGNORECASE)
# Korean and Russian notes: "… 것이다. –편집자", "-편집자 주", "(편집자 주)";
# "… — Прим. ред.", "(Прим. ред.)", "— Ред.".
_LOCAL_NOTE_MARK = re.compile(
    r"\s*(?:[-\u2013\u2014/]{1,2}\s*편집자(?:\s*주)?\s*[-\u2013\u2014]?"
    r"|[(\[<]\s*[-\u2013\u2014]?\s*편집자(?:\s*주)?\s*[)\]>]"
    r"|[(\[]?\s*(?:[-\u2013\u2014]{1,2}\s*)?Прим(?:\.|ечание)\s*ред(?:\.|акции)\s*[)\]]?"
    r"|[-\u2013\u2014]{1,2}\s*Ред\.?|\(\s*[-\u2013\u2014]?\s*Ред\.?\s*\))\s*$"
)
# "편집자 주: …", "(편집자 주) …", "[편집자 주] …"; "От редакции: …", "Прим. ред.: …".
_LOCAL_NOTE_PREFIX = re.compile(
    r"^(?:※\s*)?(?:[(\[<\u3008\u3010]\s*편집자\s*주\s*[)\]>\u3009\u3011]\s*[:\uff1a.=\-\u2013\u2014]?"
    r"|편집자\s*주\s*[:\uff1a=\-\u2013\u2014]"
    r"|[(\[]?\s*(?:От\s+редакции|Прим(?:\.|ечание)\s*ред(?:\.|акции))\s*[)\]]?\s*[:\-\u2013\u2014])"
    r"\s*(?=\S)"
)
# A line of its own saying the next line is the note: "[편집자 주]", "От редакции".
_LOCAL_NOTE_LABEL = re.compile(
    r"^(?:※\s*)?(?:[(\[<\u3008\u3010]\s*편집자\s*주\s*[)\]>\u3009\u3011]|편집자\s*주\s*[:\uff1a]?"
    r"|[\[(]?\s*От\s+редакции\s*[\])]?\s*:?|Примечание\s+редакции\s*:)$"
)


def heading_like(text: str) -> bool:
    """A short line with letters and without final punctuation."""
    return (
        len(text) <= MAX_HEADING_CHARS
        and any(char.isalpha() for char in text)
        and not _ends_sentence(text)
        and not text.endswith(")")
        and not (text[0] in "([" and text[-1] in ")]")
        and not BULLET.match(text)
        and not is_byline(text)
        and not _has_note_mark(text)
    )


def fits_title(text: str) -> bool:
    """A line above the byline is the headline, even ending in "?", unless it is long."""
    return len(text) <= MAX_TITLE_CHARS and len(text.split()) <= 30 and not _has_note_mark(text)


def clean_title(text: str) -> str:
    # Headlines carry no full stop; keep "?", "!" and an ellipsis.
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def is_deck(text: str) -> bool:
    """A line under a headline that is one or two sentences: the standfirst."""
    return _ends_sentence(text) and len(text) <= 400 and not _has_note_mark(text)


def outlet_line(text: str, outlets: list[str], *, local: bool = False) -> bool:
    """A line naming only an outlet: "Reuters", "BBC News", "The Astana Times"."""
    if len(text) > 60 or _ends_sentence(text.rstrip(".")) and not text.endswith("."):
        return False
    return known_outlet(text, outlets) or named_like_an_outlet(text, local=local)


def author_line(text: str, outlets: list[str]) -> bool:
    """Names without "By", perhaps with their outlet: "Jane Doe and John Roe, Reuters"."""
    if len(text) > 100 or _ends_sentence(text) or outlet_line(text, outlets):
        return False
    people, _outlet = read_english_byline(text, outlets)
    names = re.split(r"\s*(?:,|\||/|;|\s[\u2013\u2014-]\s)\s*", text, maxsplit=1)[0]
    parts = [part for part in re.split(r"\s*(?:&|\band\b)\s*", names) if part.strip()]
    return (
        bool(people)
        and len(people) == len(parts)
        and all(2 <= len(person.split()) <= 4 for person in people)
    )


def is_byline(text: str) -> bool:
    """A byline: "By …", or a Korean or Russian one that says it is ("… 기자", "Автор: …")."""
    match = BYLINE.match(text)
    if match is None:
        local = local_byline(text)
        return local is not None and not local.bare
    return bool(
        len(text) <= 150
        and not match["rest"][0].islower()
        and not text.rstrip(CLOSERS).endswith(("!", "?", ":", ";"))
    )


def is_name_line(text: str) -> bool:
    """Names without "Автор:" or "기자": Russian names shaped like names ("Иван Петров и
    Анна Смирнова"), a Korean name with a position ("김대식 전 주카자흐스탄 대사")."""
    local = local_byline(text)
    return local is not None and local.bare


def local_byline(text: str, outlets: Iterable[str] = KNOWN_OUTLETS) -> LocalByline | None:
    """The Korean or Russian byline `text` is, or None for another line."""
    if len(text) > 150:
        return None
    if HANGUL.search(text):
        return korean_byline(text, outlets)
    if CYRILLIC.search(text):
        return russian_byline(text, outlets)
    return None


def is_note_label(line: str) -> bool:
    """`line` only says the next line is the editor's note: "[편집자 주]", "От редакции"."""
    return _names_the_editors(line) and bool(_LOCAL_NOTE_LABEL.match(line))


def is_note_mark(line: str) -> bool:
    """`line` is only a note's closing mark: "–Ed.", "–편집자", "— Прим. ред."."""
    return bool(_NOTE_MARK.match(line) or _LOCAL_NOTE_MARK.match(line))


def note_text(line: str) -> str | None:
    """The editor's note in `line` without its "–Ed." mark, or None for another line."""
    prefix = _NOTE_PREFIX.match(line)
    if prefix:
        note = line[prefix.end() :].strip()
        return note[:-1].strip() if note.endswith("]") else note
    mark = _NOTE_MARK.search(line)
    if mark and mark.start() > 0:
        return line[: mark.start()].strip()
    if not _names_the_editors(line):
        return None
    if prefix := _LOCAL_NOTE_PREFIX.match(line):
        note = line[prefix.end() :].strip()
        if mark := _LOCAL_NOTE_MARK.search(note):
            note = note[: mark.start()].strip()
        return note[:-1].strip() if note.endswith("]") and "[" not in note else note
    mark = _LOCAL_NOTE_MARK.search(line)
    if mark and mark.start() > 0:
        return line[: mark.start()].strip()
    return None


def _ends_sentence(text: str) -> bool:
    text = text.rstrip(CLOSERS)
    return text.endswith(tuple(_FINAL_PUNCTUATION)) or text.endswith(_KOREAN_SENTENCE_ENDINGS)


def _names_the_editors(text: str) -> bool:
    """Whether `text` may hold a Korean or Russian note's mark: a quick look first."""
    return "편집자" in text or "ред" in text or "Ред" in text


def _has_note_mark(text: str) -> bool:
    """`text` is or carries an editor's note: "… –Ed.", "편집자 주: …", "От редакции"."""
    return bool(_NOTE_MARK.search(text)) or (
        _names_the_editors(text)
        and bool(
            _LOCAL_NOTE_MARK.search(text)
            or _LOCAL_NOTE_PREFIX.match(text)
            or _LOCAL_NOTE_LABEL.match(text)
        )
    )
