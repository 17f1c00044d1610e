"""The `bench/run` command: its options, then each database built, measured and reported."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .common import PROJECT, BenchError, log, now_iso
from .database import Target
from .groups import GROUPS, run_group
from .procfs import machine_info
from .report import print_summary, report

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

Traffic groups: what a journal's readers really ask for, with the settings as
in production (page cache on). Every run starts just after an editor's save
(a published article changed through the ORM, in a process of its own), so
nothing kept per content generation or in the page cache is left from before:
  random   every request a path at random (a wrk Lua script) from 2,000
           published articles spread over the archive (--random-articles),
           every country, framework and summit page, and list pages
  search   every request a search for two words of the archive's vocabulary,
           a pair no other request of the run asks for
  editing  the random traffic again, and the same while the editor saves an
           article every 2 s; "x without edits" compares the two, round by round
  random-uncached  the random traffic without the page cache: what caching
           whole pages earns, against `random`
  random-cold      the random traffic with nothing cached or kept per content
           generation: what the caching earns in all

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
  x template, CPU   (traffic groups) template's srv ms / the page's, paired by round
  new URLs     (traffic groups) the share of requests for a URL not asked for
               before in the run
  x without edits   (editing) req/s with the editor saving / req/s of the same
               traffic without; with CPU: srv ms without / srv ms with

Every step's output goes to <work dir>/bench.log; gunicorn's to <work dir>/gunicorn-*.log.
The run exits with status 1 when any URL had an error.
"""

EPILOG = """\
examples:
  bench/run --articles 1000 --rounds 1 --duration 3          quick check (SQLite)
  bench/run --database both --out docs/performance.md        the reference run
  bench/run --database postgres --reuse --pages admin        admin pages again, same DB
  bench/run --database both --reuse --pages random,search,editing --out docs/performance.md \
      --label "reader traffic"                               the traffic groups, both DBs
"""


# ---------------------------------------------------------------- helpers


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
    load.add_argument(
        "--random-articles",
        type=int,
        default=2000,
        metavar="N",
        help="published articles the random traffic spreads over, with the record and "
        "list pages (2000)",
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
    if args.articles < 1 or args.rounds < 1 or args.duration < 1 or args.random_articles < 1:
        parser.error("--articles, --random-articles, --rounds and --duration must be at least 1")
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
        target.catch_up()
    else:
        target.build()
    password = secrets.token_urlsafe(24)
    described = target.describe(password, random_articles=args.random_articles)
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
                "random_articles",
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
