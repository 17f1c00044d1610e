"""Load test: the production gunicorn set-up under wrk, with and without reloads.

`bench/load --help` tells how. A run:

1. builds (or, with --reuse, finds) a database of N generated articles, as
   `bench/run` does;
2. starts gunicorn with the project's own gunicorn.conf.py and production
   settings (`journal.settings`, page cache on, JSON access log to a file);
3. **steady**: after a warm-up, wrk holds --connections connections for
   --duration seconds over a mix of home, article, country, framework,
   summit, search and feed URLs, while the workers' private memory is
   sampled every few seconds. Worker recycling (max_requests) is off for this
   run, so that growth would show;
4. **reload**: the same load again, with gunicorn's recycling as configured,
   and `kill -HUP` sent to the master twice (at a third and two thirds of
   the run), which replaces every worker gracefully;
5. prints, for each run, requests per second, p50/p99 latency, errors
   (connection, read, write, timeout), responses by status class, and the
   memory figures, and writes them as JSON. It exits with status 1 when any
   request failed or answered 5xx.

Only the standard library is used here, as in `bench/run`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import PROJECT, BenchError, log
from bench.database import Target
from bench.procfs import child_pids, worker_rss_kib
from bench.server import fetch, free_port, start_gunicorn
from bench.traffic import weighted_mix_script
from bench.wrk import parse_wrk

# The share of requests each kind of page gets.
WEIGHTS = {
    "article": 50,
    "home": 10,
    "country": 8,
    "framework": 6,
    "summit": 8,
    "search": 12,
    "feed": 6,
}


class Gunicorn:
    """The project's gunicorn.conf.py, on a free loopback port, logging to a file."""

    def __init__(self, target: Target, args, *, name: str, recycle: bool):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.args = args
        self.env = {
            **target.env,
            # Production settings (not bench.settings, which adds reference views).
            "DJANGO_SETTINGS_MODULE": "journal.settings",
            "GUNICORN_WORKERS": str(args.workers),
        }
        self.env.pop("DJANGO_PAGE_CACHE_SECONDS", None)
        self.env.pop("DJANGO_KEEP_PER_GENERATION", None)
        if not recycle:
            self.env["GUNICORN_MAX_REQUESTS"] = "0"
        self.log_path = target.work_dir / f"load-{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            self.args.gunicorn,
            "--config",
            str(PROJECT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--no-control-socket",
            "journal.wsgi",
        ]
        self.process, self.log_file = start_gunicorn(
            command,
            env=self.env,
            log_path=self.log_path,
            ready_url=self.base_url + "/health/",
            workers=self.args.workers,
        )

    def workers(self) -> list[int]:
        return child_pids(self.process.pid)

    def hup(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.log_file.close()


def wrk(args, server: Gunicorn, script: Path, seconds: int) -> dict:
    command = [
        args.wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        f"--timeout={args.timeout}s",
        "--latency",
        "-s",
        str(script),
        server.base_url,
    ]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stdout.strip()}")
    figures = parse_wrk(result.stdout)
    marker = next(line for line in result.stdout.splitlines() if line.startswith("STATUSES "))
    figures["statuses"] = json.loads(marker.removeprefix("STATUSES "))
    figures["socket_error_detail"] = next(
        (line.strip() for line in result.stdout.splitlines() if "Socket errors" in line), ""
    )
    return figures


def sample_memory(server: Gunicorn, samples: list, stop: threading.Event, every: float) -> None:
    started = time.monotonic()
    while not stop.wait(every):
        sizes = worker_rss_kib(server.workers())
        samples.append({"t": round(time.monotonic() - started, 1), "kib": sizes})


def steady_run(args, target: Target, script: Path) -> dict:
    server = Gunicorn(target, args, name="steady", recycle=False)
    server.start()
    try:
        log(f"  warm-up: {args.warmup} s")
        wrk(args, server, script, args.warmup)
        time.sleep(1)
        before = worker_rss_kib(server.workers())
        samples: list = []
        stop = threading.Event()
        sampler = threading.Thread(
            target=sample_memory, args=(server, samples, stop, 5.0), daemon=True
        )
        sampler.start()
        log(f"  steady load: {args.connections} connections, {args.duration} s")
        figures = wrk(args, server, script, args.duration)
        stop.set()
        sampler.join()
        after = worker_rss_kib(server.workers())
    finally:
        server.stop()
    growth = {
        pid: after[pid] - start for pid, start in before.items() if pid in after
    }  # a worker that died would be missing from `after`
    figures["memory"] = {
        "before_kib": before,
        "after_kib": after,
        "growth_kib": growth,
        "samples": samples,
        "workers_replaced": sorted(set(before) - set(after)),
    }
    return figures


def reload_run(args, target: Target, script: Path) -> dict:
    server = Gunicorn(target, args, name="reload", recycle=True)
    server.start()
    reloads = []

    def send_hups():
        for fraction in (1 / 3, 2 / 3):
            time.sleep(max(0.0, args.duration * fraction - (time.monotonic() - started)))
            old = set(server.workers())
            server.hup()
            reloads.append({"at_s": round(time.monotonic() - started, 1), "old_workers": old})

    try:
        log(f"  warm-up: {args.warmup} s")
        wrk(args, server, script, args.warmup)
        log(f"  load with two reloads (HUP): {args.connections} connections, {args.duration} s")
        started = time.monotonic()
        hupper = threading.Thread(target=send_hups, daemon=True)
        hupper.start()
        figures = wrk(args, server, script, args.duration)
        hupper.join()
        # Old workers finish their requests first (graceful_timeout): give them time.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            final = set(server.workers())
            if len(final) == args.workers and not any(h["old_workers"] & final for h in reloads):
                break
            time.sleep(0.5)
        status, _ = fetch(server.base_url + "/health/", timeout=5)
    finally:
        server.stop()
    figures["reloads"] = [
        {"at_s": hup["at_s"], "workers_replaced": not (hup["old_workers"] & final)}
        for hup in reloads
    ]
    figures["workers_after"] = len(final)
    figures["health_after"] = status
    return figures


def failures(figures: dict) -> int:
    return figures["socket_errors"] + figures["statuses"].get("5xx", 0)


def describe(name: str, figures: dict) -> list[str]:
    statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(figures["statuses"].items()) if v)
    lines = [
        f"{name}: {figures['requests']:,} requests in {figures['duration_s']:.0f} s, "
        f"{figures['rps']:,.0f} req/s, p50 {figures['p50_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms",
        f"  responses: {statuses}; socket errors: {figures['socket_errors']}"
        + (f" ({figures['socket_error_detail']})" if figures["socket_errors"] else ""),
    ]
    if "memory" in figures:
        memory = figures["memory"]
        parts = [
            f"{memory['before_kib'][pid] / 1024:.1f} -> {memory['after_kib'][pid] / 1024:.1f} MiB "
            f"({growth / 1024:+.1f})"
            for pid, growth in memory["growth_kib"].items()
        ]
        lines.append("  worker private memory (RssAnon), start -> end: " + "; ".join(parts))
        if memory["samples"]:
            # The first seconds fill caches; after that, growth would mean a leak.
            first, last = memory["samples"][0], memory["samples"][-1]
            later = [
                (last["kib"][pid] - start) / 1024
                for pid, start in first["kib"].items()
                if pid in last["kib"]
            ]
            lines.append(
                f"  from {first['t']:.0f} s to {last['t']:.0f} s: "
                + ", ".join(f"{growth:+.1f}" for growth in later)
                + " MiB"
            )
        if memory["workers_replaced"]:
            lines.append(f"  workers that ended during the run: {memory['workers_replaced']}")
    for hup in figures.get("reloads", []):
        replaced = "every worker replaced" if hup["workers_replaced"] else "workers NOT replaced"
        lines.append(f"  HUP at {hup['at_s']} s: {replaced}")
    if "health_after" in figures:
        lines.append(f"  /health/ after the run: {figures['health_after']}")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    venv = PROJECT / ".venv" / "bin"
    parser = argparse.ArgumentParser(
        prog="bench/load",
        description="Load-test the journal under gunicorn with wrk, steady and through two "
        "reloads (HUP); report req/s, p50/p99, errors, 5xx and worker memory.",
    )
    parser.add_argument("--articles", type=int, default=10_000, help="archive size (10000)")
    parser.add_argument(
        "--database", choices=["sqlite", "postgres"], default="sqlite", help="(sqlite)"
    )
    parser.add_argument("--reuse", action="store_true", help="use a database already built")
    parser.add_argument("--work-dir", type=Path, default=None, help="(var/bench)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--postgres-prefix", default="journal_bench")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (60)")
    parser.add_argument("--warmup", type=int, default=10, help="uncounted seconds first (10)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk request timeout, s (10)")
    parser.add_argument(
        "--workers",
        type=int,
        default=min((os.cpu_count() or 1) * 2 + 1, 12),
        help="gunicorn workers (gunicorn.conf.py's default: 2 per CPU + 1)",
    )
    parser.add_argument("--runs", default="steady,reload", help="steady, reload or both")
    parser.add_argument("--json", type=Path, default=None, help="(bench/results/load-<date>.json)")
    parser.add_argument(
        "--python", default=str(venv / "python") if (venv / "python").exists() else sys.executable
    )
    parser.add_argument(
        "--gunicorn", default=str(venv / "gunicorn") if (venv / "gunicorn").exists() else "gunicorn"
    )
    parser.add_argument("--wrk", default="wrk")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = [run.strip() for run in args.runs.split(",") if run.strip()]
    if unknown := set(runs) - {"steady", "reload"}:
        raise SystemExit(f"unknown runs: {', '.join(sorted(unknown))}")
    try:
        subprocess.run([args.wrk, "--version"], capture_output=True, check=False)
    except FileNotFoundError:
        raise SystemExit("wrk is not installed (apt-get install wrk)") from None
    target = Target(args, args.database)
    try:
        if args.reuse and target.built():
            log(f"Reusing {target.where()}")
            target.catch_up()
        else:
            target.build()
        output = target.run(args.python, "-m", "bench.prepare", "load-urls", step="pick URLs")
        urls = json.loads(output[output.index("{") :])
        log("URL mix: " + ", ".join(f"{k} {len(v)} ({WEIGHTS[k]}%)" for k, v in urls.items()))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script_file:
            script_file.write(weighted_mix_script(urls, WEIGHTS))
        script = Path(script_file.name)
        results = {}
        if "steady" in runs:
            log("Steady load")
            results["steady"] = steady_run(args, target, script)
        if "reload" in runs:
            log("Load through two reloads")
            results["reload"] = reload_run(args, target, script)
    except BenchError as error:
        log(f"error: {error}")
        return 2
    finally:
        if "script" in locals():
            script.unlink(missing_ok=True)

    log()
    log(
        f"{target.label}, {args.articles:,} articles, {args.workers} gunicorn workers, "
        f"wrk {args.threads} threads x {args.connections} connections"
    )
    for name, figures in results.items():
        for line in describe(name, figures):
            log(line)
    json_path = args.json or (
        PROJECT / "bench" / "results" / f"load-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    )
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps(
            {"args": {k: str(v) for k, v in vars(args).items()}, "urls": urls, "results": results},
            indent=1,
            default=sorted,
        )
        + "\n"
    )
    log(f"JSON: {json_path}")
    failed = sum(failures(figures) for figures in results.values())
    if failed:
        log(f"FAILED: {failed} requests failed or answered 5xx")
    return 1 if failed else 0
