"""Uploads at the site's /media/ (DJANGO_SERVE_MEDIA): from this server's disk, or a redirect.

With uploads in a bucket (DJANGO_MEDIA_STORAGE) pages link them at the
bucket's or the CDN's address; /media/ only sends older links, such as those
in article bodies written before the move, there.
"""

import errno
import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.views.static import serve

from journal.images.renditions import is_local


def serve_media(request, path):
    """Serve an uploaded file with headers that stop a browser from running it."""
    if not is_local(default_storage):
        return _redirect_to_storage(path)
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


def _redirect_to_storage(path):
    # No request to the bucket: a missing file is the bucket's 404 to give.
    try:
        url = default_storage.url(path)
    except SuspiciousOperation as error:  # a path outside the bucket's prefix
        raise Http404("No such file.") from error
    response = HttpResponseRedirect(url)
    # Temporary, so that a later move of the uploads is followed, but kept a day.
    patch_cache_control(response, public=True, max_age=86400)
    return response
