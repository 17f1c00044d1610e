"""The reader site in Korean, English and Russian: addresses, the switcher, names, dates."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from journal.tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(world):
    """The record's names in Korean and Russian, as the desk enters them."""
    world.kz.name_ko, world.kz.name_ru = "카자흐스탄", "Казахстан"
    world.kz.save()
    world.c5.short_name_ko, world.c5.short_name_ru = "C5+1", "С5+1"
    world.c5.name_ko = "C5+1 (중앙아시아-미국)"
    world.c5.save()
    world.summit.title_ko = "C5+1 정상회의, 뉴욕"
    world.summit.title_ru = "Саммит С5+1 в Нью-Йорке"
    world.summit.save()
    world.article = PublishedArticleFactory(
        title="Astana hosts the ministers",
        slug="astana-hosts",
        publish_at=timezone.make_aware(datetime.datetime(2025, 11, 6, 10, 0)),
        countries=[world.kz],
        frameworks=[world.c5],
        summits=[world.summit],
        authors=[world.aigerim],
    )
    return world


def in_language(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


# Addresses ------------------------------------------------------------------


def test_every_reader_page_has_an_address_per_language(named):
    assert in_language("ko", "journal:country_detail", slug="kazakhstan") == (
        "/ko/countries/kazakhstan/"
    )
    assert in_language("ru", "journal:article_list") == "/ru/articles/"
    assert in_language("en", "journal:home") == "/en/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/articles/", "/en/articles/"),
        ("/articles/?country=kazakhstan&page=2", "/en/articles/?country=kazakhstan&page=2"),
        ("/countries/kazakhstan", "/en/countries/kazakhstan/"),
        ("/feeds/rss/", "/en/feeds/rss/"),
    ],
)
def test_the_english_only_sites_addresses_move_permanently(client, named, old, new):
    # Whatever the browser prefers: a permanent redirect is kept by browsers
    # and search engines, so it cannot depend on who asked first.
    response = client.get(old, headers={"accept-language": "ko"})
    assert response.status_code == 301
    assert response["Location"] == new
    assert "Accept-Language" not in response.get("Vary", "")


def test_old_addresses_go_to_the_configured_default_language(client, named, settings):
    settings.LANGUAGE_CODE = "ko"
    response = client.get("/countries/kazakhstan/")
    assert (response.status_code, response["Location"]) == (301, "/ko/countries/kazakhstan/")


def test_the_bare_home_page_follows_the_browser_then_the_readers_choice(client, named):
    response = client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert (response.status_code, response["Location"]) == (302, "/ru/")
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}

    response = client.get("/", headers={"accept-language": "de-DE,de;q=0.9"})
    assert response["Location"] == "/en/"  # a language the journal lacks: the default

    client.cookies["journal_language"] = "ko"  # set by the switcher
    response = client.get("/", headers={"accept-language": "ru"})
    assert response["Location"] == "/ko/"


def test_unknown_addresses_stay_not_found(client, named):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/ko/no-such-page/").status_code == 404
    assert client.get("/de/articles/").status_code == 404


def test_robots_and_sitemaps_stay_at_the_root(client, named):
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200


# The page in each language ----------------------------------------------------


def links(html: str, css_class: str) -> list[tuple[str, str, bool]]:
    """(hreflang, href, current) of each link in the `<nav class=css_class>`."""
    nav = re.search(rf'<nav class="{css_class}".*?</nav>', html, re.S).group(0)
    return [
        (hreflang, href, "aria-current" in tag)
        for tag, href, hreflang in re.findall(r'(<a href="([^"]+)" hreflang="(\w+)"[^>]*>)', nav)
    ]


def test_the_switcher_keeps_the_reader_on_the_same_page(client, named):
    page = client.get("/ko/countries/kazakhstan/?section=news").text
    assert links(page, "language-switcher") == [
        ("ko", "/ko/countries/kazakhstan/?section=news", True),
        ("en", "/en/countries/kazakhstan/?section=news", False),
        ("ru", "/ru/countries/kazakhstan/?section=news", False),
    ]
    # Each language names itself.
    assert ">한국어</a>" in page and ">English</a>" in page and ">Русский</a>" in page


def test_each_page_names_its_versions_for_search_engines(client, named):
    page = client.get("/ru/frameworks/c5-plus-1/").text
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', page))
    assert alternates == {
        "ko": "http://testserver/ko/frameworks/c5-plus-1/",
        "en": "http://testserver/en/frameworks/c5-plus-1/",
        "x-default": "http://testserver/en/frameworks/c5-plus-1/",
        "ru": "http://testserver/ru/frameworks/c5-plus-1/",
    }


@pytest.mark.parametrize(
    ("language", "html_lang", "country", "nav", "date"),
    [
        ("ko", "ko", "카자흐스탄", "국가", "2025년 11월 6일"),
        ("en", "en", "Kazakhstan", "Countries", "6 November 2025"),
        ("ru", "ru", "Казахстан", "Страны", "6 ноября 2025 г."),
    ],
)
def test_pages_speak_the_readers_language(client, named, language, html_lang, country, nav, date):
    response = client.get(f"/{language}/articles/astana-hosts/")
    page = response.text
    assert response["Content-Language"] == language
    assert f'<html lang="{html_lang}"' in page
    assert f">{nav}</a>" in page  # the interface
    assert f">{country}</a>" in page  # the record's names, on the article's tags
    assert date in page  # the date as the language writes it

    country_page = client.get(f"/{language}/countries/kazakhstan/").text
    assert f"<h1>{country}</h1>" in country_page


def test_a_name_not_yet_translated_shows_in_english(client, named):
    named.kz.name_ru = ""
    named.kz.save()
    page = client.get("/ru/countries/kazakhstan/").text
    assert "<h1>Kazakhstan</h1>" in page


def test_kept_fragments_are_kept_per_language(client, named):
    # The article page and the country page keep fragments per generation;
    # the first language to render them must not decide the others'.
    for language, country, date in [
        ("en", "Kazakhstan", "6 November 2025"),
        ("ko", "카자흐스탄", "2025년 11월 6일"),
        ("ru", "Казахстан", "6 ноября 2025 г."),
    ]:
        assert f">{country}</a>" in client.get(f"/{language}/articles/astana-hosts/").text
        assert date in client.get(f"/{language}/articles/").text  # the cards
    summit_list = client.get("/ko/summits/").text
    assert "C5+1 정상회의, 뉴욕" in summit_list


def test_cached_pages_are_kept_per_language(client, named, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    first = client.get("/ru/countries/kazakhstan/")
    second = client.get("/ru/countries/kazakhstan/")
    english = client.get("/en/countries/kazakhstan/")
    assert "<h1>Казахстан</h1>" in first.text and "<h1>Казахстан</h1>" in second.text
    assert "<h1>Kazakhstan</h1>" in english.text


# Articles in each language, and their translations ------------------------------


@pytest.fixture
def paired(named):
    """The English article, its Korean translation (same slug), and a Russian-only piece."""
    named.korean = PublishedArticleFactory(
        title="아스타나에서 외교장관 회의",
        slug="astana-hosts",
        language="ko",
        translation_of=named.article,
        countries=[named.kz],
        authors=[named.aigerim],
    )
    named.russian = PublishedArticleFactory(
        title="Министры встретились в Астане",
        slug="министры-встретились-в-астане",
        language="ru",
        countries=[named.kz],
    )
    return named


def test_an_article_lives_under_its_own_languages_address(paired):
    assert paired.article.get_absolute_url() == "/en/articles/astana-hosts/"
    assert paired.korean.get_absolute_url() == "/ko/articles/astana-hosts/"
    # Cyrillic stays readable: the browser shows it decoded.
    assert paired.russian.get_absolute_url() == (
        "/ru/articles/%D0%BC%D0%B8%D0%BD%D0%B8%D1%81%D1%82%D1%80%D1%8B-%D0%B2%D1%81%D1%82%D1%80"
        "%D0%B5%D1%82%D0%B8%D0%BB%D0%B8%D1%81%D1%8C-%D0%B2-%D0%B0%D1%81%D1%82%D0%B0%D0%BD%D0%B5/"
    )


def test_a_slug_names_one_article_per_language(client, paired):
    assert "아스타나에서 외교장관 회의" in client.get("/ko/articles/astana-hosts/").text
    assert "Astana hosts the ministers" in client.get("/en/articles/astana-hosts/").text
    # Under a language without its own article of that slug: the default language's.
    page = client.get("/ru/articles/astana-hosts/").text
    assert "Astana hosts the ministers" in page
    assert '<link rel="canonical" href="http://testserver/en/articles/astana-hosts/">' in page
    assert '<h1 lang="en">Astana hosts the ministers</h1>' in page  # read as English
    russian = client.get(paired.russian.get_absolute_url())
    assert russian.status_code == 200 and "Министры встретились в Астане" in russian.text


def test_readers_are_offered_the_translation(client, paired):
    page = client.get("/en/articles/astana-hosts/").text
    assert re.search(
        r'<p class="also-in">Also in <a href="/ko/articles/astana-hosts/" hreflang="ko" '
        r'lang="ko">한국어</a></p>',
        page,
    )
    assert links(page, "language-switcher") == [
        ("ko", "/ko/articles/astana-hosts/", False),
        ("en", "/en/articles/astana-hosts/", True),
        ("ru", "/ru/articles/astana-hosts/", False),  # this article, with a Russian interface
    ]
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', page))
    # Only real translations are alternates for search engines.
    assert alternates == {
        "ko": "http://testserver/ko/articles/astana-hosts/",
        "en": "http://testserver/en/articles/astana-hosts/",
        "x-default": "http://testserver/en/articles/astana-hosts/",
    }
    korean = client.get("/ko/articles/astana-hosts/").text
    assert 'href="/en/articles/astana-hosts/" hreflang="en" lang="en">English</a>' in korean


def test_an_unpublished_translation_is_not_offered(client, paired):
    paired.korean.status = paired.korean.Status.DRAFT
    paired.korean.save()
    page = client.get("/en/articles/astana-hosts/").text
    assert "also-in" not in page
    assert 'hreflang="ko" href=' not in page


def test_lists_mark_articles_in_other_languages(client, paired):
    page = client.get("/ko/articles/").text
    cards = re.findall(r'<article class="card.*?</article>', page, re.S)
    marked = {
        re.search(r'<h3 class="card-title"[^>]*><a [^>]*>([^<]+)</a>', card).group(1): re.findall(
            r'<span class="language-tag" lang="(\w+)">', card
        )
        for card in cards
    }
    assert marked == {
        "아스타나에서 외교장관 회의": [],
        "Astana hosts the ministers": ["en"],
        "Министры встретились в Астане": ["ru"],
    }


def test_lists_can_show_one_language(client, paired):
    page = client.get("/en/articles/?language=ru").text
    assert "Министры встретились в Астане" in page
    assert "Astana hosts the ministers" not in page and "아스타나에서" not in page


def test_each_languages_feed_carries_its_articles(client, paired):
    korean = client.get("/ko/feeds/rss/").text
    assert "아스타나에서 외교장관 회의" in korean and "Astana hosts" not in korean
    assert "<language>ko</language>" in korean
    russian = client.get("/ru/countries/kazakhstan/feed/atom/").text
    assert "Министры встретились в Астане" in russian and "Astana hosts" not in russian


def test_the_front_page_shows_the_readers_language_first(client, paired):
    # The Russian piece is the newest; the Korean reader still meets the Korean one first.
    paired.russian.publish_at = timezone.now() - datetime.timedelta(minutes=5)
    paired.russian.save()

    def front(language):
        page = client.get(f"/{language}/").text
        lead = re.search(r'class="lead-title"[^>]*><a [^>]*>([^<]+)</a>', page).group(1)
        return lead, re.findall(r'<h3 class="card-title"[^>]*><a [^>]*>([^<]+)</a>', page)

    assert front("ko")[0] == "아스타나에서 외교장관 회의"
    assert front("ru")[0] == "Министры встретились в Астане"
    lead, latest = front("en")
    assert lead == "Astana hosts the ministers"
    assert latest[0] == "Министры встретились в Астане"  # then the others, newest first
    # An editor's featured story leads in its own language.
    paired.korean.featured = True
    paired.korean.save()
    paired.article.featured = False
    paired.article.save()
    assert front("en")[0] == "Astana hosts the ministers"
    assert front("ko")[0] == "아스타나에서 외교장관 회의"


# Search in every language --------------------------------------------------------


def found(client, language: str, query: str) -> list[str]:
    page = client.get(f"/{language}/search/", {"q": query}).text
    return re.findall(r'<h3 class="card-title"[^>]*><a [^>]*>([^<]+)</a>', page)


def test_korean_and_russian_words_find_their_inflected_forms(client, paired):
    PublishedArticleFactory(
        title="비슈케크 회담",
        slug="bishkek-talks",
        language="ko",
        body="<p>카자흐스탄의 외교장관이 회담에 참석했다.</p>",
    )
    PublishedArticleFactory(
        title="Переговоры в Бишкеке",
        slug="bishkek-talks",
        language="ru",
        body="<p>Министр иностранных дел Казахстана принял участие.</p>",
    )
    # A Korean particle, a Russian case ending: the word as a reader types it finds them.
    assert found(client, "ko", "카자흐스탄") == ["비슈케크 회담"]
    assert found(client, "ru", "Казахстан") == ["Переговоры в Бишкеке"]
    assert found(client, "en", "참석") == ["비슈케크 회담"]  # any page searches every language
    assert found(client, "ru", "Казахстан -Бишкеке") == []


def test_a_query_naming_a_record_in_korean_or_russian_links_it(client, paired):
    for language, query, name in [
        ("ko", "카자흐스탄", "카자흐스탄"),
        ("ru", "Казахстан", "Казахстан"),
        ("en", "카자흐스탄", "Kazakhstan"),
    ]:
        page = client.get(f"/{language}/search/", {"q": query}).text
        assert f'<a href="/{language}/countries/kazakhstan/">{name}</a>' in page, language


def test_search_ranks_the_readers_language_first(client, paired):
    # Both pieces of the pair match "Astana"; the English one names it in its headline.
    paired.korean.body = "<p>Astana 회의 소식.</p>"
    paired.korean.save()
    assert found(client, "en", "Astana")[0] == "Astana hosts the ministers"
    assert found(client, "ko", "Astana")[0] == "아스타나에서 외교장관 회의"
