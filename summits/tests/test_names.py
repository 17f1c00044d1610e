"""Record names: search and tagging read countries, frameworks and cities the same way."""

import pytest

from summits import lexicon, tagging
from summits.models import Country, Framework, Region, Summit
from summits.names import (
    compact,
    country_names,
    demonyms,
    fold,
    fold_characters,
    framework_names,
    partner_names,
    record_vocabulary,
    records_named,
    summit_places,
)
from summits.tagging import suggest_tags
from summits.tests.factories import CountryFactory


def tagged(text: str) -> tuple[set[str], set[str]]:
    """The country codes and framework slugs tagging finds in a headline."""
    suggestions = suggest_tags(title=text)
    return (
        {s.obj.code for s in suggestions.countries},
        {s.obj.slug for s in suggestions.frameworks},
    )


def searched(text: str) -> tuple[set[str], set[str]]:
    """The country codes and framework slugs search links for a query."""
    matches = records_named(text)
    return {c.code for c in matches.countries}, {f.slug for f in matches.frameworks}


# Folding


@pytest.mark.parametrize("written", ["C5+1", "C5 + 1", "c5 plus 1", "C5\u20131", "C5\uff0b1"])
def test_the_ways_of_writing_c5_plus_1_fold_alike(written):
    assert fold(written) == "c5+1"


def test_accents_typography_and_spacing_fold_away():
    assert fold("Türkiye") == fold("Turkiye") == "turkiye"
    assert fold("Xi\u2019an") == "xi'an"
    assert fold("Central Asia\u00a0\u2013\u00a0Japan") == fold("Central Asia plus Japan")


def test_folding_characters_keeps_every_position():
    text = "Erdoğan in Xi’an – “C5＋1”, ﬁnally ½ done"

    folded = fold_characters(text)

    assert len(folded) == len(text)
    assert folded.startswith('Erdogan in Xi\'an - "C5+1"')


def test_a_reader_may_type_a_name_without_its_dashes():
    assert compact("Cholpon-Ata").replace("+", "") == compact("Cholpon Ata")
    assert compact("EU\u2013CA") == compact("EU + CA") == "eu+ca"


def test_summit_places_are_written_several_ways():
    assert summit_places("Washington, D.C.") == [
        "Washington, D.C.",
        "Washington",
        "Washington, D.C.",
    ]
    assert "Xian" in summit_places("Xi'an")
    assert summit_places("") == []


# One set of names for search and tagging


def test_every_country_name_and_demonym_is_read_alike_by_search_and_tagging(record):
    disagreements = {}
    for country in Country.objects.all():
        for word in [*country_names(country.code, country), *demonyms(country.code)]:
            found = (country.code in searched(word)[0], country.code in tagged(word)[0])
            if found != (True, True):
                disagreements[word] = found

    assert disagreements == {}


def test_every_framework_name_is_read_alike_by_search_and_tagging(record):
    too_short = {fold(name) for name in lexicon.AMBIGUOUS_FRAMEWORK_NAMES}
    disagreements = {}
    for framework in Framework.objects.select_related("partner"):
        partner = framework.partner
        names = framework_names(framework, partner_names(partner.code, partner) if partner else ())
        for name in names:
            if fold(name) in too_short:
                continue
            found = (framework.slug in searched(name)[1], framework.slug in tagged(name)[1])
            if found != (True, True):
                disagreements[name] = found

    assert disagreements == {}


@pytest.mark.parametrize(
    ("text", "code"),
    [("Kazakh", "KZ"), ("Kazakhs", "KZ"), ("Uzbekistani", "UZ"), ("Emirati", "AE"), ("PRC", "CN")],
)
def test_a_demonym_or_short_form_the_tagger_knows_is_found_by_search(record, text, code):
    assert code in tagged(text)[0]
    assert code in searched(text)[0]


@pytest.mark.parametrize("text", ["C5+1", "C5 + 1", "C5 plus 1", "US\u2013Central Asia"])
def test_c5_plus_1_however_written_is_the_same_framework_for_both(record, text):
    assert "c5-plus-1" in tagged(text)[1]
    assert "c5-plus-1" in searched(text)[1]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Indian Ocean", "IN"),
        ("Latin American", "US"),
        ("North Korea", "KR"),
        ("Democratic People's Republic of Korea", "KR"),
    ],
)
def test_false_friends_name_no_country_for_either(record, text, code):
    assert code not in tagged(text)[0]
    assert code not in searched(text)[0]


def test_a_name_with_accents_is_found_without_them(record):
    CountryFactory(code="TR", alpha3="TUR", name="Türkiye", slug="turkiye", region=Region.EUROPE)
    tagging.clear_cache()

    for text in ("Türkiye", "Turkiye"):
        assert "TR" in tagged(text)[0]
        assert "TR" in searched(text)[0]


def test_search_finds_summits_by_their_city_however_typed(record):
    held_there = set(Summit.objects.filter(city="Cholpon-Ata"))

    assert held_there
    assert set(records_named("Cholpon Ata").summits) == held_there
    assert set(records_named("cholpon-ata").summits) == held_there


def test_a_whole_query_of_two_letters_is_a_name_but_not_a_start(record):
    assert searched("EU")[0] == {"EU"}
    assert records_named("Ka") == records_named("")


def test_a_start_of_a_name_stops_at_a_join(record):
    assert searched("Central Asia")[1]
    assert searched("Central Asia's") == (set(), set())


def test_a_kept_vocabulary_answers_each_query_alike(record):
    """Search keeps one vocabulary, with its names looked up by form, for query after query."""
    vocabulary = record_vocabulary()
    queries = ["kazakh", "energy talks at the C5+1 summit", "Samarkand", "central asia", "EU"]

    for text in [*queries, "north korea talks", "Kazakhstan Uzbekistan water", *queries]:
        assert records_named(text, vocabulary) == records_named(text), text
    assert searched("energy talks at the C5+1 summit") == (set(), {"c5-plus-1"})
    assert searched("Kazakhstan Uzbekistan water") == ({"KZ", "UZ"}, set())
