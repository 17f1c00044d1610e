"""English in plain-text exports: the people a byline names, and who an editor's note credits."""

import re

_NOTE_BY = re.compile(
    r"\b(?:contributed|written|submitted|authored|prepared|penned|sent|provided)"
    r"(?:\s+\w+){0,3}?\s+by\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
_NOTE_CHANNEL = re.compile(r"\b(?:through|via)\s+(?=\S)", re.IGNORECASE)
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


def read_english_byline(rest: str, outlets: list[str]) -> tuple[tuple[str, ...], str | None]:
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


def read_english_note(note: str, outlets: list[str]) -> tuple[str | None, str | None, str | None]:
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
