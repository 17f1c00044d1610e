"""Responses as no view should have to think of them: page cache, what caches keep, compression."""

import re

import brotli
from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.middleware.cache import CacheMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import (
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
    patch_vary_headers,
)
from django.utils.http import parse_etags, split_directive_names
from django.utils.text import compress_string

from journal import content_generation

# Never cached: the admin, previews, uploads, static files, the health check.
UNCACHED_PREFIXES = ("/preview/", "/media/", "/static/", "/health/")
# Only the reader site's pages and the API's answers (the same content, as
# JSON) are kept: what the content generation follows.
READER_NAMESPACES = {"journal", "site", "api"}


class HeadWithoutBodyMiddleware:
    """Answer HEAD with the headers of GET and no body, as HTTP requires.

    Django renders the page for HEAD as for GET; gunicorn drops the body and
    logs a warning for every such request. Content-Length stays that of the
    GET response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response


class LanguageMiddleware(LocaleMiddleware):
    """The language of a request: from the address on the reader site.

    Reader pages live under /ko/, /en/ and /ru/. An address without a prefix
    is one the English-only site published: it redirects permanently to the
    same page in the default language (LANGUAGE_CODE), whatever the browser
    asks for, since browsers and search engines keep permanent redirects. Only
    the bare home page, where a first visit usually starts, goes to the
    language the reader chose before (the language cookie) or their browser
    prefers, with a temporary redirect that varies on both. Elsewhere (the
    admin) the cookie or the browser decide, as in Django's LocaleMiddleware.
    """

    def process_request(self, request):
        path = request.path_info
        if translation.get_language_from_path(path) is None and not is_valid_path(path):
            if path == "/":
                language = translation.get_language_from_request(request)
                redirect = HttpResponseRedirect(self._prefixed(request, language))
                patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
                return redirect
            language = settings.LANGUAGE_CODE
            if is_valid_path(f"/{language}{path}"):
                return HttpResponsePermanentRedirect(self._prefixed(request, language))
            if settings.APPEND_SLASH and is_valid_path(f"/{language}{path}/"):
                return HttpResponsePermanentRedirect(
                    self._prefixed(request, language, append_slash=True)
                )
        return super().process_request(request)

    def process_response(self, request, response):
        if translation.get_language_from_path(request.path_info) is None and (
            response.status_code == 301 or is_public(response)
        ):
            # The same for every reader, nothing to vary on: the English-only
            # site's old addresses, and the sitemaps and robots.txt, which are
            # in no language.
            return response
        return super().process_response(request, response)

    @staticmethod
    def _prefixed(request, language: str, *, append_slash: bool = False) -> str:
        script_prefix = get_script_prefix()
        return request.get_full_path(force_append_slash=append_slash).replace(
            script_prefix, f"{script_prefix}{language}/", 1
        )


def is_public(response) -> bool:
    """Whether caches between the site and its readers (a CDN) may keep the response for all."""
    return "public" in cache_directives(response)


def cache_directives(response) -> set[str]:
    """The names of the response's Cache-Control directives: {"private", "max-age", ...}."""
    return set(split_directive_names(response.get("Cache-Control", "")))


class ReaderPageCacheMiddleware:
    """Reader pages for visitors without a session, from Django's cache middleware.

    A request for a reader page first reads the content generation, once (see
    journal/content_generation.py). Pages are kept under a key prefix that
    names it, so a change readers can see makes every cached page unreachable
    at once. Visitors with a session (editors) always get pages rendered for
    them; nothing outside the reader site is cached. ConditionalGetMiddleware,
    before this one, answers with a 304 when the page's ETag has not changed.

    What caches in front may do with a response is decided here too, before a
    page is kept, so a page from the cache says the same as a fresh one:

    * an anonymous reader's page, feed or sitemap answered 200 is public:
      browsers ask again after HTTP_MAX_AGE seconds, shared caches (a CDN)
      keep it HTTP_S_MAXAGE seconds and serve it stale while they fetch it
      again for HTTP_STALE_WHILE_REVALIDATE more. It varies on Cookie: a
      reader with a session gets a page rendered for them. That Vary is added
      after Django's cache, which would otherwise key pages on every cookie;
    * the admin, and anything for a visitor with a session or answering a
      form (POST), is private and never stored;
    * the rest is private: errors, redirects, responses that set a cookie
      (a CSRF token, messages) or read the session, and pages outside the
      reader site. So is whatever a view marked private itself (previews).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            return self._never_stored(self.get_response(request))
        if request.path.startswith(UNCACHED_PREFIXES):
            # Nothing there is kept per generation: not even the generation is read.
            return self.get_response(request)
        with content_generation.pinned() as generation:
            if request.method not in ("GET", "HEAD") or (
                settings.SESSION_COOKIE_NAME in request.COOKIES
            ):
                return self._never_stored(self.get_response(request))
            if settings.CACHE_MIDDLEWARE_SECONDS > 0:
                pages = CacheMiddleware(
                    self._reader_page,
                    page_timeout=settings.CACHE_MIDDLEWARE_SECONDS,
                    key_prefix=f"{settings.CACHE_MIDDLEWARE_KEY_PREFIX}{generation.id}",
                    cache_alias=settings.CACHE_MIDDLEWARE_ALIAS,
                )
                response = pages(request)
            else:
                response = self._reader_page(request)
        if is_public(response):
            patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def _never_stored(response):
        patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _shareable(request, response) -> bool:
        """A reader page that is the same for every visitor without a session."""
        match = getattr(request, "resolver_match", None)
        return (
            response.status_code == 200
            and match is not None
            and not READER_NAMESPACES.isdisjoint(match.namespaces)
            # A page that used a CSRF token or a message sets its cookie.
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and cache_directives(response).isdisjoint({"private", "no-store", "no-cache"})
        )

    def _reader_page(self, request):
        response = self.get_response(request)
        if self._shareable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.HTTP_MAX_AGE,
                s_maxage=settings.HTTP_S_MAXAGE,
                stale_while_revalidate=settings.HTTP_STALE_WHILE_REVALIDATE,
            )
            patch_response_headers(response, cache_timeout=settings.HTTP_MAX_AGE)
        else:
            # Someone's own cookie, an error, or a page outside the reader site
            # (whose content is not what the generation follows): neither the
            # cache middleware nor a cache in front stores a private page.
            patch_cache_control(response, private=True)
            patch_response_headers(response, cache_timeout=0)
        if not response.streaming:
            # One piece: the syndication framework writes a feed in hundreds of
            # small ones, and a sync worker would send each with a write of its own.
            response.content = response.content
        return response


# Compression --------------------------------------------------------------------

# Quality 5 of 11: a tenth smaller than gzip for our pages, in a fifth of a
# millisecond for the home page (gzip: an eighth); 11 takes a hundred times longer.
BROTLI_QUALITY = 5
# Below this, the header saying so costs about what compression saves.
MIN_COMPRESSED_LENGTH = 200
# Pages, feeds (RSS, Atom), sitemaps, JSON and other text.
COMPRESSIBLE = re.compile(r"text/|application/(json|xml|javascript|[\w.-]+\+(xml|json))\b", re.I)
# Compressed pages this worker sent last, by ETag: a page the page cache
# serves is compressed once, not on every request. At most a few megabytes.
_compressed: dict[tuple[str, str, int], bytes] = {}
_KEEP_COMPRESSED = 256


class CompressionMiddleware:
    """Brotli or gzip, as the browser accepts (Brotli when it takes both), for what the app renders.

    Static files do not come here: WhiteNoise, before this middleware, serves
    the Brotli and gzip files collectstatic wrote. Against BREACH (a secret
    read from the sizes of compressed responses that also reflect what an
    attacker sends), nothing that may hold one is compressed: the admin,
    anything for a visitor with a session, and any response that sets a
    cookie, as a page that carries a CSRF token does. Reader pages hold no
    secrets.

    ConditionalGetMiddleware, after this one, computes the ETag from the
    uncompressed page and answers 304 to it; a compressed page's ETag is made
    weak, as Django's GZipMiddleware does (the same page, other bytes), and a
    304 repeats the ETag the browser holds. Compressed or not, the response
    varies on Accept-Encoding.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not self._may_compress(request, response):
            return response
        if response.status_code == 304:
            if response.has_header("ETag"):
                # A page's 304: the headers its 200 had.
                patch_vary_headers(response, ("Accept-Encoding",))
                self._repeat_weak_etag(request, response)
            return response
        if not COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted_encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None or len(response.content) < MIN_COMPRESSED_LENGTH:
            return response
        content = self._compress(response, encoding)
        if len(content) >= len(response.content):
            return response
        response.content = content
        response["Content-Length"] = str(len(content))
        response["Content-Encoding"] = encoding
        etag = response.get("ETag", "")
        if etag.startswith('"'):
            response["ETag"] = f"W/{etag}"
        return response

    @staticmethod
    def _may_compress(request, response) -> bool:
        return not (
            response.streaming
            or response.has_header("Content-Encoding")
            or request.path.startswith(f"/{settings.ADMIN_URL}")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            # A page that carries a CSRF token sends its cookie too (Django
            # renews it whenever a page uses it), as does a new session.
            or response.cookies
        )

    @staticmethod
    def _repeat_weak_etag(request, response) -> None:
        etag = response["ETag"]
        if etag.startswith('"') and f"W/{etag}" in parse_etags(
            request.headers.get("If-None-Match", "")
        ):
            response["ETag"] = f"W/{etag}"

    @staticmethod
    def _compress(response, encoding: str) -> bytes:
        etag = response.get("ETag", "")
        # A strong ETag names these very bytes (ConditionalGetMiddleware hashes them).
        key = (etag, encoding, len(response.content)) if etag.startswith('"') else None
        if key is not None and (content := _compressed.get(key)) is not None:
            return content
        if encoding == "br":
            content = brotli.compress(response.content, quality=BROTLI_QUALITY)
        else:
            # No random padding (Django's GZipMiddleware adds some against
            # BREACH): what is compressed here holds no secret.
            content = compress_string(response.content)
        if key is not None:
            if len(_compressed) >= _KEEP_COMPRESSED:
                _compressed.clear()
            _compressed[key] = content
        return content


def accepted_encoding(header: str) -> str | None:
    """The coding Accept-Encoding weighs more, "br" (Brotli, also on a tie) or "gzip", or None."""
    weights = {}
    # A browser's header is short; a long one is not worth reading to the end.
    for part in header[:500].split(","):
        name, _, parameters = part.partition(";")
        weight = 1.0
        parameter = parameters.strip().replace(" ", "")
        if parameter.lower().startswith("q="):
            try:
                weight = float(parameter[2:])
            except ValueError:
                weight = 0.0
        weights[name.strip().lower()] = weight
    any_other = weights.get("*", 0.0)
    best = max(("br", "gzip"), key=lambda coding: weights.get(coding, any_other))
    return best if weights.get(best, any_other) > 0 else None
