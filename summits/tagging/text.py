"""A headline, standfirst or HTML body as plain text, and where its sentences start."""

import html
import re

from django.utils.html import strip_tags

_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|br|hr|div|section|tr|td|th)\b"
    r"[^>]*>",
    re.IGNORECASE,
)


def plain_text(value: str) -> str:
    """HTML or plain text as one string, block elements on lines of their own."""
    return html.unescape(strip_tags(_BLOCK_TAG.sub("\n", value or "")))


# A sentence ends at a full stop before a capital or a digit, in Latin or
# Cyrillic letters, or before Hangul, which has no capitals.
_SENTENCE_BREAK = re.compile(
    r"\n+|(?<=[.!?])[\"')\]»]*\s+(?=[\"'(\[]?[A-Z0-9]|[\"'(\[«]?[А-ЯЁ]|[\"'(\[]?[가-힣])"
)
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-ZА-ЯЁ]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|vs)\.)$"
)
# Korean writes dates with full stops: "2019. 11. 29".
_DOTTED_DATE = re.compile(r"(?<![\d.])(?:19|20)\d\d\.\s*\d{1,2}\.\s*\d{1,2}(?!\d)")


def sentence_starts(text: str) -> list[int]:
    """Where each sentence begins; "Mr.", "U.S." and "2019. 11. 29" end none."""
    starts = [0]
    dates = [match.span() for match in _DOTTED_DATE.finditer(text)]
    for match in _SENTENCE_BREAK.finditer(text):
        if any(start < match.start() < end for start, end in dates):
            continue
        before = text[max(0, match.start() - 8) : match.start()]
        if match.group().startswith("\n") or not _ABBREVIATION_END.search(before):
            starts.append(match.end())
    return starts
