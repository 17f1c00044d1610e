"""The shared cache on Redis, and what readers get while Redis is away: pages rendered without it.

`ResilientRedisCache` is Django's RedisCache that answers "not cached"
instead of raising when Redis cannot be reached (refused, timed out, out of
memory, loading its data). A reader never loses a page to the cache: every
read misses, every write is dropped, and the page is rendered from the
database. The socket timeouts the settings give it (DJANGO_CACHE_TIMEOUT_SECONDS)
keep an unreachable server from holding a worker, and once a call has
failed the worker does not try Redis again for `retry_seconds` (5 by
default): an outage costs a page one timeout at most, not one per cache call.

An outage is logged once per worker, when it is first noticed, and its end
once, when Redis answers again; `cache_answers_again` is sent then. While
Redis was away, a change could not end the content generation
(journal/content_generation.py listens), so pages kept before the outage must
not be served after it.

The health check asks with `answers()`, which always tries, whatever the
retry delay.
"""

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Sent by each worker that noticed an outage, when the cache answers again
# (before the call that found it back is made). Arguments: `location`.
cache_answers_again = Signal()

# How long a worker that found Redis away serves without trying it again.
RETRY_SECONDS = 5.0
HEALTH_KEY = "journal:health"


class _Server:
    """What this worker knows of one Redis location, for every alias and thread that uses it."""

    def __init__(self, location: str):
        self.location = location
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0


_servers: dict[str, _Server] = {}
_servers_lock = threading.Lock()


def _server(location: str) -> _Server:
    with _servers_lock:
        return _servers.setdefault(location, _Server(location))


def _without_password(location: str) -> str:
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=host))


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis cannot be reached.

    OPTIONS are Django's (socket timeouts and the like go to redis-py's
    connection pool), plus `retry_seconds`: how long a worker leaves Redis
    alone after a failed call.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self._retry_seconds = float(options.pop("retry_seconds", RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._state = _server(",".join(self._servers))

    # What the site calls: each answers as an empty cache would while Redis is away.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._safely(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._safely(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._safely({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._safely(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._safely(missing, super().incr, key, delta, version)
        if value is missing:
            # What Django's caches say of a key they do not hold.
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._safely(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._safely(None, super().delete_many, keys, version)

    def clear(self):
        return self._safely(False, super().clear)

    # get_or_set, decr and the async methods are Django's, made of the above.

    def answers(self) -> bool:
        """Whether Redis answers a PING now; notes an outage or its end as any call would."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._failed(error)
            return False
        self._answered()
        return True

    def _safely[T](self, miss: T, call: Callable[..., T], *args) -> T:
        state = self._state
        if state.down_since is not None:
            with state.lock:
                now = time.monotonic()
                if now < state.retry_at:
                    return miss
                # This call tries; others carry on without Redis meanwhile.
                state.retry_at = now + self._retry_seconds
            # Asked before the call, so that what follows an outage
            # (`cache_answers_again`) happens before anything is read.
            if not self.answers():
                return miss
        try:
            return call(*args)
        except RedisError as error:
            self._failed(error)
            return miss

    def _failed(self, error: RedisError) -> None:
        state = self._state
        with state.lock:
            now = time.monotonic()
            first = state.down_since is None
            if first:
                state.down_since = now
            state.retry_at = now + self._retry_seconds
        if first:
            logger.error(
                "The cache at %s does not answer (%s: %s); pages are rendered without it "
                "until it does.",
                _without_password(state.location),
                type(error).__name__,
                error,
            )

    def _answered(self) -> None:
        state = self._state
        with state.lock:
            if state.down_since is None:
                return
            away = time.monotonic() - state.down_since
            state.down_since = None
        logger.warning(
            "The cache at %s answers again, after %.0f s away.",
            _without_password(state.location),
            away,
        )
        # Django logs a receiver's error, with its traceback.
        results = cache_answers_again.send_robust(sender=type(self), location=state.location)
        if any(isinstance(result, Exception) for _, result in results):
            # What follows an outage must happen (the database may be away
            # too): the next call to try Redis sends the signal again.
            with state.lock:
                state.down_since = time.monotonic() - away
                state.retry_at = time.monotonic() + self._retry_seconds


def answers(alias: str = "default") -> bool:
    """Whether the cache `alias` can be used now: Redis answers a PING, files can be written."""
    try:
        cache = caches[alias]  # the file cache makes its folder here
        if isinstance(cache, ResilientRedisCache):
            return cache.answers()
        cache.set(HEALTH_KEY, 1, timeout=60)
        return cache.get(HEALTH_KEY) == 1
    except OSError:  # var/cache on a full or read-only disk, say
        return False
