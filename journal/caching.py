"""The content generation that cached reader pages and kept values belong to.

Whole pages are cached by Django's cache middleware under a key prefix that
names the generation (journal/middleware.py). Invalidation is by generation:
every save or delete of the journal's or the diplomatic record's rows, and
every change of their tags, moves the generation on, and pages cached under
an older one are never read again (the cache evicts them in time). A
scheduled article changes what readers see without any save, so each
generation also records when the next scheduled article goes live, and the
generation moves on when that time comes. With the default cache in each
process's memory, a change also touches a file in `var/`, so the other
gunicorn workers of the machine start a new generation too (see
`_local_stamp`).

The same generations keep values that pages derive from the whole archive,
such as counts and choice lists (`per_generation`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

GENERATION_KEY = "journal:pages:generation"
# In var/: touched on every change, for workers that each keep their own cache.
STAMP_FILE = "content-generation"


def content_cache():
    return caches[settings.JOURNAL_PAGE_CACHE_ALIAS]


def _next_scheduled_time() -> float | None:
    from journal.models import Article  # the app registry is ready when pages are served

    publish_at = (
        Article.objects.scheduled()
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return publish_at.timestamp() if publish_at else None


def _new_generation(stamp: int | None) -> dict:
    generation = {
        "id": time.time_ns(),
        "at": time.time(),
        "until": _next_scheduled_time(),
        "stamp": stamp,
    }
    content_cache().set(GENERATION_KEY, generation, timeout=None)
    return generation


def _is_shared(cache) -> bool:
    return not isinstance(cache, LocMemCache)


def _stamp_path() -> Path:
    return Path(settings.VAR_DIR) / STAMP_FILE


def _local_stamp() -> int | None:
    """With a cache in each process's memory, the time of the last change on this machine.

    Every gunicorn worker keeps its own local-memory cache, and a change made
    through one worker only ends the generation in that worker's cache. All
    workers of one machine share the folder `var/`, so a change also touches a
    file there, and each worker compares its generation with the file's time.
    A shared cache (Redis) needs none of this: None.
    """
    if _is_shared(content_cache()):
        return None
    try:
        return os.stat(_stamp_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def _touch_stamp() -> None:
    if _is_shared(content_cache()):
        return
    path = _stamp_path()
    path.touch(exist_ok=True)
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def _end_generation() -> None:
    content_cache().delete(GENERATION_KEY)
    _touch_stamp()


def content_changed(**kwargs) -> None:
    """Start a new generation: now, and again once the transaction commits.

    Now, so the writing request (and a test) reads its own change; after the
    commit, so a page rendered by another request between the two, from the
    data before the commit, is not kept.
    """
    _end_generation()
    transaction.on_commit(_end_generation)


def current_generation() -> dict:
    stamp = _local_stamp()
    generation = content_cache().get(GENERATION_KEY)
    if generation is None or generation.get("stamp") != stamp:
        # Nothing yet, or another worker of this machine saw a change.
        return _new_generation(stamp)
    until = generation.get("until")
    if until is not None and time.time() >= until:
        # A scheduled article has gone live since this generation began.
        return _new_generation(stamp)
    return generation


# Values derived from the whole archive (counts, choice lists) are kept this
# long at most; a new generation makes them unreachable at once anyway.
MEMO_PREFIX = "journal:memo"
CARD_PREFIX = "journal:card"
MEMO_SECONDS = 24 * 60 * 60


def per_generation[T](name: str, compute: Callable[[], T]) -> T:
    """`compute()`, worked out once per content generation and shared by every worker.

    For what reader pages derive from the whole archive and what only a
    change of content can change: how many published articles each country
    has, which contributors readers may know of, how many articles a list has.
    It is never stale: the generation moves on with every save, delete and
    tag change, and when the next scheduled article goes live. Unlike cached
    pages, these values serve logged-in readers too, who see the same
    published articles. `name` must say everything the value depends on.

    With `JOURNAL_KEEP_PER_GENERATION` off, every call computes: for measuring
    what a page costs the first reader after a change.
    """
    if not settings.JOURNAL_KEEP_PER_GENERATION:
        return compute()
    generation = current_generation()
    digest = hashlib.sha256(name.encode()).hexdigest()
    key = f"{MEMO_PREFIX}:{generation['id']}:{digest}"
    cache = content_cache()
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout=MEMO_SECONDS)
    return value


_MISSING = object()


def connect_invalidation(models) -> None:
    """Start a new generation whenever one of these models' rows or tags change."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page_cache.save.{label}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"page_cache.delete.{label}"
        )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                content_changed,
                sender=through,
                dispatch_uid=f"page_cache.m2m.{through._meta.label_lower}",
            )
