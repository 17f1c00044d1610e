"""The journal's own settings plus two reference views, for `bench/run` only.

Everything the measured pages see comes from `journal.settings` and the same
environment variables as production; this adds the `bench/hello/` and
`bench/template/` URLs, their template folder, and makes sure the loopback
addresses the benchmark uses are allowed.
"""

from journal.settings import *  # noqa: F403
from journal.settings import ALLOWED_HOSTS, BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, *(h for h in ("127.0.0.1", "localhost") if h not in ALLOWED_HOSTS)]

# Only the reference views' templates; the project's folders come first, as before.
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
