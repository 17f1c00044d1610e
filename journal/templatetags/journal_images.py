"""`{% picture %}`: an uploaded image as a responsive <picture>, from renditions made on save."""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from journal.images import Renditions, renditions_for

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
    img = {
        "src": image.url,
        "srcset": None,
        "sizes": None,
        "width": width,
        "height": height,
        "alt": alt,
        "loading": loading if loading in LOADING_VALUES else "lazy",
        "fetchpriority": fetchpriority if fetchpriority in FETCHPRIORITY_VALUES else None,
        "decoding": "async",
        "class": attrs.get("class") or None,
    }
    renditions = renditions_for(image.name, storage=image.storage) if width and height else None
    if renditions is None:
        return format_html("<picture><img{}></picture>", flatatt(img))
    # The manifest has the size after EXIF rotation, which the stored one may lack.
    img.update(
        src=image.storage.url(renditions.name(_middle(renditions.widths), renditions.fallback)),
        srcset=_srcset(image.storage, renditions, renditions.fallback),
        sizes=sizes,
        width=renditions.width,
        height=renditions.height,
    )
    source = {
        "type": "image/webp",
        "srcset": _srcset(image.storage, renditions, "webp"),
        "sizes": sizes,
    }
    return format_html("<picture><source{}><img{}></picture>", flatatt(source), flatatt(img))


def _srcset(storage, renditions: Renditions, extension: str) -> str:
    return ", ".join(
        f"{storage.url(renditions.name(width, extension))} {width}w" for width in renditions.widths
    )


def _middle(widths: tuple[int, ...]) -> int:
    return widths[len(widths) // 2]
