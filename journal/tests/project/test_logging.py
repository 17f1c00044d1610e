"""Structured logs: JSON lines on stdout, request ids, tracebacks, no secrets."""

import datetime
import io
import json
import logging
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from gunicorn.config import Config

from journal.ops.logs import GunicornLogger, JsonFormatter, RequestIdFilter
from journal.tests.project.test_settings import run_in_shell

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the configured console handler writes, one parsed JSON object a line."""
    handler = logging.getLogger("django").handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    lines = []

    def read():
        lines[:] = [json.loads(line) for line in buffer.getvalue().splitlines()]
        return lines

    yield read
    handler.setStream(previous)


def test_the_console_handler_writes_json_with_request_ids():
    handler = logging.getLogger("django").handlers[0]

    assert handler is logging.getLogger().handlers[0]  # one stream for everything
    assert isinstance(handler.formatter, JsonFormatter)
    assert any(isinstance(f, RequestIdFilter) for f in handler.filters)


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/en/"), client.get("/en/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_from_the_proxy_is_kept_when_it_looks_like_one(client):
    kept = client.get("/en/", headers={"x-request-id": "lb-7f3a.2c91"})
    replaced = client.get("/en/", headers={"x-request-id": "</script> forged\tline"})
    too_long = client.get("/en/", headers={"x-request-id": "a" * 101})

    assert kept["X-Request-ID"] == "lb-7f3a.2c91"
    assert "forged" not in replaced["X-Request-ID"]
    assert len(too_long["X-Request-ID"]) == 32


def test_an_error_is_logged_with_its_traceback_and_request_id(monkeypatch, log_lines):
    from journal.views import home

    def broken(*args, **kwargs):
        raise ValueError(f"a bug near {settings.SECRET_KEY}")

    monkeypatch.setattr(home.HomeView, "get", broken)
    monkeypatch.setattr(home.HomeView, "post", broken, raising=False)
    reader = Client(raise_request_exception=False)
    reader.cookies["sessionid"] = "s3ss10n-c00k1e-value"

    response = reader.post(
        "/en/?q=water",
        {"password": "hunter2-hunter2", "note": "x"},
        headers={"x-request-id": "r-1"},
    )

    assert response.status_code == 500
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /en/"
    assert error["request_id"] == "r-1" == response["X-Request-ID"]
    assert error["method"] == "POST" and error["path"] == "/en/"
    assert error["status_code"] == 500
    assert "Traceback (most recent call last)" in error["traceback"]
    assert "ValueError: a bug near [redacted]" in error["traceback"]
    everything = json.dumps(log_lines())
    assert settings.SECRET_KEY not in everything
    assert "hunter2" not in everything
    assert "s3ss10n-c00k1e-value" not in everything


def test_preview_tokens_never_reach_the_log(client, log_lines):
    token = "p8Qw1nZk-secret-token-value"
    response = client.get(f"/en/preview/s/{token}/")

    assert response.status_code in (404, 410)
    assert token not in json.dumps(log_lines())


def test_gunicorn_access_lines_are_json_with_the_request_id():
    config = Config()
    config.set("accesslog", "-")
    logger = GunicornLogger(config)
    buffer = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(buffer)
    response = SimpleNamespace(
        status="200 OK",
        headers=[("X-Request-ID", "abc123"), ("Content-Type", "text/html")],
        sent=512,
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/en/preview/s/tok3n-that-opens-a-draft/",
        "QUERY_STRING": "page=2",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "curl/8",
    }

    logger.access(
        response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12)
    )

    line = json.loads(buffer.getvalue())
    assert line["request_id"] == "abc123"
    assert line["status"] == 200 and line["bytes"] == 512 and line["duration_ms"] == 12.0
    assert line["path"] == "/en/preview/s/[redacted]/"
    assert "tok3n" not in buffer.getvalue()


def test_reset_links_and_the_mail_password_never_reach_the_log(settings, log_lines):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "mail.example.org", "password": "m41l-p4ssw0rd"},
        }
    }
    logging.getLogger("journal.services.outbox").warning(
        "535 login refused for m41l-p4ssw0rd; GET /admin/reset/MQ/cz8k2w-4a1b2c3d4e5f/"
    )

    [line] = log_lines()
    assert line["message"] == "535 login refused for [redacted]; GET /admin/reset/MQ/[redacted]/"


def run_logging(tmp_path, **env):
    code = (
        "import logging\nfrom django.conf import settings\nsettings.LOGGING\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('journal').exception('failed with key %s', 's' * 50)\n"
    )
    return run_in_shell(tmp_path, code, DJANGO_SECRET_KEY="s" * 50, **env)


@pytest.mark.external
def test_logs_go_to_stdout_as_json(tmp_path):
    result = run_logging(tmp_path)

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["level"] == "ERROR" and line["logger"] == "journal"
    assert line["message"] == "failed with key [redacted]"
    assert "ZeroDivisionError" in line["traceback"]
    assert "s" * 50 not in result.stdout + result.stderr


@pytest.mark.external
def test_plain_lines_for_a_terminal_on_request(tmp_path):
    result = run_logging(tmp_path, DJANGO_LOG_FORMAT="text")

    assert result.returncode == 0, result.stderr
    assert "ERROR [-] journal: failed with key [redacted]" in result.stdout
    assert "ZeroDivisionError" in result.stdout


@pytest.mark.external
def test_an_unknown_log_format_is_refused(tmp_path):
    result = run_logging(tmp_path, DJANGO_LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT" in result.stderr
