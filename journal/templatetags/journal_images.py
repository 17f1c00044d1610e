"""`{% picture %}`: an uploaded image as a responsive <picture>, from renditions made on save."""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from journal.images.renditions import (
    MISSING_RETRY_SECONDS,
    Renditions,
    is_local,
    manifest_name,
    remembered_renditions,
    renditions_for,
)

register = template.Library()

LOADING_VALUES = {"lazy", "eager"}
FETCHPRIORITY_VALUES = {"high", "low", "auto"}


@register.simple_tag
def picture(
    image,
    *,
    alt="",
    width=None,
    height=None,
    sizes="100vw",
    loading="lazy",
    fetchpriority=None,
    **attrs,
):
    """Usage: {% picture article.hero_image alt=... width=... height=... sizes=... class=... %}

    Renders nothing for an empty image, and the original file when the image
    has no stored size or its renditions are not (yet) all there. Makes no
    database query and decodes no image.
    """
    if not image:
        return ""
    unknown = set(attrs) - {"class"}
    if unknown:
        raise template.TemplateSyntaxError(
            f"{{% picture %}} got unexpected arguments: {', '.join(sorted(unknown))}"
        )
    loading = loading if loading in LOADING_VALUES else "lazy"
    fetchpriority = fetchpriority if fetchpriority in FETCHPRIORITY_VALUES else None
    css_class = attrs.get("class") or None
    storage = image.storage
    manifest = _manifest(storage, image.name) if width and height else None
    if manifest is None:
        return _original_html(
            storage, image.name, alt, width, height, loading, fetchpriority, css_class
        )
    # Pages show the same few hundred images again and again. Their markup only
    # changes when the renditions are made again, which rewrites the manifest.
    base_url = getattr(storage, "base_url", None)
    key = (*manifest, base_url, image.name, alt, sizes, loading, fetchpriority, css_class)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= RENDERED_MAX:
            _rendered.clear()
        renditions = manifest[1] if isinstance(manifest[1], Renditions) else None
        html = _rendered[key] = _picture_html(
            storage, image.name, alt, sizes, loading, fetchpriority, css_class, renditions
        )
    return html


@register.simple_tag(takes_context=True)
def media_address(context, image):
    """An upload's full address, for meta tags: MEDIA_URL may be a bucket's or a CDN's already."""
    return context["request"].build_absolute_uri(image.url)


RENDERED_MAX = 4096
_rendered: dict[tuple, str] = {}


def offers_renditions(image, *, width=None, height=None) -> bool:
    """Whether `picture` shows `image` through its renditions rather than as its original file.

    An image saved a moment ago may not have them yet (they are made once its
    save commits): markup kept from such a moment should not be kept long.
    """
    return bool(image and width and height) and _manifest(image.storage, image.name) is not None


# How long markup showing an image's original file for want of renditions may
# be kept: about as long as a process remembers that they are missing.
ORIGINAL_ONLY_SECONDS = MISSING_RETRY_SECONDS


def _manifest(storage, source: str) -> tuple | None:
    """What tells the renditions' manifest as it is now from an earlier one; None without one.

    On a disk, the manifest's name and modification time: one look at the file.
    On object storage, its address and the renditions, read once per process.
    """
    name = manifest_name(source)
    if not is_local(storage):
        renditions = remembered_renditions(source, storage=storage)
        return None if renditions is None else (storage.url(name), renditions)
    try:
        return name, storage.get_modified_time(name)
    except (OSError, NotImplementedError):
        return None


def _img(**attrs) -> str:
    return flatatt({name: value for name, value in attrs.items() if value is not None})


def _original_html(storage, source, alt, width, height, loading, fetchpriority, css_class):
    img = _img(
        src=storage.url(source),
        width=width,
        height=height,
        alt=alt,
        loading=loading,
        fetchpriority=fetchpriority,
        decoding="async",
        **{"class": css_class},
    )
    return format_html("<picture><img{}></picture>", img)


def _picture_html(storage, source, alt, sizes, loading, fetchpriority, css_class, renditions):
    if renditions is None:
        renditions = renditions_for(source, storage=storage)
    if renditions is None:
        return _original_html(storage, source, alt, None, None, loading, fetchpriority, css_class)
    # The manifest has the size after EXIF rotation, which the stored one may lack.
    img = _img(
        src=storage.url(renditions.name(_middle(renditions.widths), renditions.fallback)),
        srcset=_srcset(storage, renditions, renditions.fallback),
        sizes=sizes,
        width=renditions.width,
        height=renditions.height,
        alt=alt,
        loading=loading,
        fetchpriority=fetchpriority,
        decoding="async",
        **{"class": css_class},
    )
    source_attrs = flatatt(
        {"type": "image/webp", "srcset": _srcset(storage, renditions, "webp"), "sizes": sizes}
    )
    return format_html("<picture><source{}><img{}></picture>", source_attrs, img)


def _srcset(storage, renditions: Renditions, extension: str) -> str:
    return ", ".join(
        f"{storage.url(renditions.name(width, extension))} {width}w" for width in renditions.widths
    )


def _middle(widths: tuple[int, ...]) -> int:
    return widths[len(widths) // 2]
