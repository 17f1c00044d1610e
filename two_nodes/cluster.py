"""What `make two-nodes` starts: PostgreSQL databases, a Redis, an S3 server and gunicorn nodes.

A `Node` is one app server as deployed: the project's gunicorn.conf.py, a
port and a var folder (DJANGO_VAR_DIR) of its own, and the shared services
named in its environment. `Editor` works a node's admin over HTTP as a
browser does. `Wrk` holds connections to one node with wrk, on the load
test's mix of reader pages (bench/load).
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests
from gunicorn.ctl.client import ControlClient, ControlClientError
from psycopg import sql

from bench.load_test import WEIGHTS
from bench.traffic import weighted_mix_script
from bench.wrk import parse_wrk
from journal.tests.object_storage import Buckets, S3Server
from journal.tests.ops.test_cache import RedisServer
from journal.tests.project.test_hostile_admin import AdminFormParser
from journal.tests.project.test_settings import BASE_DIR, clean_environment

# The PostgreSQL server (no database name: each run makes its own), the Redis
# database the nodes share (flushed before and after), and wrk.
POSTGRES_URL = os.environ.get("TWO_NODES_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TWO_NODES_REDIS_URL", "redis://127.0.0.1:6379/14")
WRK = os.environ.get("TWO_NODES_WRK") or shutil.which("wrk") or "/usr/bin/wrk"

# The accounts the set-up makes on the shared database, all with PASSWORD.
PASSWORD = "a-long-two-node-password"
EDITOR = "desk-chief"
# Locked out by the lockout test, so that the others keep their editor.
LOCKED_OUT = "night-editor"
# Low, so a lockout takes a few requests; the same on every node.
LOGIN_FAILURE_LIMIT = 3

START_SECONDS = 60
# wrk waits this long for an answer before it counts a timeout: a loaded
# two-core machine is slow, not broken.
WRK_TIMEOUT_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refuses_connections(port: int) -> bool:
    """Whether a new connection to `port` on loopback is refused, as a load balancer would find."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def accept_queue(port: int) -> int | None:
    """Connections in the listen queue of loopback `port`: the kernel's, not yet a worker's.

    Linux shows it as a listening socket's rx_queue in /proc/net/tcp.
    """
    local = f"0100007F:{port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[3] == "0A":  # LISTEN
            return int(fields[4].split(":")[1], 16)
    return None


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))


def postgres_answers() -> str | None:
    """None when the PostgreSQL server answers, else what went wrong."""
    try:
        psycopg.connect(database_url("postgres"), connect_timeout=5).close()
    except psycopg.Error as error:
        return str(error).strip()
    return None


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


class Database:
    """A PostgreSQL database of this run's own, dropped with everything in it afterwards."""

    def __init__(self, name: str):
        self.name = name
        self.url = database_url(name)

    def _run(self, statement: sql.Composable) -> None:
        with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
            connection.execute(statement)

    def create(self) -> None:
        self._run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        # FORCE ends the sessions a node killed mid-request may have left.
        self._run(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )


class SharedRedis:
    """The nodes' Redis: REDIS_URL's database, or that database of a redis-server of our own.

    The database is emptied before the nodes start and after they stop.
    """

    def __init__(self, folder: Path):
        self.server = None
        self.url = REDIS_URL
        if not redis_answers(self.url):
            self.server = RedisServer(folder)
            self.server.start()
            db = redis.Redis.from_url(REDIS_URL).connection_pool.connection_kwargs.get("db", 0)
            self.url = f"redis://127.0.0.1:{self.server.port}/{db}"
        self.flush()

    def flush(self) -> None:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=2)
        try:
            client.flushdb()
        finally:
            client.close()

    def stop(self) -> None:
        try:
            self.flush()
        finally:
            if self.server:
                self.server.stop()


class Node:
    """One app server: gunicorn with gunicorn.conf.py, on a port and a var folder of its own."""

    def __init__(self, name: str, root: Path, **env: str):
        self.name = name
        self.var_dir = root / name
        self.var_dir.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = clean_environment(self.var_dir, **env)
        # Only what this node is given: no GUNICORN_* of the caller's.
        self.env = {k: v for k, v in environment.items() if not k.startswith("GUNICORN_")}
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        self.env.update({k: v for k, v in env.items() if k.startswith("GUNICORN_")})
        self.log_path = root / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.log = None

    def manage(self, *arguments: str, timeout: float = 300) -> str:
        """`manage.py *arguments` with this node's environment; its output, or a failed test."""
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, (
            f"node {self.name}: manage.py {' '.join(arguments)} failed:\n"
            f"{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def manage_in_background(self, *arguments: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def load_urls(self) -> dict[str, list[str]]:
        """The load test's mix of reader pages on this node's database (bench/prepare.py)."""
        result = subprocess.run(
            [sys.executable, "-m", "bench.prepare", "load-urls"],
            cwd=BASE_DIR,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "journal.settings"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout[result.stdout.index("{") :])

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "journal.wsgi", "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def wait_ready(self) -> None:
        """Until /health/ answers 200 and every worker runs, as the control socket tells."""
        deadline = time.monotonic() + START_SECONDS
        workers = int(self.env.get("GUNICORN_WORKERS", "1"))
        while True:
            assert self.process.poll() is None, f"node {self.name} exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"node {self.name} did not start:\n{self.output()}"
            if self.health() == 200:
                try:
                    if len(self.control("show workers")["workers"]) >= workers:
                        return
                except ControlClientError:
                    pass  # closed for a moment while a worker starts
            time.sleep(0.2)

    def control(self, command: str) -> dict:
        """A command to gunicorn's control socket, in this node's var folder."""
        with ControlClient(str(self.var_dir / "gunicorn.ctl"), timeout=10) as client:
            return client.send_command(command)

    def health(self) -> int | None:
        try:
            return requests.get(f"{self.url}/health/", timeout=5).status_code
        except requests.RequestException:
            return None

    def get(self, path: str) -> requests.Response:
        """What an anonymous reader gets at `path`: no cookies, redirects not followed."""
        return requests.get(self.url + path, allow_redirects=False, timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log:
            self.log.close()
            self.log = None

    def output(self, characters: int = 6000) -> str:
        """The end of gunicorn's log, for failure messages."""
        if self.log:
            self.log.flush()
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-characters:]

    def log_entries(self) -> list[dict]:
        """gunicorn's log, one JSON object a line (journal/ops/logs.py)."""
        if self.log:
            self.log.flush()
        entries = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # a line cut short by the stop
        return entries


class Editor:
    """A member of staff working a node's admin over HTTP, as a browser does: cookies, forms."""

    def __init__(self, node: Node, username: str, password: str):
        self.node = node
        self.username = username
        self.password = password
        self.session = requests.Session()

    def log_in(self) -> requests.Response:
        """The login form posted: 302 when logged in, 200 with errors, 429 when locked out."""
        data = self.form("/admin/login/", "login-form")
        data = fill(data, {"username": self.username, "password": self.password, "next": "/admin/"})
        return self.post("/admin/login/", data)

    def form(self, path: str, form_id: str) -> list[tuple[str, str]]:
        """The fields of the form `form_id` at `path`, as a browser would post it unchanged."""
        page = self.session.get(self.node.url + path, timeout=30)
        assert page.status_code == 200, f"{path}: {page.status_code}"
        parser = AdminFormParser(form_id)
        parser.feed(page.text)
        # Leave out the template the admin copies for each added inline row.
        data = [(name, value) for name, value in parser.data if "__prefix__" not in name]
        assert data, f"no form {form_id} at {path}"
        return data

    def post(self, path: str, data: list[tuple[str, str]], files=None) -> requests.Response:
        return self.session.post(
            self.node.url + path, data=data, files=files, allow_redirects=False, timeout=60
        )

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.node.url + path, allow_redirects=False, timeout=30)


def fill(data: list[tuple[str, str]], values: dict) -> list[tuple[str, str]]:
    """`data` with the fields named in `values` set to them (a list for a multiple choice)."""
    kept = [(name, value) for name, value in data if name not in values]
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            kept.append((name, str(item)))
    return kept


SOCKET_ERRORS = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"


class Wrk:
    """wrk holding `connections` connections to one node, on the load test's mix of pages."""

    def __init__(self, node: Node, script: Path, *, connections: int, seconds: int):
        self.node = node
        self.seconds = seconds
        command = [WRK, "-t1", f"-c{connections}", f"-d{seconds}s"]
        command += [f"--timeout={WRK_TIMEOUT_SECONDS}s", "--latency", "-s", str(script), node.url]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def interrupt(self) -> None:
        """Stop now, as Ctrl-C does: wrk still reports what it saw."""
        self.process.send_signal(signal.SIGINT)

    def result(self) -> dict:
        """wrk's figures: requests, rps, p50/p99, errors by kind, responses by status class."""
        try:
            output, _ = self.process.communicate(timeout=self.seconds + 60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        assert self.process.returncode == 0, f"wrk failed ({self.process.returncode}): {output}"
        figures = parse_wrk(output)
        found = re.search(SOCKET_ERRORS, output)
        counts = [int(n) for n in found.groups()] if found else [0, 0, 0, 0]
        figures["socket"] = dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))
        marker = next(line for line in output.splitlines() if line.startswith("STATUSES "))
        figures["statuses"] = json.loads(marker.removeprefix("STATUSES "))
        figures["output"] = output
        return figures

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def mix_script(urls: dict[str, list[str]], path: Path) -> Path:
    """The load test's Lua script (bench/traffic.py) over `urls`, written to `path`."""
    path.write_text(weighted_mix_script(urls, WEIGHTS))
    return path


@dataclass
class Cluster:
    """Nodes A and B, and what they share; `node()` adds one, stopped at the end like the rest."""

    root: Path
    s3: S3Server
    buckets: Buckets
    redis: SharedRedis
    database: Database
    env: dict[str, str]
    a: Node
    b: Node
    # What the set-up made: the primary keys of a contributor and of Kazakhstan.
    contributor: int
    country: int
    cleanup: contextlib.ExitStack = field(repr=False)

    def node(self, name: str, **env: str | None) -> Node:
        """A node more, with the cluster's environment changed by `env` (None: unset)."""
        settings = {**self.env, **env}
        node = Node(name, self.root, **{k: v for k, v in settings.items() if v is not None})
        self.cleanup.callback(node.stop)
        return node

    def database_of_its_own(self, suffix: str) -> Database:
        """A new, empty database on the same server, dropped at the end."""
        database = Database(f"{self.database.name}_{suffix}")
        database.drop()
        database.create()
        self.cleanup.callback(database.drop)
        return database


# What the tests measured: shown at the end of the run (conftest.py).
FIGURES: list[str] = []


def report(line: str) -> None:
    FIGURES.append(line)
