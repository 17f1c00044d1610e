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

(journal/services/plaintext_layout.py tells what each line is, plaintext_english.py reads
English bylines and notes, and plaintext_body.py turns the rest into the body's HTML)

A Korean sentence ends with a full stop ("…했다.", "…이다.") or, without one,
in "…습니다"; a short line without either is a subheading, as in English.

Nothing here touches the database: `decode_export()` checks the bytes,
`parse_export()` reads the text, and `journal.services.imports.article_import()` turns
the result into a draft article.
"""

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from journal.services.plaintext_body import Block, blocks_html, body_blocks, title_from_body
from journal.services.plaintext_english import read_english_byline, read_english_note
from journal.services.plaintext_korean import is_korean_signoff, korean_people, read_korean_note
from journal.services.plaintext_layout import (
    BYLINE,
    CLOSERS,
    author_line,
    clean_title,
    fits_title,
    heading_like,
    is_byline,
    is_deck,
    is_name_line,
    is_note_label,
    is_note_mark,
    local_byline,
    note_text,
    outlet_line,
)
from journal.services.plaintext_names import CYRILLIC, HANGUL, KNOWN_OUTLETS
from journal.services.plaintext_russian import read_russian_note, russian_dateline_people
from journal.services.wirecopy import (
    LOCAL_OUTLETS,
    WIRE_NOTE,
    WIRE_OUTLETS,
    WIRE_PREFIX,
    dateline_day,
    find_dateline,
    known_outlet,
)

# 1 MB, about 150,000 words: many times the length of any article. A bigger
# file is a mistake (a whole archive, a database dump), not an article.
MAX_EXPORT_BYTES = 1024 * 1024
# Control characters besides tab, line feed, form feed and carriage return: a few
# are stray keystrokes and are dropped; many mean the file is not text at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# What the start of a file says about a format that is not plain text.
_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a Word, OpenDocument or ZIP file",
    b"\xd0\xcf\x11\xe0": "an old Word document",
    b"{\\rtf": "a rich-text (RTF) document",
    b"\xff\xfe": "UTF-16 text",
    b"\xfe\xff": "UTF-16 text",
}
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
        return title_from_body(self.blocks)

    @property
    def body_html(self) -> str:
        return blocks_html(self.blocks)


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
    if len(rest) > 2 and is_byline(rest[1][1]) and not is_byline(rest[0][1]):
        if fits_title(rest[0][1]):
            title = clean_title(rest.pop(0)[1])
    elif len(rest) > 3 and is_byline(rest[2][1]) and fits_title(rest[0][1]):
        if is_deck(rest[1][1]) and not is_byline(rest[0][1]):
            # Headline, deck, byline.
            title = clean_title(rest.pop(0)[1])
            standfirst = rest.pop(0)[1]
    elif (
        len(rest) > 2
        and is_name_line(rest[1][1])
        and fits_title(rest[0][1])
        and not rest[0][1].rstrip(CLOSERS).endswith(".")
    ):
        # Under the headline, names need no "Автор:", nor a position "기자".
        title = clean_title(rest.pop(0)[1])
        byline = rest.pop(0)[1]
    if byline is None and rest and is_byline(rest[0][1]):
        byline = rest.pop(0)[1]
    if title is None and len(rest) > 2 and fits_title(rest[0][1]) and heading_like(rest[0][1]):
        number, line = rest[1]
        after = rest[2][1]
        # Only where wire copy shows itself: an outlet with the names, on the
        # line under them, or a dateline; a short line under the journal's
        # own headline is a subheading.
        dateline = find_dateline(after)
        wire = (
            read_english_byline(line, outlets)[1]
            or outlet_line(after, outlets)
            # "ASTANA –" alone may follow a subheading in any copy; a date or
            # an agency is the wire's.
            or (dateline and (dateline.date or dateline.agency))
        )
        if wire and author_line(line, outlets):
            # Headline, then names without "By": wire and agency copy.
            title = clean_title(rest.pop(0)[1])
            byline = f"By {rest.pop(0)[1]}"
            byline_guessed = True
            warnings.append(
                f"Line {number} (“{line}”) was read as the byline although it has no “By”: "
                "check the authors."
            )
    # Korean and Russian copy may name its own outlets under the byline.
    byline_is_local = bool(byline) and not BYLINE.match(byline)
    line_outlets = [*outlets, *LOCAL_OUTLETS] if byline_is_local else outlets
    if byline and rest and outlet_line(rest[0][1], line_outlets, local=byline_is_local):
        # "By Jane Doe" then "BBC News": the outlet, on a line of its own.
        number, byline_outlet_line = rest.pop(0)
        if not known_outlet(byline_outlet_line, line_outlets):
            warnings.append(
                f"Line {number} (“{byline_outlet_line}”) was read as the outlet under the "
                "byline, from how its name ends: check it is not the headline."
            )
    if title is None and len(rest) > 1 and heading_like(rest[0][1]):
        title = clean_title(rest.pop(0)[1])

    notes, body_lines = [], []
    label = None
    for number, line in rest:
        if label is not None:
            # The line under "[편집자 주]" or "От редакции" is the note.
            notes.append(line)
            label = None
            continue
        if is_note_label(line):
            label = (number, line)
            continue
        note = note_text(line)
        if note is None and body_lines and is_note_mark(line):
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
    blocks = body_blocks(body_lines, warnings)
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
        if english := BYLINE.match(byline):
            people, outlet = read_english_byline(english["rest"], outlets)
        elif local := local_byline(byline, outlets):
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
        and is_deck(paragraphs[0].text)
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
            name, position, channel = read_english_note(editors_note, outlets)
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


# Korean and Russian: which reader to ask ---------------------------------


def _script_of(text: str) -> str:
    """ "ko", "ru" or "en": the script most of the letters of `text` are in.

    A Hangul syllable is a word's worth of letters, so it counts double.
    """
    hangul, cyrillic = len(HANGUL.findall(text)), len(CYRILLIC.findall(text))
    other = sum(1 for character in text if character.isalpha()) - hangul - cyrillic
    scores = {"en": other, "ko": 2 * hangul, "ru": cyrillic}
    return max(scores, key=scores.__getitem__)


def _dateline_people(reporters: str, outlets: Iterable[str]) -> tuple[str, ...]:
    """The names a Korean or Russian dateline gives: "김대식·이민정", "Корр. ТАСС Иван Петров"."""
    if HANGUL.search(reporters):
        return korean_people(reporters) or ()
    return russian_dateline_people(reporters, outlets)
