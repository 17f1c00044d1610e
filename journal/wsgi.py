"""WSGI entry point: `gunicorn journal.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journal.settings")

application = get_wsgi_application()

# The URLconf, and with it every view, the admin and the API, is imported as
# a worker starts rather than by its first request: that import takes about
# a second, which the first reader sent to each new worker (after a deploy,
# a reload or a recycled worker) would otherwise wait for.
get_resolver().url_patterns  # noqa: B018 - evaluated for its import
