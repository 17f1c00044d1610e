"""Small corrections to responses that no view should have to think about, and the page cache."""

from django.conf import settings
from django.middleware.cache import CacheMiddleware
from django.utils.cache import patch_cache_control, patch_response_headers

from journal import content_generation

# Never cached: the admin, previews, uploads, static files, the health check.
UNCACHED_PREFIXES = ("/preview/", "/media/", "/static/", "/health/")
# Only the reader site's pages are kept: what the content generation follows.
READER_NAMESPACE = "journal"


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
        if response.cookies or match is None or READER_NAMESPACE not in match.namespaces:
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
