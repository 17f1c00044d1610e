"""The groups of pages a run measures, each served by its own gunicorn and measured in rounds."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from .common import REFERENCE_URLS, REFERENCES, BenchError, log
from .database import Target
from .editor import Editor
from .procfs import worker_rss_kib
from .report import describe_memory, fmt
from .server import Server, admin_login, fetch
from .traffic import new_searches_script, random_paths_script
from .wrk import Load, measure

# None: as `journal.settings` has it, whatever the shell says.
PRODUCTION = {"DJANGO_PAGE_CACHE_SECONDS": None, "DJANGO_KEEP_PER_GENERATION": None}
# How often the editor saves in the `editing` group, in seconds.
EDIT_EVERY = 2.0


@dataclass(frozen=True)
class Group:
    """A group of pages: what it measures and the settings its server runs with."""

    title: str
    settings: dict[str, str | None]
    # Reader traffic spread over many URLs, every run starting just after a save.
    traffic: bool = False


GROUPS = {
    "cold": Group(
        "Reader pages, rendered from scratch (page cache off, nothing kept per generation)",
        {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": "false"},
    ),
    "reader": Group(
        "Reader pages, rendered (page cache off, counts and fragments kept per generation)",
        {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": None},
    ),
    "cached": Group("Reader pages, from the page cache", PRODUCTION),
    "admin": Group(
        "Admin pages, logged in as a superuser",
        {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": None},
    ),
    "random": Group(
        "Random articles across the archive, and the record and list pages (settings as in "
        "production, every run just after a save)",
        PRODUCTION,
        traffic=True,
    ),
    "search": Group(
        "New searches: two words of the archive, no query asked twice (settings as in "
        "production, every run just after a save)",
        PRODUCTION,
        traffic=True,
    ),
    "random-uncached": Group(
        "Random articles across the archive, without the page cache (counts, rankings and "
        "fragments kept per generation; every run just after a save)",
        {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": None},
        traffic=True,
    ),
    "random-cold": Group(
        "Random articles across the archive, with nothing cached or kept per generation",
        {"DJANGO_PAGE_CACHE_SECONDS": "0", "DJANGO_KEEP_PER_GENERATION": "false"},
        traffic=True,
    ),
    "editing": Group(
        f"Random articles while an editor saves one every {EDIT_EVERY:g} s, against the same "
        "traffic without edits (settings as in production)",
        PRODUCTION,
        traffic=True,
    ),
}


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def group_loads(args, target: Target, described: dict, group: str) -> list[Load]:
    """The reference views, then what the group measures, in the order of every round."""
    loads = [Load(label, url) for label, url in REFERENCE_URLS.items()]
    if group in ("cold", "reader", "cached", "admin"):
        pages = described["admin"] if group == "admin" else described["reader"]
        return loads + [Load(label, url) for label, url in pages.items()]
    traffic = described["traffic"]
    if group == "search":
        script = target.work_dir / "wrk-new-searches.lua"
        script.write_text(new_searches_script(traffic["words"], threads=args.threads))
        words = len(traffic["words"])
        url = f"/en/search/?q=<two of {words} words, {words * (words - 1) // 2:,} pairs>"
        return [*loads, Load("search", url, script, after_save=True)]
    script = target.work_dir / "wrk-random-paths.lua"
    script.write_text(random_paths_script(traffic["paths"], threads=args.threads))
    pool = traffic["pool"]
    url = (
        f"{len(traffic['paths']):,} paths at random: {pool['articles']:,} articles, "
        f"{pool['countries']} countries, {pool['frameworks']} frameworks, "
        f"{pool['summits']} summits, {pool['lists']} lists"
    )
    loads.append(Load("random", url, script, after_save=True))
    if group == "editing":
        loads.append(
            Load("editing", url, script, after_save=True, edit_every=EDIT_EVERY, baseline="random")
        )
    return loads


def traffic_samples(described: dict, group: str) -> list[str]:
    """What is checked before a traffic group: every path but the articles, some of those."""
    traffic = described["traffic"]
    if group == "search":
        words = traffic["words"]
        return [f"/en/search/?q={words[i]}+{words[i + 1]}" for i in range(0, 6, 2)]
    articles = traffic["pool"]["articles"]
    paths = traffic["paths"]
    return paths[: articles : max(1, articles // 20)] + paths[articles:]


def check(server: Server, label: str, url: str, cookie: str | None) -> dict:
    status, body = fetch(server.base_url + url, cookie=cookie)
    if label == "hello" and body != b"Hello, world!":
        status = f"{status}, unexpected body"
    note = "" if status == 200 else "   <- not measured"
    log(f"  check {label:<24} HTTP {status}  {len(body):>9,} B  {url}{note}")
    return {"status": status, "bytes": len(body)}


def check_traffic(server: Server, load: Load, samples: list[str]) -> dict:
    """Fetch a sample of what a script asks for; one that does not answer 200 stops the load."""
    failed, sizes = [], []
    for path in samples:
        status, body = fetch(server.base_url + path)
        sizes.append(len(body))
        if status != 200:
            failed.append(f"{path} answers {status}")
    status = 200 if not failed else "; ".join(failed[:3])
    mean = round(statistics.mean(sizes)) if sizes else 0
    note = "" if status == 200 else "   <- not measured"
    log(f"  check {load.label:<24} {len(samples)} URLs: HTTP {status}  {mean:>9,} B a page{note}")
    return {"status": status, "bytes": mean, "checked": len(samples)}


def run_group(args, target: Target, described: dict, group: str, password: str) -> dict:
    """Serve, check and measure one group of pages; return its measurements and summary."""
    spec = GROUPS[group]
    loads = group_loads(args, target, described, group)
    server = Server(target, args, group=group, settings=spec.settings)
    log(f"\n{spec.title}: gunicorn on {server.base_url} ({args.workers} sync workers)")
    server.start()
    editor = None
    try:
        cookie = None
        if group == "admin":
            cookie = admin_login(server.base_url, described["admin_username"], password)
        checks = {}
        samples = traffic_samples(described, group) if spec.traffic else []
        for load in loads:
            if load.script:
                checks[load.label] = check_traffic(server, load, samples)
            else:
                checks[load.label] = check(server, load.label, load.url, cookie)
        measured = [load for load in loads if checks[load.label]["status"] == 200]
        # After every page has been served once: what the workers hold when warm.
        memory_before = worker_rss_kib(server.pids())
        for reference in REFERENCES:
            if checks[reference]["status"] != 200:
                raise BenchError(f"the reference view {reference} does not answer 200")
        if spec.traffic:
            editor = Editor(
                python=args.python, env=server.env, log_path=target.work_dir / "editor.log"
            )

        runs = []
        log(
            f"  {'round':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
            f"{'srv ms':>7} {'other':>5}  page"
        )
        for round_number in range(1, args.rounds + 1):
            for index, load in enumerate(measured):
                run = measure(
                    args,
                    server,
                    load,
                    cookie=cookie,
                    run_number=round_number * 100 + index,
                    editor=editor,
                )
                run.update(round=round_number, label=load.label, url=load.url)
                runs.append(run)
                extra = ""
                if "fresh" in run:
                    extra += f"  {run['fresh']:,} new URLs, {run['repeated']:,} asked again"
                if "saves" in run:
                    extra += f", {run['saves']} saves"
                log(
                    f"  {round_number:>5} {run['rps']:>9.1f} {fmt(run['p50_ms'], 8, 2)} "
                    f"{fmt(run['p99_ms'], 8, 2)} {run['errors']:>6} {fmt(run['srv_ms'], 7, 2)} "
                    f"{run['other_cores']:>5.2f}  {load.label}{extra}"
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
        if editor:
            editor.stop()
        server.stop()
    return {
        "group": group,
        "title": spec.title,
        "traffic": spec.traffic,
        "urls": {load.label: load.url for load in loads},
        "baselines": {load.label: load.baseline for load in loads if load.baseline},
        "checks": checks,
        "runs": runs,
        "memory": memory,
        "summary": summarise(loads, checks, runs),
    }


def summarise(loads: list[Load], checks: dict, runs: list[dict]) -> list[dict]:
    """A row per load: medians over rounds, and ratios paired round by round."""
    by_round = {(r["label"], r["round"]): r for r in runs}
    rounds = sorted({r["round"] for r in runs})
    rows = []
    for load in loads:
        label = load.label
        mine = [r for r in runs if r["label"] == label]
        row = {"label": label, "url": load.url, "status": checks[label]["status"]}
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
        if all("fresh" in r for r in mine):
            asked = sum(r["fresh"] + r["repeated"] for r in mine)
            row["fresh_share"] = sum(r["fresh"] for r in mine) / asked if asked else None
        if all("saves" in r for r in mine):
            row["saves"] = sum(r["saves"] for r in mine)
            row["late_saves"] = sum(r["late_saves"] for r in mine)
            row["editor_ms"] = median_or_none([r["editor_ms"] for r in mine])
        references = [*REFERENCES, *([load.baseline] if load.baseline else [])]
        for reference in references:
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
