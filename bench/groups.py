"""The groups of pages a run measures, each served by its own gunicorn and measured in rounds."""

from __future__ import annotations

import statistics
import time

from .common import REFERENCE_URLS, REFERENCES, BenchError, log
from .database import Target
from .procfs import worker_rss_kib
from .report import describe_memory, fmt
from .server import Server, admin_login, fetch
from .wrk import measure

GROUPS = ("cold", "reader", "cached", "admin")
GROUP_TITLES = {
    "cold": "Reader pages, rendered from scratch (page cache off, nothing kept per generation)",
    "reader": "Reader pages, rendered (page cache off, counts and fragments kept per generation)",
    "cached": "Reader pages, from the page cache",
    "admin": "Admin pages, logged in as a superuser",
}

# The page cache and what is kept per content generation, per group; None: as
# `journal.settings` has them.
GROUP_SETTINGS = {
    "cold": {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": "false"},
    "reader": {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": None},
    "cached": {"DJANGO_PAGE_CACHE_SECONDS": None, "DJANGO_KEEP_PER_GENERATION": None},
    "admin": {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": None},
}


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def run_group(args, target: Target, described: dict, group: str, password: str) -> dict:
    """Serve, check and measure one group of pages; return its measurements and summary."""
    pages = described["admin"] if group == "admin" else described["reader"]
    urls = {**REFERENCE_URLS, **pages}
    server = Server(target, args, group=group, settings=GROUP_SETTINGS[group])
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
