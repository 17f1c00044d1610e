"""The journal's own settings plus the benchmark's app and reference views, for `bench/` only.

Everything the measured pages see comes from `journal.settings` and the same
environment variables as production; this adds the `bench` app (its
`generate_demo_data` command and the reference views' templates), the
`bench/hello/` and `bench/template/` URLs, and makes sure the loopback
addresses the benchmark uses are allowed.
"""

from journal.settings import *  # noqa: F403
from journal.settings import ALLOWED_HOSTS, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, *(h for h in ("127.0.0.1", "localhost") if h not in ALLOWED_HOSTS)]
