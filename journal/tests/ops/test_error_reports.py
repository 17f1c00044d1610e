"""Error reports: an error reaches a Sentry-protocol server, and nobody's data goes with it."""

import gzip
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from journal.ops.error_reports import start_error_reports

pytestmark = pytest.mark.django_db


@csrf_exempt
def broken_view(request):
    raise RuntimeError("the rendition server answered nonsense")


urlpatterns = [path("broken/", broken_view)]
# (What the tests send is kept away from the lines above: a report quotes the
# code around the error.)


class Collector(BaseHTTPRequestHandler):
    """Accepts envelopes as Sentry's ingest does, and keeps each one's bytes."""

    received: list[bytes]

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK's choice when the brotli package is installed
            import brotli

            body = brotli.decompress(body)
        self.server.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def ingest():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    start_error_reports(
        dsn=f"http://publickey@127.0.0.1:{server.server_address[1]}/7", environment="test"
    )
    yield server
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is sent by later tests
    server.shutdown()


def events(received: list[bytes]) -> list[dict]:
    """The error events among the envelopes: a header line, then item header and payload pairs."""
    found = []
    for envelope in received:
        lines = envelope.split(b"\n")[1:]
        for header, payload in zip(lines[::2], lines[1::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


@pytest.fixture
def wsgi():
    """Requests through the WSGI application, as gunicorn makes them (the test client
    skips the WSGI layer, where the SDK reads the address and headers)."""
    application = get_wsgi_application()
    # As the test client does: keep the test's database connection open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

    def request(method: str, path: str, *, query: str = "", body: bytes = b"", **headers):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            **headers,
        }
        setup_testing_defaults(environ)
        statuses = []
        b"".join(application(environ, lambda status, headers, *args: statuses.append(status)))
        return statuses[0]

    yield request
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.urls(__name__)
def test_an_unhandled_error_is_reported_without_personal_data(ingest, wsgi, editor, client):
    editor.username, editor.email = "aigerim.nurlanova", "aigerim@example.org"
    editor.save()
    secret_text = "Draft: the ministers will sign on Friday"
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    status = wsgi(
        "POST",
        "/broken/",
        query="email=reader@example.org",
        body=urlencode({"body": secret_text, "password": "correct horse"}).encode(),
        HTTP_COOKIE=f"sessionid={session}",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        HTTP_AUTHORIZATION="Bearer not-for-anyone",
        HTTP_USER_AGENT="Firefox",
    )
    assert status.startswith("500")
    sentry_sdk.flush(timeout=5)

    [event] = events(ingest.received)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "the rendition server answered nonsense"
    assert event["request"]["url"] == "http://127.0.0.1/broken/"
    assert event["request"]["method"] == "POST"
    assert event["request"]["headers"]["User-Agent"] == "Firefox"
    assert event["environment"] == "test"

    sent = b"".join(ingest.received).decode()
    for private in (
        editor.username,
        editor.email,
        session,
        secret_text,
        "correct horse",
        "reader@example.org",
        "203.0.113.9",
        "198.51.100.4",
        "not-for-anyone",
    ):
        assert private not in sent


def test_an_error_logged_by_the_site_is_reported(ingest, caplog):
    import logging

    logging.getLogger("journal.ops.backups").error("The nightly backup could not be written")
    sentry_sdk.flush(timeout=5)

    [event] = events(ingest.received)
    assert event["logentry"]["message"] == "The nightly backup could not be written"
