"""The three languages in a browser: the switcher by keyboard, and the offer of the reader's own."""

import re

import pytest
from playwright.sync_api import expect

from journal.tests.factories import PublishedArticleFactory
from summits.models import Country

from .browser import link_to, tab_to


def test_the_switcher_keeps_the_page_and_is_reached_by_keyboard(reference_data, open_page):
    page = open_page()
    page.goto("/en/countries/kazakhstan/")
    tab_to(page, link_to("Русский"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ru/countries/kazakhstan/$"))
    expect(page.locator("h1")).to_have_text("Казахстан")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # The choice is remembered: the bare address now opens in Russian.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/ru/$"))


def test_a_korean_browser_is_offered_the_korean_page(reference_data, open_page):
    page = open_page(locale="ko-KR")
    page.goto("/en/countries/kazakhstan/")
    offer = page.locator(".language-offer")
    expect(offer).to_be_visible()
    expect(offer).to_have_attribute("lang", "ko")
    expect(offer.get_by_role("link")).to_have_text("이 페이지를 한국어로 보기")
    offer.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/ko/countries/kazakhstan/$"))
    expect(page.locator("h1")).to_have_text("카자흐스탄")
    expect(page.locator(".language-offer")).to_have_count(0)  # already in Korean


def test_declining_the_offer_keeps_it_away(reference_data, open_page):
    page = open_page(locale="ru-RU")
    page.goto("/en/frameworks/")
    offer = page.locator(".language-offer")
    expect(offer.get_by_role("link")).to_have_text("Открыть эту страницу на русском")
    offer.get_by_role("button", name="Закрыть").click()
    expect(offer).to_have_count(0)
    page.goto("/en/summits/")
    expect(page.locator(".language-offer")).to_have_count(0)
    # Declining chose English: the bare address stays in English.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/en/$"))


def test_an_english_browser_is_offered_nothing(reference_data, open_page):
    page = open_page()
    page.goto("/en/")
    expect(page.locator(".language-offer")).to_have_count(0)
    page.goto("/ko/")
    # A Korean page for an English browser: the offer is in English.
    expect(page.locator(".language-offer").get_by_role("link")).to_have_text(
        "Read this page in English"
    )


@pytest.mark.parametrize(
    ("language", "countries", "kazakhstan", "title", "body", "query", "marked"),
    [
        (
            "ko",
            "국가",
            "카자흐스탄",
            "카자흐스탄, 새 철도회랑 제안",
            "<p>카자흐스탄 정부는 카스피해를 건너는 철도회랑을 제안했다.</p>",
            "회랑",  # inside the compound "철도회랑"
            "회랑",
        ),
        (
            "ru",
            "Страны",
            "Казахстан",
            "Казахстан предлагает новый коридор",
            "<p>Правительство Казахстана предложило железнодорожные коридоры через Каспий.</p>",
            "коридоры",  # finds "коридор" in the headline and "коридоры" in the text
            "коридоры",
        ),
    ],
)
def test_a_reader_walks_the_site_in_korean_and_russian(
    reference_data, open_page, language, countries, kazakhstan, title, body, query, marked
):
    PublishedArticleFactory(
        title=title,
        slug="corridor",
        language=language,
        body=body,
        countries=[Country.objects.get(slug="kazakhstan")],
    )
    page = open_page()
    page.goto(f"/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    tab_to(page, link_to(countries))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(countries)
    tab_to(page, link_to(kazakhstan))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(kazakhstan)
    tab_to(page, link_to(title))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # A word as readers of the language type it, in the header's search box.
    tab_to(page, lambda element: element["id"] == "site-search-q")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=3)).to_have_text([title])
    expect(page.locator(".card-snippet mark").first).to_have_text(marked)
