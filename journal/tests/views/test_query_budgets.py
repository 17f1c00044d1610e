"""Each public page makes a fixed number of queries, however much it shows.

The budgets are exact on purpose: a change that adds a query to a page has to
change the number here, in the same commit, and say why.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import Byline, Contributor, Correction
from journal.tests.factories import ContributorFactory, PublishedArticleFactory
from summits.models import Participant, Region, Summit
from summits.tests.factories import CountryFactory, FrameworkFactory, SummitFactory, central_asia

# What a page costs to render: the page cache (see test_caching.py) is off.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]

FEW, MANY = 5, 35

# (cold, warm): the first request after a committed change of content, and the
# next one. Counts, choice lists, rankings and rendered fragments and article
# cards are kept once per content generation (see journal/content_generation.py,
# journal/models/counts.py, where a tally takes two queries, and the
# {% article_cards %} tag); a cold request
# loads the bylines of the cards it renders (1 query). The change that ends a
# generation asks when the next scheduled article goes live, not the reader. A
# list page reads its rows by primary key; which rows make the page is also
# kept per generation (cold: 1 query more).
QUERY_BUDGETS = {
    # lead with its bylines, latest in the page's language and in each other;
    # cold: the cards' bylines, the framework strips (frameworks, newest per
    # framework, headlines) and the upcoming and recent summits, kept as
    # fragments of the page.
    "home": (11, 5),
    # the page's rows; cold: COUNT, its ids, the choices of countries,
    # frameworks and summits, the contributors readers know of, bylines.
    "article_list": (8, 1),
    # The result cards; cold: the filters' choices as above,
    # the ranked page with the count (one query), excerpts, the articles'
    # bylines, and the countries, frameworks, summits and contributors whose
    # names the query might be. A query and its filters are ranked once per
    # generation.
    "search": (12, 1),
    # As the plain list: the filters join on slugs, no look-up first.
    "article_list_filtered": (8, 1),
    # The article; cold: its bylines, its countries, frameworks and summits
    # (one query), corrections (the page below the head is a kept fragment,
    # and so is its structured data), its related articles (one join on the
    # rows ranked when its tags changed) and their cards' bylines, and its
    # published translations (kept, for the language switcher in the head).
    "article_detail": (7, 1),
    # countries; cold: the tallies per country.
    "country_list": (3, 1),
    # country, the page's rows; cold: the tallies per country (its count), the page's ids,
    # the framework filter's choices, bylines, the country's frameworks and
    # summits (kept with the aside).
    "country_detail": (9, 2),
    # frameworks with partners and summit counts; cold: the tallies.
    "framework_list": (3, 1),
    # framework with partner, members, the page's rows; cold: the tallies (its count), the
    # page's ids, bylines, the timeline (kept).
    "framework_detail": (8, 3),
    # Nothing once the lists are kept; cold: COUNT, the past
    # page's ids and rows, upcoming, the framework and host filters' choices.
    "summit_list": (6, 0),
    # summit, the page's rows; cold: the tallies per summit (its count), the page's ids,
    # bylines, participations with their countries (kept with the aside).
    "summit_detail": (7, 2),
    # contributors; cold: the tallies per contributor.
    "contributor_list": (3, 1),
    # contributor, the page's rows; cold: the tallies per contributor (who
    # readers may know of, and the count), the page's ids, bylines.
    "contributor_detail": (5, 2),
    # articles, bylines with contributors, countries, frameworks.
    "feed_latest_rss": (4, 4),
    # the country, then as the latest feed.
    "feed_country_atom": (5, 5),
    # The index: a COUNT for each of the five database sections, the summits'
    # dates, the articles of the last two days (the news section); cold: the
    # newest change among the articles, the contributors readers know of (who
    # is listed).
    "sitemap": (8, 7),
    # The articles' first page: COUNT, page, and the page's translation groups
    # (originals by id, translations by original: for the hreflang alternates).
    "sitemap_articles": (4, 4),
}


class World:
    """Central Asia (summits' central_asia()) and a staff writer, grown on demand.

    Each `grow()` step adds a published article with two bylines, three
    countries, two frameworks and two summits, and with it one more partner
    country, framework, summit, participant and guest writer, so that every
    index and every list on a page gets longer. The subject article collects
    every new tag, byline and correction, so its own page grows too.
    """

    def __init__(self):
        record = central_asia()
        self.kz, self.uz, self.us = record.kz, record.uz, record.us
        self.c5, self.summit = record.c5, record.summit
        self.staff = ContributorFactory(name="Lead Writer", slug="lead-writer")
        self.subject = PublishedArticleFactory(
            title="The subject",
            slug="the-subject",
            countries=[self.kz, self.uz, self.us],
            frameworks=[self.c5],
            summits=[self.summit],
            authors=[self.staff],
            featured=True,
            publish_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        self.size = 0

    def grow(self, count: int) -> None:
        today = timezone.localdate()
        for _ in range(count):
            self.size += 1
            partner = CountryFactory(region=Region.EUROPE)
            framework = FrameworkFactory(partner=partner)
            framework.members.set([self.kz, self.uz, partner])
            upcoming = self.size % 5 == 0
            summit = SummitFactory(
                framework=self.c5,
                host_country=self.kz,
                status=Summit.Status.PLANNED if upcoming else Summit.Status.HELD,
                start_date=today + datetime.timedelta(days=self.size * (1 if upcoming else -30)),
            )
            Participant.objects.create(summit=self.summit, country=partner, order=self.size)
            writer = ContributorFactory(kind=Contributor.Kind.GUEST)
            PublishedArticleFactory(
                countries=[self.kz, self.uz, partner],
                frameworks=[self.c5, framework],
                summits=[self.summit, summit],
                authors=[self.staff, writer],
                publish_at=timezone.now() - datetime.timedelta(hours=self.size),
            )
            self.subject.countries.add(partner)
            self.subject.frameworks.add(framework)
            self.subject.summits.add(summit)
            Byline.objects.create(article=self.subject, contributor=writer, order=self.size)
            Correction.objects.create(article=self.subject, text=f"Correction {self.size}.")


@dataclass(frozen=True)
class Page:
    url: Callable[[World], str]
    # What each item looks like in the response, and how many there are at least
    # once the world has grown to MANY.
    shows: dict[str, int]


# Twenty cards, each with both bylines.
CARDS = {'<article class="card': 20, "By Lead Writer": 20, " and Writer ": 20}
PAGES = {
    "home": Page(
        lambda w: reverse("journal:home"),
        {'<article class="card': 10, '<section class="strip"': MANY, 'class="summit-row"': 8},
    ),
    "search": Page(
        lambda w: reverse("journal:search") + "?q=standfirst&country=kazakhstan",
        {**CARDS, "<mark>standfirst</mark>": 20, "<option value=": 4 * MANY},
    ),
    "article_list": Page(
        lambda w: reverse("journal:article_list"),
        {**CARDS, "<option value=": 4 * MANY},
    ),
    "article_list_filtered": Page(
        lambda w: reverse("journal:article_list") + "?country=kazakhstan&framework=c5-plus-1",
        CARDS,
    ),
    "article_detail": Page(
        lambda w: w.subject.get_absolute_url(),
        {
            'class="byline-name"': MANY + 1,
            '<a class="tag"': MANY + 3,
            'class="tag tag-framework"': MANY + 1,
            'class="tag tag-summit"': MANY + 1,
            "Correction ": MANY,
            '<article class="card': 4,
        },
    ),
    "country_list": Page(
        lambda w: reverse("journal:country_list"), {'<li><a href="/en/countries/': MANY + 3}
    ),
    "country_detail": Page(
        lambda w: w.kz.get_absolute_url(),
        {**CARDS, '<li><a href="/en/frameworks/': MANY + 1, 'class="summit-row"': MANY + 1},
    ),
    "framework_list": Page(
        lambda w: reverse("journal:framework_list"), {'class="framework-item"': MANY + 1}
    ),
    "framework_detail": Page(
        lambda w: w.c5.get_absolute_url(), {**CARDS, 'class="timeline-item': MANY + 1}
    ),
    "summit_list": Page(lambda w: reverse("journal:summit_list"), {'class="summit-row"': MANY + 1}),
    "summit_detail": Page(
        lambda w: w.summit.get_absolute_url(), {**CARDS, '<li><a href="/en/countries/': MANY}
    ),
    "contributor_list": Page(
        lambda w: reverse("journal:contributor_list"), {'class="contributor-item"': MANY + 1}
    ),
    "contributor_detail": Page(lambda w: w.staff.get_absolute_url(), CARDS),
    "feed_latest_rss": Page(
        lambda w: reverse("journal:feed_latest_rss"),
        {"<item>": 30, ">Lead Writer and Writer ": 29},
    ),
    "feed_country_atom": Page(
        lambda w: reverse("journal:feed_country_atom", kwargs={"slug": w.kz.slug}),
        {"<entry>": 30, "<name>Lead Writer and Writer ": 29},
    ),
    "sitemap": Page(lambda w: reverse("site:sitemap"), {"<sitemap>": 6}),
    "sitemap_articles": Page(
        lambda w: reverse("site:sitemap_section", args=["articles"]), {"<url>": MANY}
    ),
}


def test_every_page_has_a_budget():
    assert set(PAGES) == set(QUERY_BUDGETS)


@pytest.mark.parametrize("name", QUERY_BUDGETS)
def test_page_queries_stay_within_budget(client, commit, django_assert_num_queries, name):
    page = PAGES[name]
    world = World()
    with commit():
        world.grow(FEW)
    url = page.url(world)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    with commit():
        world.grow(MANY - FEW)
    cold, warm = QUERY_BUDGETS[name]
    with django_assert_num_queries(cold) as many:
        response = client.get(url)
    assert len(few) == len(many), [query["sql"] for query in few.captured_queries]
    # Again, with the counts and choice lists of this content generation known.
    with django_assert_num_queries(warm):
        again = client.get(url)

    for answer in (response, again):
        assert answer.status_code == 200
        text = answer.text
        for marker, minimum in page.shows.items():
            assert text.count(marker) >= minimum, (marker, text.count(marker))
    assert again.text == response.text
