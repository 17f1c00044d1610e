"""Uploads in an S3-compatible bucket: the storage DJANGO_MEDIA_STORAGE selects.

journal/ops/storage.py reads the variable into this backend's options. It is
django-storages' S3Storage with the rule the site applies when it serves
uploads from its own disk (journal/views/media.py): a browser shows a raster
image in place and downloads anything else, rather than run it.
"""

import mimetypes

from storages.backends.s3 import S3Storage

# As journal/views/media.py: raster images inline, SVG (which can hold scripts) not.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})


class MediaStorage(S3Storage):
    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        content_type, _ = mimetypes.guess_type(name)
        if content_type not in INLINE_TYPES:
            parameters.setdefault("ContentDisposition", "attachment")
        return parameters
