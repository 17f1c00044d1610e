"""Telling a CDN in front that reader pages changed: the purge hook (DJANGO_CDN_PURGE).

Every reader page, list, count, feed and sitemap belongs to the content
generation (journal/content_generation.py), which ends once a change readers
can see commits (a publication, an unpublication, a correction, an edit to a
live article or to the record) and when a scheduled article goes live. The
site's own page cache then leaves every page at once, and the CDN is told to
do the same: "purge everything". A list of changed addresses would have to
name, in three languages, the article, every page of every list it moves on,
filtered lists, its countries', frameworks', summits' and contributors' pages
and feeds, and the articles whose related coverage shows it; it would always
miss one. CDNs purge everything (or everything under a prefix) in one call:
Cloudflare's `purge_everything`, Fastly's purge all, a Varnish ban.

What the hook gets, as a JSON body POSTed to a URL, or as a dict given to a
callable named by its dotted path:

    {"event": "content-changed", "generation": "<id of the new generation>",
     "hosts": ["journal.example.org"],
     "prefixes": ["/ko/", "/en/", "/ru/", "/sitemap", "/api/"]}

`prefixes` are where the pages that change live (and the API's answers,
which say the same), for a CDN that purges by prefix; static files have
names that change with their content and never need purging. The hook
runs in a thread of its own once the change has committed: it never
delays nor fails the editor's request. A failure is logged, and the CDN
then serves the old pages for at most DJANGO_HTTP_S_MAXAGE plus
DJANGO_HTTP_STALE_WHILE_REVALIDATE seconds.
"""

import contextvars
import functools
import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

EVENT = "content-changed"
# A CDN's purge API answers in well under a second; one that does not, fails.
TIMEOUT_SECONDS = 10
THREAD_NAME = "cdn-purge"


def content_changed(*, generation: str) -> None:
    """Tell the CDN, in the background, that every reader page may have changed.

    Called by content_generation.end(), after the commit; does nothing unless
    DJANGO_CDN_PURGE is set.
    """
    if not settings.CDN_PURGE:
        return
    payload = {
        "event": EVENT,
        "generation": generation,
        "hosts": list(settings.ALLOWED_HOSTS),
        "prefixes": [f"/{code}/" for code, _name in settings.LANGUAGES] + ["/sitemap", "/api/"],
    }
    # The thread logs under the id of the request that made the change.
    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(_purge, payload), name=THREAD_NAME).start()


def _purge(payload: dict) -> None:
    try:
        hook()(payload)
    except Exception:
        logger.exception(
            "The CDN purge hook (%s) failed; the CDN keeps old pages until they expire.",
            _described(settings.CDN_PURGE),
        )
    else:
        logger.info("The CDN was told that content changed (generation %s).", payload["generation"])


def hook() -> Callable[[dict], None]:
    """What DJANGO_CDN_PURGE names: `post_json` to a URL, or a callable by its dotted path."""
    target = settings.CDN_PURGE
    if target.startswith(("http://", "https://")):
        return functools.partial(post_json, url=target, token=settings.CDN_PURGE_TOKEN)
    return import_string(target)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib turns a redirected POST into a GET without the body: report it instead.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(payload: dict, *, url: str, token: str = "") -> None:
    """The built-in hook: POST `payload` as JSON to `url`; any answer but a 2xx raises.

    With a token, it goes along as `Authorization: Bearer <token>`, for the
    receiving end (a CDN worker, a Varnish in front) to check.
    """
    headers = {"Content-Type": "application/json", "User-Agent": "journal-cdn-purge"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        response.read()


def _described(target: str) -> str:
    """The hook as a log may show it: a URL's scheme and host, never its path or credentials."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}/…"
    return target
