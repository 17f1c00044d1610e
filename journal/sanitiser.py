"""What an article body may contain: the HTML we publish, its sanitiser and the form checks."""

import posixpath
import re
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.utils.html import linebreaks

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
