"""The three languages in a browser: the switcher by keyboard, and the offer of the reader's own."""

import re

from playwright.sync_api import expect

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
