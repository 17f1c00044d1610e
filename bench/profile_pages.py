"""Where a page's time goes: CPU time and queries per page, in-process, on a built database.

`bench/run` measures pages under gunicorn and wrk; this renders them through
Django's test client in one process, which is quicker to run and shows the
queries:

    DJANGO_VAR_DIR=var/bench/sqlite-100000 .venv/bin/python -m bench.profile_pages
    DJANGO_VAR_DIR=var/bench/postgres-100000 \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/journal_bench_100000 \\
        .venv/bin/python -m bench.profile_pages --cold home search
    ... -m bench.profile_pages --queries article      # each query, with its time
    ... -m bench.profile_pages --cprofile article     # the functions that cost most

Each page is requested once to warm up, then `--repeat` times; the median CPU
time is printed with the number of queries and their time. `--cold` keeps
nothing per content generation (DJANGO_KEEP_PER_GENERATION=false): what the
first request after a change costs. The page cache is always off. On SQLite
a query's time leaves out reading its rows, which happens as they are fetched.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from contextlib import redirect_stdout


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names (default: every reader page)")
    parser.add_argument("--admin", action="store_true", help="the admin pages too")
    parser.add_argument("--repeat", type=int, default=9, help="measured requests per page (9)")
    parser.add_argument("--cold", action="store_true", help="keep nothing per generation")
    parser.add_argument("--queries", action="store_true", help="list each page's queries")
    parser.add_argument("--cprofile", metavar="PAGE", help="profile PAGE with cProfile")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    os.environ["DJANGO_KEEP_PER_GENERATION"] = "false" if args.cold else "true"
    # Not the password `bench/run` gave the bench account: a run may be going on.
    os.environ.pop("BENCH_ADMIN_PASSWORD", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.prepare import BENCH_USERNAME, _bench_user, targets

    User = get_user_model()

    with redirect_stdout(io.StringIO()):
        described = targets()
    urls = {"hello": "/bench/hello/", "template": "/bench/template/", **described["reader"]}
    if args.admin or any(page.startswith("admin") for page in args.pages):
        urls.update(described["admin"])
    names = args.pages or list(urls)
    unknown = sorted(set(names) - set(urls))
    if unknown:
        parser.error(f"unknown pages: {', '.join(unknown)}; known: {', '.join(urls)}")

    reader = Client(HTTP_HOST="127.0.0.1")
    admin = Client(HTTP_HOST="127.0.0.1")
    user = User.objects.filter(username=BENCH_USERNAME).first() or _bench_user(
        secrets.token_urlsafe(24)
    )
    admin.force_login(user)

    say(f"{'page':<24} {'status':>6} {'cpu ms':>8} {'queries':>7} {'sql ms':>7} {'bytes':>8}")
    for name in names:
        client = admin if name.startswith("admin") else reader
        url = urls[name]
        client.get(url)
        cpu = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                response = client.get(url)
                cpu.append((time.process_time() - started) * 1000)
        sql_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        say(
            f"{name:<24} {response.status_code:>6} {statistics.median(cpu):>8.1f} "
            f"{len(captured):>7} {sql_ms:>7.1f} {len(response.content):>8}"
        )
        if args.queries:
            for query in captured.captured_queries:
                say(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        if args.cprofile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeat):
                client.get(url)
            profile.disable()
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
