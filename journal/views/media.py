"""Uploaded files, when no front server serves MEDIA_ROOT (DJANGO_SERVE_MEDIA)."""

import errno
import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.static import serve


def serve_media(request, path):
    """Serve an uploaded file with headers that stop a browser from running it."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as error:
        raise Http404("No such file.") from error
    except OSError as error:
        # A name longer than the file system allows is no file of ours.
        if error.errno != errno.ENAMETOOLONG:
            raise
        raise Http404("No such file.") from error
    content_type, _ = mimetypes.guess_type(path)
    if not (content_type or "").startswith("image/") or content_type == "image/svg+xml":
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=3600)
    return response
