"""Tag suggestions read Korean and Russian copy: names with their endings, dates, numbers,
meetings described in words; English reads as before."""

import datetime

import pytest

from summits.names import fold, fold_characters
from summits.tagging import suggest_tags
from summits.tagging.dates import dates
from summits.tagging.inflection import lookup_keys, units
from summits.tagging.text import sentence_starts
from summits.tests.suggestions import CENTRAL_ASIA, shown, strong

pytestmark = pytest.mark.django_db


# Dates


@pytest.mark.parametrize(
    ("sentence", "published", "year", "month", "days"),
    [
        ("정상회의는 2025년 11월 6일 워싱턴에서 열렸다.", None, 2025, 11, (6,)),
        ("회의는 9월 16일부터 17일까지 열린다.", None, None, 9, (16, 17)),
        ("9월16일~17일 정상회의 개최", None, None, 9, (16, 17)),
        ("제2차(2019. 11. 29, 타슈켄트) 회의", None, 2019, 11, (29,)),
        ("2023년 5월 시안에서", None, 2023, 5, ()),
        ("Саммит прошел 6 ноября 2025 года.", None, 2025, 11, (6,)),
        ("Встреча пройдет 15-16 ноября.", None, None, 11, (15, 16)),
        ("Лидеры встречались в сентябре 2023 года.", None, 2023, 9, ()),
        # Against the publication date.
        ("지난 16일 회담이 열렸다.", datetime.date(2025, 6, 18), 2025, 6, (16,)),
        ("다음 달 6일 정상회의가 열린다.", datetime.date(2025, 10, 27), 2025, 11, (6,)),
        ("오는 18~19일 정상회의를 연다.", datetime.date(2023, 5, 15), 2023, 5, (18, 19)),
        ("정상들이 29일 회담했다.", datetime.date(2019, 12, 1), 2019, 11, (29,)),
        ("Сегодня пройдет саммит.", datetime.date(2025, 10, 9), 2025, 10, (9,)),
        ("Саммит прошел в пятницу.", datetime.date(2022, 10, 15), 2022, 10, (14,)),
        ("지난해 1월 화상 회의", datetime.date(2023, 5, 18), 2022, 1, ()),
        ("в мае этого года", datetime.date(2023, 9, 30), 2023, 5, ()),
    ],
)
def test_korean_and_russian_dates(sentence, published, year, month, days):
    found = dates(fold_characters(sentence), published)

    assert (year, month, days) in {(cue.year, cue.month, cue.days) for cue in found}


@pytest.mark.parametrize("sentence", ["Диалог работает с 2004 года.", "2004년부터 열려 온 대화"])
def test_since_a_year_is_no_date(sentence):
    assert dates(fold_characters(sentence)) == []


def test_a_date_keeps_its_letters_as_written():
    sentence = "Лидеры встретились на прошлой неделе."
    (cue, *_) = dates(fold_characters(sentence), datetime.date(2025, 11, 13), sentence)

    assert cue.text == "на прошлой неделе"


def test_english_dates_read_as_before():
    found = dates("The leaders met on Nov. 6, 2025, and again on Thursday.", None)

    assert [(cue.year, cue.month, cue.days) for cue in found] == [(2025, 11, (6,))]


# Sentences


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Саммит прошел в Астане. Лидеры подписали декларацию.", 2),
        ("정상회의가 열렸다. 정상들은 선언문을 채택했다.", 2),
        ("제1차(2018. 3. 15-16, 카자흐스탄), 제2차(2019. 11. 29, 우즈베키스탄).", 1),
        ("Указ подписал К. Токаев.", 1),
    ],
)
def test_korean_and_russian_sentences(text, count):
    assert len(sentence_starts(text)) == count


# Names with their endings


def test_a_russian_name_is_found_in_any_case(record):
    found = suggest_tags(
        title="Переговоры в Токио",
        body="<p>Представители России, Японии и Китая обсудили поставки с Казахстаном.</p>",
    )

    assert {"RU", "JP", "CN", "KZ"} <= shown(found)


def test_a_declined_word_is_looked_up_by_its_stem():
    phrase, key = units(fold("Центральная Азия", keep_case=True))

    assert key == "центральн ази"
    assert "центральн ази" in lookup_keys(fold("Центральной Азии"))
    assert "кита" in lookup_keys(fold("Китая"))
    # Abbreviations in capitals do not decline.
    assert units(fold("США", keep_case=True))[1] == "сша"


def test_a_russian_framework_name_in_any_case(record):
    found = suggest_tags(
        title="Итоги встречи в Ташкенте",
        body="<p>Президенты выступили на седьмой Консультативной встрече глав государств "
        "Центральной Азии.</p><p>Следующая консультативная встреча глав государств "
        "Центральной Азии пройдет в Казахстане.</p>",
    )

    assert "c5-consultative-meeting" in strong(found, "frameworks")


@pytest.mark.parametrize(
    ("title", "framework"),
    [
        ("한·중앙아 정상회의 준비 시작", "korea-central-asia"),
        ("中·중앙아 정상회의 개막", "china-central-asia"),
        ("Второй саммит «Центральная Азия – Китай»", "china-central-asia"),
        ("Саммит ЕС - Центральная Азия в Самарканде", "eu-central-asia"),
    ],
)
def test_korean_and_russian_partner_forms_name_the_framework(record, title, framework):
    assert strong(suggest_tags(title=title), "frameworks") == {framework}


def test_the_korean_five_countries_are_the_five_not_the_bloc(record):
    found = suggest_tags(title="중앙아시아 5개국 외교장관 회의", body="중앙아시아 5개국이 모였다.")

    assert CENTRAL_ASIA <= strong(found)
    assert "C5" not in shown(found)


def test_korean_short_names_and_han_characters(record):
    found = suggest_tags(title="韓 대통령, 美 방문", body="한국 정부는 중동 정책을 설명했다.")

    assert {"KR", "US"} <= strong(found)
    # "中" counts alone; inside "中東" (the Middle East) it is no China.
    assert "CN" not in shown(suggest_tags(title="中東 정세 긴장"))


# Summits


@pytest.mark.parametrize(
    ("title", "body", "published", "summit"),
    [
        (
            "C5+1 정상회의 열려",
            "2025년 11월 6일 미국 워싱턴에서 C5+1 정상회의가 열렸다.",
            None,
            "c5-plus-1@2025-11-06",
        ),
        (
            "트럼프, 중앙아 정상들과 회의",
            "트럼프 대통령은 지난 6일 백악관에서 C5+1 정상회의를 주재했다.",
            datetime.date(2025, 11, 10),
            "c5-plus-1@2025-11-06",
        ),
        (
            "Саммит С5+1 в Вашингтоне",
            "Саммит С5+1 прошел 6 ноября 2025 года в Вашингтоне.",
            None,
            "c5-plus-1@2025-11-06",
        ),
        (
            "제2차 중국-중앙아시아 정상회의",
            "시진핑 주석이 아스타나에서 열린 제2차 중국-중앙아시아 정상회의에 참석했다.",
            None,
            "china-central-asia@2025-06-17",
        ),
        (
            "Второй саммит Россия — Центральная Азия",
            "Второй саммит «Россия — Центральная Азия» прошел в Душанбе.",
            None,
            "russia-central-asia@2025-10-09",
        ),
        (
            "VII Консультативная встреча",
            "В Ташкенте прошла VII Консультативная встреча глав государств Центральной Азии.",
            None,
            "c5-consultative-meeting@2025-11-15",
        ),
    ],
)
def test_a_summit_from_korean_and_russian_dates_numbers_and_places(
    record, title, body, published, summit
):
    found = suggest_tags(title=title, body=body, published=published)

    assert summit in strong(found, "summits")


@pytest.mark.parametrize(
    ("title", "framework"),
    [
        ("시진핑 주석, 중앙아시아 5개국 정상과 회담", "china-central-asia"),
        ("중앙아시아 5개국 정상이 타슈켄트에서 회담했다", "c5-consultative-meeting"),
        ("Лидеры ЕС и пяти стран Центральной Азии провели саммит", "eu-central-asia"),
        ("Главы государств Центральной Азии провели встречу в Ташкенте", "c5-consultative-meeting"),
    ],
)
def test_a_meeting_described_in_korean_or_russian_points_to_its_framework(record, title, framework):
    found = suggest_tags(title=title)

    assert strong(found, "frameworks") == {framework}


def test_a_summit_guest_is_suggested_only_when_named(record):
    # Azerbaijan took part in the seventh meeting as a guest.
    unnamed = suggest_tags(
        title="The seventh Consultative Meeting opens in Tashkent",
        body="<p>The seventh Consultative Meeting of the Heads of State of Central Asia "
        "opened in Tashkent on 15 November 2025.</p>",
    )
    named = suggest_tags(
        title="The seventh Consultative Meeting opens in Tashkent",
        body="<p>The seventh Consultative Meeting of the Heads of State of Central Asia "
        "opened in Tashkent on 15 November 2025. Aliyev of Azerbaijan attended.</p>",
    )

    assert "c5-consultative-meeting@2025-11-15" in strong(unnamed, "summits")
    assert "AZ" not in shown(unnamed)
    assert "AZ" in shown(named)


@pytest.mark.parametrize(
    ("sentence", "year", "month"),
    [
        ("In October that year they met again.", 2022, 10),
        ("В октябре того же года они встретились снова.", 2022, 10),
        ("같은 해 10월 다시 만났다.", 2022, 10),
    ],
    ids=["english", "russian", "korean"],
)
def test_that_year_is_the_year_named_before(sentence, year, month):
    (cue,) = dates(fold_characters(sentence), None, sentence, year_before=2022)

    assert (cue.year, cue.month) == (year, month)


def test_a_month_this_year_in_english():
    (cue,) = dates("The summit was held in January this year.", datetime.date(2022, 12, 6))

    assert (cue.year, cue.month, cue.days) == (2022, 1, ())
