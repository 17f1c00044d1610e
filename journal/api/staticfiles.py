"""The Swagger UI files the API's documentation page loads, as static files of this site.

drf-spectacular-sidecar ships Swagger UI and Redoc with their source maps,
eleven megabytes that collectstatic would hash and compress (it took four
times as long). The page needs two files, and the stylesheet names its map
(the hashing storage refuses a reference to a missing file): only those,
and the licence, are found.
"""

from pathlib import Path

import drf_spectacular_sidecar
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

FOLDER = "drf_spectacular_sidecar/swagger-ui-dist"
FILES = [
    f"{FOLDER}/{name}"
    for name in (
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui.css.map",
        "LICENSE",
    )
]


class SwaggerUIFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(
            location=Path(drf_spectacular_sidecar.__file__).parent / "static"
        )

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False):
        found = [self.storage.path(path)] if path in FILES else []
        return found if find_all else next(iter(found), None)

    def list(self, ignore_patterns):
        for path in FILES:
            yield path, self.storage
