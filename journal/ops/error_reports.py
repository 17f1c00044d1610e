"""Reporting errors to Sentry (or a server speaking its protocol), when SENTRY_DSN is set.

Off by default. What leaves the site is the error and where it happened:
no cookies, no user, no client address and no request body, since an
editor's request may carry an unpublished article or a password.
"""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

# Headers a report may name; every other one (Cookie, Authorization, the
# proxy's X-Forwarded-For) is left out.
KEPT_HEADERS = frozenset({"accept", "accept-language", "content-type", "host", "user-agent"})


def start_error_reports(
    *, dsn: str, environment: str, release: str = "", traces_sample_rate: float = 0.0
) -> None:
    """Send unhandled errors and ERROR log lines to `dsn`, without personal data."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), LoggingIntegration(event_level="ERROR")],
        # What the SDK collects by itself: nothing that names a person.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(KEPT_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        traces_sample_rate=traces_sample_rate,
        before_send=without_personal_data,
    )


def without_personal_data(event: dict, hint: dict) -> dict:
    """The event with what could name a person taken out, whatever the SDK collected."""
    event.pop("user", None)
    request = event.get("request")
    if request:
        request.pop("cookies", None)
        request.pop("data", None)
        request.pop("env", None)  # REMOTE_ADDR
        request["headers"] = {
            name: value
            for name, value in (request.get("headers") or {}).items()
            if name.lower() in KEPT_HEADERS
        }
        # A query string can hold a reader's address (a newsletter link) or a token.
        request.pop("query_string", None)
    return event
