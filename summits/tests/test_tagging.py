"""Tag suggestions: the countries, frameworks and summits a text names; the evaluation command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from summits.models import Country, Framework, Region, Summit
from summits.tagging import THRESHOLD, clear_cache, suggest_tags
from summits.tagging_eval import KINDS, evaluate, load_cases, summit_key
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

CENTRAL_ASIA = {"KZ", "KG", "TJ", "TM", "UZ"}


def strong(suggestions, kind="countries") -> set[str]:
    attribute = {"countries": "code", "frameworks": "slug"}.get(kind)
    return {
        getattr(s.obj, attribute) if attribute else summit_key(s.obj)
        for s in getattr(suggestions, kind)
        if s.strong
    }


def mentioned(suggestions, kind="countries") -> set[str]:
    attribute = {"countries": "code", "frameworks": "slug"}[kind]
    return {getattr(s.obj, attribute) for s in getattr(suggestions, kind)}


# Countries: names, short forms, demonyms, cities


HEADLINES = {
    "Kazakh officials review the budget": "KZ",
    "Uzbek farmers count the cost of drought": "UZ",
    "Tajik workers return home": "TJ",
    "Japanese investors return": "JP",
    "The U.S. delegation arrives": "US",
    "The US and its partners": "US",
    "What the United States wants": "US",
    "Americans vote": "US",
    "Republic of Korea opens a trade office": "KR",
    "South Korea opens a trade office": "KR",
    "Korean builders win a contract": "KR",
    "The Kyrgyz Republic changes its tax code": "KG",
    "Talks resume in Tokyo": "JP",
    "Astana sets a new date": "KZ",
    "A new airport for Samarkand": "UZ",
    "Washington weighs its options": "US",
    "Chinese banks lend more": "CN",
    "Sino-Kazakh trade grows": "CN",
    "Emirati investors buy in": "AE",
    "The European Union and the region": "EU",
}


def test_names_demonyms_and_cities_in_a_headline_are_strong(record):
    missed = {
        title: code
        for title, code in HEADLINES.items()
        if code not in strong(suggest_tags(title=title))
    }

    assert missed == {}


def test_dashes_spacing_and_entities_do_not_hide_a_name(record):
    suggestions = suggest_tags(
        title="Notes",
        body="<p>The Central Asia&nbsp;–&nbsp;Japan dialogue met. So did the C5 + 1.</p>",
    )

    assert {"central-asia-japan", "c5-plus-1"} <= mentioned(suggestions, "frameworks")


# False friends


NOT_THESE = {
    "North Korea tested a missile.": "KR",
    "North Korean hackers were blamed.": "KR",
    "The DPRK and its neighbours.": "KR",
    "Relations with the Democratic People's Republic of Korea are frozen.": "KR",
    "Tension on the Korean Peninsula rose.": "KR",
    "Shipping on the Indian Ocean is slow.": "IN",
    "The American Indian museum reopened.": "IN",
    "Latin American buyers are curious.": "US",
    "Exports to Latin America doubled.": "US",
    "North American retailers placed orders.": "US",
    "South America is far away.": "US",
    "A statue of George Washington.": "US",
    "Let us be clear.": "US",
    "The Shanghai Cooperation Organisation met.": "CN",
    "Fine china for the table.": "CN",
}


def test_false_friends_are_not_countries(record):
    wrong = {
        text: code
        for text, code in NOT_THESE.items()
        if code in mentioned(suggest_tags(title=text, body=f"<p>{text}</p>"))
    }

    assert wrong == {}


def test_european_is_not_the_european_union(record):
    suggestions = suggest_tags(
        title="European companies and the European Bank for Reconstruction and Development",
        body="<p>The Council of Europe and the Eurasian Economic Union (EAEU) met.</p>",
    )

    assert "EU" not in mentioned(suggestions)


def test_the_south_china_sea_still_points_to_china(record):
    assert "CN" in mentioned(suggest_tags(title="Disputes in the South China Sea"))


def test_lower_case_words_are_not_countries(record):
    suggestions = suggest_tags(title="Fine china and a roast", body="<p>Serve it to us.</p>")

    assert mentioned(suggestions) == set()


@pytest.fixture
def turkiye(record):
    return CountryFactory(
        code="TR", alpha3="TUR", name="Türkiye", slug="turkiye", region=Region.EUROPE
    )


def test_turkic_and_the_bird_are_not_turkiye(turkiye):
    for text in (
        "The Organization of Turkic States met.",
        "Turkic languages share roots.",
        "A turkey for the holiday.",
    ):
        assert "TR" not in mentioned(suggest_tags(title=text)), text


def test_turkiye_by_its_names(turkiye):
    for text in ("Türkiye signs a deal", "Turkey signs a deal", "Turkish firms invest"):
        assert "TR" in strong(suggest_tags(title=text)), text


@pytest.fixture
def georgia(record):
    return CountryFactory(
        code="GE", alpha3="GEO", name="Georgia", slug="georgia", region=Region.SOUTH_CAUCASUS
    )


def test_georgia_alone_may_be_the_us_state(georgia):
    for text in (
        "Students spent a term in Atlanta, Georgia.",
        "Georgia's universities welcome students.",
        "A Georgian-style house.",
    ):
        assert "GE" not in mentioned(suggest_tags(title=text)), text


def test_georgia_counts_next_to_tbilisi_or_the_caucasus(georgia):
    for body in (
        "<p>Georgia hopes for more trade. Tbilisi sent a delegation.</p>",
        "<p>Georgia and its neighbours in the South Caucasus want trade.</p>",
    ):
        suggestions = suggest_tags(title="Georgia eyes the Caspian route", body=body)
        assert "GE" in strong(suggestions), body


@pytest.fixture
def jordan(record):
    return CountryFactory(
        code="JO", alpha3="JOR", name="Jordan", slug="jordan", region=Region.MIDDLE_EAST
    )


def test_jordan_as_a_first_name_is_not_the_country(jordan):
    suggestions = suggest_tags(title="Jordan Whitfield on Japanese aid to Tajikistan")

    assert "JO" not in mentioned(suggestions)
    assert {"JP", "TJ"} <= strong(suggestions)


def test_jordan_with_amman_is_the_country(jordan):
    suggestions = suggest_tags(title="Jordan courts Central Asia", body="<p>Amman hopes.</p>")

    assert "JO" in strong(suggestions)


def test_only_recorded_countries_are_suggested(record):
    suggestions = suggest_tags(title="Pakistan and Iran discuss a railway to Uzbekistan")

    assert mentioned(suggestions) == {"UZ"}


# Frameworks, summits and ranking


FRAMEWORK_HEADLINES = {
    "C5+1 ministers meet": "c5-plus-1",
    "Central Asia + Japan: twenty years": "central-asia-japan",
    "CA+JAD launches a new initiative": "central-asia-japan",
    "The China–Central Asia Summit": "china-central-asia",
    "The Z5+1 format": "germany-central-asia",
    "Korea–Central Asia Cooperation Forum": "korea-central-asia",
    "EU–Central Asia relations": "eu-central-asia",
    "The third Consultative Meeting": "c5-consultative-meeting",
}


def test_framework_names_and_aliases(record):
    missed = {
        title: slug
        for title, slug in FRAMEWORK_HEADLINES.items()
        if slug not in strong(suggest_tags(title=title), "frameworks")
    }

    assert missed == {}


def test_c5_plus_1_article_ranks_the_six_members_before_a_passing_china(record):
    suggestions = suggest_tags(
        title="C5+1 leaders meet in Washington",
        standfirst="The presidents discussed critical minerals with their American host.",
        body="<p>The C5+1 has met at leaders' level twice. Some saw a message to China.</p>",
    )

    ranked = [s.obj.code for s in suggestions.countries]
    assert set(ranked[:6]) == CENTRAL_ASIA | {"US"}
    china = next(s for s in suggestions.countries if s.obj.code == "CN")
    assert ranked.index("CN") > 5
    assert not china.strong
    assert china.score < THRESHOLD <= suggestions.countries[5].score


def test_a_framework_lends_its_members_weaker_evidence(record):
    suggestions = suggest_tags(title="C5+1 leaders hold their summit")

    framework = suggestions.frameworks[0]
    members = {s.obj.code: s for s in suggestions.countries}
    assert framework.obj.slug == "c5-plus-1"
    assert set(members) == CENTRAL_ASIA | {"US"}
    assert all(s.score < framework.score and s.strong for s in members.values())
    assert "member of C5+1" in members["KZ"].evidence
    assert "partner in C5+1" in members["US"].evidence


def test_a_framework_without_a_meeting_lends_only_its_partner(record):
    # The five are tagged for the format's meetings; a piece on what the format
    # has done, or a bilateral visit that names it, is about the states it names.
    suggestions = suggest_tags(title="What the C5+1 has achieved for Kazakhstan")

    assert strong(suggestions) == {"US", "KZ"}
    assert strong(suggestions, "frameworks") == {"c5-plus-1"}
    assert not mentioned(suggestions) & (CENTRAL_ASIA - {"KZ"})


def test_a_passing_framework_mention_is_weak(record):
    suggestions = suggest_tags(
        title="Kazakhstan's wheat harvest breaks a record",
        body="<p>Farmers in Kazakhstan expect high prices. Exports rose. The C5+1 was not "
        "involved.</p>",
    )

    assert strong(suggestions) == {"KZ"}
    assert "c5-plus-1" in mentioned(suggestions, "frameworks")
    assert strong(suggestions, "frameworks") == set()


def test_headline_outweighs_the_body(record):
    suggestions = suggest_tags(
        title="Japan opens a new aid office",
        body="<p>India was mentioned once. So was Russia.</p>",
    )

    assert [s.obj.code for s in suggestions.countries][0] == "JP"
    assert strong(suggestions) == {"JP"}


def test_evidence_names_the_words_and_where_they_were(record):
    suggestions = suggest_tags(
        title="Tokyo hosts talks", body="<p>Japanese and Japanese again.</p>"
    )

    japan = suggestions.countries[0]
    assert japan.obj.code == "JP"
    assert "“Tokyo” in title" in japan.evidence
    assert "“Japanese” in body ×2" in japan.evidence


def test_a_summit_from_framework_place_and_date(record):
    suggestions = suggest_tags(
        title="Minerals first",
        body="<p>Leaders gathered for the C5+1 summit in Washington on November 6, 2025.</p>",
    )

    assert strong(suggestions, "summits") == {"c5-plus-1@2025-11-06"}
    # Washington is the dated summit's place, not the 2016 ministerial's too.
    assert "c5-plus-1-2016-08-03-washington-d-c" not in {s.obj.slug for s in suggestions.summits}


SUMMIT_HEADLINES = {
    "The 2023 C5+1 summit in New York": "c5-plus-1@2023-09-19",
    "The second China–Central Asia Summit": "china-central-asia@2025-06-17",
    "The first China–Central Asia Summit, in Xi'an": "china-central-asia@2023-05-18",
    "EU–Central Asia leaders met in Samarkand": "eu-central-asia@2025-04-03",
    "The seventh Consultative Meeting, 16 November 2025": "c5-consultative-meeting@2025-11-15",
}


def test_summits_from_a_year_an_edition_or_a_place(record):
    missed = {
        text: key
        for text, key in SUMMIT_HEADLINES.items()
        if key not in strong(suggest_tags(title=text), "summits")
    }

    assert missed == {}


def test_a_framework_without_date_or_place_suggests_no_summit(record):
    suggestions = suggest_tags(title="Is the C5+1 still useful?")

    assert strong(suggestions, "summits") == set()


def test_a_tagged_summit_offers_its_framework_and_participants(record):
    summit = Summit.objects.get(slug="india-central-asia-2019-01-12-samarkand")

    suggestions = suggest_tags(title="A note on water", summits=[summit])

    assert strong(suggestions, "frameworks") == {"india-central-asia"}
    assert strong(suggestions) == CENTRAL_ASIA | {"IN", "AF"}
    assert any(line.startswith("tagged summit") for line in suggestions.frameworks[0].evidence)
    # Primary keys do as well as records.
    assert strong(suggest_tags(title="A note", summits=[summit.pk]), "frameworks") == {
        "india-central-asia"
    }


def test_nothing_to_suggest(record):
    suggestions = suggest_tags(title="")

    assert (suggestions.countries, suggestions.frameworks, suggestions.summits) == ([], [], [])


# The compiled vocabulary


def test_one_query_per_call_once_compiled(record, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        suggest_tags(title="Kazakhstan")

    with django_assert_max_num_queries(1):
        suggestions = suggest_tags(title="Uzbekistan", body="<p>C5+1 in Tashkent.</p>")

    assert "UZ" in strong(suggestions)


def test_new_and_renamed_records_are_seen_at_once(record):
    assert "MN" not in mentioned(suggest_tags(title="Mongolia joins talks"))

    CountryFactory(code="MN", alpha3="MNG", name="Mongolia", slug="mongolia")
    assert "MN" in strong(suggest_tags(title="Mongolia joins talks"))

    framework = Framework.objects.get(slug="c5-plus-1")
    framework.aliases += "\nWashington format"
    framework.save()
    assert "c5-plus-1" in strong(suggest_tags(title="The Washington format"), "frameworks")


def test_an_unrecorded_capital_is_read_from_the_record(record):
    kazakhstan = Country.objects.get(code="KZ")
    kazakhstan.capital = "Akmola"
    kazakhstan.save()

    assert "KZ" in strong(suggest_tags(title="A new ministry for Akmola"))


# The evaluation set


def test_the_evaluation_set_is_large_enough_and_names_real_records(record):
    cases = load_cases()
    summit_keys = {summit_key(s) for s in Summit.objects.select_related("framework")}
    known = {
        "countries": set(Country.objects.values_list("code", flat=True)),
        "frameworks": set(Framework.objects.values_list("slug", flat=True)),
        "summits": summit_keys,
    }

    assert len(cases) >= 12
    assert len({case.id for case in cases}) == len(cases)
    for case in cases:
        for kind in KINDS:
            assert case.expected[kind] <= known[kind], (case.id, case.expected[kind] - known[kind])


def test_suggestions_meet_the_quality_bar_on_the_evaluation_set(record):
    results = evaluate().results

    for kind in ("countries", "frameworks"):
        assert results[kind].precision >= 0.9, (kind, results[kind].false_positives)
        assert results[kind].recall >= 0.9, (kind, results[kind].misses)
    assert results["summits"].precision >= 0.8, results["summits"].false_positives
    assert results["summits"].recall >= 0.8, results["summits"].misses


def test_the_evaluation_command_prints_figures_and_mistakes(record):
    out = StringIO()

    call_command("evaluate_tag_suggestions", "--details", stdout=out)

    text = out.getvalue()
    assert "precision" in text and "recall" in text
    for kind in KINDS:
        assert kind in text
    assert "Missed:" in text
    assert "c5-plus-1-white-house-summit" in text


def test_the_evaluation_command_needs_the_reference_data(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("evaluate_tag_suggestions", stdout=StringIO())


def test_dates_of_a_partial_month_summit(record):
    summit = Summit.objects.get(slug="central-asia-japan-2024-08-astana")

    assert summit_key(summit) == "central-asia-japan@2024-08-01"
    assert summit.sort_date == datetime.date(2024, 8, 1)


# Frameworks described, not named


@pytest.mark.parametrize(
    ("title", "framework"),
    [
        (
            "Leaders of the European Union and five Central Asian states hold a first summit",
            "eu-central-asia",
        ),
        (
            "Central Asian leaders meet Japan's prime minister at a summit in Tokyo",
            "central-asia-japan",
        ),
        (
            "The presidents of Central Asia meet in Astana for a rare regional summit",
            "c5-consultative-meeting",
        ),
    ],
)
def test_a_meeting_described_in_words_points_to_its_framework(record, title, framework):
    suggestions = suggest_tags(title=title)

    assert strong(suggestions, "frameworks") == {framework}
    evidence = next(s.evidence for s in suggestions.frameworks if s.obj.slug == framework)
    assert any("described" in line for line in evidence)


@pytest.mark.parametrize(
    "title",
    [
        "Inflation slows across Central Asia",
        "China's banks lend more to Central Asian firms",
        "Kazakhstan and Uzbekistan sign a railway deal",
    ],
)
def test_no_meeting_no_framework(record, title):
    assert strong(suggest_tags(title=title), "frameworks") == set()


def test_a_date_in_a_sentence_about_another_framework_is_not_this_ones(record):
    suggestions = suggest_tags(
        title="C5+1 leaders meet in Washington",
        body="<p>The presidents of the five Central Asian states met the US president at the "
        "White House on Thursday.</p><p>China's leader hosted the first China–Central Asia "
        "summit in Xi'an in 2023.</p>",
    )

    shown = {summit_key(s.obj) for s in suggestions.summits}
    assert "china-central-asia@2023-05-18" in shown
    # The C5+1's own first summit was in 2023 too, but the sentence is about China's.
    assert "c5-plus-1@2023-09-19" not in shown


def test_a_partner_blocs_members_are_suggested_only_when_named(record):
    suggestions = suggest_tags(
        title="GCC and Central Asian foreign ministers hold a meeting in Tashkent",
        body="<p>Ministers of the Gulf Cooperation Council and the five Central Asian states "
        "met in Tashkent for their second meeting. Saudi Arabia's foreign minister chaired "
        "the GCC side.</p>",
    )

    assert {"GCC", "SA"} <= strong(suggestions)
    # Kuwait, Oman and the others are GCC members the text does not name.
    assert not {"KW", "OM", "BH", "QA", "AE"} & mentioned(suggestions)


@pytest.mark.parametrize(
    ("published", "found"),
    [
        # Saturday 8 November 2025: "on Thursday" is the 6th, the day of the summit.
        (datetime.date(2025, 11, 8), True),
        # A week later, the Thursday before is the 13th: another day.
        (datetime.date(2025, 11, 15), False),
        (None, False),
    ],
)
def test_a_weekday_is_read_against_the_publication_date(record, published, found):
    suggestions = suggest_tags(
        title="Central Asian presidents at the White House",
        body="<p>The C5+1 leaders met at the White House on Thursday.</p>",
        published=published,
    )

    assert ("c5-plus-1@2025-11-06" in strong(suggestions, "summits")) is found


def test_a_capital_named_as_its_government_is_no_place_of_meeting(record):
    as_government = suggest_tags(
        title="Korea–Central Asia ties deepen",
        body="<p>Seoul welcomed the plan, and Seoul's envoys will follow it up.</p>",
    )
    as_venue = suggest_tags(
        title="Korea–Central Asia ties deepen",
        body="<p>The leaders will meet in Seoul for the Korea–Central Asia summit.</p>",
    )

    def places(suggestions):
        return {s.obj.city for s in suggestions.summits if any("Seoul" in e for e in s.evidence)}

    assert places(as_government) == set()
    assert "Seoul" in places(as_venue)


def test_a_bare_year_away_from_the_frameworks_name_is_background(record):
    launched = "c5-plus-1@2015-11-01"
    away = suggest_tags(
        title="C5+1 leaders meet in Washington",
        body="<p>The presidents spoke about minerals.</p><p>Kazakhstan's economy has doubled "
        "since 2015, officials said.</p>",
    )
    near = suggest_tags(
        title="C5+1 leaders meet in Washington",
        body="<p>The presidents spoke about minerals.</p><p>The C5+1 began with a meeting of "
        "foreign ministers in 2015.</p>",
    )

    assert launched not in {summit_key(s.obj) for s in away.summits}
    assert launched in {summit_key(s.obj) for s in near.summits}


def test_a_summit_long_before_the_article_recalled_in_its_body_is_background(record):
    text = {
        "title": "C5+1 leaders meet at the White House",
        "body": "<p>The C5+1 presidents met in Washington on Thursday to talk about minerals."
        "</p><p>The first C5+1 summit took place in 2023.</p>",
    }

    dated = suggest_tags(**text, published=datetime.date(2025, 11, 8))
    undated = suggest_tags(**text)

    assert strong(dated, "summits") == {"c5-plus-1@2025-11-06"}
    # Still shown, as a passing mention.
    assert "c5-plus-1@2023-09-19" in {summit_key(s.obj) for s in dated.summits}
    assert "c5-plus-1@2023-09-19" in strong(undated, "summits")


def test_a_framework_partner_that_is_also_a_bloc_member_keeps_its_share(record):
    # Germany is an EU member; it is also the partner of Z5+1.
    suggestions = suggest_tags(
        title="Z5+1 leaders meet",
        body="<p>The Z5+1 format brings the region's presidents together.</p>",
    )

    assert "DE" in strong(suggestions)


def test_last_thursday_said_on_a_thursday_is_a_week_before(record):
    suggestions = suggest_tags(
        title="C5+1 leaders at the White House",
        body="<p>The C5+1 presidents met in Washington last Thursday.</p>",
        # Thursday 13 November 2025; the summit was on Thursday the 6th.
        published=datetime.datetime(2025, 11, 13, 10, tzinfo=datetime.UTC),
    )

    evidence = {summit_key(s.obj): s.evidence for s in suggestions.summits}
    assert "date “last Thursday”" in evidence["c5-plus-1@2025-11-06"]


@pytest.fixture
def record_in_three_languages(db):
    """The shipped record, with its Korean and Russian names."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_reference_data", stdout=StringIO())
    clear_cache()


@pytest.mark.parametrize(
    ("title", "body", "countries", "framework"),
    [
        (
            "한-중앙아시아 정상회의 열려",
            "카자흐스탄과 우즈베키스탄 정상이 한-중앙아시아 정상회의에 참석했다. "
            "카자흐스탄의 대통령은 협력을 강조했다.",
            {"Kazakhstan", "Uzbekistan"},
            "korea-central-asia",
        ),
        (
            "Встреча в формате С5+1",
            "Президенты Казахстана и Узбекистана приняли участие во встрече в формате С5+1. "
            "Казахстан предложил новые проекты.",
            {"Kazakhstan", "Uzbekistan"},
            "c5-plus-1",
        ),
    ],
    ids=["korean", "russian"],
)
def test_names_are_read_in_korean_and_russian_with_their_endings(
    record_in_three_languages, title, body, countries, framework
):
    found = suggest_tags(title=title, body=body).strong()
    assert countries <= {str(s.obj) for s in found.countries}
    assert [s.obj.slug for s in found.frameworks] == [framework]


def test_an_ending_does_not_make_a_latin_name_match_inside_a_word(record_in_three_languages):
    # Only Hangul and Cyrillic names go on into an ending: "Indiana" is not India.
    found = suggest_tags(
        title="Indiana farmers", body="Indiana farmers sell grain in Indianapolis."
    )
    assert "India" not in {str(s.obj) for s in [*found.countries]}


def test_korean_and_russian_demonyms_point_to_their_states(record_in_three_languages):
    # No country named: only what its people and things are called, with endings.
    russian = suggest_tags(
        title="Переговоры о воде",
        body="Узбекская делегация и казахстанская сторона обсудили водные проекты.",
    )
    korean = suggest_tags(title="물 회담", body="우즈베크 대표단과 카자흐 측이 물 문제를 논의했다.")
    for found in (russian, korean):
        assert {"Uzbekistan", "Kazakhstan"} <= {str(s.obj) for s in found.countries}
