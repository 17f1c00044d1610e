import pytest


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads go to a throwaway folder; static URLs need no collectstatic run."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_caches():
    """No test sees pages another test cached."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def travel(monkeypatch):
    """Move the site's clock forward: `travel(datetime.timedelta(hours=3))`."""
    import datetime
    import time

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
    settings.JOURNAL_PAGE_CACHE_SECONDS = 0
