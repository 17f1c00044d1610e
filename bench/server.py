"""gunicorn serving the benchmark on a loopback port, and the HTTP requests that check it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from .common import PROJECT, REFERENCE_URLS, BenchError
from .procfs import child_pids

if TYPE_CHECKING:
    from .database import Target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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

    def __init__(self, target: Target, args, *, group: str, settings: dict[str, str | None]):
        self.target = target
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = args.workers
        self.gunicorn = args.gunicorn
        self.group = group
        self.env = dict(target.env)
        # None: the settings' own default, whatever this shell says.
        for name, value in settings.items():
            if value is None:
                self.env.pop(name, None)
            else:
                self.env[name] = value
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
