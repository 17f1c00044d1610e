"""A reader's visit with the keyboard alone: the skip link, the order of focus, a focus
indicator on every stop, and each page reached by Tab and Enter, never by a click."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from journal.tests.factories import PublishedArticleFactory
from summits.models import Country, Framework, Summit

from .browser import focused, link_to, press_tab, tab_to

HEADER = [
    "Diplomacy Journal", "Articles", "Countries", "Frameworks", "Summits", "Contributors",
    "한국어", "English", "Русский",  # the language switcher
]  # fmt: skip


@pytest.fixture
def coverage(reference_data):
    kazakhstan = Country.objects.get(slug="kazakhstan")
    c5 = Framework.objects.get(slug="c5-plus-1")
    washington = Summit.objects.get(slug="c5-plus-1-2025-11-06-washington-d-c")
    recent = PublishedArticleFactory(
        title="Kazakhstan brings its transit corridor to the C5+1",
        slug="kazakhstan-brings-its-transit-corridor-to-the-c5-plus-1",
        countries=[kazakhstan],
        frameworks=[c5],
        summits=[washington],
    )
    PublishedArticleFactory(
        title="Kazakhstan at the first C5+1 leaders' summit",
        slug="kazakhstan-at-the-first-c5-plus-1-leaders-summit",
        publish_at=timezone.make_aware(datetime.datetime(2023, 9, 20, 12)),
        countries=[kazakhstan],
        frameworks=[c5],
    )
    PublishedArticleFactory(
        title="Kazakhstan and China sign a grain agreement",
        slug="kazakhstan-and-china-sign-a-grain-agreement",
        body="<p>Grain trains will leave Kostanay for Xi'an every day from spring.</p>",
        publish_at=timezone.now() - datetime.timedelta(hours=2),
        countries=[kazakhstan],
        frameworks=[Framework.objects.get(slug="china-central-asia")],
    )
    return recent, washington


def test_a_reader_with_only_a_keyboard(coverage, open_page):
    article, summit = coverage
    page = open_page()
    page.goto("/")

    # The skip link comes first, shows itself, and takes the focus to the content.
    assert press_tab(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('#')[0]}#main")
    assert page.evaluate("document.activeElement.id") == "main"
    reached = press_tab(page)
    assert in_main(page), f"Tab after the skip link reached {reached}"

    # Backwards from the content: the header's search, then its links, in order.
    assert press_tab(page, backwards=True)["text"] == "Search"
    assert press_tab(page, backwards=True)["id"] == "site-search-q"
    stops = [press_tab(page, backwards=True)["text"] for _ in HEADER]
    assert stops == HEADER[::-1]

    # The countries, then Kazakhstan.
    tab_to(page, link_to("Countries"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Countries")
    tab_to(page, link_to("Kazakhstan"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan")

    # Its coverage, filtered by framework and year.
    tab_to(page, lambda element: element["name"] == "framework")
    choose_with_arrows(page, "c5-plus-1")
    year = timezone.localtime(article.publish_at).year
    tab_to(page, lambda element: element["name"] == "year")
    page.keyboard.type(str(year))
    tab_to(page, lambda element: element["tag"] == "button" and element["text"] == "Filter")
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(rf"/en/countries/kazakhstan/\?framework=c5-plus-1&.*year={year}")
    )
    coverage_list = page.locator("section[aria-labelledby=articles-title]")
    expect(coverage_list.get_by_role("heading", level=3)).to_have_text([article.title])

    # The article, then its summit through the tag.
    tab_to(page, link_to(article.title))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    tab_to(page, link_to(summit.title))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(summit.title)

    # A word in the header's search box.
    tab_to(page, lambda element: element["id"] == "site-search-q")
    page.keyboard.type("grain")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=3)).to_have_text(
        ["Kazakhstan and China sign a grain agreement"]
    )

    # A misspelt country in the search page's own box.
    tab_to(page, lambda element: element["id"] == "search-q")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Kazahstan")
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_contain_text(
        "Nothing matched “Kazahstan”. Showing results for Kazakhstan."
    )
    # Past the corrected search, to the country's own page.
    tab_to(page, lambda element: element["href"] == "/en/countries/kazakhstan/")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakhstan")


def in_main(page: Page) -> bool:
    return page.evaluate("document.querySelector('main').contains(document.activeElement)")


def choose_with_arrows(page: Page, value: str, *, limit: int = 40) -> None:
    """Move a focused <select> down, option by option, to `value`."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value!r} in {focused(page)}")
