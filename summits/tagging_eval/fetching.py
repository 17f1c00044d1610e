"""An article page's headline and paragraphs, as the real set keeps its texts.

Rough on purpose: the first <h1> (else the page's <title>), then the text of
every <p> outside navigation, headers, footers, asides and forms that is long
enough to be prose. A page laid out otherwise gives less; the text kept may
be corrected by hand.
"""

from html.parser import HTMLParser

# Shorter paragraphs are captions, credits, share buttons and the like.
MIN_PARAGRAPH_CHARS = 40
_SKIPPED = {"nav", "header", "footer", "aside", "form", "script", "style", "noscript", "figure"}


class _ArticleParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.capturing: str | None = None
        self.buffer: list[str] = []
        self.title = ""
        self.page_title = ""
        self.paragraphs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in ("p", "h1", "title") and not self.skipping and self.capturing is None:
            self.capturing, self.buffer = tag, []
        elif tag == "br" and self.capturing:
            self.buffer.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag == self.capturing:
            text = " ".join("".join(self.buffer).split())
            if tag == "p" and len(text) >= MIN_PARAGRAPH_CHARS:
                self.paragraphs.append(text)
            elif tag == "h1" and not self.title:
                self.title = text
            elif tag == "title" and not self.page_title:
                self.page_title = text
            self.capturing = None

    def handle_data(self, data):
        if self.capturing:
            self.buffer.append(data)


def article_text(page: str) -> str:
    """The headline, a blank line, then the paragraphs separated by blank lines."""
    parser = _ArticleParser()
    parser.feed(page)
    parser.close()
    if not parser.paragraphs:
        raise ValueError("no paragraphs found on the page")
    title = parser.title or parser.page_title
    return "\n\n".join([title, *parser.paragraphs]) + "\n"
