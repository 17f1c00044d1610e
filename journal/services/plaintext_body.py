"""An export's body: its lines as paragraphs, subheadings, list items and rules, and as HTML."""

import html
from dataclasses import dataclass

from journal.services.plaintext_layout import (
    BULLET,
    MAX_TITLE_CHARS,
    SEPARATOR,
    clean_title,
    heading_like,
)

# Provisional titles are cut at a word boundary near this length.
PROVISIONAL_TITLE_CHARS = 60


@dataclass(frozen=True)
class Block:
    """One piece of the body: `kind` is "h2", "p", "li" or "hr"."""

    kind: str
    text: str = ""


def body_blocks(lines: list[tuple[int, str]], warnings: list[str]) -> list[Block]:
    """The body's (line number, text) lines as blocks; doubtful subheadings go in `warnings`."""
    blocks: list[Block] = []
    # A heading needs text after it: the last short line of a file is a
    # signature or a sign-off, not a subheading.
    text_follows = False
    for _number, line in reversed(lines):
        if SEPARATOR.match(line):
            blocks.append(Block("hr"))
        elif bullet := BULLET.match(line):
            blocks.append(Block("li", line[bullet.end() :]))
            text_follows = True
        elif text_follows and heading_like(line):
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


def blocks_html(blocks: tuple[Block, ...]) -> str:
    """The blocks as the article body's HTML, list items gathered in lists."""
    parts: list[str] = []
    in_list = False
    for block in blocks:
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


def title_from_body(blocks: tuple[Block, ...]) -> str:
    """The first words of the text, for an article whose file has no headline."""
    first = next((b.text for b in blocks if b.kind in ("p", "li")), "")
    return _first_words(first or next(b.text for b in blocks if b.text))


def _first_words(text: str) -> str:
    words, length = [], 0
    for word in text.split():
        if words and length + len(word) > PROVISIONAL_TITLE_CHARS:
            title = " ".join(words).rstrip(",;:\u2013\u2014-") + "\u2026"
            break
        words.append(word)
        length += len(word) + 1
    else:
        title = clean_title(" ".join(words))
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1] + "\u2026"
