"""What every endpoint shares: JSON answers and errors, the rate limit, filters, pagination."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, pagination, throttling
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import exception_handler

from journal.admin.throttling import client_ip

# As the reader site's slug filters say it: without repeating what was sent,
# so a guessed slug looks the same whether or not something unpublished has it.
NOT_A_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")


class JSONOnly(BaseContentNegotiation):
    """JSON, whatever the client's Accept header asks for: the API speaks nothing else.

    A 406 for a browser's "text/html" would also differ from what the page
    cache, which does not key on Accept, gives the next client.
    """

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def json_errors(exc, context):
    """DRF's JSON errors, and a 400 for a request Django refuses (a thousand query fields)."""
    if isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()
    return exception_handler(exc, context)


class ClientAddressThrottle(throttling.SimpleRateThrottle):
    """DJANGO_API_RATE requests per client address, counted in the cache every worker shares.

    The address is the one login throttling reads (behind DJANGO_TRUSTED_PROXY_COUNT
    proxies, from X-Forwarded-For). Only requests that reach the app count:
    an answer from the page cache or a CDN costs it nothing.
    """

    scope = "api"

    def get_rate(self) -> str | None:
        # Read on each request (DRF would read its settings once, at import).
        return settings.API_RATE

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class ReaderFilters(DjangoFilterBackend):
    """The reader site's FilterSets (journal/forms/filters.py); a 400 names an invalid filter.

    A choice that is not one is reported without the value sent, as the
    reader site's slug filters do (Django's own message repeats it).
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError(
                {
                    name: [
                        NOT_A_CHOICE if error.code == "invalid_choice" else message
                        for error in errors
                        for message in error.messages
                    ]
                    for name, errors in filterset.form.errors.as_data().items()
                }
            )
        return filterset.qs


class ArticlePagination(pagination.CursorPagination):
    """Newest first, ties broken by id; a cursor marks where the next page starts.

    Articles published while a client pages through the list join its top,
    and the pages the client has still to read stay as they were: page
    numbers would shift them by one each time.
    """

    ordering = ("-publish_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            # A cursor we gave names a publish time, with its offset from UTC.
            try:
                moment = parse_datetime(cursor.position)
            except ValueError:
                moment = None
            if moment is None or is_naive(moment):
                raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValidationError, OverflowError) as error:
            # A made-up time no database column can hold (the year 10000 in UTC).
            raise exceptions.NotFound(self.invalid_cursor_message) from error


class RecordPagination(pagination.PageNumberPagination):
    """Pages of 50 by number for the short lists: countries, frameworks, summits, contributors."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
