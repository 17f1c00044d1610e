"""Small corrections to responses that no view should have to think about, and the page cache."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.middleware.cache import CacheMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_response_headers, patch_vary_headers

from journal import content_generation

# Never cached: the admin, previews, uploads, static files, the health check.
UNCACHED_PREFIXES = ("/preview/", "/media/", "/static/", "/health/")
# Only the reader site's pages are kept: what the content generation follows.
READER_NAMESPACES = {"journal", "site"}


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
        if (
            response.status_code == 301
            and translation.get_language_from_path(request.path_info) is None
        ):
            return response  # the same for every reader: nothing to vary on
        return super().process_response(request, response)

    @staticmethod
    def _prefixed(request, language: str, *, append_slash: bool = False) -> str:
        script_prefix = get_script_prefix()
        return request.get_full_path(force_append_slash=append_slash).replace(
            script_prefix, f"{script_prefix}{language}/", 1
        )


class ReaderPageCacheMiddleware:
    """Reader pages for visitors without a session, from Django's cache middleware.

    A request for a reader page first reads the content generation, once (see
    journal/content_generation.py). Pages are kept under a key prefix that
    names it, so a change readers can see makes every cached page unreachable
    at once. Visitors with a session (editors) always get pages rendered for
    them; nothing outside the reader site is cached. Browsers are told to ask
    again every time (max-age=0): ConditionalGetMiddleware, before this one,
    answers with a 304 when the page's ETag has not changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith((f"/{settings.ADMIN_URL}", *UNCACHED_PREFIXES)):
            # Nothing there is kept per generation: not even the generation is read.
            return self.get_response(request)
        with content_generation.pinned() as generation:
            if not self._cacheable(request):
                return self.get_response(request)
            pages = CacheMiddleware(
                self._reader_page,
                page_timeout=settings.CACHE_MIDDLEWARE_SECONDS,
                key_prefix=f"{settings.CACHE_MIDDLEWARE_KEY_PREFIX}{generation.id}",
                cache_alias=settings.CACHE_MIDDLEWARE_ALIAS,
            )
            return pages(request)

    @staticmethod
    def _cacheable(request) -> bool:
        return (
            settings.CACHE_MIDDLEWARE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def _reader_page(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if response.cookies or match is None or READER_NAMESPACES.isdisjoint(match.namespaces):
            # Someone's own cookie, or a page outside the reader site (whose
            # content is not what the generation follows): the cache
            # middleware stores no private page.
            patch_cache_control(response, private=True)
        patch_response_headers(response, cache_timeout=0)
        if not response.streaming:
            # One piece: the syndication framework writes a feed in hundreds of
            # small ones, and a sync worker would send each with a write of its own.
            response.content = response.content
        return response
