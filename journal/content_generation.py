"""The content generation: what every cached page, fragment and derived value belongs to.

Reader pages are cached with Django's own tools: the cache middleware for
whole pages (journal/middleware.py), `{% cache %}` for fragments and
`cache.get_or_set` for derived values (`kept`), each under a key that names
the current content generation. A change readers can see ends the
generation once its transaction commits; keys naming the old one are never
read again and the cache evicts them in time. Nothing is ever deleted from
the cache, and nothing cached is ever stale.

What no library provides, and so lives here:

* The generation itself, in the cache every worker shares (alias "default":
  Redis when DJANGO_CACHE_URL is set, files in var/cache otherwise), so a
  change saved through one gunicorn worker ends it for all. What is kept
  per generation may then live in each worker's memory: its keys name the
  shared generation.
* Which changes end it (`connect`): only those readers can see. A draft that
  was never public, a workflow event, a preview link, a library image or a
  revision changes no reader page; an article that is or was published, its
  tags, bylines and corrections, contributors with published pieces and the
  diplomatic record do. Signals find the changes; `transaction.on_commit`
  ends the generation once per transaction, after the commit, so no reader
  can start a new generation and fill it from the data before the change.
* Scheduled articles: a published article whose time is still to come goes
  live without any save, so a generation records when the next one is due
  and ends then. (Two workers ending the generation at the same instant
  race: the record written last wins, and if its time was read before the
  other's commit scheduled an earlier article, that article shows at the
  next change instead of on time.)
* Pinning: a request reads the generation once, before it reads any
  content (`pinned`, from the page cache middleware), so what it renders
  from data older than a commit is never stored under the generation that
  commit started.

* Lists and counts (which articles make each page of a list, the tallies
  of coverage) are kept for the *listing* generation (`kept_for_lists`),
  which ends with the content generation except when the only change is to
  an article's words or pictures: an editor fixing a standfirst empties the
  pages and cards, but not the counts every record page starts from.
* Values every request of a kind reads whole (the names search links to)
  are kept in the worker's own memory for the generation (`kept_in_worker`):
  unpickled from the cache on each request, they cost more than the page's
  queries.

Writes that send no signals (bulk inserts, a restore, a rebuilt search
index) call `end_on_commit` themselves.

While the shared cache is away (Redis down, see journal/ops/cache.py) the
generation cannot be read: each request then reads a new one of its own,
so nothing kept before is trusted and every page is rendered fresh. Nor can
a change end it, so a worker that noticed the outage ends it when the cache
answers again (`_end_after_outage`).
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import NamedTuple

from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils.translation import get_language

from journal.models import (
    Article,
    ArticleEvent,
    ArticleSlugHistory,
    Assignment,
    Byline,
    Contributor,
    Correction,
    LibraryImage,
    OutgoingEmail,
    PreviewLink,
    RelatedArticle,
    Subscriber,
)
from journal.ops import cdn
from journal.ops.cache import cache_answers_again

# Cache aliases (journal/settings.py): the one every worker shares, and the one
# Django's {% cache %} tag uses, where derived values and article cards go too.
SHARED = "default"
KEPT = "template_fragments"
KEY = "journal:content-generation"
# A generation usually ends sooner; this only bounds what a dead one leaves.
KEPT_SECONDS = 24 * 60 * 60


LISTING_KEY = "journal:listing-generation"
# The article fields lists and counts read besides tags: which articles
# readers see, in what order, under which section.
LISTED_FIELDS = ("status", "publish_at", "section")


class Generation(NamedTuple):
    id: str
    # When the next scheduled article goes live (a Unix time), if one is due.
    until: float | None
    # What lists and counts depend on ends less often: only with a change to
    # tags, bylines, the record, or an article's LISTED_FIELDS.
    listing: str = ""


_pinned: ContextVar[Generation | None] = ContextVar("content_generation", default=None)


def _next_scheduled_time() -> float | None:
    publish_at = (
        Article.objects.scheduled()
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return publish_at.timestamp() if publish_at else None


# Marks a generation written by code that keeps a listing generation too.
_WITH_LISTING = "listing"


def _new() -> tuple:
    # A plain tuple in the cache: it unpickles whatever this module becomes.
    return (uuid.uuid4().hex, _next_scheduled_time(), _WITH_LISTING)


def _read() -> Generation:
    cache = caches[SHARED]
    found = cache.get_many([KEY, LISTING_KEY])
    # The first worker to find none starts one; the others take it.
    state = found.get(KEY) or cache.get_or_set(KEY, _new, timeout=None)
    listing = found.get(LISTING_KEY) or cache.get_or_set(
        LISTING_KEY, lambda: uuid.uuid4().hex, timeout=None
    )
    if len(state) < 3:
        # Written by a worker of an earlier release (during a rolling deploy),
        # which ends no listing generation: lists and counts end with content.
        listing = state[0]
    generation = Generation(*state[:2], listing=listing)
    if generation.until is not None and time.time() >= generation.until:
        # A scheduled article has gone live since the generation began.
        return end()
    return generation


def current() -> Generation:
    """The generation pages are rendered in: the request's own, or the shared one."""
    return _pinned.get() or _read()


@contextmanager
def pinned() -> Iterator[Generation]:
    """Read the generation once, for everything a request renders; see the module doc."""
    token = _pinned.set(_read())
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


def end(*, listing: bool = True) -> Generation:
    """End the generation now and start the next; `end_on_commit` is what changes call.

    With `listing=False` (a change no list or count reads), what is kept for
    lists and counts stays. Its id has a key of its own, so ending the
    content generation never writes back an id another worker just ended.
    """
    cache = caches[SHARED]
    state = _new()
    if listing:
        new_listing = uuid.uuid4().hex
        # The listing first: a worker reading between the two writes (the file
        # cache writes one key at a time) sees new lists with old content,
        # never new content with lists kept from before the change.
        cache.set(LISTING_KEY, new_listing, timeout=None)
        cache.set(KEY, state, timeout=None)
    else:
        cache.set(KEY, state, timeout=None)
        pinned_generation = _pinned.get()
        new_listing = pinned_generation.listing if pinned_generation else cache.get(LISTING_KEY, "")
    generation = Generation(*state[:2], listing=new_listing)
    if _pinned.get() is not None:
        # This request committed a change: what it reads from now on is new.
        _pinned.set(generation)
    # A CDN in front leaves its pages too (nothing unless DJANGO_CDN_PURGE is set).
    cdn.content_changed(generation=generation.id)
    return generation


class _Ticket:
    """Shared by the callbacks one transaction registers, so only the first ends anything."""

    def __init__(self):
        self.done = False
        # Whether a change in the transaction reaches lists and counts.
        self.listing = False
        # What must be written before the generation ends (`before_end_on_commit`).
        self.before: list[Callable[[], None]] = []


_local = threading.local()


def _ticket() -> _Ticket:
    ticket = getattr(_local, "ticket", None)
    if ticket is None or ticket.done:
        ticket = _local.ticket = _Ticket()
    return ticket


def end_on_commit(*, using: str | None = None, listing: bool = True) -> None:
    """End the generation once the current transaction commits; at once outside one.

    However many rows a transaction changes, the generation ends once, and
    what is kept for lists and counts with it if any change reaches them
    (`listing`). A transaction rolled back ends nothing (Django drops its
    callbacks).
    """
    ticket = _ticket()
    ticket.listing = ticket.listing or listing
    transaction.on_commit(partial(_end_once, ticket), using=using, robust=True)


def before_end_on_commit(callback: Callable[[], None]) -> None:
    """Run `callback` before this transaction's end of the generation, if it ends it.

    For derived rows written after the commit that reader pages read (the
    related coverage): written before the new generation starts, no page
    kept in it lacks them. The caller registers its own on-commit callback
    too, for a transaction that ends no generation; `callback` must do its
    work once however often it is called.
    """
    _ticket().before.append(callback)


def _end_once(ticket: _Ticket) -> None:
    if ticket.done:
        return
    try:
        for callback in ticket.before:
            callback()
    finally:
        ticket.done = True
        end(listing=ticket.listing)


def end_unless_pending() -> None:
    """End the generation now, unless this thread's transaction is still to end it.

    For what an on-commit callback writes for readers, when the commit's own
    end may already have run: pages may have been kept since without it.
    """
    ticket = getattr(_local, "ticket", None)
    if ticket is None or ticket.done:
        end()


# Derived values -----------------------------------------------------------------


def key(name: str, *, listing: bool = False) -> str:
    """A cache key for `name` in the current generation (or listing generation)."""
    # Values are often worded (names, rendered fragments): each language has its own.
    digest = hashlib.sha256(f"{get_language()}:{name}".encode()).hexdigest()[:32]
    generation = current()
    if listing:
        return f"journal:listed:{generation.listing}:{digest}"
    return f"journal:kept:{generation.id}:{digest}"


def kept[T](name: str, compute: Callable[[], T]) -> T:
    """`compute()`, worked out once per content generation (Django's `get_or_set`).

    For what reader pages derive from the whole archive and only a change of
    content can change: counts, choice lists, rankings. `name` must say
    everything else the value depends on. Logged-in readers share these
    values: they see the same published articles. With
    DJANGO_KEEP_PER_GENERATION=false the cache is a dummy and every call
    computes, to measure what the first request after a change costs.
    """
    return caches[KEPT].get_or_set(key(name), compute, KEPT_SECONDS)


def kept_for_lists[T](name: str, compute: Callable[[], T]) -> T:
    """As `kept`, for what only tags, bylines, the record and LISTED_FIELDS decide.

    Counts and which articles make each page of a list: an editor fixing a
    standfirst changes neither, and they stay kept across the save. A list
    reads its rows through the visible queryset, so ids kept here never show
    what readers may not see.
    """
    return caches[KEPT].get_or_set(key(name, listing=True), compute, KEPT_SECONDS)


# What every request of a kind reads whole, kept in this worker's memory: one
# generation's values at a time, by name.
_in_worker: dict[str, dict[str, object]] = {}


def kept_in_worker[T](name: str, compute: Callable[[], T]) -> T:
    """As `kept`, but held in this worker's memory rather than read from the cache.

    For the name vocabularies search reads on every request: several hundred
    records, which cost more to unpickle from the cache each time than the
    rest of the page's queries. The value is shared by every request this
    worker serves in the generation, so callers must not change it. With
    DJANGO_KEEP_PER_GENERATION=false, every call computes.
    """
    if isinstance(caches[KEPT], DummyCache):
        return compute()
    generation = current().id
    values = _in_worker.get(generation)
    if values is None:
        _in_worker.clear()  # an ended generation's values are never read again
        values = _in_worker[generation] = {}
    name = f"{get_language()}:{name}"  # as `key`: each language has its own
    if name not in values:
        values[name] = compute()
    return values[name]


# What ends a generation -----------------------------------------------------------

# Rows no reader page shows (the outbox, newsletter subscribers and the desk's
# assignments among them), and the related coverage rows, whose writer ends
# the generation itself (journal.services.related).
UNSEEN = (
    ArticleEvent,
    ArticleSlugHistory,
    Assignment,
    LibraryImage,
    OutgoingEmail,
    PreviewLink,
    RelatedArticle,
    Subscriber,
)
PUBLISHED = Article.Status.PUBLISHED
# Where an article keeps the status it was loaded with.
LOADED_STATUS = "_journal_loaded_status"
LOADED_LISTED = "_journal_loaded_listed"
_DEFERRED = object()


def _remember_status(sender, instance, **kwargs) -> None:
    # __dict__, not the attribute: reading a deferred field would cost a query.
    setattr(instance, LOADED_STATUS, instance.__dict__.get("status"))
    setattr(instance, LOADED_LISTED, _listed(instance))


def _listed(article: Article) -> tuple | None:
    """The article's LISTED_FIELDS as loaded, None where one is deferred."""
    values = tuple(article.__dict__.get(field, _DEFERRED) for field in LISTED_FIELDS)
    return None if _DEFERRED in values else values


def _article_is_or_was_published(article: Article) -> bool:
    """Published (live or scheduled) now or when loaded; a status not loaded counts as yes."""
    statuses = {article.__dict__.get("status"), getattr(article, LOADED_STATUS, None)}
    return bool(statuses & {PUBLISHED, None})


def _readers_see(instance) -> bool:
    if isinstance(instance, Article):
        return _article_is_or_was_published(instance)
    if isinstance(instance, Byline | Correction):
        if type(instance).article.is_cached(instance):
            return _article_is_or_was_published(instance.article)
        return Article.objects.filter(pk=instance.article_id, status=PUBLISHED).exists()
    if isinstance(instance, Contributor):
        # Readers know a contributor only from published pieces; a guest
        # created with an imported draft changes nothing yet.
        return instance.bylines.filter(article__status=PUBLISHED).exists()
    return True  # the diplomatic record, and whatever the journal adds later


def _row_changed(sender, instance, using, **kwargs) -> None:
    if _readers_see(instance):
        end_on_commit(using=using)


def _article_saved(sender, instance, using, created=False, **kwargs) -> None:
    if _readers_see(instance):
        loaded = getattr(instance, LOADED_LISTED, None)
        listed = created or loaded is None or loaded != _listed(instance)
        end_on_commit(using=using, listing=listed)
    _remember_status(sender, instance)


def _relation_changed(sender, instance, action, model, pk_set, using, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if model is Article:
        # From the other side (country.articles.add(...)): the articles named.
        articles = Article.objects.filter(status=PUBLISHED)
        if pk_set is not None:
            articles = articles.filter(pk__in=pk_set)
        if not articles.exists():
            return
    elif not _readers_see(instance):
        return
    end_on_commit(using=using)


def _end_after_outage(**kwargs) -> None:
    # A change committed while the cache was away could not end the
    # generation: what was kept before the outage may not show it.
    end()


def connect() -> None:
    """End the generation on every change readers can see, in the journal and the record."""
    post_init.connect(_remember_status, sender=Article, dispatch_uid="generation.status")
    cache_answers_again.connect(_end_after_outage, dispatch_uid="generation.after-outage")
    for app in ("journal", "summits"):
        for model in apps.get_app_config(app).get_models():
            if issubclass(model, UNSEEN):
                continue
            label = model._meta.label_lower
            saved = _article_saved if model is Article else _row_changed
            post_save.connect(saved, sender=model, dispatch_uid=f"generation.save.{label}")
            post_delete.connect(
                _row_changed, sender=model, dispatch_uid=f"generation.delete.{label}"
            )
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    _relation_changed,
                    sender=through,
                    dispatch_uid=f"generation.m2m.{through._meta.label_lower}",
                )
