"""Plain-text article exports: checking a file, and finding an article's parts in it.

An export is UTF-8 text with one block per line, blank lines ignored:

    A headline (optional)
    By Diplomacy Journal Jane Doe                      (optional byline, outlet first or last)
    The following article was contributed by Kim Dae-sik, Former Ambassador of the
        Republic of Korea to the Republic of Kazakhstan, to the Diplomacy Journal for
        publication through the Embassy of Kazakhstan in Seoul. –Ed.   (optional, one line)
    A paragraph ends with punctuation.
    A Short Line Without Final Punctuation Is a Subheading
    • A line starting with a bullet is a list item

Copy from wire services and other outlets is read too:

    Headline
    A deck: one or two sentences under the headline    (the standfirst)
    (Adds ministry comment in paragraph 4)             (update notes: left out, reported)
    By Jane Doe  /  Jane Doe and John Roe              (without "By" only right under the
                                                        headline, and reported as a guess)
    Reuters                                            (an outlet's line under the byline)
    ASTANA, Nov 7 (Reuters) - The first paragraph...   (a dateline: place, date, agency)

(the outlets, notes and datelines are recognised by journal/services/wirecopy.py)

Korean and Russian exports have the same parts, written as Seoul and Astana write them:

    김대식 기자 / 외교저널 김대식 기자 / 김대식·이민정 기자 / 김대식 기자 dskim@example.kr
    글 김대식 / 김대식 전 주카자흐스탄 대사          (a position makes the writer a guest)
    … 기고한 것이다. –편집자 / 편집자 주: … / (편집자 주) …
    (서울=연합뉴스) 김대식 기자 = 첫 문단…          (the agency's dateline names the byline)
    Автор: Иван Петров / Текст: … / Иван Петров и Анна Смирнова
    Иван Петров, специально для Diplomacy Journal   (a guest writing for the journal)
    … через посольство Казахстана в Сеуле. — Прим. ред. / От редакции: …
    АСТАНА, 6 ноября. /ТАСС/. … / ТАШКЕНТ, 6 ноя — РИА Новости. …

(their bylines, names and editor's notes are read by journal/services/plaintext_korean.py
and journal/services/plaintext_russian.py; this module asks the one the script calls for)

A Korean sentence ends with a full stop ("…했다.", "…이다.") or, without one,
in "…습니다"; a short line without either is a subheading, as in English.

Nothing here touches the database: `decode_export()` checks the bytes,
`parse_export()` reads the text, and `journal.services.imports.article_import()` turns
the result into a draft article.
"""

import datetime
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from journal.services.plaintext_korean import (
    is_korean_signoff,
    korean_byline,
    korean_people,
    read_korean_note,
)
from journal.services.plaintext_names import CYRILLIC, HANGUL, KNOWN_OUTLETS, LocalByline
from journal.services.plaintext_russian import (
    read_russian_note,
    russian_byline,
    russian_dateline_people,
)
from journal.services.wirecopy import (
    LOCAL_OUTLETS,
    WIRE_NOTE,
    WIRE_OUTLETS,
    WIRE_PREFIX,
    dateline_day,
    find_dateline,
    known_outlet,
    named_like_an_outlet,
)

# 1 MB, about 150,000 words: many times the length of any article. A bigger
# file is a mistake (a whole archive, a database dump), not an article.
MAX_EXPORT_BYTES = 1024 * 1024
# A subheading is a short line; past this it is a paragraph even without a full stop.
MAX_HEADING_CHARS = 120
# Article.title and the text fields it feeds.
MAX_TITLE_CHARS = 255
# Provisional titles are cut at a word boundary near this length.
PROVISIONAL_TITLE_CHARS = 60

# Control characters besides tab, line feed, form feed and carriage return: a few
# are stray keystrokes and are dropped; many mean the file is not text at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})
# What the start of a file says about a format that is not plain text.
_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a Word, OpenDocument or ZIP file",
    b"\xd0\xcf\x11\xe0": "an old Word document",
    b"{\\rtf": "a rich-text (RTF) document",
    b"\xff\xfe": "UTF-16 text",
    b"\xfe\xff": "UTF-16 text",
}
# What may follow the last word of a sentence: closing quotes and brackets.
_CLOSERS = "\"'\u2019\u201d\u00bb\u203a)]\u300d\u300f\u300b\u3009\uff09"
_FINAL_PUNCTUATION = ".!?:;,\u2026-\u2013\u2014\u3002\uff0e\uff01\uff1f\u22ef"
# Korean's formal sentence endings say "sentence" even without the full stop.
_KOREAN_SENTENCE_ENDINGS = ("니다", "니까")
_BULLET = re.compile(r"^[\u2022\u00b7\u25aa\u25cf*\u2013\u2014-]\s+(?=\S)")
_SEPARATOR = re.compile(r"^(?:[*\u2022\u00b7~=_-]\s*){3,}$")
_BYLINE = re.compile(r"^by\s*:?\s+(?P<rest>\S.*)$", re.IGNORECASE)
# "… in Seoul. –Ed." and its spellings; also "[Editor's note: …]".
_NOTE_MARK = re.compile(r"\s*\(?\s*[-\u2013\u2014]{1,2}\s*Eds?\.?\s*\)?\s*$")
_NOTE_PREFIX = re.compile(r"^\[?\s*editor['\u2019]?s\s+note\s*[:.\u2013\u2014-]\s*", re.IGNORECASE)
_NOTE_BY = re.compile(
    r"\b(?:contributed|written|submitted|authored|prepared|penned|sent|provided)"
    r"(?:\s+\w+){0,3}?\s+by\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
_NOTE_CHANNEL = re.compile(r"\b(?:through|via)\s+(?=\S)", re.IGNORECASE)
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
# A full stop that ends a sentence, not one in "U.S.", "D.C." or "Dr.".
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)(?<!\bSt)(?<!\bNo)"
    r"\.(?=\s+[\"'\u201c\u2018]?[A-Z]|\s*$)"
)
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|H\.\s?E)\.?\s+")
_LEADING_ARTICLE = re.compile(r"^(?:who\s+(?:is|was|served\s+as)\s+)?(?:an?|the)\s+", re.I)
_NAME_PARTICLES = {"al", "bin", "bint", "da", "de", "del", "der", "di", "du", "el", "ibn"}
_NAME_PARTICLES |= {"la", "le", "van", "von", "y", "ul", "uulu", "kyzy"}
_NOT_NAMES = {"staff", "staff reporter", "staff writer", "the editors", "editors", "editorial"}
# The last lines of Korean and Russian agency copy: the reporter's address, the
# agency's copyright, the end mark.
_LOCAL_TRAILER = re.compile(
    r"^(?:(?P<address>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<copyright>[<\[(]?\s*(?:저작권자|ⓒ|©|\(c\)).{0,60}"
    r"(?:무단\s*전재|재배포\s*금지|무단\s*복제).{0,20}"
    r"|(?:©|\(c\))\s*[А-ЯЁA-Z][^.]{0,40}"
    r"|При\s+(?:полном\s+или\s+частичном\s+)?(?:использовании|цитировании)\b.{0,120})"
    r"|(?P<end>\(끝\)))$",
    re.IGNORECASE,
)
_TRAILERS = {
    "address": "the reporter's e-mail address",
    "copyright": "the agency's copyright notice",
    "end": "the agency's end mark",
}


class ExportRejected(ValueError):
    """A file that cannot be imported; the message says why, for the person who sent it."""


def decode_export(data: bytes) -> str:
    """The text of an export file, or ExportRejected saying what is wrong with it.

    Accepts UTF-8 with or without a byte-order mark. Refuses empty files,
    files over MAX_EXPORT_BYTES, binary files and other encodings.
    """
    if len(data) > MAX_EXPORT_BYTES:
        raise ExportRejected(
            f"The file is too long: over {MAX_EXPORT_BYTES // 1024 // 1024} MB, "
            "far more than an article. Import articles one file each."
        )
    if not data.strip():
        raise ExportRejected("The file is empty.")
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            raise ExportRejected(
                f"This is {kind}, not plain text. Save the article as plain text (UTF-8) "
                "and import that file."
            )
    if b"\x00" in data:
        raise ExportRejected("This is not a text file: it contains binary data.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExportRejected(
            f"The file is not UTF-8 text (an unreadable character on line {line}; it was "
            "probably saved as Latin-1 or Windows-1252). Save it as UTF-8 and import it again."
        ) from None
    if not text.strip():
        raise ExportRejected("The file is empty.")
    if len(_CONTROL.findall(text)) > max(10, len(text) // 100):
        raise ExportRejected("This is not a text file: it contains binary data.")
    return text


def read_limited(stream) -> bytes:
    """Read at most one byte more than MAX_EXPORT_BYTES: enough to tell a file is too long."""
    return stream.read(MAX_EXPORT_BYTES + 1)


@dataclass(frozen=True)
class Block:
    """One piece of the body: `kind` is "h2", "p", "li" or "hr"."""

    kind: str
    text: str = ""


@dataclass(frozen=True)
class ParsedExport:
    """What `parse_export()` found in a file; `title` is None when it has no headline line."""

    title: str | None
    blocks: tuple[Block, ...]
    key: str
    byline: str | None = None
    byline_people: tuple[str, ...] = ()
    outlet: str | None = None
    editors_note: str = ""
    contributor_name: str | None = None
    contributor_position: str | None = None
    channel: str | None = None
    standfirst: str = ""
    # The byline was a line of names without "By", taken as one from its place.
    byline_guessed: bool = False
    # What the byline says each person is ("전 주카자흐스탄 대사", "Профессор КазНУ"),
    # "" for none, and whether they write for the journal from outside
    # ("специально для Diplomacy Journal").
    byline_positions: tuple[str, ...] = ()
    byline_guest: bool = False
    # The credit line in the note's language, around its channel.
    credit_format: str = "Submitted through {channel}"
    # "WASHINGTON, Nov. 7 (Reuters)": where and when the copy was filed, and
    # the agency it credits, as the first paragraph's dateline says.
    dateline: str | None = None
    dateline_place: str | None = None
    dateline_date: str | None = None
    agency: str | None = None
    wire_notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def dateline_day(self) -> datetime.date | None:
        """The day the dateline gives, when it gives the year too ("June 2, 2025")."""
        return dateline_day(self.dateline_date)

    @property
    def byline_person(self) -> str | None:
        return self.byline_people[0] if self.byline_people else None

    @property
    def credit_line(self) -> str:
        return self.credit_format.format(channel=self.channel) if self.channel else ""

    @property
    def subheadings(self) -> list[str]:
        return [block.text for block in self.blocks if block.kind == "h2"]

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if block.kind == "p"]

    @property
    def provisional_title(self) -> str:
        """The first words of the text, for an article whose file has no headline."""
        first = next((b.text for b in self.blocks if b.kind in ("p", "li")), "")
        return _first_words(first or next(b.text for b in self.blocks if b.text))

    @property
    def body_html(self) -> str:
        parts: list[str] = []
        in_list = False
        for block in self.blocks:
            if in_list and block.kind != "li":
                parts.append("</ul>")
                in_list = False
            if block.kind == "hr":
                parts.append("<hr>")
                continue
            if block.kind == "li" and not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<{block.kind}>{html.escape(block.text, quote=False)}</{block.kind}>")
        if in_list:
            parts.append("</ul>")
        return "\n".join(parts)


def parse_export(text: str, *, outlets: Iterable[str] = KNOWN_OUTLETS) -> ParsedExport:
    """Find the headline, byline, editor's note, subheadings and paragraphs of an export.

    `outlets` are the names a byline may carry before or after the person
    ("By Diplomacy Journal Lee Kap-soo"). Raises ExportRejected when there is
    no article text at all.
    """
    outlets = sorted({o.strip() for o in outlets if o.strip()}, key=len, reverse=True)
    # Outlets of more than one word may stand right after the names ("By JANE
    # ROE Associated Press"); one word may be a surname ("By Michael
    # Bloomberg"), so it counts only after a comma or a dash, or on its own line.
    named = {outlet.casefold() for outlet in outlets}
    outlets += [
        name for name in WIRE_OUTLETS if name.casefold() not in named and len(name.split()) > 1
    ]
    outlets.sort(key=len, reverse=True)
    text, warnings = _repair_encoding(text)
    lines = _lines(text)
    if not lines:
        raise ExportRejected("The file is empty.")
    key = hashlib.sha256("\n".join(t.translate(_QUOTES) for _, t in lines).encode()).hexdigest()

    rest = list(lines)
    # A wire's notes about the version sit at the top, above or under the headline.
    wire_notes = [line for _, line in rest[:4] if WIRE_NOTE.match(line)]
    rest = [(n, line) for i, (n, line) in enumerate(rest) if i >= 4 or line not in wire_notes]
    if rest and (prefix := WIRE_PREFIX.match(rest[0][1])) and len(rest[0][1]) > prefix.end():
        wire_notes.insert(0, prefix[0].strip(" -\u2013\u2014:"))
        rest[0] = (rest[0][0], rest[0][1][prefix.end() :])
    title = byline = byline_outlet_line = None
    standfirst = ""
    byline_guessed = False
    if len(rest) > 2 and _is_byline(rest[1][1]) and not _is_byline(rest[0][1]):
        if _fits_title(rest[0][1]):
            title = _clean_title(rest.pop(0)[1])
    elif len(rest) > 3 and _is_byline(rest[2][1]) and _fits_title(rest[0][1]):
        if _is_deck(rest[1][1]) and not _is_byline(rest[0][1]):
            # Headline, deck, byline.
            title = _clean_title(rest.pop(0)[1])
            standfirst = rest.pop(0)[1]
    elif (
        len(rest) > 2
        and _is_name_line(rest[1][1])
        and _fits_title(rest[0][1])
        and not rest[0][1].rstrip(_CLOSERS).endswith(".")
    ):
        # Under the headline, names need no "Автор:", nor a position "기자".
        title = _clean_title(rest.pop(0)[1])
        byline = rest.pop(0)[1]
    if byline is None and rest and _is_byline(rest[0][1]):
        byline = rest.pop(0)[1]
    if title is None and len(rest) > 2 and _fits_title(rest[0][1]) and _heading_like(rest[0][1]):
        number, line = rest[1]
        after = rest[2][1]
        # Only where wire copy shows itself: an outlet with the names, on the
        # line under them, or a dateline; a short line under the journal's
        # own headline is a subheading.
        dateline = find_dateline(after)
        wire = (
            _read_byline(line, outlets)[1]
            or _outlet_line(after, outlets)
            # "ASTANA –" alone may follow a subheading in any copy; a date or
            # an agency is the wire's.
            or (dateline and (dateline.date or dateline.agency))
        )
        if wire and _author_line(line, outlets):
            # Headline, then names without "By": wire and agency copy.
            title = _clean_title(rest.pop(0)[1])
            byline = f"By {rest.pop(0)[1]}"
            byline_guessed = True
            warnings.append(
                f"Line {number} (“{line}”) was read as the byline although it has no “By”: "
                "check the authors."
            )
    # Korean and Russian copy may name its own outlets under the byline.
    local_byline = bool(byline) and not _BYLINE.match(byline)
    line_outlets = [*outlets, *LOCAL_OUTLETS] if local_byline else outlets
    if byline and rest and _outlet_line(rest[0][1], line_outlets, local=local_byline):
        # "By Jane Doe" then "BBC News": the outlet, on a line of its own.
        number, byline_outlet_line = rest.pop(0)
        if not known_outlet(byline_outlet_line, line_outlets):
            warnings.append(
                f"Line {number} (“{byline_outlet_line}”) was read as the outlet under the "
                "byline, from how its name ends: check it is not the headline."
            )
    if title is None and len(rest) > 1 and _heading_like(rest[0][1]):
        title = _clean_title(rest.pop(0)[1])

    notes, body_lines = [], []
    label = None
    for number, line in rest:
        if label is not None:
            # The line under "[편집자 주]" or "От редакции" is the note.
            notes.append(line)
            label = None
            continue
        if _names_the_editors(line) and _LOCAL_NOTE_LABEL.match(line):
            label = (number, line)
            continue
        note = _note_text(line)
        if note is None and body_lines and _is_note_mark(line):
            # "–Ed." on a line of its own closes the note above it.
            note = body_lines.pop()[1]
        if note is None:
            body_lines.append((number, line))
        else:
            notes.append(note)
    if label is not None:
        body_lines.append(label)
    while (
        len(body_lines) > 1
        and (end := _LOCAL_TRAILER.match(body_lines[-1][1]))
        and _script_of(" ".join(line for _, line in body_lines[:20])[:5000]) != "en"
    ):
        # Korean and Russian agencies end with an address or a copyright line.
        warnings.append(f"Left out “{end[0]}”, read as {_TRAILERS[end.lastgroup]}.")
        body_lines.pop()
    if byline is None and body_lines and is_korean_signoff(body_lines[-1][1]):
        # Korean copy often signs off with the reporter: "김대식 기자 dskim@example.kr".
        byline = body_lines.pop()[1]
    blocks = _blocks(body_lines, warnings)
    if not any(block.kind in ("p", "li") for block in blocks):
        raise ExportRejected(
            "No article text found: the file has no paragraphs"
            + (" besides its byline and editor's note." if byline or notes else ".")
        )

    people: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    outlet = None
    byline_guest = False
    if byline:
        if english := _BYLINE.match(byline):
            people, outlet = _read_byline(english["rest"], outlets)
        elif local := _local_byline(byline, outlets):
            people, positions, outlet = local.people, local.positions, local.outlet
            byline_guest = local.guest
        if not people and not outlet:
            warnings.append(f"No name found in the byline “{byline}”.")
    outlet = outlet or byline_outlet_line
    paragraphs = [block for block in blocks if block.kind == "p"]
    dateline = find_dateline(paragraphs[0].text) if paragraphs else None
    if (
        dateline is None
        and title is not None
        and not standfirst
        and len(paragraphs) > 2
        and blocks[0] is paragraphs[0]
        and _is_deck(paragraphs[0].text)
        and (dateline := find_dateline(paragraphs[1].text))
    ):
        # Headline, deck, then the story from its dateline.
        standfirst = blocks.pop(0).text
    if not byline and dateline and dateline.reporters:
        # "(서울=연합뉴스) 김대식 기자 =", "/Корр. ТАСС Иван Петров/": the agency's byline.
        people = _dateline_people(dateline.reporters, outlets)
    name = position = channel = None
    credit_format = ParsedExport.credit_format
    editors_note = "\n\n".join(notes)
    if editors_note:
        language = _script_of(editors_note)
        if language == "ko":
            name, position, channel, credit = read_korean_note(editors_note)
            credit_format = credit or credit_format
        elif language == "ru":
            name, position, channel, credit, read_as = read_russian_note(editors_note)
            credit_format = credit or credit_format
            warnings.extend(read_as)
        else:
            name, position, channel = _read_note(editors_note, outlets)
        if name is None:
            warnings.append("The editor's note names no contributor that could be recognised.")
    return ParsedExport(
        title=title,
        blocks=tuple(blocks),
        key=key,
        byline=byline,
        byline_people=people,
        outlet=outlet,
        editors_note=editors_note,
        contributor_name=name,
        contributor_position=position,
        channel=channel,
        standfirst=standfirst,
        byline_guessed=byline_guessed and bool(people),
        byline_positions=positions,
        byline_guest=byline_guest,
        credit_format=credit_format,
        dateline=dateline.text if dateline else None,
        dateline_place=dateline.place if dateline else None,
        dateline_date=dateline.date if dateline else None,
        agency=dateline.agency if dateline else None,
        wire_notes=tuple(wire_notes),
        warnings=tuple(warnings),
    )


def name_key(name: str) -> str:
    """A person's name as compared when matching contributors: case, spacing and
    typographic apostrophes and hyphens do not count."""
    folded = unicodedata.normalize("NFKC", name).translate(_QUOTES).translate(_DASHES)
    return " ".join(folded.casefold().split())


# Lines ------------------------------------------------------------------


def _repair_encoding(text: str) -> tuple[str, list[str]]:
    # UTF-8 once read as Windows-1252 and saved again turns ’ into â€™.
    if "\u00e2\u20ac" not in text:
        return text, []
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text, []
    return repaired, ["Quotes and dashes were garbled (â€™ for ’) and have been repaired."]


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their numbers in the file, whitespace tidied."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _CONTROL.sub("", text))
    lines = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n|\u2028|\u2029", text), start=1):
        line = _SPACES.sub(" ", line).strip()
        if line:
            lines.append((number, line))
    return lines


def _ends_sentence(text: str) -> bool:
    text = text.rstrip(_CLOSERS)
    return text.endswith(tuple(_FINAL_PUNCTUATION)) or text.endswith(_KOREAN_SENTENCE_ENDINGS)


def _heading_like(text: str) -> bool:
    """A short line with letters and without final punctuation."""
    return (
        len(text) <= MAX_HEADING_CHARS
        and any(char.isalpha() for char in text)
        and not _ends_sentence(text)
        and not text.endswith(")")
        and not (text[0] in "([" and text[-1] in ")]")
        and not _BULLET.match(text)
        and not _is_byline(text)
        and not _has_note_mark(text)
    )


def _fits_title(text: str) -> bool:
    """A line above the byline is the headline, even ending in "?", unless it is long."""
    return len(text) <= MAX_TITLE_CHARS and len(text.split()) <= 30 and not _has_note_mark(text)


def _clean_title(text: str) -> str:
    # Headlines carry no full stop; keep "?", "!" and an ellipsis.
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _is_deck(text: str) -> bool:
    """A line under a headline that is one or two sentences: the standfirst."""
    return _ends_sentence(text) and len(text) <= 400 and not _has_note_mark(text)


def _outlet_line(text: str, outlets: list[str], *, local: bool = False) -> bool:
    """A line naming only an outlet: "Reuters", "BBC News", "The Astana Times"."""
    if len(text) > 60 or _ends_sentence(text.rstrip(".")) and not text.endswith("."):
        return False
    return known_outlet(text, outlets) or named_like_an_outlet(text, local=local)


def _author_line(text: str, outlets: list[str]) -> bool:
    """Names without "By", perhaps with their outlet: "Jane Doe and John Roe, Reuters"."""
    if len(text) > 100 or _ends_sentence(text) or _outlet_line(text, outlets):
        return False
    people, _outlet = _read_byline(text, outlets)
    names = re.split(r"\s*(?:,|\||/|;|\s[\u2013\u2014-]\s)\s*", text, maxsplit=1)[0]
    parts = [part for part in re.split(r"\s*(?:&|\band\b)\s*", names) if part.strip()]
    return (
        bool(people)
        and len(people) == len(parts)
        and all(2 <= len(person.split()) <= 4 for person in people)
    )


def _is_byline(text: str) -> bool:
    """A byline: "By …", or a Korean or Russian one that says it is ("… 기자", "Автор: …")."""
    match = _BYLINE.match(text)
    if match is None:
        local = _local_byline(text)
        return local is not None and not local.bare
    return bool(
        len(text) <= 150
        and not match["rest"][0].islower()
        and not text.rstrip(_CLOSERS).endswith(("!", "?", ":", ";"))
    )


def _is_name_line(text: str) -> bool:
    """Names without "Автор:" or "기자": Russian names shaped like names ("Иван Петров и
    Анна Смирнова"), a Korean name with a position ("김대식 전 주카자흐스탄 대사")."""
    local = _local_byline(text)
    return local is not None and local.bare


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


def _is_note_mark(line: str) -> bool:
    """`line` is only a note's closing mark: "–Ed.", "–편집자", "— Прим. ред."."""
    return bool(_NOTE_MARK.match(line) or _LOCAL_NOTE_MARK.match(line))


def _note_text(line: str) -> str | None:
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


def _blocks(lines: list[tuple[int, str]], warnings: list[str]) -> list[Block]:
    blocks: list[Block] = []
    # A heading needs text after it: the last short line of a file is a
    # signature or a sign-off, not a subheading.
    text_follows = False
    for _number, line in reversed(lines):
        if _SEPARATOR.match(line):
            blocks.append(Block("hr"))
        elif bullet := _BULLET.match(line):
            blocks.append(Block("li", line[bullet.end() :]))
            text_follows = True
        elif text_follows and _heading_like(line):
            blocks.append(Block("h2", line))
        else:
            blocks.append(Block("p", line))
            text_follows = True
    blocks.reverse()
    numbers = [number for number, _ in lines]
    for index in range(1, len(blocks)):
        if blocks[index].kind == blocks[index - 1].kind == "h2":
            warnings.append(
                f"Lines {numbers[index - 1]} and {numbers[index]} both look like subheadings. "
                "If the text was broken into short lines, join them and import it again."
            )
    return blocks


def _first_words(text: str) -> str:
    words, length = [], 0
    for word in text.split():
        if words and length + len(word) > PROVISIONAL_TITLE_CHARS:
            title = " ".join(words).rstrip(",;:\u2013\u2014-") + "\u2026"
            break
        words.append(word)
        length += len(word) + 1
    else:
        title = _clean_title(" ".join(words))
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1] + "\u2026"


# People -----------------------------------------------------------------


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 6
        and len(text) <= 100
        and text.casefold() not in _NOT_NAMES
        and not words[0].casefold() == "the"
        and not any(char.isdigit() for char in text)
        and words[0][0].isalpha()
        and all(not word[0].islower() or word in _NAME_PARTICLES for word in words)
    )


def _person(text: str) -> str:
    name = _HONORIFIC.sub("", text.strip(" ,;:.")).strip()
    # Agencies set bylines in capitals: "By JANE ROE".
    return name.title() if name.isupper() and len(name) > 3 else name


def _read_byline(rest: str, outlets: list[str]) -> tuple[tuple[str, ...], str | None]:
    """(people, outlet) from what follows "By"."""
    rest = rest.strip(" ,;:").removesuffix(".")
    outlet = None
    separators = r"[\s,:|/\u2013\u2014-]*"
    for name in outlets:
        pattern = rf"(?:the\s+)?{re.escape(name)}"
        start = re.match(rf"^{pattern}(?:['\u2019]s)?\b{separators}", rest, re.IGNORECASE)
        end = re.search(rf"{separators}\b(?:of\s+)?{pattern}$", rest, re.IGNORECASE)
        if start or end:
            outlet = name
            rest = rest[start.end() :] if start else rest[: end.start()]
            break
    if outlet is None:
        parts = re.split(r"\s*(?:,|\||/|;|\s[\u2013\u2014-]\s)\s*", rest, maxsplit=1)
        if len(parts) == 2 and parts[1]:
            rest, outlet = parts
    people = [_person(part) for part in re.split(r"\s*(?:&|\band\b)\s*", rest) if part.strip()]
    return tuple(p for p in people if _looks_like_name(p)), outlet or None


def _read_note(note: str, outlets: list[str]) -> tuple[str | None, str | None, str | None]:
    """(contributor name, position, channel) from an editor's note."""
    channel = None
    channels = list(_NOTE_CHANNEL.finditer(note))
    if channels:
        after = note[channels[-1].end() :]
        end = _SENTENCE_END.search(after)
        channel = (after[: end.start()] if end else after).strip(" ,;.") or None

    by = _NOTE_BY.search(note)
    if by is None:
        return None, None, channel
    tail = note[by.end() :]
    outlet_names = "|".join(re.escape(name) for name in outlets) or "(?!)"
    stop = re.search(
        r",\s*(?:to|for)\s+"
        r"|,?\s+(?:through|via)\s+"
        rf"|\s+(?:to|for|in)\s+(?:the\s+)?(?:{outlet_names})\b"
        r"|,?\s+for\s+publication\b"
        rf"|{_SENTENCE_END.pattern}",
        tail,
        re.IGNORECASE,
    )
    head = tail[: stop.start()] if stop else tail
    bracketed = re.match(r"^(?P<name>[^(]+?)\s*\((?P<position>[^)]*)\)", head)
    if bracketed:
        name, position = bracketed["name"], bracketed["position"]
    else:
        name, _, position = head.partition(",")
    name = _person(name)
    position = _LEADING_ARTICLE.sub("", position.strip(" ,;.")).strip()
    position = position[:1].upper() + position[1:]
    if not _looks_like_name(name):
        return None, None, channel
    return name, position or None, channel


# Korean and Russian: which reader to ask ---------------------------------


def _script_of(text: str) -> str:
    """ "ko", "ru" or "en": the script most of the letters of `text` are in.

    A Hangul syllable is a word's worth of letters, so it counts double.
    """
    hangul, cyrillic = len(HANGUL.findall(text)), len(CYRILLIC.findall(text))
    other = sum(1 for character in text if character.isalpha()) - hangul - cyrillic
    scores = {"en": other, "ko": 2 * hangul, "ru": cyrillic}
    return max(scores, key=scores.__getitem__)


def _local_byline(text: str, outlets: Iterable[str] = KNOWN_OUTLETS) -> LocalByline | None:
    """The Korean or Russian byline `text` is, or None for another line."""
    if len(text) > 150:
        return None
    if HANGUL.search(text):
        return korean_byline(text, outlets)
    if CYRILLIC.search(text):
        return russian_byline(text, outlets)
    return None


def _dateline_people(reporters: str, outlets: Iterable[str]) -> tuple[str, ...]:
    """The names a Korean or Russian dateline gives: "김대식·이민정", "Корр. ТАСС Иван Петров"."""
    if HANGUL.search(reporters):
        return korean_people(reporters) or ()
    return russian_dateline_people(reporters, outlets)
