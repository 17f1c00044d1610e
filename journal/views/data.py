"""The summit record as data: every summit list as CSV, JSON and iCalendar, and their links.

The lists are those of /summits/ (with its filters, the same query string),
a framework's meetings and a country's. The record has no drafts: every
summit is on the reader site, so every summit is in the data. What each
format holds is built by `summits.exports`; here are the addresses, the
licence and the headers. Downloads are reader pages to the page cache: kept
until the record changes, as the HTML lists are, so a calendar subscribed to
a framework's address sees a new meeting on its next refresh.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from journal.forms.filters import SummitFilter
from summits import exports
from summits.models import Country, Framework, Summit

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ics": "text/calendar; charset=utf-8",
}
FORMATS = tuple(CONTENT_TYPES)


def site_address(path: str) -> str:
    """`path` on the site (DJANGO_SITE_URL): downloads say the same whichever host served them."""
    return settings.SITE_URL + path


def data_links(request, name: str, *args, query: str = "") -> dict[str, str]:
    """The addresses of a list's downloads, `name` the URL name less its format.

    `webcal` is the calendar's address for calendar apps, which subscribe to
    it rather than import it once.
    """
    links = {fmt: reverse(f"journal:{name}_{fmt}", args=args) for fmt in FORMATS}
    if query:
        links = {fmt: f"{url}?{query}" for fmt, url in links.items()}
    calendar = urlsplit(request.build_absolute_uri(links["ics"]))
    links["webcal"] = calendar._replace(scheme="webcal").geturl()
    return links


def summit_filter_query(request) -> str:
    """The summit list's filters in the request, to carry over to its downloads."""
    return urlencode(
        [
            (key, value)
            for key, values in request.GET.lists()
            if key in SummitFilter.base_filters
            for value in values
        ]
    )


class SummitDataView(View):
    """A summit list in one format: all summits, a framework's, or a country's.

    The list's filters apply as on /summits/; a filter that cannot be used is
    a 400 naming it, not an empty file that looks like no meeting.
    """

    format = "csv"
    # Whose meetings: None (all), "framework" or "country", by the slug in the address.
    scope = None

    def get(self, request, slug=None):
        summits, title, stem = self.chosen(slug)
        filterset = SummitFilter(request.GET or None, queryset=summits, request=request)
        if filterset.is_bound and not filterset.is_valid():
            # The field names only: what was typed is not repeated.
            return HttpResponseBadRequest(
                _("These filters could not be used: %(fields)s.")
                % {"fields": ", ".join(sorted(filterset.errors))},
                content_type="text/plain; charset=utf-8",
            )
        summits = exports.for_export(filterset.qs)
        response = getattr(self, f"as_{self.format}")(summits, title)
        filename = f"{stem}-{get_language()}.{self.format}"
        response.headers["Content-Disposition"] = content_disposition_header(True, filename)
        if settings.DATA_LICENCE_URL:
            response.headers["Link"] = f'<{settings.DATA_LICENCE_URL}>; rel="license"'
        return response

    def chosen(self, slug):
        """The summits of the address, the list's title and its file name's stem."""
        if self.scope == "framework":
            framework = get_object_or_404(Framework, slug=slug)
            title = _("%(framework)s summits") % {"framework": framework.short_name}
            return framework.summits.all(), title, f"summits-{framework.slug}"
        if self.scope == "country":
            country = get_object_or_404(Country, slug=slug)
            title = _("Summits hosted or attended by %(country)s") % {"country": country.name}
            return Summit.objects.involving(country), title, f"summits-{country.slug}"
        return Summit.objects.all(), _("Summits"), "summits"

    @staticmethod
    def url_of(record) -> str:
        return site_address(record.get_absolute_url())

    def as_csv(self, summits, title):
        text = exports.csv_text(summits, url_of=self.url_of)
        return HttpResponse(text, content_type=CONTENT_TYPES["csv"])

    def as_json(self, summits, title):
        document = exports.json_document(
            summits,
            url_of=self.url_of,
            title=title,
            licence=settings.DATA_LICENCE,
            licence_url=settings.DATA_LICENCE_URL,
        )
        return JsonResponse(
            document,
            content_type=CONTENT_TYPES["json"],
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )

    def as_ics(self, summits, title):
        licence = settings.DATA_LICENCE
        if settings.DATA_LICENCE_URL:
            licence = f"{licence} ({settings.DATA_LICENCE_URL})"
        description = _("%(title)s, from %(site)s. Licence: %(licence)s.") % {
            "title": title,
            "site": settings.SITE_NAME,
            "licence": licence,
        }
        calendar = exports.calendar(
            summits,
            url_of=self.url_of,
            uid_domain=urlsplit(settings.SITE_URL).hostname,
            name=f"{title} · {settings.SITE_NAME}",
            description=description,
            product=settings.SITE_NAME,
        )
        return HttpResponse(calendar, content_type=CONTENT_TYPES["ics"])
