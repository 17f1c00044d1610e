"""What logging in and adding a user cost the server: CPU and wall time per request, in-process.

    .venv/bin/python -m bench.login
    .venv/bin/python -m bench.login --repeat 20 --cprofile login
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/journal .venv/bin/python -m bench.login

It needs nothing built beforehand: it sets up a throwaway test database (SQLite
in memory, or `test_<name>` on the PostgreSQL server DATABASE_URL names, which
it drops at the end), and posts through Django's test client with the site's
own settings: its middleware, password hashers and validators, login
throttling (django-axes) and two-factor check (django-otp). Measured, each
`--repeat` times, median and worst:

- `login`: the admin's login form posted with the right password, by a member
  of the Editors group;
- `login, old hash`: the same by an account whose password was stored with
  Django's PBKDF2 hasher, as accounts made before Argon2 were: the password is
  checked with PBKDF2 and stored again with the site's hasher;
- `add user`: "Add user" saved by a superuser: a new account with a password
  the validators accept.

CPU is this process's time (the test client's own share is small); wall time
also counts waiting for the database. `--cprofile NAME` prints where one
measurement's time goes; `--queries` lists each request's queries.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable

PASSWORD = "a long benchmark passphrase"
MEASUREMENTS = ("login", "login, old hash", "add user")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="measured requests of each (9)")
    parser.add_argument("--cprofile", choices=MEASUREMENTS, help="profile one with cProfile")
    parser.add_argument("--queries", action="store_true", help="list each request's queries")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journal.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # WhiteNoise's note that static files were never collected: nothing here serves them.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        measure(args)
    finally:
        teardown_databases(databases, verbosity=0)
    return 0


def measure(args) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    login_url = f"/{settings.ADMIN_URL}login/"
    add_url = f"/{settings.ADMIN_URL}auth/user/add/"
    editors = Group.objects.get(name="Editors")
    old_hash = make_password(PASSWORD, hasher=PBKDF2PasswordHasher.algorithm)
    counter = iter(range(1_000_000))

    def editor(*, password_hash: str) -> str:
        user = User.objects.create(
            username=f"editor-{next(counter)}", password=password_hash, is_staff=True
        )
        user.groups.add(editors)
        return user.username

    def log_in(username: str) -> Callable[[], object]:
        client = Client()
        data = {"username": username, "password": PASSWORD, "next": f"/{settings.ADMIN_URL}"}
        return lambda: client.post(login_url, data)

    admin = Client()
    admin.force_login(User.objects.create_superuser("bench-desk", password=None))

    def add_user() -> Callable[[], object]:
        data = {
            "username": f"new-{next(counter)}",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        return lambda: admin.post(add_url, data)

    current = make_password(PASSWORD)
    prepare = {
        "login": lambda: log_in(editor(password_hash=current)),
        "login, old hash": lambda: log_in(editor(password_hash=old_hash)),
        "add user": add_user,
    }
    say(f"hasher: {get_hasher().algorithm}; {connection.vendor}; {args.repeat} requests each")
    say(f"{'':<16} {'status':>6} {'cpu ms':>8} {'worst':>7} {'wall ms':>8} {'queries':>7}")
    for name in MEASUREMENTS:
        prepare[name]()()  # a first request, to warm up
        cpu, wall = [], []
        for _ in range(args.repeat):
            request = prepare[name]()
            with CaptureQueriesContext(connection) as captured:
                started_cpu, started_wall = time.process_time(), time.perf_counter()
                response = request()
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started_wall) * 1000)
        # A login or a save answers with a redirect; 200 is the form again, with an error.
        say(
            f"{name:<16} {response.status_code:>6} {statistics.median(cpu):>8.1f} "
            f"{max(cpu):>7.1f} {statistics.median(wall):>8.1f} {len(captured):>7}"
        )
        if args.queries:
            for query in captured.captured_queries:
                say(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:200]}")
        if args.cprofile == name:
            request = prepare[name]()
            profile = cProfile.Profile()
            profile.runcall(request)
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    sys.exit(main())
