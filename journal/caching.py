"""Values pages derive from the whole archive, kept once per content generation.

See journal/content_generation.py: a change readers can see ends the
generation, and when the next scheduled article goes live.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

from journal.content_generation import current

# Where counts, choice lists, rankings and article cards are kept: the alias
# Django's {% cache %} tag keeps fragments in (journal/settings.py).
KEPT = "template_fragments"


def content_cache():
    return caches[KEPT]


# Values derived from the whole archive (counts, choice lists) are kept this
# long at most; a new generation makes them unreachable at once anyway.
MEMO_PREFIX = "journal:memo"
CARD_PREFIX = "journal:card"
MEMO_SECONDS = 24 * 60 * 60


def per_generation[T](name: str, compute: Callable[[], T]) -> T:
    """`compute()`, worked out once per content generation.

    For what reader pages derive from the whole archive and what only a
    change of content can change: how many published articles each country
    has, which contributors readers may know of, how many articles a list has.
    Unlike cached pages, these values serve logged-in readers too, who see the
    same published articles. `name` must say everything the value depends on.

    With `JOURNAL_KEEP_PER_GENERATION` off, every call computes: for measuring
    what a page costs the first reader after a change.
    """
    if not settings.JOURNAL_KEEP_PER_GENERATION:
        return compute()
    digest = hashlib.sha256(name.encode()).hexdigest()
    key = f"{MEMO_PREFIX}:{current().id}:{digest}"
    cache = content_cache()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout=MEMO_SECONDS)
    return value


_MISSING = object()
