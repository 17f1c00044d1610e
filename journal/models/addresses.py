"""Where an article is read: its page's address under each language's prefix."""

import functools
import re
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS


def article_address(language: str, slug: str) -> str:
    """The address of the article page with `slug` under `language`'s prefix.

    Lists write an address per card, so the URL is reversed once per language
    (and URLconf and script prefix) around a stand-in, and each slug quoted
    into it as `reverse()` would quote it. A slug the URL would refuse goes
    through `reverse()`, which says so.
    """
    if not _SLUG.fullmatch(slug):
        with translation.override(language):
            return reverse("journal:article_detail", kwargs={"slug": slug})
    before, after = _around_slug(language, get_urlconf(), get_script_prefix())
    return before + quote(slug, safe=RFC3986_SUBDELIMS + "/~:@") + after


_SLUG = re.compile(r"[-\w]+")  # site_urls.UnicodeSlugConverter.regex
_STAND_IN = "article-slug"


@functools.lru_cache(maxsize=64)
def _around_slug(language: str, urlconf, script_prefix: str) -> tuple[str, str]:
    """The article address of `language` before and after its slug."""
    with translation.override(language):
        address = reverse("journal:article_detail", kwargs={"slug": _STAND_IN}, urlconf=urlconf)
    before, _stand_in, after = address.rpartition(_STAND_IN)
    return before, after


@receiver(setting_changed)
def _forget_addresses(**kwargs) -> None:
    # Tests change URLconfs and languages; nothing else changes them.
    _around_slug.cache_clear()
