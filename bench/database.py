"""Building, or finding already built, a database of N generated articles (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse

from .common import PROJECT, BenchError, log, now_iso

DATABASE_TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


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

    def catch_up(self) -> None:
        """Apply this checkout's migrations to a database built by an earlier one."""
        self.manage("migrate", "--noinput")

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

    def describe(self, admin_password: str, *, random_articles: int) -> dict:
        """The URLs to measure, chosen by `bench.prepare`, with counts and versions."""
        output = self.run(
            self.python,
            "-m",
            "bench.prepare",
            "targets",
            step="pick URLs",
            extra_env={
                "BENCH_ADMIN_PASSWORD": admin_password,
                "BENCH_RANDOM_ARTICLES": str(random_articles),
            },
        )
        return json.loads(output[output.index("{") :])
