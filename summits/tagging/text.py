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


_SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|vs)\.)$"
)


def sentence_starts(text: str) -> list[int]:
    """Where each sentence begins; "Mr." and "U.S." end none."""
    starts = [0]
    for match in _SENTENCE_BREAK.finditer(text):
        before = text[max(0, match.start() - 8) : match.start()]
        if match.group().startswith("\n") or not _ABBREVIATION_END.search(before):
            starts.append(match.end())
    return starts
