"""Operations: the health check (database, cache), and a friendly 503 while the database is away."""

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.test import Client

from journal.tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


class Outage:
    """Every query fails as it does when the database server has gone away."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def start(self):
        def refuse(*args, **kwargs):
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

        for method in ("execute", "executemany"):
            self.monkeypatch.setattr(utils.CursorWrapper, method, refuse)

    def end(self):
        self.monkeypatch.undo()


@pytest.fixture
def outage(monkeypatch):
    return Outage(monkeypatch)


@pytest.fixture
def database_down(outage):
    outage.start()
    return outage


@pytest.fixture
def reader():
    # As a browser sees it: errors become pages instead of test failures.
    return Client(raise_request_exception=False)


def test_health_reports_a_working_database(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_missing_database(client, database_down):
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response["Retry-After"] == "30"


def test_health_reports_a_cache_that_cannot_be_written(client, settings, tmp_path):
    # var/cache, where the workers of one machine share the generation, is
    # unusable (here a file stands where the folder should be).
    blocked = tmp_path / "cache"
    blocked.write_text("")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": blocked,
        },
    }

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.parametrize(
    "path", ["/en/", "/en/articles/", "/en/search/?q=summit", "/en/countries/"]
)
def test_pages_answer_503_while_the_database_is_away(reader, database_down, path):
    response = reader.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.text
    # Said in the journal's three languages: the page cannot know the reader's.
    assert '<section lang="ko">' in response.text and "잠시 후 다시 열립니다" in response.text
    assert '<section lang="ru">' in response.text and "Скоро вернёмся" in response.text
    assert "Traceback" not in response.text
    assert "OperationalError" not in response.text


def test_the_site_recovers_by_itself(reader, outage):
    article = PublishedArticleFactory(title="Still here")
    outage.start()
    assert reader.get(article.get_absolute_url()).status_code == 503

    outage.end()  # nothing else: no restart, no cache to clear

    response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Still here" in response.text


def test_other_errors_stay_500s(reader, monkeypatch):
    from journal.views import home

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(home.HomeView, "get", broken)
    response = reader.get("/en/")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "일시적인 오류가 발생했습니다" in response.text
    assert "На сайте произошла ошибка" in response.text
