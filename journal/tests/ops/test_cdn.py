"""The CDN purge hook: told once per committed change readers can see, never in an editor's way.

The built-in hook POSTs JSON to a URL; here, to a small HTTP server each
test starts, which keeps what it receives.
"""

import json
import logging
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from journal import content_generation
from journal.models import Article, Correction
from journal.ops import cdn
from journal.services.workflow import article_publish, article_unpublish
from journal.tests.admin.test_workflow import STARTS, press, ready_draft
from journal.tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

TOKEN = "purge-token-0d9f3a"


class PurgeEndpoint:
    """An HTTP server on a free loopback port that answers `status` and keeps each POST."""

    def __init__(self):
        self.received: queue.Queue = queue.Queue()
        self.status = 204
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                endpoint.received.put(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                self.send_response(endpoint.status)
                if 300 <= endpoint.status < 400:
                    self.send_header("Location", "/purge-elsewhere")
                    endpoint.status = 204  # where it leads answers
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass  # the test reads what arrived, not the server's log

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/purge?zone=journal"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def requests(self) -> list[dict]:
        """What arrived, once every purge the site started has finished."""
        for thread in threading.enumerate():
            if thread.name == cdn.THREAD_NAME:
                thread.join(timeout=cdn.TIMEOUT_SECONDS + 5)
        arrived = []
        while not self.received.empty():
            arrived.append(self.received.get())
        return arrived

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint(settings):
    endpoint = PurgeEndpoint()
    settings.CDN_PURGE = endpoint.url
    settings.CDN_PURGE_TOKEN = TOKEN
    settings.ALLOWED_HOSTS = ["journal.example.org", "testserver"]
    yield endpoint
    endpoint.requests()  # no purge outlives its test
    endpoint.stop()


def assert_one_purge(endpoint) -> dict:
    [request] = endpoint.requests()
    assert (request["method"], request["path"]) == ("POST", "/purge?zone=journal")
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    payload = json.loads(request["body"])
    assert payload == {
        "event": "content-changed",
        "generation": payload["generation"],
        "hosts": ["journal.example.org", "testserver"],
        "prefixes": ["/ko/", "/en/", "/ru/", "/sitemap", "/api/"],
    }
    return payload


def test_publishing_an_article_purges_once_after_the_commit(endpoint, commit):
    draft = ready_draft(None, title="Astana hosts the C5+1")

    with commit():
        article_publish(article=draft)
        # Nothing is sent before the commit: readers could not see it yet.
        assert endpoint.requests() == []

    payload = assert_one_purge(endpoint)
    assert payload["generation"] == content_generation.current().id


def test_unpublishing_purges(endpoint, commit):
    article = PublishedArticleFactory()
    with commit():
        article_unpublish(article=article)
    assert_one_purge(endpoint)


def test_a_correction_to_a_live_article_purges(endpoint, commit):
    article = PublishedArticleFactory()
    with commit():
        Correction.objects.create(article=article, text="We misdated the summit.")
    assert_one_purge(endpoint)


def test_a_draft_saved_purges_nothing(endpoint, commit):
    draft = ArticleFactory()
    with commit():
        draft.title = "Still a draft"
        draft.save()
    assert endpoint.requests() == []


def test_a_failing_cdn_never_fails_the_editors_publish(endpoint, client, editor, commit, caplog):
    endpoint.status = 500
    client.force_login(editor)
    article = ready_draft(None, **STARTS["in review"])

    with caplog.at_level(logging.ERROR, logger="journal.ops.cdn"):
        with commit():
            response = press(client, article, "publish")
        assert response.status_code == 302, response.context and response.context["errors"]
        assert len(endpoint.requests()) == 1

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    [record] = [r for r in caplog.records if r.name == "journal.ops.cdn"]
    assert "CDN purge hook" in record.getMessage()
    assert "HTTP Error 500" in record.exc_text
    # The log names the host, never the path, its query or the token.
    assert "zone=journal" not in record.getMessage()
    assert TOKEN not in caplog.text


def test_an_unreachable_cdn_is_logged(endpoint, commit, caplog):
    endpoint.stop()  # nothing listens there any more
    with caplog.at_level(logging.ERROR, logger="journal.ops.cdn"):
        with commit():
            article_unpublish(article=PublishedArticleFactory())
        assert endpoint.requests() == []
    [record] = [r for r in caplog.records if r.name == "journal.ops.cdn"]
    assert "Connection refused" in record.exc_text


def test_a_redirect_is_reported_not_followed(endpoint, commit, caplog):
    # Followed, the POST would become a GET without the body: nothing purged,
    # and nothing to say so.
    endpoint.status = 302
    with caplog.at_level(logging.ERROR, logger="journal.ops.cdn"):
        with commit():
            article_unpublish(article=PublishedArticleFactory())
        assert [request["method"] for request in endpoint.requests()] == ["POST"]
    [record] = [r for r in caplog.records if r.name == "journal.ops.cdn"]
    assert "HTTP Error 302" in record.exc_text


purged = []


def remember(payload: dict) -> None:
    """A hook of the operator's own, named by its dotted path."""
    purged.append(payload)


def test_a_callable_can_be_the_hook(settings, commit):
    settings.CDN_PURGE = f"{__name__}.remember"
    purged.clear()
    with commit():
        article_unpublish(article=PublishedArticleFactory())
    for thread in threading.enumerate():
        if thread.name == cdn.THREAD_NAME:
            thread.join(timeout=5)

    [payload] = purged
    assert payload["event"] == "content-changed"


def test_without_a_hook_nothing_is_started(settings, commit):
    settings.CDN_PURGE = ""
    with commit():
        article_unpublish(article=PublishedArticleFactory())
    assert not any(thread.name == cdn.THREAD_NAME for thread in threading.enumerate())
