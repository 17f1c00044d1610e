"""An editor saving published articles through the ORM while pages are measured, and its handle.

`bench/run` starts `python -m bench.editor` with the environment of the
database measured and talks to it a line at a time:

    save        one save now; answers {"saved": 1, ...}
    every S     a save now and every S seconds after, until
    stop        which answers {"saved": N, "late": L, ...}

Each save is what an editor's does to the database: a published article,
picked at random, gets a changed standfirst (a sentence added, or taken away
again), is validated with `full_clean()` and saved in a transaction, so every
signal runs and the content generation ends as with any save readers can see.
`bench/run` itself only uses `Editor`, which needs nothing but the standard
library; Django is imported in the editor's own process.
"""

from __future__ import annotations

import json
import os
import random
import select
import subprocess
import sys
import time
from pathlib import Path

from .common import PROJECT, BenchError

MARK = " (Updated.)"


# ---------------------------------------------------------------- the editor's process


def _editor() -> int:  # pragma: no cover - runs in its own process
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection, transaction

    from journal.models import Article

    rng = random.Random(os.getpid())
    ids = list(Article.objects.published().values_list("pk", flat=True))
    if not ids:
        raise SystemExit("no published article to edit")

    def save() -> None:
        article = Article.objects.get(pk=rng.choice(ids))
        if article.standfirst.endswith(MARK):
            article.standfirst = article.standfirst.removesuffix(MARK)
        else:
            article.standfirst += MARK
        with transaction.atomic():
            article.full_clean()
            article.save()

    def answer(**values) -> None:
        sys.stdout.write(json.dumps(values) + "\n")
        sys.stdout.flush()

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    answer(ready=True, backend=backend)

    pending = b""

    def next_line(timeout: float | None) -> str | None:
        """A line of input; None when none came within `timeout`; "" at the end of input."""
        nonlocal pending
        while b"\n" not in pending:
            if not select.select([0], [], [], timeout)[0]:
                return None
            chunk = os.read(0, 4096)
            if not chunk:
                return ""
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        return line.decode() + "\n"

    while line := next_line(None):
        words = line.split()
        if not words:
            continue
        if words[0] == "save":
            started = time.process_time()
            save()
            answer(saved=1, cpu_ms=(time.process_time() - started) * 1000)
        elif words[0] == "every":
            every = float(words[1])
            saved = late = 0
            started = time.process_time()
            next_at = time.monotonic()
            while True:
                save()
                saved += 1
                next_at += every
                wait = next_at - time.monotonic()
                if wait < 0:
                    # A save took longer than the interval: the next starts at once.
                    late += 1
                    next_at = time.monotonic()
                    wait = 0
                if next_line(wait) is not None:  # "stop", or the end of input
                    break
            answer(saved=saved, late=late, cpu_ms=(time.process_time() - started) * 1000)
    return 0


# ---------------------------------------------------------------- bench/run's handle on it


class Editor:
    """The editor's process, started with a database's environment; stopped by closing its input."""

    def __init__(self, *, python: str, env: dict, log_path: Path):
        self.log_file = open(log_path, "a")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [python, "-m", "bench.editor"],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log_file,
            text=True,
            start_new_session=True,
        )
        self.backend = self._read()["backend"]

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise BenchError(f"the editor stopped; see {self.log_file.name}")
        return json.loads(line)

    def _say(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def save(self) -> dict:
        """One save, done when this returns."""
        self._say("save")
        return self._read()

    def start_saving(self, every: float) -> None:
        """A save now and every `every` seconds, until `stop_saving()`."""
        self._say(f"every {every}")

    def stop_saving(self) -> dict:
        """Stop after the save in progress; how many were made and how many started late."""
        self._say("stop")
        return self._read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


if __name__ == "__main__":
    sys.exit(_editor())
