"""Structured logs: one JSON object a line on stdout, each with its request id.

Every request gets an id: the one the proxy in front sent in `X-Request-ID`
when it looks like one, else a new one. It is sent back in the response's
`X-Request-ID` header, and every line logged while the request is handled
carries it, gunicorn's access line included (`GunicornLogger`). A reader who
reports a broken page can quote the id from the response, and the log shows
the traceback.

What must not reach the log, does not: the secret key and every password in
the settings are replaced by `[redacted]` wherever they appear, and so are
preview-link tokens in paths, which would open embargoed drafts, and
password-reset tokens, which would open an account. Requests are
logged by method, path and status only: never headers, cookies or bodies.
"""

import contextvars
import datetime
import json
import logging
import os
import re
import traceback
import uuid
from urllib.parse import urlsplit

from gunicorn import glogging

REQUEST_ID_HEADER = "X-Request-ID"
_request_id = contextvars.ContextVar("request_id", default="-")
# What a proxy may hand us as an id: short, and nothing that could forge a line.
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_PATH_TOKEN = re.compile(r"(/preview/s/|/reset/[0-9A-Za-z_-]+/)[^/?#\s\"']+")
_REDACTED = "[redacted]"
# Attributes every LogRecord has; anything else came in through `extra`.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Extras never written out: they carry whole requests (headers, cookies).
_NEVER_LOGGED = {"request", "environ", "scope", "request_id"}


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Give the request an id, for its log lines and its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _VALID_ID.fullmatch(offered) else uuid.uuid4().hex
        request.id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being handled, or '-'."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def _secrets() -> list[str]:
    from django.conf import settings

    values = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for database in settings.DATABASES.values():
        values.append(database.get("PASSWORD") or "")
    values.append(urlsplit(getattr(settings, "CACHE_URL", "") or "").password or "")
    for mailer in getattr(settings, "MAILERS", {}).values():
        values.append(mailer.get("OPTIONS", {}).get("password") or "")
    values.append(getattr(settings, "CDN_PURGE_TOKEN", ""))
    # Short values would blank out ordinary words.
    return sorted({str(value) for value in values if value and len(str(value)) >= 6}, key=len)[::-1]


def redact(text: str) -> str:
    """The text with secrets and preview tokens replaced."""
    try:
        secrets = _secrets()
    except Exception:  # settings not configured: nothing of ours to hide yet
        secrets = []
    for secret in secrets:
        text = text.replace(secret, _REDACTED)
    return _PATH_TOKEN.sub(rf"\g<1>{_REDACTED}", text)


def _request_fields(request) -> dict:
    return {"method": request.method, "path": request.path}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, extras."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry.update(_request_fields(request))
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in _NEVER_LOGGED:
                entry[name] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.stack_info:
            entry["traceback"] = record.stack_info
        return redact(json.dumps(entry, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    """For a terminal (DJANGO_LOG_FORMAT=text): the same facts on one readable line."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return redact(super().format(record))


class GunicornLogger(glogging.Logger):
    """gunicorn's own lines, and its access log, in the same JSON as the app's.

    Set in gunicorn.conf.py (`logger_class`). The access line carries the
    request id the app put on the response.
    """

    def setup(self, cfg):
        super().setup(cfg)
        formatter = TextFormatter() if _text_wanted() else JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)
                handler.addFilter(RequestIdFilter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        headers = {name.lower(): value for name, value in resp.headers}
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        query = environ.get("QUERY_STRING", "")
        self.access_log.info(
            "%s %s%s %s",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            f"?{query}" if query else "",
            status,
            extra={
                "request_id": headers.get(REQUEST_ID_HEADER.lower(), "-"),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "query": query,
                "status": int(status),
                "bytes": getattr(resp, "sent", None) or 0,
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "remote_addr": environ.get("REMOTE_ADDR", "-"),
                "user_agent": environ.get("HTTP_USER_AGENT", "-"),
            },
        )


def _text_wanted() -> bool:
    return os.environ.get("DJANGO_LOG_FORMAT", "json").strip().lower() == "text"
