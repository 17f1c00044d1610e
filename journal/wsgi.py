"""WSGI entry point: `gunicorn journal.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journal.settings")

application = get_wsgi_application()
