"""Search in Korean and Russian, and across a translation's pair, on both databases."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from journal.models import Article
from journal.search.languages import hangul_bigrams, index_forms
from journal.tests.factories import ArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def found(client, query: str, language: str = "en") -> list[str]:
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    return re.findall(r'<h3 class="card-title"[^>]*><a [^>]*>([^<]+)</a>', response.text)


def excerpts(client, query: str, language: str = "en") -> list[str]:
    page = client.get(f"/{language}/search/", {"q": query}).text
    return re.findall(r'<p class="card-snippet"[^>]*>(.*?)</p>', page, re.S)


@pytest.fixture
def russian():
    return PublishedArticleFactory(
        title="Лидеры Центральной Азии встретились в Астане",
        slug="лидеры-встретились",
        language="ru",
        standfirst="Главы государств обсудили водные ресурсы.",
        body=(
            "<p>Президенты Казахстана и Узбекистана провели переговоры.</p>"
            "<p>Следующие саммиты пройдут в Ташкенте.</p>"
        ),
    )


@pytest.fixture
def korean():
    return PublishedArticleFactory(
        title="한-중앙아시아정상회의 개막",
        slug="summit-opens",
        language="ko",
        standfirst="다섯 나라 정상이 서울에 모였다.",
        body="<p>카자흐스탄의 대통령은 에너지 협력을 제안했다.</p>",
    )


# Russian: words by their stems ----------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Казахстан",  # the nominative finds the genitive "Казахстана"
        "Казахстаном",  # and another case finds it too
        "саммит",  # the singular finds "саммиты"
        "лидер Астана",  # "Лидеры … в Астане": both words by their stems
        '"главы государства"',  # a phrase, in other cases
    ],
)
def test_russian_words_find_their_other_forms(client, russian, query):
    assert found(client, query, "ru") == [russian.title]


def test_a_russian_phrase_keeps_its_order_and_words_can_be_excluded(client, russian):
    assert found(client, '"государств главы"', "ru") == []
    assert found(client, "Казахстан -Ташкент", "ru") == []
    assert found(client, "Казахстан -Бишкек", "ru") == [russian.title]


def test_russian_matches_are_marked_in_the_excerpt(client, russian):
    (excerpt,) = excerpts(client, "Казахстан саммит", "ru")
    assert "<mark>Казахстана</mark>" in excerpt and "<mark>саммиты</mark>" in excerpt


# Korean: words inside longer words ------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "정상회의",  # inside the compound "한-중앙아시아정상회의"
        "중앙아시아 정상회의",
        "카자흐스탄",  # with the particle "의"
        "아시아정상",  # across the compound's parts
        "개막",
        '"에너지 협력"',
    ],
)
def test_korean_words_are_found_inside_longer_words(client, korean, query):
    assert found(client, query, "ko") == [korean.title]


@pytest.mark.parametrize(
    "query", ["정상외교", "우즈베키스탄", '"협력 에너지"', "정상회의 -카자흐스탄"]
)
def test_korean_words_that_are_not_there_find_nothing(client, korean, query):
    assert found(client, query, "ko") == []


def test_korean_matches_are_marked_in_the_excerpt(client, korean):
    (excerpt,) = excerpts(client, "카자흐스탄 협력", "ko")
    assert "<mark>카자흐스탄</mark>의" in excerpt and "<mark>협력</mark>" in excerpt


def test_korean_excerpts_mark_the_word_as_typed(client):
    PublishedArticleFactory(
        title="회의 일정",
        slug="schedule",
        language="ko",
        body="<p>" + "작년에도 매년 열렸다. " * 20 + "2026년 회의는 APEC에서 서울에서 열린다.</p>",
    )
    (excerpt,) = excerpts(client, "2026년", "ko")
    assert "<mark>2026년</mark>" in excerpt and excerpt.count("<mark>") == 1
    (excerpt,) = excerpts(client, "APEC에서", "ko")
    assert "<mark>APEC에서</mark>" in excerpt and "<mark>" not in excerpt.replace(
        "<mark>APEC에서</mark>", ""
    )


@pytest.mark.parametrize(
    "query",
    [
        "정상회의 -Astana-정상",
        'Astana -"Astana 정상회의"',
        "Астана -Казахстан-EU",
        '-"한국 EU" 정상',
    ],
)
def test_leaving_out_a_term_in_two_scripts_is_no_error(client, korean, query):
    found(client, query, "ko")  # a 200 with whatever matches


def test_a_query_mixing_languages_needs_every_word(client, korean, russian):
    korean.body += "<p>Astana에서 열린 회의.</p>"
    korean.save()
    assert found(client, "Astana 정상회의", "ko") == [korean.title]
    assert found(client, "Tashkent 정상회의", "ko") == []


# Through the translation's pair ---------------------------------------------------


@pytest.fixture
def pair():
    original = PublishedArticleFactory(
        title="Ministers meet in Astana",
        slug="ministers-meet",
        language="en",
        body="<p>The foreign ministers agreed on a railway corridor.</p>",
    )
    translation = PublishedArticleFactory(
        title="아스타나 외교장관 회의",
        slug="ministers-meet",
        language="ko",
        translation_of=original,
        body="<p>외교장관들은 철도 회랑에 합의했다.</p>",
    )
    return original, translation


def test_a_query_finds_the_translation_through_its_pair(client, pair):
    original, translation = pair
    # The Korean piece never says "railway": found through its English original,
    # first on the Korean pages, after the original on the English ones.
    assert found(client, "railway corridor", "ko") == [translation.title, original.title]
    assert found(client, "railway corridor", "en") == [original.title, translation.title]
    assert found(client, "철도 회랑", "en") == [original.title, translation.title]


def test_only_what_readers_may_see_of_a_translation_finds_its_pair(client, pair, commit):
    original, translation = pair
    draft = ArticleFactory(
        title="Министры встретились в Астане",
        slug="ministers-meet",
        language="ru",
        translation_of=original,
        status=Article.Status.DRAFT,
        body="<p>Министры договорились о железнодорожном коридоре.</p>",
    )
    assert found(client, "железнодорожный", "ru") == []  # a draft's words find nothing
    with commit():
        draft.status = Article.Status.PUBLISHED
        draft.publish_at = timezone.now() - datetime.timedelta(minutes=1)
        draft.save()
    first, *others = found(client, "железнодорожный", "ru")
    assert first == draft.title and sorted(others) == sorted([original.title, translation.title])
    with commit():
        draft.status = Article.Status.ARCHIVED
        draft.save()
    assert found(client, "железнодорожный", "ru") == []
    with commit():
        translation.delete()
    assert found(client, "철도", "en") == []  # its words left the original's index


def test_a_translation_taken_out_of_its_group_takes_its_words(client, pair, commit):
    original, translation = pair
    with commit():
        translation.translation_of = None
        translation.save()
    assert found(client, "railway", "ko") == [original.title]
    with commit():
        translation.status = Article.Status.ARCHIVED
        translation.save()
    assert found(client, "철도", "en") == []
    # The same with the link read lazily (a deferred field) and a draft in one save.
    with commit():
        translation.status = Article.Status.PUBLISHED
        translation.translation_of = original
        translation.save()
    assert found(client, "철도", "en") == [original.title, translation.title]
    deferred = Article.objects.defer("translation_of").get(pk=translation.pk)
    with commit():
        deferred.translation_of = None
        deferred.status = Article.Status.DRAFT
        deferred.save()
    assert found(client, "철도", "en") == []


# The index's forms, the same on both databases ------------------------------------------


def test_the_index_keeps_russian_stems_and_korean_pairs():
    assert index_forms("Summit in Astana") == ""
    assert index_forms("саммиты в Астане") == "саммит в астан"
    assert index_forms("한-중앙아시아 APEC에서") == "한 중앙 앙아 아시 시아 apec 에서"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own pairs")
@pytest.mark.parametrize(
    "text", ["한-중앙아시아정상회의에서", "제1차 회의, 한 나라", "no Hangul", "<p>서울</p> 2026"]
)
def test_postgresql_makes_the_same_korean_pairs(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT journal_hangul_bigrams(%s)", [text])
        (pairs,) = cursor.fetchone()
    assert (pairs or "") == " ".join(hangul_bigrams(text))
