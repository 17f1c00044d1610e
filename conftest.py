"""What every test shares: hypothesis profiles, own files and caches, the record, clock, commits."""

import functools
import io
import os
import uuid

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase

# Property-based tests (hypothesis) try the same examples on every machine and
# in CI: a fixed search, no example database, no per-example deadline (each
# example goes through the database), and few enough examples that a file
# takes well under a minute. `HYPOTHESIS_PROFILE=thorough` searches at random
# and at length, remembering failing examples in var/ for the next run.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=True,
    # Tests share the database and a client with their fixtures across examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough",
    parent=hypothesis_settings.get_profile("ci"),
    derandomize=False,
    database=DirectoryBasedExampleDatabase(
        os.path.join(os.path.dirname(__file__), "var", "hypothesis")
    ),
    max_examples=1000,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    """A run against Redis (DJANGO_CACHE_URL) stops at once when that Redis does not answer.

    The site renders every page without a Redis that is away: the tests
    would pass without testing what they claim to.
    """
    if url := os.environ.get("DJANGO_CACHE_URL"):
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            raise pytest.UsageError(
                f"DJANGO_CACHE_URL={url} does not answer ({error}): start Redis."
            ) from None


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads go to a throwaway folder; static URLs need no collectstatic run.

    var/ is the test's own too: backups and the like land there.
    """
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_user(django_user_model):
    """pytest-django's superuser, without a password to hash: `admin_client` uses force_login."""
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.com", password=None
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever the last request activated.

    LocaleMiddleware activates a request's language for the thread and leaves
    it: a test after a request for /ru/ would otherwise write the record's
    Russian names where it means the English ones.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _isolated_caches(settings):
    """Each test process keeps its caches in memory, and no test sees what another cached.

    A cache the settings share between processes (files in var/, Redis) would
    be shared with every other process using this checkout. With
    DJANGO_CACHE_URL naming a Redis (`make test-redis`), the caches are that
    Redis, as in production, under a key prefix of the test's own; the test
    deletes its keys when it ends, and nothing else.
    """
    from django.core.cache import caches

    redis_url = os.environ.get("DJANGO_CACHE_URL", "")
    if not redis_url:
        settings.CACHES = {
            alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
            for alias in settings.CACHES
        }
        for cache in caches.all():
            cache.clear()
        yield
        return
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()
    }
    yield
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def record(db):
    """The diplomatic record loaded as `make setup` loads it: summits/reference_data/."""
    from django.core.management import call_command

    from summits import tagging

    tagging.clear_cache()
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def travel(monkeypatch):
    """Move the site's clock forward: `travel(datetime.timedelta(hours=3))`."""
    import datetime
    import time

    # Imported before the clock moves: its throttles keep `timer = time.time`
    # as a class attribute, and a function put there then would be bound as
    # a method for the rest of the run.
    import rest_framework.throttling  # noqa: F401
    from django.utils import timezone

    real_now, real_time = timezone.now, time.time
    offset = datetime.timedelta()

    def move(delta: datetime.timedelta) -> None:
        nonlocal offset
        offset += delta

    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
    monkeypatch.setattr(time, "time", lambda: real_time() + offset.total_seconds())
    return move


@pytest.fixture
def uncached(settings):
    """Pages rendered every time: for tests that count what rendering costs."""
    settings.CACHE_MIDDLEWARE_SECONDS = 0


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit(): ...`: what happens inside commits, as far as on_commit callbacks can tell.

    A test's transaction never commits, so a change would never end the
    content generation and readers' pages would stay as they were.
    """
    return functools.partial(django_capture_on_commit_callbacks, execute=True)
