"""Two app servers as production runs them: what is done through one, the other shows at once.

Nodes A and B (conftest.py) share one PostgreSQL database, one Redis and one
S3 bucket, and nothing else: each has its own var folder, port, gunicorn
master and control socket. An editor works A's admin over HTTP; readers ask B.
The tests run in this order, on one cluster, and the last one stops A.
"""

import html
import io
import re
import signal
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests
from PIL import Image, ImageDraw

from journal.tests.object_storage import MEDIA_PREFIX, fetch

from .cluster import (
    EDITOR,
    LOCKED_OUT,
    LOGIN_FAILURE_LIMIT,
    PASSWORD,
    Editor,
    Wrk,
    accept_queue,
    fill,
    mix_script,
    refuses_connections,
    report,
)

pytestmark = [pytest.mark.slow, pytest.mark.external]

TITLE = "Caspian ferry pact signed in Aktau"
SLUG = "caspian-ferry-pact-signed-in-aktau"
ARTICLE = f"/en/articles/{SLUG}/"
ADD_ARTICLE = "/admin/journal/article/add/"
# Reader lists the new article appears on.
LISTS = ["/en/", "/en/articles/"]
HERO_WIDTH, HERO_HEIGHT = 1600, 900

# wrk's load: 64 connections in all, half on each node.
CONNECTIONS_PER_NODE = 32
LOAD_SECONDS = 10
WARM_UP_SECONDS = 3
# Stopping A: when, after wrk started; how long wrk keeps trying A once it is down.
STOP_AFTER_SECONDS = 3
REFUSED_FOR_SECONDS = 1


def hero_jpeg() -> bytes:
    """A photograph-like JPEG: bands of colour and a few shapes."""
    image = Image.new("RGB", (HERO_WIDTH, HERO_HEIGHT), (30, 80, 130))
    draw = ImageDraw.Draw(image)
    for top in range(0, HERO_HEIGHT, 60):
        draw.rectangle((0, top, HERO_WIDTH, top + 30), fill=(40 + top // 8, 90, 120))
    draw.ellipse((500, 200, 1100, 700), fill=(220, 180, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def from_cache(response: requests.Response) -> bool:
    # Django's cache middleware gives a page it replays an Age.
    return "Age" in response.headers


def hero_renditions(page: str) -> dict[str, int]:
    """The addresses in the hero picture's srcsets on an article page, with their widths."""
    figure = re.search(r'<figure class="hero">(.*?)</figure>', page, re.DOTALL)
    assert figure, "the article page shows no hero image"
    found = {}
    for srcset in re.findall(r'srcset="([^"]+)"', figure.group(1)):
        for candidate in html.unescape(srcset).split(","):
            address, width = candidate.split()
            found[address] = int(width.removesuffix("w"))
    return found


def original_address(page: str) -> str:
    match = re.search(r'<meta property="og:image" content="([^"]+)"', page)
    assert match, "the article page names no og:image"
    return html.unescape(match.group(1))


def check_images(addresses: dict[str, int], *, under: str) -> None:
    """Each address is under `under` and answers anyone with an image of its width."""
    formats = set()
    for address, width in addresses.items():
        assert address.startswith(under), address
        status, body, content_type = fetch(address)
        assert status == 200, (address, status)
        assert content_type.startswith("image/"), (address, content_type)
        picture = Image.open(io.BytesIO(body))
        assert picture.width == width, (address, picture.size)
        formats.add(picture.format)
    assert formats == {"WEBP", "JPEG"}, formats


@dataclass
class Publication:
    """B's reader pages just before and just after an editor published an article through A."""

    before: dict[str, requests.Response]
    saved: requests.Response
    # The admin page the editor lands on after saving.
    confirmation: str
    after: dict[str, requests.Response]


@pytest.fixture(scope="module")
def publication(cluster):
    a, b = cluster.a, cluster.b
    before = {}
    for path in LISTS:
        b.get(path)  # rendered once, and kept in the shared page cache
        before[path] = b.get(path)
    before[ARTICLE] = b.get(ARTICLE)

    editor = Editor(a, EDITOR, PASSWORD)
    assert editor.log_in().status_code == 302
    form = editor.form(ADD_ARTICLE, "article_form")
    data = fill(
        form,
        {
            "title": TITLE,
            "slug": SLUG,
            "language": "en",
            "standfirst": "Kazakhstan and Azerbaijan agree a timetable for Caspian ferries.",
            "body": "<p>The ministers signed the pact in the port of Aktau on Tuesday.</p>",
            "countries": [cluster.country],
            "hero_alt": "A ferry at the quay in Aktau at dusk",
            "hero_caption": "The port of Aktau",
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-order": "0",
            "bylines-0-contributor": cluster.contributor,
            "bylines-0-role": "author",
            # The button under the form that saves and publishes.
            "workflow_step": "publish",
        },
    )
    saved = editor.post(
        ADD_ARTICLE, data, files={"hero_image": ("aktau.jpg", hero_jpeg(), "image/jpeg")}
    )
    after = {path: b.get(path) for path in [*LISTS, ARTICLE]}
    confirmation = editor.get(saved.headers["Location"]).text if saved.is_redirect else ""
    return Publication(before=before, saved=saved, confirmation=confirmation, after=after)


def test_an_article_published_through_a_is_on_b_at_once(cluster, publication):
    saved = publication.saved
    assert saved.status_code == 302, saved.text[-3000:]
    assert f"“{TITLE}” was published." in publication.confirmation

    for path in LISTS:
        page = publication.before[path]
        assert page.status_code == 200, path
        # B had the list in the page cache, without the article.
        assert from_cache(page), path
        assert TITLE not in page.text
    assert publication.before[ARTICLE].status_code == 404

    for path in LISTS:
        page = publication.after[path]
        assert page.status_code == 200, path
        # Rendered again: the publication through A ended the generation B's page was kept under.
        assert not from_cache(page), path
        assert TITLE in page.text and f'href="{ARTICLE}"' in page.text, path
    article = publication.after[ARTICLE]
    assert article.status_code == 200
    assert TITLE in article.text


def test_an_image_uploaded_through_a_is_served_with_its_renditions_by_b(cluster, publication):
    page = publication.after[ARTICLE].text
    buckets = cluster.buckets
    media_address = f"{cluster.s3.endpoint}/{buckets.media}/{MEDIA_PREFIX}/"

    renditions = hero_renditions(page)
    assert sorted(set(renditions.values())) == [320, 640, 960, 1280, 1600]
    check_images(renditions, under=f"{media_address}renditions/")

    original = original_address(page)
    assert original.startswith(media_address)
    status, body, content_type = fetch(original)
    assert status == 200 and content_type == "image/jpeg"
    assert Image.open(io.BytesIO(body)).size == (HERO_WIDTH, HERO_HEIGHT)
    # An old body's address on the site itself: B sends the reader to the bucket.
    name = original.removeprefix(media_address)
    redirect = cluster.b.get(f"/media/{name}")
    assert redirect.status_code in (301, 302) and redirect.headers["Location"] == original

    # All of it in the bucket, none of it on either node's disk.
    assert f"{MEDIA_PREFIX}/{name}" in buckets.keys(buckets.media)
    for node in (cluster.a, cluster.b):
        assert not [path for path in (node.var_dir / "media").rglob("*") if path.is_file()]


def test_a_login_locked_out_on_a_is_refused_on_b(cluster):
    wrong = [Editor(cluster.a, LOCKED_OUT, "not the password").log_in().status_code]
    while wrong[-1] != 429:
        assert len(wrong) <= LOGIN_FAILURE_LIMIT, wrong
        wrong.append(Editor(cluster.a, LOCKED_OUT, "not the password").log_in().status_code)
    # Refused with the form's error until the limit, then paused.
    assert wrong == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429], wrong

    refused = Editor(cluster.b, LOCKED_OUT, PASSWORD).log_in()
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.text
    # Only that account, from that address: the other editor still logs in on B.
    assert Editor(cluster.b, EDITOR, PASSWORD).log_in().status_code == 302


def test_a_backup_made_on_a_restores_on_a_fresh_node(cluster, publication):
    made = cluster.a.manage("backup")
    # A node built from nothing: its own empty database, var folder and media
    # bucket, its own cache; only the backup bucket and the secret key are shared.
    buckets = type(cluster.buckets).make(cluster.s3)
    c = cluster.node(
        "c",
        DATABASE_URL=cluster.database_of_its_own("c").url,
        DJANGO_MEDIA_STORAGE=buckets.media_url,
        DJANGO_CACHE_URL=None,
        GUNICORN_WORKERS="1",
    )
    c.manage("migrate", "--noinput", "--verbosity", "0")
    archives = c.manage("restore", "--list").split()
    name = next(word for word in reversed(archives) if word.startswith("journal-"))
    assert name in made, made
    c.manage("restore", name)
    c.start()
    c.wait_ready()

    home = c.get("/en/")
    assert home.status_code == 200 and TITLE in home.text
    page = c.get(ARTICLE)
    assert page.status_code == 200 and TITLE in page.text
    media_address = f"{cluster.s3.endpoint}/{buckets.media}/{MEDIA_PREFIX}/"
    check_images(hero_renditions(page.text), under=f"{media_address}renditions/")
    assert original_address(page.text).startswith(media_address)
    # The accounts came along: the editor logs in on C with the same password.
    assert Editor(c, EDITOR, PASSWORD).log_in().status_code == 302


@pytest.fixture(scope="module")
def load_script(cluster, publication):
    """The load test's weighted mix of reader pages (bench/load), the new article among them."""
    urls = cluster.a.load_urls()
    urls["home"] = ["/en/", "/ko/", "/ru/", "/en/articles/"]
    assert ARTICLE in urls["article"]
    return mix_script(urls, cluster.root / "mix.lua")


def describe(node: str, figures: dict) -> str:
    socket = ", ".join(f"{kind} {count}" for kind, count in figures["socket"].items())
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(figures["statuses"].items()) if v)
    return (
        f"node {node}: {figures['requests']} requests, {figures['rps']:.0f} req/s, "
        f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms; "
        f"responses {statuses}; socket errors: {socket}"
    )


def errors(figures: dict) -> int:
    """Requests that failed: socket errors, and answers other than 2xx and 3xx."""
    failed = figures["statuses"].get("4xx", 0) + figures["statuses"].get("5xx", 0)
    return sum(figures["socket"].values()) + failed


def load_both(cluster, script, seconds: int) -> dict[str, dict]:
    """wrk on A and on B at once, for `seconds`: each one's figures."""
    runs = {
        name: Wrk(node, script, connections=CONNECTIONS_PER_NODE, seconds=seconds)
        for name, node in (("A", cluster.a), ("B", cluster.b))
    }
    try:
        return {name: run.result() for name, run in runs.items()}
    finally:
        for run in runs.values():
            run.stop()


def test_both_nodes_serve_the_load_without_an_error(cluster, load_script):
    # Uncounted, as in bench/load: each worker renders the pages it has not seen yet.
    warm_up = load_both(cluster, load_script, WARM_UP_SECONDS)
    results = load_both(cluster, load_script, LOAD_SECONDS)

    report(
        f"Under wrk, {2 * CONNECTIONS_PER_NODE} connections ({CONNECTIONS_PER_NODE} a node) "
        f"for {LOAD_SECONDS} s, after {WARM_UP_SECONDS} s of warm-up:"
    )
    for name, figures in results.items():
        report("  " + describe(name, figures))
    for figures in [*warm_up.values(), *results.values()]:
        assert figures["requests"] > 0, figures["output"]
        assert errors(figures) == 0, figures["output"]


def test_stopping_a_node_under_load_fails_only_requests_it_never_started(cluster, load_script):
    """SIGTERM to A's master while wrk holds connections to both nodes.

    A's workers finish the requests they hold and exit; from then on A
    refuses connections. The connections waiting in A's listen queue at that
    moment, whose requests no worker had taken, are reset: a load balancer
    must send those to B as it does refused ones (README: Proving it: two
    nodes). B answers everything.
    """
    a, b = cluster.a, cluster.b
    seconds = LOAD_SECONDS + STOP_AFTER_SECONDS
    on_a = Wrk(a, load_script, connections=CONNECTIONS_PER_NODE, seconds=seconds)
    on_b = Wrk(b, load_script, connections=CONNECTIONS_PER_NODE, seconds=seconds)
    try:
        time.sleep(STOP_AFTER_SECONDS)
        waiting = accept_queue(a.port)
        stopped_at = datetime.now(UTC)
        a.process.send_signal(signal.SIGTERM)
        exit_code = a.process.wait(timeout=60)
        assert refuses_connections(a.port), "A still accepts connections after it stopped"
        # What a load balancer meets until it takes A out of its pool.
        time.sleep(REFUSED_FOR_SECONDS)
        on_a.interrupt()
        figures_a = on_a.result()
        figures_b = on_b.result()
    finally:
        on_a.stop()
        on_b.stop()
    health_b = b.health()

    entries = [
        entry for entry in a.log_entries() if datetime.fromisoformat(entry["time"]) >= stopped_at
    ]
    finished = [entry for entry in entries if entry.get("logger") == "gunicorn.access"]
    exits = [
        datetime.fromisoformat(entry["time"])
        for entry in entries
        if entry.get("message", "").startswith("Worker exiting")
    ]
    problems = [
        entry["message"]
        for entry in entries
        if entry.get("level") in ("ERROR", "CRITICAL") or "SIGKILL" in entry.get("message", "")
    ]
    socket_a = figures_a["socket"]
    report(
        f"Node A sent SIGTERM after {STOP_AFTER_SECONDS} s of the same load, with {waiting} "
        f"connections waiting in its listen queue; wrk kept trying A until "
        f"{REFUSED_FOR_SECONDS} s after its master exited:"
    )
    workers_done = max(exits, default=stopped_at) - stopped_at
    report(
        f"  A finished {len(finished)} requests after the signal (statuses "
        f"{', '.join(sorted({str(entry['status']) for entry in finished})) or 'none'}); "
        f"its {len(exits)} workers had exited {workers_done.total_seconds():.2f} s after it"
    )
    report(
        f"  A's failures: {socket_a['read']} requests reset unanswered in its listen queue, "
        f"{socket_a['write'] + socket_a['connect']} connection attempts refused, "
        f"{socket_a['timeout']} timeouts, "
        f"{figures_a['statuses'].get('5xx', 0)} 5xx"
    )
    report("  " + describe("A", figures_a))
    report("  " + describe("B", figures_b))

    assert exit_code == 0, a.output()
    assert len(exits) == int(cluster.env["GUNICORN_WORKERS"]), a.output()
    # Every request a worker took, it answered: no 5xx, nothing killed, no timeout.
    assert not problems, problems
    assert all(entry["status"] < 500 for entry in finished), finished
    assert figures_a["statuses"].get("5xx", 0) == figures_a["statuses"].get("4xx", 0) == 0
    assert socket_a["timeout"] == 0, figures_a["output"]
    # Refused connections show in wrk as connect or write errors (it learns of
    # the refusal when it writes); resets, as read errors: at most one for
    # each connection wrk held to A, all at the moment A closed.
    assert socket_a["write"] + socket_a["connect"] > 0, figures_a["output"]
    assert socket_a["read"] <= CONNECTIONS_PER_NODE, figures_a["output"]
    # B did not notice.
    assert figures_b["requests"] > 0
    assert errors(figures_b) == 0, figures_b["output"]
    assert health_b == 200
