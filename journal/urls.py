"""Root URLconf: the reader site, the open-data API, the admin, and uploaded media."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from journal import views
from journal.views import errors

handler500 = "journal.views.errors.server_error"

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Desk"


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("health/", errors.health, name="health"),
    # Forgotten passwords, from the admin's login page (before the admin's own
    # URLs, which answer every other address under its path).
    path(settings.ADMIN_URL, include("journal.admin.password_reset")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("journal.root_urls")),
    # The open-data API (`api:`), in no language: JSON, the same for every reader.
    path("api/v1/", include("journal.api.urls")),
    *i18n_patterns(path("", include("journal.site_urls"))),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            # The site's own path: MEDIA_URL may be a bucket's or a CDN's address.
            r"^{}(?P<path>.+)$".format(settings.MEDIA_PATH.lstrip("/")),
            views.serve_media,
            name="media",
        )
    ]
