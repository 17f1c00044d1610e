"""Browser tests: Chromium drives the site, served by a live server on a fresh test database.

`make e2e` runs them; `make test` does not collect this folder. Chromium is
the system's (Debian's `chromium` package), never a download; E2E_CHROMIUM
points at another binary.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import Page, sync_playwright

from summits import tagging

from .admin import PASSWORD, log_in
from .browser import Problems

# Playwright's synchronous API runs an asyncio loop in the test's thread, and
# Django then refuses ORM calls from it (fixtures, assertions on the database)
# as if they came from async code. They are synchronous all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# As root in a container: no sandbox, no GPU, /tmp rather than a small
# /dev/shm, and none of the browser's own traffic to the outside.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        raise pytest.UsageError(
            f"The browser tests need Chromium, and there is none at {CHROMIUM}. "
            "Install it with `apt-get install chromium` (Debian, Ubuntu), or set "
            "E2E_CHROMIUM to a Chromium or Chrome binary."
        )
    # An autocomplete paging through an unordered list skips or repeats rows.
    config.addinivalue_line(
        "filterwarnings", "error::django.core.paginator.UnorderedObjectListWarning"
    )
    # The live server serves static files from the apps' folders; WhiteNoise
    # finding no collected ones (a fresh checkout has no var/static/) is expected.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_collection_modifyitems(config, items):
    # The live server answers from other threads, so each test's data must be
    # committed: a transactional database, emptied after each test, with the
    # migrations' rows (the newsroom's groups) put back.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    # SQLite's test database is in memory by default, one connection that the
    # live server's threads would share, request by request. A file gives each
    # its own, as gunicorn's workers have.
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "e2e.sqlite3"
        )


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(browser, django_db_setup):
    # Inside Playwright's synchronous API the tests run in a context of their
    # own, and Django keeps one database connection per context. Starting the
    # browser first sets the test databases up on the connections the tests
    # use, with the snapshot that serialized_rollback restores.
    return django_db_setup


@pytest.fixture(autouse=True)
def _fresh_tagging():
    # The tag suggester keeps the record's names in memory; each test has its own record.
    tagging.clear_cache()


@pytest.fixture
def reference_data(transactional_db):
    """The 22 countries, 12 frameworks and 45 summits the site ships with."""
    call_command("load_reference_data", stdout=StringIO())


@pytest.fixture
def make_user(django_user_model):
    """A staff account in one of the newsroom's groups, with the password PASSWORD."""

    def make(name: str, group: str | None = None, **fields):
        user = django_user_model.objects.create_user(
            username=name, password=PASSWORD, is_staff=True, **fields
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def open_page(browser, live_server):
    """A new browser window on the live server: `open_page(user=None, width=1280, locale="en-GB")`.

    The browser's clock is in the journal's time zone unless `timezone_id` names another.

    Each window is a context of its own (its own cookies); given a user, it
    logs in through the admin's form first. Console errors, uncaught
    exceptions and CSP violations are collected; `open_page.problems(page)`
    returns them (`page_status=404` leaves out Chromium's note that the page
    itself answered 404), and any left unread fail the test at the end.
    """
    opened: list[tuple[Page, Problems]] = []

    def open_page(
        *,
        user=None,
        width: int = 1280,
        height: int = 900,
        locale: str = "en-GB",
        timezone_id: str | None = None,
    ) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale=locale,
            timezone_id=timezone_id or settings.TIME_ZONE,
        )
        context.set_default_timeout(10_000)
        watched = Problems()
        watched.attach(context)
        page = context.new_page()
        opened.append((page, watched))
        if user is not None:
            log_in(page, user.get_username())
        return page

    def problems(page: Page, *, page_status: int | None = None) -> list[str]:
        for candidate, watched in opened:
            if candidate.context is page.context:
                return watched.take(page_status=page_status)
        raise LookupError("not a page from open_page")

    open_page.problems = problems
    yield open_page
    left = [problem for page, watched in opened for problem in watched.take()]
    for page, _ in opened:
        page.context.close()
    assert not left, "The browser reported:\n" + "\n".join(left)
