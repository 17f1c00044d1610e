"""gunicorn settings for the journal: `gunicorn -c gunicorn.conf.py journal.wsgi`.

Each value can be overridden by an environment variable (GUNICORN_*) or on
the command line; the defaults suit one small server behind a TLS proxy.
"""

import multiprocessing
import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are short, database-bound requests. Two per core plus
# one is gunicorn's own advice; capped so a big machine does not exhaust the
# database's connections.
workers = _int("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 12))
worker_class = "sync"
# A request that takes longer than this is stuck: the worker is replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On HUP or TERM, workers finish the requests they have before stopping.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then, staggered, so no slow leak can grow for ever.
# Not too often: a new worker starts with an empty in-process cache. Under
# load (bench/load), recycling every 2,000 requests halved the requests
# served; memory stays flat without it.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
# Logs to stdout/stderr, for the process manager or container runtime: one
# JSON object a line, the access line with the request id the app assigned
# (journal/ops/logs.py; DJANGO_LOG_FORMAT=text for plain lines).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
logger_class = "journal.ops.logs.GunicornLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the proxy in front (loopback by default).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket (for `gunicornc`) is one path per user by default,
# so a second instance on the machine would take over the first one's, and
# remove it when it stops. Each instance keeps its own in its var folder
# (DJANGO_VAR_DIR, as the settings find it). GUNICORN_CONTROL_SOCKET names
# another path, or "off" for none.
_var_dir = Path(os.environ.get("DJANGO_VAR_DIR", "").strip() or Path(__file__).parent / "var")
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket.lower() == "off":
    control_socket_disable = True
else:
    control_socket = _control_socket or str(_var_dir.resolve() / "gunicorn.ctl")
