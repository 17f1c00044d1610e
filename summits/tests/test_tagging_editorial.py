"""Tag suggestions read real copy as an editor would: what a date, a place or a number in a
sentence belongs to, who sits at the table of a meeting, what is named in passing."""

import datetime

import pytest

from summits.tagging import suggest_tags
from summits.tests.suggestions import CENTRAL_ASIA, shown, strong

pytestmark = pytest.mark.django_db


# Dates, places and numbers


def test_a_month_and_year_is_no_cue_for_another_month_of_that_year(record):
    suggestions = suggest_tags(
        title="Notes on the C5+1",
        body="<p>The C5+1 held expert talks in May 2023.</p>",
    )

    # The format met in February and in September 2023, never in May.
    assert not {key for key in shown(suggestions, "summits") if "@2023-" in key}


@pytest.mark.parametrize(
    "body",
    [
        "<p>The C5+1 was launched in 2015 and has grown since.</p>",
        "<p>C5+1 협의체는 2015년 출범했으며 이후 꾸준히 확대됐다.</p>",
        "<p>Формат С5+1, запущенный в 2015 году, с тех пор расширился.</p>",
    ],
    ids=["english", "korean", "russian"],
)
def test_the_year_a_format_began_dates_no_meeting(record, body):
    suggestions = suggest_tags(title="C5+1", body=body)

    assert "c5-plus-1@2015-11-01" not in shown(suggestions, "summits")


def test_a_number_with_no_level_takes_the_sentences(record):
    suggestions = suggest_tags(
        title="Seoul's plans",
        body="<p>The presidents will hold their first meeting in the Korea–Central Asia "
        "format.</p>",
    )

    # The first meeting of presidents is the summit, not the 2007 cooperation forum.
    assert "korea-central-asia@2007-11-15" not in shown(suggestions, "summits")
    assert "korea-central-asia@2026-09-16" in shown(suggestions, "summits")


def test_a_city_where_the_format_met_at_another_level_is_no_cue(record):
    suggestions = suggest_tags(
        title="Delhi's outreach",
        body="<p>The India–Central Asia summit was hosted from New Delhi.</p>",
    )

    # Both New Delhi meetings of the format were of foreign ministers.
    assert not {"india-central-asia@2021-12-18", "india-central-asia@2025-06-06"} & shown(
        suggestions, "summits"
    )


def test_a_place_belongs_to_the_meeting_the_sentence_numbers(record):
    suggestions = suggest_tags(
        title="Regional leaders gather",
        body="<p>The seventh consultative meeting of Central Asian leaders opened in Tashkent.</p>",
    )

    assert "c5-consultative-meeting@2025-11-15" in strong(suggestions, "summits")
    # The format also met in Tashkent in 2019; the sentence is not about that meeting.
    assert "c5-consultative-meeting@2019-11-29" not in shown(suggestions, "summits")


def test_a_place_or_a_number_points_to_no_meeting_years_ahead(record):
    text = {
        "title": "Central Asian leaders meet in Astana",
        "body": "<p>The Central Asian summit in Astana was the first in years.</p>",
    }

    then = suggest_tags(**text, published=datetime.date(2018, 3, 16))
    undated = suggest_tags(**text)

    # The sixth meeting was held in Astana too, six years after the first.
    assert "c5-consultative-meeting@2024-08-09" not in shown(then, "summits")
    assert "c5-consultative-meeting@2024-08-09" in shown(undated, "summits")


def test_a_meeting_long_past_recalled_in_the_body_is_never_suggested(record):
    suggestions = suggest_tags(
        title="Central Asian leaders meet Putin in Dushanbe",
        body="<p>The first Central Asia–Russia summit was held in Astana on 14 October 2022, "
        "with all five presidents.</p>",
        published=datetime.date(2025, 10, 10),
    )

    assert "russia-central-asia@2022-10-14" in shown(suggestions, "summits")
    assert "russia-central-asia@2022-10-14" not in strong(suggestions, "summits")


def test_a_summit_is_the_leaders_meeting_whoever_prepares_it(record):
    suggestions = suggest_tags(
        title="Envoys travel to Central Asia",
        body="<p>The foreign minister sent envoys to prepare the Korea–Central Asia summit in "
        "2026.</p>",
        published=datetime.date(2025, 11, 27),
    )

    assert "korea-central-asia@2026-09-16" in strong(suggestions, "summits")


# Frameworks


def test_a_partner_set_beside_the_one_meeting_central_asia_is_a_comparison(record):
    compared = suggest_tags(
        title="C5+1 leaders meet in New York",
        body="<p>Months after a summit with China's leader in Xi'an, the leaders of the five "
        "Central Asian states sat down with the US president.</p>",
    )
    listed = suggest_tags(
        title="A crowded calendar",
        body="<p>Russia, China and the United States have all held summits with the five "
        "Central Asian states.</p>",
    )

    assert "china-central-asia" not in shown(compared, "frameworks")
    assert {"russia-central-asia", "china-central-asia", "c5-plus-1"} <= shown(listed, "frameworks")


def test_a_central_asian_summit_is_the_regions_own(record):
    suggestions = suggest_tags(title="Astana hosts a Central Asian summit")

    assert strong(suggestions, "frameworks") == {"c5-consultative-meeting"}


def test_a_covered_partner_does_not_make_a_described_meeting_the_subject(record):
    described = suggest_tags(
        title="China's banks expand in Kazakhstan",
        body="<p>Chinese lenders are busy. Beijing has held summits with the leaders of the "
        "five Central Asian states.</p>",
    )
    named = suggest_tags(
        title="China's banks expand in Kazakhstan",
        body="<p>Chinese lenders are busy. The China–Central Asia Summit is their forum.</p>",
    )

    assert "china-central-asia" in shown(described, "frameworks")
    assert "china-central-asia" not in strong(described, "frameworks")
    assert "china-central-asia" in strong(named, "frameworks")


@pytest.mark.parametrize(
    ("title", "body", "framework"),
    [
        (
            "Japan hosts Central Asian presidents",
            "<p>Japan hosts a summit in the C5+1 format in Tokyo.</p>",
            "central-asia-japan",
        ),
        (
            "Лидеры Центральной Азии в Германии",
            "<p>Саммит в формате С5+1 впервые принял Берлин.</p>",
            "germany-central-asia",
        ),
    ],
    ids=["english", "russian"],
)
def test_c5_plus_1_with_another_partner_is_that_partners_format(record, title, body, framework):
    suggestions = suggest_tags(title=title, body=body)

    assert framework in strong(suggestions, "frameworks")
    assert "c5-plus-1" not in shown(suggestions, "frameworks")


def test_a_russian_meeting_verb_describes_a_meeting(record):
    suggestions = suggest_tags(
        title="Хроника",
        body="<p>Лидеры стран Центральной Азии совещались с Индией.</p>",
    )

    evidence = next(
        s.evidence for s in suggestions.frameworks if s.obj.slug == "india-central-asia"
    )
    assert any("described" in line for line in evidence)


# Countries


def test_members_named_where_the_text_says_what_the_bloc_is_are_not_at_the_table(record):
    suggestions = suggest_tags(
        title="Gulf and Central Asian leaders meet in Jeddah",
        body="<p>Leaders of the Gulf Cooperation Council and the five Central Asian states held "
        "their first summit in Jeddah on 19 July 2023.</p><p>The GCC comprises Saudi Arabia, "
        "the United Arab Emirates, Qatar, Kuwait, Bahrain and Oman.</p>",
    )

    listed_only = {"AE", "QA", "KW", "BH", "OM"}
    assert listed_only <= shown(suggestions)
    assert not listed_only & strong(suggestions)
    # Saudi Arabia is also named as the host: it is at the table.
    assert {"GCC", "SA"} <= strong(suggestions)


def test_central_asian_states_never_named_one_by_one_are_the_region(record):
    region = suggest_tags(
        title="Central Asian states weigh offers from Russia and China",
        body="<p>Central Asian states want investment without dependence.</p>",
    )
    five = suggest_tags(
        title="The five Central Asian states weigh offers from Russia and China",
    )

    assert "C5" in strong(region)
    assert not CENTRAL_ASIA & shown(region)
    assert CENTRAL_ASIA <= strong(five)


def test_a_country_discussed_at_a_meeting_is_named_in_passing(record):
    at_a_summit = suggest_tags(
        title="India and Central Asian leaders hold their first summit",
        body="<p>Afghanistan was on the agenda. The leaders also spoke of Afghanistan's "
        "neighbours.</p>",
    )
    no_meeting = suggest_tags(
        title="Kazakh grain finds new buyers",
        body="<p>Afghanistan buys more flour. Traders expect Afghanistan to buy even more.</p>",
    )

    assert "AF" in shown(at_a_summit)
    assert "AF" not in strong(at_a_summit)
    assert "AF" in strong(no_meeting)


# What the story covers


def test_a_ministers_meeting_beside_the_summit_in_the_headline_is_background(record):
    suggestions = suggest_tags(
        title="Leaders head to Samarkand for the GCC–Central Asia summit",
        body="<p>The date was set at the third meeting of foreign ministers of the "
        "GCC–Central Asia Strategic Dialogue.</p>",
        published=datetime.date(2025, 4, 20),
    )

    assert "gcc-central-asia@2025-04-16" in shown(suggestions, "summits")
    assert "gcc-central-asia@2025-04-16" not in strong(suggestions, "summits")


def test_a_format_never_named_beside_the_headlines_is_background(record):
    headline = "Scholz receives the five Central Asian presidents in Berlin"
    recalled = suggest_tags(
        title=headline,
        body="<p>Last week in New York the five had sat down with the US president.</p>",
        published=datetime.date(2023, 9, 30),
    )
    named = suggest_tags(
        title=headline,
        body="<p>Last week in New York the five had held a C5+1 summit with the US president.</p>",
        published=datetime.date(2023, 9, 30),
    )

    assert "c5-plus-1@2023-09-19" in shown(recalled, "summits")
    assert "c5-plus-1@2023-09-19" not in strong(recalled, "summits")
    assert not {"US", "c5-plus-1"} & (strong(recalled) | strong(recalled, "frameworks"))
    assert "c5-plus-1@2023-09-19" in strong(named, "summits")


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Tokayev backs holding a first Korea–Central Asia summit",
            "<p>The presidents of Kazakhstan and Korea met in Astana. Kyrgyzstan, Tajikistan, "
            "Turkmenistan and Uzbekistan would join the new format.</p>",
        ),
        (
            "한-중앙아시아 정상회의 창설",
            "<p>카자흐스탄 대통령과 한국 대통령이 아스타나에서 만났다. 키르기스스탄, 타지키스탄, "
            "투르크메니스탄, 우즈베키스탄도 새 협의체에 참여한다.</p>",
        ),
    ],
    ids=["english", "korean"],
)
def test_a_headline_proposing_a_meeting_sets_no_table(record, title, body):
    suggestions = suggest_tags(title=title, body=body, published=datetime.date(2024, 6, 12))

    assert "KR" in strong(suggestions)
    assert "korea-central-asia" in strong(suggestions, "frameworks")
    invited = CENTRAL_ASIA - {"KZ"}
    assert invited <= shown(suggestions)
    assert not invited & strong(suggestions)


@pytest.mark.parametrize(
    "body",
    [
        "<p>Security advisers held the first India–Central Asia meeting of national security "
        "advisers in Delhi.</p>",
        "<p>Первая встреча секретарей советов безопасности Индии и стран Центральной Азии "
        "прошла в Дели.</p>",
    ],
    ids=["english", "russian"],
)
def test_a_number_belongs_to_the_body_that_meets(record, body):
    suggestions = suggest_tags(title="Security talks", body=body)

    # The format's first dialogue of ministers and its first summit are other bodies'.
    assert not {"india-central-asia@2019-01-12", "india-central-asia@2022-01-27"} & shown(
        suggestions, "summits"
    )


def test_the_seat_of_an_office_is_no_venue(record):
    seat = suggest_tags(
        title="India builds its Central Asia ties",
        body="<p>An India–Central Asia secretariat in New Delhi will support the format.</p>",
    )
    venue = suggest_tags(
        title="India builds its Central Asia ties",
        body="<p>The India–Central Asia Dialogue has met in New Delhi.</p>",
    )

    new_delhi = {"india-central-asia@2021-12-18", "india-central-asia@2025-06-06"}
    assert not new_delhi & shown(seat, "summits")
    assert new_delhi <= shown(venue, "summits")


def test_that_year_is_the_year_named_before(record):
    suggestions = suggest_tags(
        title="A year of summits",
        body="<p>In January 2022 the region's leaders met India online. In October that year "
        "they met Putin at the Russia–Central Asia summit.</p>",
        published=datetime.date(2022, 12, 1),
    )

    assert "russia-central-asia@2022-10-14" in shown(suggestions, "summits")


def test_meetings_within_a_span_before_the_article_are_mentioned(record):
    suggestions = suggest_tags(
        title="Japan prepares its own summit with Central Asia",
        body="<p>Over the past six months, Russia, China and the United States have held "
        "summits with the five Central Asian states.</p>",
        published=datetime.date(2025, 12, 9),
    )

    recalled = {
        "russia-central-asia@2025-10-09",
        "china-central-asia@2025-06-17",
        "c5-plus-1@2025-11-06",
    }
    assert recalled <= shown(suggestions, "summits")
    assert not recalled & strong(suggestions, "summits")


def test_a_format_a_bilateral_story_names_after_its_lead_is_mentioned(record):
    lead = "<p>President Japarov met Emperor Naruhito in Tokyo today.</p>"
    rest = (
        "<p>They spoke of culture and of students.</p><p>Kyrgyz students learn Japanese.</p>"
        "<p>On this visit Japarov will also attend the first Central Asia + Japan summit.</p>"
    )
    late = suggest_tags(
        title="Kyrgyz president meets Japan's emperor",
        body=lead + rest,
        published=datetime.date(2025, 12, 19),
    )
    early = suggest_tags(
        title="Kyrgyz president meets Japan's emperor",
        body="<p>President Japarov, in Tokyo for the first Central Asia + Japan summit, met "
        "Emperor Naruhito today.</p>" + rest,
        published=datetime.date(2025, 12, 19),
    )

    assert "central-asia-japan@2025-12-19" in shown(late, "summits")
    assert not strong(late, "summits") | strong(late, "frameworks")
    assert strong(late) == {"KG", "JP"}
    assert "central-asia-japan@2025-12-19" in strong(early, "summits")


def test_a_country_in_a_research_bodys_name_is_not_named(record):
    suggestions = suggest_tags(
        title="What the Astana summit achieved",
        body="<p>A director of the Research Center for Russia and Central Asian Studies "
        "commented on Kazakhstan's plans.</p>",
    )

    assert "RU" not in shown(suggestions)
