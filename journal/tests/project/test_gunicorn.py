"""gunicorn as deployed (gunicorn.conf.py): several instances on one machine, graceful reloads."""

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gunicorn.ctl.client import ControlClient, ControlClientError

from journal.tests.project.test_settings import BASE_DIR, clean_environment, run_python

pytestmark = [pytest.mark.slow, pytest.mark.external]

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(url: str) -> int | None:
    """The status `url` answers with, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class Instance:
    """gunicorn serving the project with gunicorn.conf.py, on a port and a var folder of its own.

    The database is a new SQLite file in that folder: /health/ needs no tables.
    """

    def __init__(self, var_dir: Path, *, workers: int = 1):
        var_dir.mkdir()
        self.var_dir = var_dir
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = (var_dir.parent / f"{var_dir.name}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "journal.wsgi", "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=clean_environment(
                var_dir,
                GUNICORN_BIND=self.url.removeprefix("http://"),
                GUNICORN_WORKERS=str(workers),
                DJANGO_LOG_FORMAT="text",
            ),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while self.health() != 200:
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.2)
        # The control socket opens once the workers have started.
        self.control("show stats")

    def health(self) -> int | None:
        return status(f"{self.url}/health/")

    def control(self, command: str) -> dict:
        """A command sent to the control socket in this instance's var folder.

        gunicorn closes the socket for a moment whenever it starts a worker.
        """
        deadline = time.monotonic() + 10
        while True:
            try:
                with ControlClient(str(self.var_dir / "gunicorn.ctl"), timeout=10) as client:
                    return client.send_command(command)
            except ControlClientError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def workers(self) -> set[int]:
        return {worker["pid"] for worker in self.control("show workers")["workers"]}

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def instances(tmp_path):
    started = []

    def start(name: str, **options) -> Instance:
        started.append(Instance(tmp_path / name, **options))
        return started[-1]

    yield start
    for instance in started:
        instance.stop()


def test_two_instances_share_a_machine(instances):
    first, second = instances("first"), instances("second")

    # Each has its own control socket, in its own var folder, answering for itself.
    assert first.control("show stats")["pid"] == first.process.pid
    assert second.control("show stats")["pid"] == second.process.pid

    first.stop()

    assert first.health() is None
    assert second.health() == 200
    # Stopping the first took nothing of the second's with it.
    assert (second.var_dir / "gunicorn.ctl").exists()
    assert second.control("show stats")["pid"] == second.process.pid


def test_a_worker_has_its_pages_imported_before_its_first_request(tmp_path):
    # The URLconf brings in every view, the admin and the API: about a second
    # that the first reader sent to a new worker would otherwise wait for.
    code = (
        "import sys, journal.wsgi;"
        "print(*(name in sys.modules for name in"
        " ('journal.views.articles', 'journal.views.search', 'journal.api.views')))"
    )
    completed = run_python(tmp_path, "-c", code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["True", "True", "True"]


def test_a_graceful_reload_keeps_serving(instances):
    server = instances("server", workers=2)
    before = server.workers()
    answers: list[int | None] = []
    reloading = threading.Event()

    def keep_asking():
        while not reloading.is_set():
            answers.append(server.health())

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        time.sleep(0.5)
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + START_SECONDS
        # New workers replace the old ones, which finish what they were doing.
        while server.workers() & before or len(server.workers()) < 2:
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        reloading.set()
        asker.join()

    assert len(answers) > 10
    assert set(answers) == {200}, server.output()
    assert server.health() == 200
