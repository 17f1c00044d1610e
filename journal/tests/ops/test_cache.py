"""The shared cache on Redis: readers keep their pages while it is away, and nothing stale after.

Each test starts a redis-server of its own and makes it unavailable as an
outage would: killed (connections refused), stopped (connections that hang),
or restarted with the data it had before.
"""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis
from asgiref.sync import async_to_sync
from django.core.cache import caches

from journal.ops import cache as resilient_cache
from journal.tests.factories import PublishedArticleFactory
from journal.tests.ops.test_operations import Outage
from journal.tests.test_caching import HOME, from_cache

pytestmark = [pytest.mark.django_db, pytest.mark.external]

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
BACKEND = "journal.ops.cache.ResilientRedisCache"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test can take away."""

    def __init__(self, directory):
        self.directory = directory
        self.directory.mkdir()
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # No snapshots of its own and no append-only file: only `snapshot()`
        # leaves data for the next start, which loads dump.rdb if there is one.
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {self.port}")
                time.sleep(0.05)
            finally:
                client.close()

    def snapshot(self) -> None:
        client = redis.Redis(port=self.port)
        client.save()
        client.close()

    def keys(self) -> int:
        client = redis.Redis(port=self.port)
        try:
            return client.dbsize()
        finally:
            client.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.kill()


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip(
            "redis-server is not installed (apt-get install redis-server): "
            "the Redis outage tests start one of their own"
        )
    # What this process knew of earlier servers, on a port now reused, is forgotten.
    monkeypatch.setattr(resilient_cache, "_servers", {})
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_redis(settings, redis_server):
    """Every cache on the test's Redis, as with DJANGO_CACHE_URL: `on_redis(retry_seconds=0)`."""

    def use(**options) -> None:
        config = {
            "BACKEND": BACKEND,
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "journal",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, **options},
        }
        settings.CACHES = dict.fromkeys(settings.CACHES, config)

    return use


def cache_errors(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "journal.ops.cache" and record.levelno >= logging.ERROR
    ]


def test_readers_get_pages_while_redis_is_down_and_cached_pages_once_it_is_back(
    client, commit, redis_server, on_redis, caplog
):
    on_redis(retry_seconds=0)  # each call tries Redis: the first after its return uses it
    article = PublishedArticleFactory(title="Caspian talks resume")
    client.get(HOME)
    assert from_cache(client.get(HOME))

    redis_server.kill()

    for path in (HOME, article.get_absolute_url(), "/en/articles/", "/en/search/?q=caspian"):
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "Caspian talks resume" in response.text
            assert not from_cache(response)
    with commit():
        PublishedArticleFactory(title="Steppe railways")
    assert "Steppe railways" in client.get(HOME).text

    health = client.get("/health/")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    # Once for the whole outage, however many requests met it.
    [error] = cache_errors(caplog)
    assert f"127.0.0.1:{redis_server.port}" in error and "does not answer" in error

    redis_server.start()

    health = client.get("/health/")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    page = client.get(HOME)
    assert "Steppe railways" in page.text and "Caspian talks resume" in page.text
    assert from_cache(client.get(HOME))
    assert len(cache_errors(caplog)) == 1


def test_a_change_saved_while_redis_was_down_shows_when_it_returns_with_its_old_data(
    client, commit, redis_server, on_redis
):
    on_redis(retry_seconds=0)
    article = PublishedArticleFactory(title="Caspian talks resume")
    url = article.get_absolute_url()
    client.get(url)
    assert from_cache(client.get(url))
    # Redis restarts from its snapshot: the generation and the pages kept before.
    redis_server.snapshot()
    redis_server.kill()

    with commit():  # cannot end the generation: Redis is away
        article.title = "Caspian talks collapse"
        article.save()
    redis_server.start()
    assert redis_server.keys() > 0

    page = client.get(url)
    assert "Caspian talks collapse" in page.text
    assert not from_cache(page)


def test_when_redis_returns_while_the_database_is_away_the_generation_ends_later(
    client, commit, redis_server, on_redis
):
    on_redis(retry_seconds=0)
    article = PublishedArticleFactory(title="Caspian talks resume")
    url = article.get_absolute_url()
    client.get(url)
    assert from_cache(client.get(url))
    redis_server.snapshot()
    redis_server.kill()
    with commit():
        article.title = "Caspian talks collapse"
        article.save()
    redis_server.start()

    with pytest.MonkeyPatch.context() as patch:
        Outage(patch).start()
        # Redis is back, but ending the generation needs the database.
        assert client.get("/health/").status_code == 503

    page = client.get(url)
    assert "Caspian talks collapse" in page.text


def test_a_redis_that_hangs_holds_no_reader_for_long(
    client, commit, redis_server, on_redis, caplog
):
    on_redis()  # after a timeout, a worker leaves Redis alone for a few seconds
    PublishedArticleFactory(title="Caspian talks resume")
    client.get(HOME)
    assert from_cache(client.get(HOME))

    redis_server.pause()  # connections open, but nothing answers
    started = time.monotonic()
    for _ in range(3):
        assert client.get(HOME).status_code == 200
    with commit():
        PublishedArticleFactory(title="Steppe railways")
    assert "Steppe railways" in client.get(HOME).text
    # One timeout of a quarter of a second, not one per cache call nor a hang.
    assert time.monotonic() - started < resilient_cache.RETRY_SECONDS
    assert client.get("/health/").json()["cache"] == "unavailable"

    redis_server.resume()

    # The health check asks at once; the change saved meanwhile shows.
    assert client.get("/health/").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    page = client.get(HOME)
    assert "Steppe railways" in page.text and "Caspian talks resume" in page.text
    assert from_cache(client.get(HOME))
    assert len(cache_errors(caplog)) == 1


def test_every_cache_call_answers_as_an_empty_cache_while_redis_is_down(redis_server, on_redis):
    on_redis(retry_seconds=0)
    cache = caches["default"]
    cache.set("kept", 1)
    assert cache.get("kept") == 1

    redis_server.kill()

    assert cache.get("kept") is None
    assert cache.get("kept", "missing") == "missing"
    assert cache.get_many(["kept"]) == {}
    assert cache.get_or_set("kept", lambda: 2) == 2
    assert cache.add("kept", 3) is False
    assert cache.set("kept", 4) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert cache.has_key("kept") is False
    assert cache.touch("kept") is False
    assert cache.delete("kept") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False
    with pytest.raises(ValueError):
        cache.incr("kept")
    with pytest.raises(ValueError):
        cache.decr("kept")
    assert async_to_sync(cache.aget)("kept", "missing") == "missing"
