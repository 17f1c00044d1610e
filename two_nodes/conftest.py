"""The cluster the two-node tests share: nodes A and B on one PostgreSQL, one Redis, one S3.

`make two-nodes` runs them; `make test` does not collect this folder. They
need wrk, PostgreSQL (TWO_NODES_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432, whose user may create databases) and a
Redis (TWO_NODES_REDIS_URL, default database 14 of 127.0.0.1:6379, or a
redis-server of their own when none answers); without one, the run stops at
once and says what is missing. Everything they start or make is stopped,
dropped or deleted at the end, whether the tests passed or not.
"""

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

from journal.tests.object_storage import CREDENTIALS, REGION, Buckets, S3Server
from journal.tests.ops.test_cache import REDIS_SERVER

from .cluster import (
    EDITOR,
    FIGURES,
    LOCKED_OUT,
    LOGIN_FAILURE_LIMIT,
    PASSWORD,
    REDIS_URL,
    WRK,
    Cluster,
    Database,
    Node,
    SharedRedis,
    postgres_answers,
    redis_answers,
)


def pytest_configure(config):
    missing = []
    if not (shutil.which(WRK) or os.access(WRK, os.X_OK)):
        missing.append("wrk is not installed (apt-get install wrk); or set TWO_NODES_WRK")
    if problem := postgres_answers():
        missing.append(
            f"PostgreSQL does not answer ({problem}); start it, or point "
            "TWO_NODES_POSTGRES_URL at a server whose user may create databases"
        )
    if not redis_answers(REDIS_URL) and not os.access(REDIS_SERVER, os.X_OK):
        missing.append(
            f"Redis does not answer at {REDIS_URL} and redis-server is not installed "
            "(apt-get install redis-server); or set TWO_NODES_REDIS_URL"
        )
    if importlib.util.find_spec("moto") is None:
        missing.append("moto is not installed: install requirements-dev.txt")
    if missing:
        raise pytest.UsageError("The two-node tests cannot run:\n  " + "\n  ".join(missing))


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("two nodes: what was measured")
        for line in FIGURES:
            terminalreporter.write_line(line)


SET_UP_ACCOUNTS = f"""
import json, sys
from django.contrib.auth import get_user_model
from journal.models import Contributor
from summits.models import Country
users = get_user_model().objects
users.create_superuser({EDITOR!r}, "chief@example.org", {PASSWORD!r})
users.create_superuser({LOCKED_OUT!r}, "night@example.org", {PASSWORD!r})
sys.stdout.write(json.dumps({{
    "contributor": Contributor.objects.order_by("pk").first().pk,
    "country": Country.objects.get(code="KZ").pk,
}}))
"""


@pytest.fixture(scope="session")
def cluster():
    """Nodes A and B serving the demo journal, two gunicorn workers each, sharing the rest."""
    with contextlib.ExitStack() as cleanup:
        root = Path(tempfile.mkdtemp(prefix="two-nodes-"))
        cleanup.callback(shutil.rmtree, root, ignore_errors=True)
        s3 = S3Server.start()
        cleanup.callback(s3.stop)
        buckets = Buckets.make(s3)
        shared_redis = SharedRedis(root / "redis")
        cleanup.callback(shared_redis.stop)
        database = Database(f"journal_two_nodes_{os.getpid()}")
        database.drop()  # left by an earlier run killed before its clean-up
        database.create()
        cleanup.callback(database.drop)

        env = {
            "DATABASE_URL": database.url,
            "DJANGO_CACHE_URL": shared_redis.url,
            "DJANGO_MEDIA_STORAGE": buckets.media_url,
            "DJANGO_BACKUP_STORAGE": buckets.backups_url,
            "AWS_ACCESS_KEY_ID": CREDENTIALS["access_key"],
            "AWS_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"],
            "AWS_DEFAULT_REGION": REGION,
            # One key for every node: sessions, CSRF tokens and preview links are signed with it.
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            # Every server collects the same static files on a release; one copy
            # here spares the run compressing them twice.
            "DJANGO_STATIC_ROOT": str(root / "static"),
            "DJANGO_LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
            # A busy machine can keep Redis waiting longer than production's
            # 0.25 s; a node would then serve pages without it, as in an outage.
            "DJANGO_CACHE_TIMEOUT_SECONDS": "2",
            "GUNICORN_WORKERS": "2",
        }
        a = Node("a", root, **env)
        b = Node("b", root, **env)
        cleanup.callback(a.stop)
        cleanup.callback(b.stop)

        collecting = a.manage_in_background("collectstatic", "--noinput", "--verbosity", "0")
        cleanup.callback(collecting.kill)
        a.manage("migrate", "--noinput", "--verbosity", "0")
        a.manage("load_reference_data")
        a.manage("load_demo_content")
        output = a.manage("shell", "--no-imports", "-c", SET_UP_ACCOUNTS)
        ids = json.loads(output[output.index("{") :])
        output, _ = collecting.communicate(timeout=300)
        assert collecting.returncode == 0, f"collectstatic failed:\n{output}"

        a.start()
        b.start()
        a.wait_ready()
        b.wait_ready()
        # Each node answers on its own control socket, in its own var folder.
        assert a.control("show stats")["pid"] == a.process.pid
        assert b.control("show stats")["pid"] == b.process.pid

        yield Cluster(
            root=root,
            s3=s3,
            buckets=buckets,
            redis=shared_redis,
            database=database,
            env=env,
            a=a,
            b=b,
            contributor=ids["contributor"],
            country=ids["country"],
            cleanup=cleanup,
        )
