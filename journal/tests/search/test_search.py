"""Full-text search: the same behaviour on PostgreSQL and SQLite."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from journal.models import Article
from journal.search.index import FTS_TABLE, rebuild_index
from journal.search.query import MAX_QUERY_LENGTH, parse_query
from journal.search.spelling import trigram_similarity
from journal.services.workflow import article_publish, article_unpublish
from journal.tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PublishedArticleFactory,
)
from summits.tests.factories import CountryFactory, FrameworkFactory, SummitFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("journal:search")


def search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return [article.title for article in response.context.get("articles", [])]


def count_shown(response) -> int | None:
    match = re.search(r"(\d+) articles?</p>", response.text)
    return int(match.group(1)) if match else None


@pytest.fixture
def region():
    kazakhstan = CountryFactory(code="KZ")
    turkmenistan = CountryFactory(code="TM")
    us = CountryFactory(code="US")
    c5 = FrameworkFactory(
        name="C5+1 (Central Asia + United States)",
        short_name="C5+1",
        slug="c5-plus-1",
        aliases="C5+1 format",
        partner=us,
    )
    astana = SummitFactory(
        framework=c5, title="C5+1 ministerial meeting, Astana", slug="c5-astana", city="Astana"
    )
    return {"kz": kazakhstan, "tm": turkmenistan, "c5": c5, "astana": astana}


# Ranking -------------------------------------------------------------------


def test_title_outranks_standfirst_outranks_body(client):
    body_only = PublishedArticleFactory(
        title="Trade talks continue",
        body="<p>Delegates discussed the Caspian pipeline at length.</p>",
        publish_at=timezone.now() - datetime.timedelta(minutes=1),  # newest
    )
    standfirst = PublishedArticleFactory(
        title="Energy ministers meet",
        standfirst="The Caspian pipeline is on the agenda.",
        publish_at=timezone.now() - datetime.timedelta(days=1),
    )
    title = PublishedArticleFactory(
        title="The Caspian pipeline, explained",
        publish_at=timezone.now() - datetime.timedelta(days=2),  # oldest
    )

    response = search(client, "caspian pipeline")

    assert titles(response) == [title.title, standfirst.title, body_only.title]
    assert count_shown(response) == 3


def test_every_word_must_match(client):
    PublishedArticleFactory(title="Water sharing on the Amu Darya")
    PublishedArticleFactory(title="Water prices in Bishkek")

    assert titles(search(client, "water darya")) == ["Water sharing on the Amu Darya"]
    assert len(titles(search(client, "water"))) == 2


def test_phrases_alternatives_and_exclusions(client):
    PublishedArticleFactory(title="Central Asia and Japan", body="<p>Asia central banks.</p>")
    PublishedArticleFactory(title="Asia's central banks")
    PublishedArticleFactory(title="Central Asia and China")

    assert sorted(titles(search(client, '"central asia"'))) == [
        "Central Asia and China",
        "Central Asia and Japan",
    ]
    assert titles(search(client, '"central asia" -china')) == ["Central Asia and Japan"]
    assert sorted(titles(search(client, "japan OR china"))) == [
        "Central Asia and China",
        "Central Asia and Japan",
    ]


def test_words_are_stemmed_alike_on_both_databases(client):
    PublishedArticleFactory(title="Ministers negotiated a new agreement")

    assert titles(search(client, "negotiating agreements")) == [
        "Ministers negotiated a new agreement"
    ]


# Snippets --------------------------------------------------------------------


def test_results_show_a_highlighted_excerpt_of_the_body(client):
    PublishedArticleFactory(
        title="Rail links",
        standfirst="A standfirst without the word.",
        body="<p>Opening paragraph about trains.</p><p>The new Tashkent railway opens in May "
        "&amp; carries freight.</p>",
    )

    response = search(client, "railway")

    assert "<mark>railway</mark>" in response.text
    assert 'class="card-snippet"' in response.text
    # Text from the body's HTML, shown as text: no tags, entities intact once.
    snippet = re.search(r'<p class="card-snippet">(.*?)</p>', response.text, re.S).group(1)
    assert "&amp; carries" in snippet
    assert "<p>" not in snippet


def test_excerpts_leave_out_links_and_their_attributes(client):
    PublishedArticleFactory(
        title="Maps",
        standfirst="A standfirst without the word.",
        body='<p>See <a href="https://example.org/railway" title="railway plans">the '
        "<strong>railway</strong> map</a> &amp; timetable.</p><ul><li>Freight first</li></ul>",
    )

    response = search(client, "railway")

    snippet = re.search(r'<p class="card-snippet">(.*?)</p>', response.text, re.S).group(1)
    assert snippet.count("<mark>") == 1
    assert "<mark>railway</mark> map" in snippet
    assert "&amp; timetable" in snippet
    for markup in ("href", "example.org", "plans", "<a", "<strong", "<li"):
        assert markup not in snippet


def test_a_match_in_the_standfirst_only_is_excerpted_from_it(client):
    PublishedArticleFactory(title="Quiet week", standfirst="Nothing moved on the Aral Sea.")

    assert "<mark>Aral</mark> Sea" in search(client, "aral").text


def test_excerpts_escape_what_the_article_says(client):
    PublishedArticleFactory(
        title="Markup", standfirst='Officials & "advisers" said the script was 3 < 5 words long'
    )

    response = search(client, "script")

    snippet = re.search(r'<p class="card-snippet">(.*?)</p>', response.text, re.S).group(1)
    assert "<mark>script</mark>" in snippet
    assert "Officials &amp; &quot;advisers&quot;" in snippet
    assert "3 &lt; 5 words" in snippet


# Only what readers may see ---------------------------------------------------


def test_only_published_articles_are_found(client, travel):
    now = timezone.now()
    PublishedArticleFactory(title="Zeravshan live")
    ArticleFactory(title="Zeravshan draft")
    ArticleFactory(title="Zeravshan review", status=Article.Status.IN_REVIEW)
    ArticleFactory(
        title="Zeravshan archived",
        status=Article.Status.ARCHIVED,
        publish_at=now - datetime.timedelta(days=3),
    )
    PublishedArticleFactory(
        title="Zeravshan scheduled", publish_at=now + datetime.timedelta(hours=2)
    )

    assert titles(search(client, "zeravshan")) == ["Zeravshan live"]

    # Its time comes: found with no further save or job.
    travel(datetime.timedelta(hours=3))
    assert titles(search(client, "zeravshan")) == ["Zeravshan scheduled", "Zeravshan live"]


def test_a_scheduled_article_is_found_from_its_very_second(client, travel):
    """Not even a fraction of a second early: the index is read by publish time."""
    PublishedArticleFactory(
        title="Zeravshan at noon", publish_at=timezone.now() + datetime.timedelta(milliseconds=400)
    )
    assert titles(search(client, "zeravshan")) == []

    travel(datetime.timedelta(seconds=1))
    assert titles(search(client, "zeravshan")) == ["Zeravshan at noon"]


def test_the_index_follows_the_workflow(client, commit):
    article = PublishedArticleFactory(
        title="Kulma pass trade", countries=[CountryFactory()], authors=[ContributorFactory()]
    )
    assert titles(search(client, "kulma")) == ["Kulma pass trade"]

    with commit():
        article_unpublish(article=article)
    assert titles(search(client, "kulma")) == []

    with commit():
        article_publish(article=article)
    assert titles(search(client, "kulma")) == ["Kulma pass trade"]

    with commit():
        article.publish_at = timezone.now() + datetime.timedelta(days=1)
        article.save()
    assert titles(search(client, "kulma")) == []


def test_an_article_scheduled_centuries_ahead_is_neither_found_nor_counted(client):
    PublishedArticleFactory(
        title="Zerafshan far ahead",
        publish_at=datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    )
    PublishedArticleFactory(title="Zerafshan today")

    response = search(client, "zerafshan")

    assert titles(response) == ["Zerafshan today"]
    assert count_shown(response) == 1


# Keeping the index current ---------------------------------------------------


def test_the_index_follows_edits_and_deletions(client, commit):
    article = PublishedArticleFactory(title="Pamir highway reopens")
    assert titles(search(client, "pamir")) == ["Pamir highway reopens"]

    with commit():
        article.title = "Wakhan corridor reopens"
        article.save()
    assert titles(search(client, "pamir")) == []
    assert titles(search(client, "wakhan")) == ["Wakhan corridor reopens"]

    with commit():
        article.delete()
    assert titles(search(client, "wakhan")) == []
    assert count_shown(search(client, "wakhan")) == 0


def test_deleting_a_published_article_with_its_bylines_takes_it_out(client, commit):
    """Its bylines go first, and each asks for its article to be indexed again."""
    article = PublishedArticleFactory(
        title="Turkestan ridge",
        countries=[CountryFactory()],
        authors=[ContributorFactory(), ContributorFactory()],
    )
    assert titles(search(client, "turkestan")) == ["Turkestan ridge"]

    with commit():
        article.delete()

    assert titles(search(client, "turkestan")) == []
    assert count_shown(search(client, "turkestan")) == 0


def test_rebuilding_the_index_catches_up_writes_without_signals(client, commit):
    article = PublishedArticleFactory(title="Fergana valley")
    Article.objects.filter(pk=article.pk).update(title="Zhetysu region")
    assert titles(search(client, "zhetysu")) == []

    with commit():
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert titles(search(client, "zhetysu")) == ["Zhetysu region"]
    assert titles(search(client, "fergana")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_a_rebuilt_sqlite_index_is_one_segment(client, commit):
    """A search reads every segment of the index: a rebuild, batch by batch, merges them."""
    PublishedArticleFactory.create_batch(3, title="Syr Darya delta")

    def segments() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(DISTINCT segid) FROM {FTS_TABLE}_idx")
            return cursor.fetchone()[0]

    assert segments() > 1
    with commit():
        rebuild_index(batch_size=1)

    assert segments() == 1
    assert len(titles(search(client, "syr darya"))) == 3


# Filters and pages -----------------------------------------------------------


def test_search_combines_with_the_article_filters(client, region):
    tagged = PublishedArticleFactory(title="Gas exports rise", countries=[region["tm"]])
    PublishedArticleFactory(title="Gas exports fall", countries=[region["kz"]])
    PublishedArticleFactory(
        title="Gas exports analysed",
        section=Article.Section.ANALYSIS,
        countries=[region["tm"]],
    )

    assert len(titles(search(client, "gas"))) == 3
    assert titles(search(client, "gas", country="turkmenistan", section="news")) == [tagged.title]
    assert count_shown(search(client, "gas", country="turkmenistan")) == 2


def test_the_filter_form_carries_each_search_and_keeps_the_chosen_filters(client, region):
    PublishedArticleFactory(title="Gas exports rise", countries=[region["tm"]])
    PublishedArticleFactory(title="Cotton exports rise", countries=[region["tm"]])

    for words in ("gas", "cotton exports"):
        form = re.search(
            r'<form class="filters".*?</form>',
            search(client, words, country="turkmenistan").text,
            re.S,
        )
        assert f'<input type="hidden" name="q" value="{words}">' in form.group()
        assert '<option value="turkmenistan" selected>' in form.group()
    # The same form without a filter: the country not chosen.
    form = re.search(r'<form class="filters".*?</form>', search(client, "gas").text, re.S).group()
    assert '<option value="turkmenistan">' in form
    assert '<input type="hidden" name="q" value="gas">' in form


def test_a_bad_filter_is_a_form_error_not_a_server_error(client):
    PublishedArticleFactory(title="Gas exports")

    response = search(client, "gas", year="abc", country="atlantis")

    assert "Some filters could not be used" in response.text
    assert titles(response) == []


def test_results_are_paginated(client):
    for number in range(23):
        PublishedArticleFactory(
            title=f"Cotton harvest report {number}",
            publish_at=timezone.now() - datetime.timedelta(hours=number),
        )

    first = search(client, "cotton")
    second = search(client, "cotton", page=2)

    assert count_shown(first) == 23
    assert len(titles(first)) == 20
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert client.get(SEARCH, {"q": "cotton", "page": 3}).status_code == 404


def test_a_search_matching_more_than_is_ranked_ranks_the_newest_and_says_so(client, monkeypatch):
    """Past RANKED_AT_MOST matches, the newest are ranked and the reader is told."""
    monkeypatch.setattr("journal.search.results.RANKED_AT_MOST", 3)
    PublishedArticleFactory(
        title="Cotton, cotton and cotton: the oldest piece",
        publish_at=timezone.now() - datetime.timedelta(days=30),
    )
    for number in range(4):
        PublishedArticleFactory(
            title=f"Harvest report {number}",
            body="<p>Cotton prices.</p>",
            publish_at=timezone.now() - datetime.timedelta(days=number),
        )

    response = search(client, "cotton")

    assert "More than 3 articles match" in response.text
    assert count_shown(response) is None
    # The best match by words is older than the newest four: not ranked.
    assert "the oldest piece" not in response.text
    assert len(titles(response)) == 3
    assert client.get(SEARCH, {"q": "cotton", "page": 2}).status_code == 404

    narrower = search(client, "cotton oldest")
    assert titles(narrower) == ["Cotton, cotton and cotton: the oldest piece"]
    assert count_shown(narrower) == 1


def test_the_newest_by_publish_time_are_ranked_whatever_order_they_were_written_in(
    client, monkeypatch
):
    """An archive imported newest first, or a piece backdated: publish time decides."""
    monkeypatch.setattr("journal.search.results.RANKED_AT_MOST", 2)
    now = timezone.now()
    for days, title in [
        (1, "Cotton yields up"),
        (2, "Cotton exports"),
        (3, "Cotton weekly"),
        (200, "Cotton, cotton and cotton"),  # the best match by words, written last
    ]:
        PublishedArticleFactory(title=title, publish_at=now - datetime.timedelta(days=days))

    response = search(client, "cotton")

    assert "More than 2 articles match" in response.text
    assert len(titles(response)) == 2
    assert "Cotton, cotton and cotton" not in titles(response)


# Names of the diplomatic record ------------------------------------------------


def test_a_framework_name_links_to_its_page_above_the_articles(client, region):
    PublishedArticleFactory(
        title="What the C5+1 format achieved",
        body="<p>Ten years of the C5+1 format.</p>",
        frameworks=[region["c5"]],
    )

    response = search(client, "C5+1")

    text = response.text
    framework_link = text.index(f'href="{region["c5"].get_absolute_url()}"')
    first_card = text.index('<article class="card')
    assert framework_link < first_card
    assert titles(response) == ["What the C5+1 format achieved"]
    assert "<mark>C5+1</mark>" in text


def test_a_city_links_to_the_summits_held_there(client, region):
    response = search(client, "Astana")

    assert f'href="{region["astana"].get_absolute_url()}"' in response.text
    assert count_shown(response) == 0
    assert "No article matches this search." in response.text


def test_a_country_name_links_to_the_country(client, region):
    response = search(client, "kazakh")

    assert f'href="{region["kz"].get_absolute_url()}"' in response.text
    assert region["tm"].get_absolute_url() not in response.text


@pytest.mark.parametrize("typed", ["Kim Dae-sik", "Dae-sik Kim", "kim daesik", "KIM DAE SIK"])
def test_a_contributors_name_links_to_their_page(client, typed):
    kim = ContributorFactory(name="Kim Dae-sik", slug="kim-dae-sik")
    PublishedArticleFactory(title="Seoul and Astana", authors=[kim])

    response = search(client, typed)

    assert 'href="/en/contributors/kim-dae-sik/"' in response.text.split('id="records-title"')[1]


@pytest.mark.parametrize("typed", ["Kim Dae-sik", "dae-sik kim", "Kim Daesik"])
def test_an_article_is_found_by_its_writers_name(client, typed):
    kim = ContributorFactory(name="Kim Dae-sik", slug="kim-dae-sik")
    PublishedArticleFactory(title="Seoul and Astana", authors=[kim])
    PublishedArticleFactory(title="Someone else's piece")

    assert titles(search(client, typed)) == ["Seoul and Astana"]


def test_the_index_follows_bylines_and_a_contributors_new_name(client, commit):
    article = PublishedArticleFactory(title="Seoul and Astana")
    with commit():
        kim = ContributorFactory(name="Kim Dae-sik", slug="kim-dae-sik")
        byline = BylineFactory(article=article, contributor=kim)
    assert titles(search(client, "Kim Dae-sik")) == ["Seoul and Astana"]

    with commit():
        kim.name = "Kim Dae-jung"
        kim.save()
    renamed = search(client, "Kim Dae-jung")
    assert titles(renamed) == ["Seoul and Astana"]
    assert ">Kim Dae-jung</a>" in renamed.text.split('id="records-title"')[1]
    assert titles(search(client, "Dae-sik")) == []

    with commit():
        byline.delete()
    assert titles(search(client, "Dae-jung")) == []


def test_a_record_added_since_the_last_search_is_linked(client, commit):
    PublishedArticleFactory(title="Steppe railways")
    assert "/en/countries/mongolia/" not in search(client, "Mongolia railways").text

    with commit():
        CountryFactory(name="Mongolia", slug="mongolia", code="MN")

    assert "/en/countries/mongolia/" in search(client, "Mongolia railways").text


def test_part_of_a_name_or_an_unpublished_writer_links_to_no_one(client):
    kim = ContributorFactory(name="Kim Dae-sik", slug="kim-dae-sik")
    PublishedArticleFactory(title="Seoul and Astana", authors=[kim])
    guest = ContributorFactory(name="Lee Min-ho", slug="lee-min-ho")
    PublishedArticleFactory(authors=[guest], publish_at=timezone.now() + datetime.timedelta(days=1))

    assert "/en/contributors/kim-dae-sik/" not in search(client, "Kim Astana").text
    assert "/en/contributors/lee-min-ho/" not in search(client, "Lee Min-ho").text


def test_excluded_words_do_not_link_records(client, region):
    response = search(client, "pipeline -kazakhstan")

    assert region["kz"].get_absolute_url() not in response.text


# Misspellings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant", "title"),
    [
        ("Kazahstan", "Kazakhstan", "Kazakhstan votes"),
        ("Turkmenstan", "Turkmenistan", "Turkmenistan gas"),
    ],
)
def test_a_misspelled_name_still_finds_results(client, region, typed, meant, title):
    PublishedArticleFactory(title=title)

    response = search(client, typed)

    assert titles(response) == [title]
    assert "Showing results for" in response.text
    assert f"<strong>{meant}</strong>" in response.text
    assert region["kz" if meant == "Kazakhstan" else "tm"].get_absolute_url() in response.text


def test_did_you_mean_when_the_correction_finds_nothing_either(client, region):
    response = search(client, "Kazahstan")

    assert "Did you mean" in response.text
    assert "<strong>Kazakhstan</strong>" in response.text
    assert count_shown(response) == 0


def test_no_suggestion_for_an_unknown_word(client, region):
    response = search(client, "xylophone")

    assert "Did you mean" not in response.text
    assert "Showing results for" not in response.text


def test_trigram_similarity_matches_pg_trgm():
    pairs = [("Kazahstan", "Kazakhstan"), ("Turkmenstan", "Turkmenistan"), ("word", "two words")]
    for first, second in pairs:
        ours = trigram_similarity(first, second)
        assert 0 < ours < 1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT similarity(%s, %s)", (first, second))
                assert ours == pytest.approx(cursor.fetchone()[0], abs=1e-6)
    assert trigram_similarity("Kazahstan", "Kazakhstan") == pytest.approx(8 / 13)
    assert trigram_similarity("abc", "") == 0


# Whatever a reader types -------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "'",
    "' OR 1=1 --",
    "%",
    "%_%",
    "\\",
    "*",
    "^",
    "title:secret",
    "NEAR(a b)",
    "a AND OR NOT b",
    "(((",
    "-",
    "--",
    "OR",
    "C5+1 & | ! <->",
    ":*",
    "😀🇰🇿",
    "Қазақстан",
    "a\x00b",
    "x" * 10_000,
    "word " * 2_000,
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_is_answered(client, query):
    PublishedArticleFactory(title="An ordinary article about a summit")

    response = search(client, query)

    assert "<script>alert(1)" not in response.text


def test_an_empty_query_shows_the_form_not_every_article(client):
    PublishedArticleFactory(title="An article")

    for query in ["", "   "]:
        response = search(client, query)
        assert 'id="search-q"' in response.text
        assert '<article class="card' not in response.text
        assert count_shown(response) is None


def test_a_query_of_only_common_words_says_so(client):
    PublishedArticleFactory(title="The summit")

    response = search(client, "the and of")

    assert "too common to search for" in response.text
    assert '<article class="card' not in response.text


def test_a_long_query_is_shortened_and_says_so(client):
    PublishedArticleFactory(title="Summit")

    response = search(client, "summit " + "y" * 5_000)

    assert "only its beginning was used" in response.text
    assert len(response.context["query"].text) <= MAX_QUERY_LENGTH


def test_every_page_has_a_search_box(client):
    response = client.get(reverse("journal:home"))

    assert 'role="search"' in response.text
    assert f'action="{SEARCH}"' in response.text


# Parsing -----------------------------------------------------------------------


def test_parse_query():
    query = parse_query('water "Amu Darya" -China japan OR korea the')

    words = [[term.words for term in group] for group in query.groups]
    assert words == [[("water",)], [("amu", "darya")], [("japan",), ("korea",)]]
    assert [term.words for term in query.excluded] == [("china",)]
    assert query.wanted_text == "water Amu Darya japan korea"
    assert not parse_query("the of and")
    assert not parse_query('"" - OR')
