"""What an article body may contain: the HTML we publish, its sanitiser and the form checks,
and a body as readers see it, for saying whether and where two versions differ."""

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

# What an article body may contain. Everything else (scripts, styles, event
# handlers, word-processor junk) is dropped when the article is saved.
BODY_TAGS = {
    "p", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li",
    "blockquote", "figure", "figcaption", "img", "br", "hr", "sup", "sub",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


# Elements an editor might mean as content but that we do not publish: saving
# would drop them silently, so the form says so instead.
REFUSED_BODY_TAGS = {
    "table", "pre", "code", "iframe", "script", "style", "form", "input", "button",
    "object", "embed", "video", "audio", "svg", "h1", "h5", "h6", "dl", "details",
}  # fmt: skip
_TAG_NAME = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9]*)")
_IMAGE_WITHOUT_ALT = re.compile(r'<img(?![^>]*\salt="[^"]*\S[^"]*")[^>]*>')
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_BLOCK_TAG = re.compile(r"<\s*(p|h[1-6]|ul|ol|blockquote|figure|div|br)\b", re.IGNORECASE)


def refused_body_tags(html: str) -> list[str]:
    """The elements in `html` that publishing would drop, sorted."""
    return sorted({name.lower() for name in _TAG_NAME.findall(html)} & REFUSED_BODY_TAGS)


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    # Readers' browsers must not fetch from other sites, nor from other paths
    # of ours: body images come from our own uploads, named plainly. Uploads
    # are at MEDIA_URL, which may be a bucket's or a CDN's address; bodies
    # written before it was are at the site's own /media/, which redirects there.
    if tag == "img" and attribute == "src":
        path = unquote(value).replace("\\", "/")
        name = next(
            (
                path.removeprefix(prefix)
                for prefix in (settings.MEDIA_URL, settings.MEDIA_PATH)
                if path.startswith(prefix)
            ),
            None,
        )
        if name is None:
            return None
        candidate = "/" + name
        if posixpath.normpath(candidate) != (candidate.rstrip("/") or "/") or "//" in candidate:
            return None
    return value


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        attribute_filter=_own_images_only,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def has_image_without_description(html: str) -> bool:
    """Whether the body, as it would be published, shows an image with no alt text."""
    return bool(_IMAGE_WITHOUT_ALT.search(clean_body_html(html)))


def clean_body_html(html: str) -> str:
    """Keep the structure we publish, drop everything else.

    Text without any block markup becomes paragraphs, one per blank-line
    block. Deciding that after sanitising keeps the result stable when it is
    cleaned again on the next save.
    """
    cleaned = _sanitise(html)
    if cleaned and not _BLOCK_TAG.search(cleaned):
        cleaned = _sanitise(linebreaks(cleaned))
    # An image whose address was refused has nothing left to show.
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned)


# Elements that start a line of their own, in the text readers read.
_LINE_ELEMENTS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption", "hr", "br",
}  # fmt: skip
# Elements that look the same to readers; the body editor writes the second.
_SAME_LOOK = {"b": "strong", "i": "em"}
# What a mark keeps of an element's attributes: where a link goes, which image shows.
_KEPT_ATTRIBUTES = {"a": ("href",), "img": ("src", "alt")}
# The mark of a paragraph inside a list item, which the body editor always writes.
_ITEM_PARAGRAPH = ("line", "li>p")


class _BodyReading(HTMLParser):
    """A cleaned body read once: its lines of text, and its marks (words and structure)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.marks: list[tuple] = []
        self._text: list[str] = []
        self._line: list[str] = []
        self._open: list[str] = []

    def _flush(self, *, line_ends: bool) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text))
        self._text = []
        if not self.marks or self.marks[-1][0] == "line":
            text = text.lstrip()
        if line_ends:
            text = text.rstrip()
        if text:
            self.marks.append(("text", text))
            self._line.append(text)
        if line_ends:
            line = " ".join("".join(self._line).split())
            self._line = []
            if line:
                self.lines.append(line)

    def _start_line(self, mark: tuple) -> None:
        self._flush(line_ends=True)
        self.marks.append(mark)

    def handle_starttag(self, tag, attrs):
        tag = _SAME_LOOK.get(tag, tag)
        if tag == "p" and self._open and self._open[-1] == "li":
            # The editor puts a list item's words in a paragraph; readers see no difference.
            self._open.append("li>p")
            self._start_line(_ITEM_PARAGRAPH)
            return
        if tag not in ("br", "hr", "img"):
            self._open.append(tag)
        values = dict(attrs)
        kept = tuple(values.get(name) or "" for name in _KEPT_ATTRIBUTES.get(tag, ()))
        if tag in _LINE_ELEMENTS:
            self._start_line(("line", tag, *kept))
        else:
            self._flush(line_ends=False)
            self.marks.append(("start", tag, *kept))
        if tag == "img":
            self._flush(line_ends=True)
            shown = values.get("alt") or posixpath.basename(values.get("src") or "")
            self.lines.append(_("Image: %(description)s") % {"description": shown})

    def handle_endtag(self, tag):
        tag = _SAME_LOOK.get(tag, tag)
        if tag in ("br", "hr", "img"):
            return
        opened = self._open.pop() if self._open else tag
        if opened == "li>p":
            self._start_line(_ITEM_PARAGRAPH)
        elif tag in _LINE_ELEMENTS:
            self._flush(line_ends=True)
            if self.marks and self.marks[-1] == ("line", tag):
                self.marks.pop()  # an empty paragraph, which readers do not see
            else:
                self.marks.append(("line", "/" + tag))
        else:
            self._flush(line_ends=False)
            self.marks.append(("end", tag))

    def handle_data(self, data):
        self._text.append(data)

    def close(self):
        super().close()
        self._flush(line_ends=True)


def _read_body(html: str) -> _BodyReading:
    reading = _BodyReading()
    reading.feed(clean_body_html(html or ""))
    reading.close()
    return reading


def body_lines(html: str) -> list[str]:
    """The body's words as readers read them: a line per paragraph, heading, list item or
    caption, spaces collapsed, and an image as its description."""
    return _read_body(html).lines


def body_marks(html: str) -> tuple:
    """What decides whether two bodies differ for readers: the words (spaces collapsed),
    paragraphs, headings, lists, quotes, emphasis, links and images.

    Not the markup's spelling: line endings and spaces between paragraphs, <b> for
    <strong>, a list item's text in a paragraph of its own, empty paragraphs. The body
    editor writes these differently from the stored HTML without anyone changing a word.
    """
    marks = _read_body(html).marks
    # A paragraph in a list item is a break only between two runs of its words.
    kept: list[tuple] = []
    for index, mark in enumerate(marks):
        after = marks[index + 1] if index + 1 < len(marks) else None
        if mark == _ITEM_PARAGRAPH and (
            not kept or kept[-1][0] == "line" or after is None or after[0] == "line"
        ):
            continue
        kept.append(mark)
    return tuple(kept)
