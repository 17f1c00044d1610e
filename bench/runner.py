"""Measure the journal's pages under gunicorn with wrk; `bench/run --help` tells how.

A run, for each database asked for:

1. builds a database of N generated articles in its own work folder (or
   PostgreSQL database), unless --reuse finds one already built for N;
2. picks a concrete URL for every page type from that database;
3. for each group of pages (reader, cached, admin) starts gunicorn with
   `bench.settings`, checks that every URL answers 200, and measures them with
   wrk in interleaved rounds, next to two reference views served by the same
   server: `hello` (13 bytes through the middleware) and `template` (a 20 KB
   page of 50 cards rendered from memory);
4. prints a table per group, writes every measurement as JSON and, with
   --out, a Markdown section per database and size.

Only the standard library is used here; what needs Django runs in a
subprocess (`bench/prepare.py`) with the environment of the database measured.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
REFERENCES = ("hello", "template")
REFERENCE_URLS = {"hello": "/bench/hello/", "template": "/bench/template/"}
GROUPS = ("cold", "reader", "cached", "admin")
GROUP_TITLES = {
    "cold": "Reader pages, rendered from scratch (page cache off, nothing kept per generation)",
    "reader": "Reader pages, rendered (page cache off, counts and fragments kept per generation)",
    "cached": "Reader pages, from the page cache",
    "admin": "Admin pages, logged in as a superuser",
}
DATABASE_TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

DESCRIPTION = """\
Build a journal database of a given size, serve it with gunicorn and measure
every reader page type and the main admin pages with wrk, next to two
reference views served by the same process in the same run:

  hello      /bench/hello/: a 13-byte HttpResponse through the project's middleware
  template   /bench/template/: a ~20 KB page, 50 article cards rendered from memory

Pages are measured in interleaved rounds (hello, template, page 1, page 2, ...,
then again), so a change in machine speed hits every URL alike; each page's
req/s is divided by hello's and template's from the same round, and the median
of those ratios is reported. Compare ratios, not absolute req/s, between runs.

Groups of pages (--pages):
  cold     home, article list, filtered list, article, country index, country,
           framework, summit list, summit, contributor, search, feed, sitemap
           index and an articles sitemap page; anonymous, with the page cache
           off (DJANGO_PAGE_CACHE_SECONDS=0) and nothing kept per content
           generation (DJANGO_KEEP_PER_GENERATION=false): every request renders
           the page as the first reader after a change would
  reader   the same pages with the page cache off, and counts, choice lists,
           rankings and rendered fragments kept per content generation as the
           settings have it: a page rendered for a reader the page cache
           cannot serve (logged in, or a filter or search not asked for yet)
  cached   the same pages with the page cache on, as the settings have it:
           what most anonymous requests cost between two changes
  admin    article changelist (plain, searched, filtered), article change
           form, summit changelist; with the session cookie of a superuser

Columns of the tables:
  req/s        requests per second: median over rounds, (min-max)
  p50, p99     latency percentiles in ms (wrk --latency), median over rounds
  errors       responses with status >= 400 plus socket errors, all rounds;
               a URL that does not answer 200 before the rounds is not measured
               and shows its status instead
  srv ms       server CPU time per request: user+system CPU of the gunicorn
               master and workers (and, on PostgreSQL, of this database's
               backends, also shown alone as db ms), read from /proc; the least
               noisy figure on a shared machine
  x hello      req/s of the page / req/s of hello, paired by round: median (min-max)
  x template   the same against template

Every step's output goes to <work dir>/bench.log; gunicorn's to <work dir>/gunicorn-*.log.
The run exits with status 1 when any URL had an error.
"""

EPILOG = """\
examples:
  bench/run --articles 1000 --rounds 1 --duration 3          quick check (SQLite)
  bench/run --database both --out docs/performance.md        the reference run
  bench/run --database postgres --reuse --pages admin        admin pages again, same DB
"""


# ---------------------------------------------------------------- helpers


class BenchError(Exception):
    """A step failed; the message says which and what to do."""


def log(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def percent_range(values: list[float], digits: int = 3) -> str:
    if not values:
        return "-"
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.{digits}f}"
    return f"{median:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def fmt(value: float | None, width: int, digits: int) -> str:
    return f"{'–':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- /proc


def process_ticks(pid: int, *, children: bool = False) -> int | None:
    """utime+stime of a process (plus its reaped children's), in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After "(comm)": state is fields[0], so utime..cstime are fields[11:15].
    values = [int(v) for v in fields[11:15]]
    return sum(values) if children else values[0] + values[1]


def child_pids(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as file:
            return [int(p) for p in file.read().split()]
    except OSError:
        pass
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def postgres_backends(database: str) -> list[int]:
    """PIDs of local PostgreSQL backends connected to `database` (by process title)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                title = file.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry))
    return pids


def wait_idle(pids: list[int], *, limit: float = 120) -> None:
    """Wait until these processes stop using CPU (at most `limit` seconds)."""
    deadline = time.monotonic() + limit
    last = sum(process_ticks(pid) or 0 for pid in pids)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = sum(process_ticks(pid) or 0 for pid in pids)
        if now - last <= 1:
            return
        last = now


def machine_busy_ticks() -> int:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return values[0] + values[1] + values[2] + values[5] + values[6] + values[7]


def machine_info() -> dict:
    cpu_model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gib = None
    try:
        with open("/proc/meminfo") as file:
            for line in file:
                if line.startswith("MemTotal:"):
                    memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "arch": platform.machine(),
        "cpu_model": cpu_model,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "kernel": f"{platform.system()} {platform.release()}",
    }


# ---------------------------------------------------------------- the database


class Target:
    """One database of one size: where it lives and the environment that selects it."""

    def __init__(self, args, kind: str):
        self.kind = kind
        self.articles = args.articles
        self.name = f"{kind}-{args.articles}"
        self.work_dir = (args.work_dir or PROJECT / "var" / "bench") / self.name
        self.python = args.python
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG")
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DJANGO_VAR_DIR=str(self.work_dir),
            DJANGO_DEBUG="0",
            PYTHONDONTWRITEBYTECODE="1",
        )
        # The work folder holds the secret key, static files and media in any case.
        for key in ("DJANGO_STATIC_ROOT", "DJANGO_MEDIA_ROOT"):
            self.env.pop(key, None)
        self.database_name = None
        if kind == "postgres":
            base = args.postgres_url.rstrip("/")
            self.database_name = f"{args.postgres_prefix}_{args.articles}"
            self.env["DATABASE_URL"] = f"{base}/{self.database_name}"
        self.marker = self.work_dir / "built.json"
        self.log_path = self.work_dir / "bench.log"

    @property
    def label(self) -> str:
        return DATABASE_TITLES[self.kind]

    def run(self, *command: str, step: str, extra_env: dict | None = None) -> str:
        """Run a command in the project with this database's environment; log its output."""
        env = {**self.env, **(extra_env or {})}
        started = time.monotonic()
        with open(self.log_path, "a") as log_file:
            log_file.write(f"\n$ {' '.join(command)}\n")
            log_file.flush()
            result = subprocess.run(
                command,
                cwd=PROJECT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            log_file.write(result.stdout)
        if result.returncode != 0:
            tail = "\n".join(result.stdout.strip().splitlines()[-15:])
            raise BenchError(
                f"{step} failed (exit {result.returncode}):\n{tail}\n(log: {self.log_path})"
            )
        log(f"  {step}: {time.monotonic() - started:.0f} s")
        return result.stdout

    def manage(self, *arguments: str, step: str | None = None) -> str:
        return self.run(self.python, "manage.py", *arguments, step=step or arguments[0])

    def built(self) -> dict | None:
        try:
            built = json.loads(self.marker.read_text())
        except (OSError, ValueError):
            return None
        same = built.get("articles") == self.articles and built.get("where") == self.where()
        return built if same else None

    def build(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.marker.unlink(missing_ok=True)
        log(f"Building {self.label} with {self.articles} articles in {self.where()}")
        commands = subprocess.run(
            [self.python, "manage.py", "help", "--commands"],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if commands.returncode != 0:
            raise BenchError(f"manage.py does not start:\n{commands.stdout.strip()}")
        if "generate_demo_data" not in commands.stdout.split():
            raise BenchError(
                "manage.py has no generate_demo_data command, which builds the benchmark's "
                "articles; this checkout predates it. Without it there is nothing of the "
                "requested size to measure."
            )
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (self.work_dir / f"db.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            self.run(
                self.python, "-m", "bench.prepare", "recreate-postgres", step="create database"
            )
        self.manage("migrate", "--noinput")
        self.manage("load_reference_data")
        self.manage(
            "generate_demo_data",
            "--articles",
            str(self.articles),
            "--seed",
            "1",
            "--verbosity",
            "0",
        )
        self.manage("collectstatic", "--noinput")
        self.manage("rebuild_search_index")
        self.marker.write_text(
            json.dumps(
                {"articles": self.articles, "where": self.where(), "built_at": now_iso()}, indent=1
            )
            + "\n"
        )

    def where(self) -> str:
        if self.kind == "sqlite":
            return str(self.work_dir / "db.sqlite3")
        server = urllib.parse.urlsplit(self.env["DATABASE_URL"])
        return (
            f"PostgreSQL database {self.database_name} on {server.hostname}:{server.port or 5432}"
        )

    def describe(self, admin_password: str) -> dict:
        output = self.run(
            self.python,
            "-m",
            "bench.prepare",
            "targets",
            step="pick URLs",
            extra_env={"BENCH_ADMIN_PASSWORD": admin_password},
        )
        return json.loads(output[output.index("{") :])


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- the server


def start_gunicorn(
    command: list[str], *, env: dict, log_path: Path, ready_url: str, workers: int
) -> tuple[subprocess.Popen, object]:
    """Start gunicorn logging to `log_path`; return once `ready_url` answers and all workers run.

    The log file is returned open, for the caller to close when it stops the server.
    """
    log_file = open(log_path, "w")  # noqa: SIM115 - the caller closes it
    log_file.write(f"$ {' '.join(command)}\n")
    log_file.flush()
    process = subprocess.Popen(
        command,
        cwd=PROJECT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        # Its own process group: Ctrl-C reaches this script, which stops it in order.
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log_file.close()
            raise BenchError(f"gunicorn exited at start-up; see {log_path}")
        status, _ = fetch(ready_url, timeout=2)
        if status == 200 and len(child_pids(process.pid)) >= workers:
            return process, log_file
        time.sleep(0.2)
    process.kill()
    log_file.close()
    raise BenchError(f"gunicorn did not answer within 60 s; see {log_path}")


class Server:
    """gunicorn serving `bench.settings` on a free loopback port; stopped by its own PID."""

    def __init__(self, target: Target, args, *, group: str):
        self.target = target
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = args.workers
        self.gunicorn = args.gunicorn
        self.group = group
        self.env = dict(target.env)
        if group in ("cold", "reader", "admin"):
            self.env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
        else:
            # The settings' own default, whatever this shell says.
            self.env.pop("DJANGO_PAGE_CACHE_SECONDS", None)
        if group == "cold":
            self.env["DJANGO_KEEP_PER_GENERATION"] = "false"
        else:
            self.env.pop("DJANGO_KEEP_PER_GENERATION", None)
        self.log_path = target.work_dir / f"gunicorn-{group}.log"
        self.process: subprocess.Popen | None = None
        self.worker_pids: list[int] = []

    def start(self) -> None:
        command = [
            self.gunicorn,
            "--config",
            str(PROJECT / "bench" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--no-control-socket",
            "journal.wsgi",
        ]
        self.process, self.log_file = start_gunicorn(
            command,
            env=self.env,
            log_path=self.log_path,
            ready_url=self.base_url + REFERENCE_URLS["hello"],
            workers=self.workers,
        )
        self.worker_pids = child_pids(self.process.pid)

    def pids(self) -> list[int]:
        self.worker_pids = child_pids(self.process.pid)
        return self.worker_pids

    def stop(self) -> None:
        if self.process is None:
            return
        workers = child_pids(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in workers:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as file:
                    still_ours = b"gunicorn" in file.read()
            except OSError:
                continue
            if still_ours:
                os.kill(pid, signal.SIGKILL)
        self.process = None
        self.log_file.close()


def fetch(url: str, *, cookie: str | None = None, timeout: float = 60) -> tuple[int | str, bytes]:
    """GET without following redirects: (status, body), or (error text, b'')."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read() or b""
    except (OSError, urllib.error.URLError) as error:
        return f"no answer ({error.__class__.__name__})", b""


def admin_login(base_url: str, username: str, password: str) -> str:
    """Log in through the admin's login form; return the Cookie header wrk should send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/admin/login/", timeout=30) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise BenchError("the admin login page has no CSRF token")
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": match.group(1),
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/admin/login/", data=form, headers={"Referer": f"{base_url}/admin/login/"}
    )
    with opener.open(request, timeout=30):
        pass
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if not session:
        raise BenchError("logging in to the admin gave no session cookie")
    return f"sessionid={session}"


# ---------------------------------------------------------------- wrk

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """The figures of wrk's text report (with --latency)."""

    def find(pattern: str, default=None):
        match = re.search(pattern, output, re.MULTILINE)
        return match.groups() if match else default

    requests, seconds = find(r"^\s*(\d+) requests in ([\d.]+\w+),")
    rps = float(find(r"^Requests/sec:\s*([\d.]+)")[0])
    socket_errors = find(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", ("0",) * 4
    )
    non2xx = int(find(r"Non-2xx or 3xx responses: (\d+)", ("0",))[0])
    return {
        "requests": int(requests),
        "duration_s": parse_duration_ms(seconds) / 1000,
        "rps": rps,
        "p50_ms": parse_duration_ms(find(r"^\s*50%\s+(\S+)")[0]),
        "p99_ms": parse_duration_ms(find(r"^\s*99%\s+(\S+)")[0]),
        "non2xx": non2xx,
        "socket_errors": sum(int(n) for n in socket_errors),
    }


def wrk_command(args, url: str, seconds: int, cookie: str | None) -> list[str]:
    command = []
    if args.client_cpus:
        command += ["taskset", "-c", args.client_cpus]
    command += [
        args.wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        f"--timeout={args.timeout}s",
        "--latency",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    return [*command, url]


def run_wrk(command: list[str]) -> tuple[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stdout.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result.stdout, cpu


def measure(args, server: Server, url: str, cookie: str | None) -> dict:
    """One counted wrk run (after an uncounted warm-up), with the CPU it cost where."""
    full_url = server.base_url + url
    database = server.target.database_name
    if args.warmup:
        wait_idle(server.pids())
        run_wrk(wrk_command(args, full_url, args.warmup, cookie))
    app_pids = server.pids()
    db_pids = postgres_backends(database) if database else []
    # Requests wrk gave up on still run to their end: let them, outside the count.
    wait_idle(app_pids + db_pids)

    def snapshot():
        ticks = {pid: process_ticks(pid) for pid in app_pids + db_pids}
        ticks[server.process.pid] = process_ticks(server.process.pid, children=True)
        return ticks

    before, busy_before = snapshot(), machine_busy_ticks()
    command = wrk_command(args, full_url, args.duration, cookie)
    output, client_cpu = run_wrk(command)
    after, busy_after = snapshot(), machine_busy_ticks()

    result = parse_wrk(output)
    requests = result["requests"]

    def spent(pids):
        return sum(
            after[pid] - before[pid]
            for pid in pids
            if before.get(pid) is not None and after.get(pid) is not None
        )

    app_ticks = spent([server.process.pid, *app_pids])
    db_ticks = spent(db_pids)
    # Backends that connected during the run: all their CPU falls inside it.
    new_backends = set(postgres_backends(database)) - set(db_pids) if database else set()
    db_ticks += sum(process_ticks(pid) or 0 for pid in new_backends)
    seconds = result["duration_s"] or args.duration
    other_cores = (
        (busy_after - busy_before - app_ticks - db_ticks) / CLK_TCK - client_cpu
    ) / seconds
    per_request = 1000 / CLK_TCK / requests if requests else None
    if not requests:
        result.update(p50_ms=None, p99_ms=None)
    result.update(
        # A run in which no request completed is an error in itself.
        errors=result["non2xx"] + result["socket_errors"] + (0 if requests else 1),
        app_ms=app_ticks * per_request if requests else None,
        db_ms=db_ticks * per_request if requests and database else None,
        srv_ms=(app_ticks + db_ticks) * per_request if requests else None,
        client_ms=client_cpu * 1000 / requests if requests else None,
        other_cores=max(0.0, other_cores),
        command=" ".join(command[:-1] + [url]),
    )
    return result


# ---------------------------------------------------------------- a group of pages


def run_group(args, target: Target, described: dict, group: str, password: str) -> dict:
    """Serve, check and measure one group of pages; return its measurements and summary."""
    pages = described["admin"] if group == "admin" else described["reader"]
    urls = {**REFERENCE_URLS, **pages}
    server = Server(target, args, group=group)
    log(f"\n{GROUP_TITLES[group]}: gunicorn on {server.base_url} ({args.workers} sync workers)")
    server.start()
    try:
        cookie = None
        if group == "admin":
            cookie = admin_login(server.base_url, described["admin_username"], password)
        checks = {}
        for label, url in urls.items():
            status, body = fetch(server.base_url + url, cookie=cookie)
            if label == "hello" and body != b"Hello, world!":
                status = f"{status}, unexpected body"
            checks[label] = {"status": status, "bytes": len(body)}
            note = "" if status == 200 else "   <- not measured"
            log(f"  check {label:<24} HTTP {status}  {len(body):>9,} B  {url}{note}")
        measured = [label for label in urls if checks[label]["status"] == 200]
        # After every page has been served once: what the workers hold when warm.
        memory_before = worker_rss_kib(server.pids())
        for reference in REFERENCES:
            if reference not in measured:
                raise BenchError(f"the reference view {reference} does not answer 200")

        runs = []
        log(
            f"  {'round':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
            f"{'srv ms':>7} {'other':>5}  page"
        )
        for round_number in range(1, args.rounds + 1):
            for label in measured:
                run = measure(args, server, urls[label], cookie)
                run.update(round=round_number, label=label, url=urls[label])
                runs.append(run)
                log(
                    f"  {round_number:>5} {run['rps']:>9.1f} {fmt(run['p50_ms'], 8, 2)} "
                    f"{fmt(run['p99_ms'], 8, 2)} {run['errors']:>6} {fmt(run['srv_ms'], 7, 2)} "
                    f"{run['other_cores']:>5.2f}  {label}"
                )
                if args.pause:
                    time.sleep(args.pause)
        memory = {
            "before_kib": memory_before,
            "after_kib": worker_rss_kib(server.pids()),
            "requests": sum(run["requests"] for run in runs),
        }
        log(describe_memory(memory))
    finally:
        server.stop()
    return {
        "group": group,
        "title": GROUP_TITLES[group],
        "urls": urls,
        "checks": checks,
        "runs": runs,
        "memory": memory,
        "summary": summarise(urls, checks, runs),
    }


def worker_rss_kib(pids: list[int]) -> dict[str, int]:
    """Private (anonymous) resident memory of each gunicorn worker, from /proc.

    Not the whole resident size: SQLite's memory-mapped database file counts
    there too, and grows as pages of the file are read, without any leak.
    """
    sizes = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("RssAnon:"):
                        sizes[str(pid)] = int(line.split()[1])
        except OSError:
            continue
    return sizes


def describe_memory(memory: dict) -> str:
    before, after = memory["before_kib"], memory["after_kib"]
    parts = []
    for pid, start in before.items():
        end = after.get(pid)
        if end is None:
            parts.append(f"{start / 1024:.1f} MiB -> (restarted)")
        else:
            growth = (end - start) / 1024
            parts.append(f"{start / 1024:.1f} -> {end / 1024:.1f} MiB ({growth:+.1f})")
    return (
        f"Worker private memory (RssAnon) over {memory['requests']:,} measured requests: "
        + "; ".join(parts)
    )


def summarise(urls: dict, checks: dict, runs: list[dict]) -> list[dict]:
    by_round = {(r["label"], r["round"]): r for r in runs}
    rounds = sorted({r["round"] for r in runs})
    rows = []
    for label, url in urls.items():
        mine = [r for r in runs if r["label"] == label]
        row = {"label": label, "url": url, "status": checks[label]["status"]}
        row["bytes"] = checks[label]["bytes"]
        if not mine:
            rows.append(row)
            continue
        rps = [r["rps"] for r in mine]
        row.update(
            rps=rps,
            rps_median=statistics.median(rps),
            p50_ms=median_or_none([r["p50_ms"] for r in mine]),
            p99_ms=median_or_none([r["p99_ms"] for r in mine]),
            errors=sum(r["errors"] for r in mine),
            srv_ms=median_or_none([r["srv_ms"] for r in mine]),
            db_ms=median_or_none([r["db_ms"] for r in mine]),
            other_cores_max=max(r["other_cores"] for r in mine),
        )
        for reference in REFERENCES:
            ratios, cpu_ratios = [], []
            for number in rounds:
                page, ref = by_round.get((label, number)), by_round.get((reference, number))
                if page and ref and ref["rps"]:
                    ratios.append(page["rps"] / ref["rps"])
                    if page["srv_ms"] and ref["srv_ms"]:
                        cpu_ratios.append(ref["srv_ms"] / page["srv_ms"])
            row[f"x_{reference}"] = ratios
            row[f"x_{reference}_cpu"] = cpu_ratios
        rows.append(row)
    return rows


# ---------------------------------------------------------------- output


def table(group_result: dict, *, database_column: bool) -> list[str]:
    header = ["page", "URL", "req/s", "p50 ms", "p99 ms", "errors", "srv ms"]
    if database_column:
        header.append("db ms")
    header += ["× hello", "× template"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in group_result["summary"]:
        url = f"`{row['url']}`"
        if "rps" not in row:
            cells = [row["label"], url, f"HTTP {row['status']}, not measured"]
            cells += ["–"] * (len(header) - len(cells))
        else:
            cells = [
                row["label"],
                url,
                percent_range(row["rps"], 1),
                fmt(row["p50_ms"], 0, 1),
                fmt(row["p99_ms"], 0, 1),
                str(row["errors"]),
                fmt(row["srv_ms"], 0, 2),
            ]
            if database_column:
                cells.append(fmt(row["db_ms"], 0, 2))
            cells += [
                "1" if row["label"] == reference else percent_range(row[f"x_{reference}"])
                for reference in REFERENCES
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def print_summary(result: dict) -> None:
    meta = result["meta"]
    log(
        f"\n{DATABASE_TITLES[result['database']]}, {meta['counts']['articles']:,} articles: "
        f"median over {meta['load']['rounds']} rounds (min–max)"
    )
    for group in result["groups"]:
        log(f"\n{group['title']}")
        for line in table(group, database_column=result["database"] == "postgres"):
            log(line)


def section_key(result: dict) -> str:
    return f"{result['database']}-{result['articles']}"


OUTPUT_OPTIONS = ("--out", "--note", "--label", "--json", "--from-json")


def measurement_command(command: str) -> str:
    """The command line without the options that only choose where results go."""
    words, kept = shlex.split(command), []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in OUTPUT_OPTIONS:
            skip = True
        elif not word.startswith(tuple(f"{option}=" for option in OUTPUT_OPTIONS)):
            kept.append(word)
    return shlex.join(kept)


def markdown_section(result: dict, *, note: str | None, label: str | None) -> str:
    meta = result["meta"]
    machine, versions, counts, load = (meta[k] for k in ("machine", "versions", "counts", "load"))
    title = DATABASE_TITLES[result["database"]]
    key = section_key(result)
    reference = (
        load["rounds"] >= 3
        and load["duration"] >= 15
        and load["connections"] == 16
        and load["workers"] == 2
        and machine["cores"] == 2
    )
    lines = [
        f"<!-- bench:begin {key} -->",
        f"## {title}, {counts['articles']:,} articles" + (f": {label}" if label else ""),
        "",
    ]
    if note:
        lines += [note, ""]
    if not reference:
        lines += [
            "Not the reference conditions (2 cores, 2 workers, 16 connections, 3 rounds of "
            "15 s or more): compare these ratios only with each other.",
            "",
        ]
    lines += [
        f"Measured {meta['date']} with `{measurement_command(meta['command'])}`.",
        "",
        "| | |",
        "|---|---|",
        f"| machine | {machine['arch']}, {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, {machine['kernel']} |",
        f"| software | Python {versions['python']}, Django {versions['django']}, "
        f"{versions['database']}, gunicorn {versions['gunicorn']}, {versions['wrk']} |",
        f"| data | {counts['articles']:,} articles ({counts['published']:,} published and "
        f"live), {counts['contributors']:,} contributors, {counts['countries']} countries, "
        f"{counts['frameworks']} frameworks, {counts['summits']} summits |",
        f"| server | gunicorn, {load['workers']} sync workers, `bench.settings` (the "
        f"project's settings, DEBUG off, {meta['settings']['cache']} page cache, "
        f"CONN_MAX_AGE {meta['settings']['conn_max_age']}) |",
        f"| load | `wrk -t{load['threads']} -c{load['connections']} -d{load['duration']}s "
        f"--latency`, pinned with `taskset -c {load['client_cpus'] or '-'}`, "
        f"{load['warmup']} s warm-up before each run, interleaved rounds: {load['rounds']} |",
        "",
    ]
    for group in result["groups"]:
        lines += [f"### {group['title']}", ""]
        lines += table(group, database_column=result["database"] == "postgres")
        disturbed = [r for r in group["runs"] if r["other_cores"] > 0.1]
        lines.append("")
        if group.get("memory"):
            lines += [describe_memory(group["memory"]).replace("->", "→") + ".", ""]
        if disturbed:
            worst = max(r["other_cores"] for r in disturbed)
            lines += [
                f"{len(disturbed)} of {len(group['runs'])} runs shared the machine with other "
                f"work (up to {worst:.2f} cores): the server-CPU column is the steadier figure.",
                "",
            ]
    lines.append(f"<!-- bench:end {key} -->")
    return "\n".join(lines) + "\n"


DOC_HEADER = """\
# Performance

How fast the journal serves its pages, measured with `bench/run` (see
`bench/README.md`). Each section below is one run on one database and one
archive size; `bench/run --out docs/performance.md` replaces the section of
the same database and size, or adds it at the end.

Only ratios measured in the same run count: req/s depends on the machine and
on what else it is doing, a page's ratio to the `hello` and `template`
reference views much less.

"""


def write_markdown(path: Path, results: list[dict], *, note: str | None, label: str | None) -> None:
    text = path.read_text() if path.exists() else DOC_HEADER
    for result in results:
        key = section_key(result)
        section = markdown_section(result, note=note, label=label)
        pattern = re.compile(
            rf"<!-- bench:begin {re.escape(key)} -->.*?<!-- bench:end {re.escape(key)} -->\n?",
            re.DOTALL,
        )
        match = pattern.search(text)
        if match:
            text = text[: match.start()] + section + text[match.end() :]
        else:
            text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    venv = PROJECT / ".venv" / "bin"
    parser = argparse.ArgumentParser(
        prog="bench/run",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = parser.add_argument_group("the database")
    data.add_argument(
        "--articles", type=int, default=100_000, metavar="N", help="archive size (100000)"
    )
    data.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        default="sqlite",
        help="which database to build and measure; both: SQLite, then PostgreSQL (sqlite)",
    )
    data.add_argument(
        "--reuse",
        action="store_true",
        help="use the database already built for N articles, if there is one, instead of "
        "building it again",
    )
    data.add_argument(
        "--work-dir",
        type=Path,
        metavar="DIR",
        help="where each database's files go, as DIR/<database>-<N>/: the SQLite file, "
        "static files, media, secret key, logs (var/bench under the project)",
    )
    data.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        metavar="URL",
        help="PostgreSQL server to use, without a database name; the database is "
        "<prefix>_<N> and is dropped and created again when built "
        "($BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432)",
    )
    data.add_argument(
        "--postgres-prefix",
        default="journal_bench",
        metavar="NAME",
        help="PostgreSQL database name before _<N>; must start with journal_bench (journal_bench)",
    )

    load = parser.add_argument_group("the measurement")
    load.add_argument(
        "--pages",
        default="cold,reader,admin",
        help=f"comma-separated groups of pages, from {', '.join(GROUPS)} (cold,reader,admin)",
    )
    load.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    load.add_argument("--duration", type=int, default=15, help="seconds per counted wrk run (15)")
    load.add_argument(
        "--warmup", type=int, default=2, help="uncounted wrk seconds before each run; 0: none (2)"
    )
    load.add_argument("--pause", type=float, default=1.0, help="idle seconds between runs (1)")
    load.add_argument("--connections", type=int, default=16, help="wrk's open connections, -c (16)")
    load.add_argument("--threads", type=int, default=2, help="wrk's threads, -t (2)")
    load.add_argument("--timeout", type=int, default=10, help="wrk's request timeout, s (10)")
    load.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    load.add_argument(
        "--client-cpus",
        default="1",
        metavar="LIST",
        help="CPUs wrk is pinned to with taskset -c; empty: not pinned (1)",
    )

    output = parser.add_argument_group("the results")
    output.add_argument(
        "--out",
        type=Path,
        metavar="FILE.md",
        help="write a Markdown section per database and size into FILE.md, replacing the "
        "section of an earlier run of the same database and size (e.g. docs/performance.md)",
    )
    output.add_argument(
        "--note",
        help="a sentence put at the top of each Markdown section, e.g. why the run was made",
    )
    output.add_argument(
        "--label",
        help="words added to each Markdown section's heading, e.g. 'smoke run'",
    )
    output.add_argument(
        "--from-json",
        type=Path,
        metavar="FILE",
        help="measure nothing: print the tables of an earlier run's JSON and, with --out, "
        "write its Markdown again",
    )
    output.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="write every measurement as JSON to FILE (bench/results/<date>.json)",
    )

    tools = parser.add_argument_group("tools")
    tools.add_argument(
        "--python",
        default=str(venv / "python") if (venv / "python").exists() else sys.executable,
        help="Python with the project's requirements (.venv/bin/python)",
    )
    tools.add_argument(
        "--gunicorn",
        default=str(venv / "gunicorn") if (venv / "gunicorn").exists() else "gunicorn",
        help="gunicorn executable (.venv/bin/gunicorn)",
    )
    tools.add_argument("--wrk", default="wrk", help="wrk executable (wrk)")
    args = parser.parse_args(argv)

    args.groups = [g.strip() for g in args.pages.split(",") if g.strip()]
    unknown = set(args.groups) - set(GROUPS)
    if unknown or not args.groups:
        parser.error(f"--pages takes {', '.join(GROUPS)}, not {', '.join(sorted(unknown))}")
    if args.articles < 1 or args.rounds < 1 or args.duration < 1:
        parser.error("--articles, --rounds and --duration must be at least 1")
    if not args.postgres_prefix.startswith("journal_bench"):
        parser.error("--postgres-prefix must start with journal_bench")
    if not shutil.which(args.wrk):
        parser.error(f"{args.wrk} not found (Debian/Ubuntu: apt-get install wrk)")
    if args.client_cpus and not shutil.which("taskset"):
        parser.error("taskset not found (package util-linux); or pass --client-cpus ''")
    if not Path("/proc/stat").exists():
        parser.error("needs Linux /proc for the server CPU figures")
    return args


def tool_version(command: list[str]) -> str:
    try:
        output = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ).stdout
    except OSError:
        return "unknown"
    return output.strip().splitlines()[0] if output.strip() else "unknown"


def run_database(args, kind: str, command_line: str) -> dict:
    target = Target(args, kind)
    target.work_dir.mkdir(parents=True, exist_ok=True)
    if args.reuse and target.built():
        log(f"Reusing {target.label} with {args.articles} articles in {target.where()}")
    else:
        target.build()
    password = secrets.token_urlsafe(24)
    described = target.describe(password)
    wrk_version = tool_version([args.wrk, "-v"]).split(" [")[0].replace("debian/", "")
    meta = {
        "date": datetime.date.today().isoformat(),
        "started": now_iso(),
        "command": command_line,
        "machine": machine_info(),
        "versions": {
            **described["versions"],
            "gunicorn": tool_version([args.gunicorn, "--version"]).split("version ")[-1].strip(")"),
            "wrk": wrk_version,
        },
        "counts": described["counts"],
        "settings": described["settings"],
        "load": {
            key: getattr(args, key)
            for key in (
                "rounds",
                "duration",
                "warmup",
                "connections",
                "threads",
                "timeout",
                "workers",
                "client_cpus",
            )
        },
    }
    groups = [run_group(args, target, described, group, password) for group in args.groups]
    return {
        "database": kind,
        "articles": args.articles,
        "where": target.where(),
        "meta": meta,
        "groups": groups,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text())["results"]
        for result in results:
            print_summary(result)
        return report(args, results, json_path=None)
    command_line = shlex.join(["bench/run", *(argv if argv is not None else sys.argv[1:])])
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]

    # SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, so gunicorn is stopped.
    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    # Also when started in the background, where SIGINT comes in ignored.
    signal.signal(signal.SIGINT, interrupted)
    results = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    json_path = args.json or PROJECT / "bench" / "results" / f"{stamp}.json"
    try:
        for kind in kinds:
            results.append(run_database(args, kind, command_line))
            print_summary(results[-1])
    except BenchError as error:
        log(f"\nbench/run: {error}")
        # What the databases measured before this one had is kept all the same.
        report(args, results, json_path=json_path)
        return 2
    except KeyboardInterrupt:
        log("\nbench/run: interrupted; the servers it started are stopped")
        return 130
    return report(args, results, json_path=json_path)


def report(args, results: list[dict], *, json_path: Path | None) -> int:
    """Write the JSON and Markdown of finished databases; 1 when a URL had errors."""
    if not results:
        return 0
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({"results": results}, indent=1, default=str) + "\n")
        log(f"\nMeasurements: {json_path}")
    if args.out:
        write_markdown(args.out, results, note=args.note, label=args.label)
        log(f"Markdown: {args.out}")
    errors = [
        f"{result['database']} {row['label']}"
        for result in results
        for group in result["groups"]
        for row in group["summary"]
        if row["status"] != 200 or row.get("errors")
    ]
    if errors:
        log(textwrap.fill("Errors on: " + ", ".join(errors), width=100))
        return 1
    return 0
