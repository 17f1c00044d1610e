"""Each endpoint makes a fixed number of queries, however many rows it shows.

The budgets are exact on purpose, as the reader pages' are
(journal/tests/views/test_query_budgets.py): a change that adds a query has
to change the number here, in the same commit, and say why.
"""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import Byline, Contributor
from journal.tests.factories import ContributorFactory, PublishedArticleFactory
from summits.models import Participant
from summits.tests.factories import CountryFactory, FrameworkFactory, SummitFactory, central_asia

# What answering costs: the page cache (see test_http.py) is off.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]

FEW, MANY = 2, 12

# (cold, warm): the first request after a committed change of content, and the
# next one. Counts and the filters' choices are kept once per content
# generation (journal/models/counts.py: a tally takes two queries), and so is
# which articles have translations (cold: 1 query).
QUERY_BUDGETS = {
    # The page, its bylines with their contributors, its countries, frameworks
    # and summits; the published translations of the page's groups, by
    # original and by id; cold: which articles have translations.
    "article_list": (8, 7),
    # As the list: the filters join on slugs; cold: the choices of countries
    # and frameworks, to validate the values.
    "article_list_filtered": (10, 7),
    # The article, then as a page of one.
    "article_detail": (8, 7),
    # COUNT, the page, the blocs' members; cold: the tallies.
    "country_list": (5, 3),
    # The country, its members; cold: the tallies.
    "country_detail": (4, 2),
    # COUNT, the page with partners, members; cold: the tallies.
    "framework_list": (5, 3),
    "framework_detail": (4, 2),
    # COUNT, the page with frameworks and hosts, participants with their
    # countries; cold: the tallies.
    "summit_list": (5, 3),
    "summit_detail": (4, 2),
    # COUNT and the page, of those readers know of; cold: the tallies.
    "contributor_list": (4, 2),
    "contributor_detail": (3, 1),
}


class World:
    """Central Asia, a subject article and a staff writer, grown on demand.

    Each `grow()` step adds a published article in English and its Korean
    translation, with two bylines, three countries, two frameworks and two
    summits, and with them one more partner country, framework, summit,
    participant and guest writer; the subject collects every new tag and
    byline, so its own answer grows too.
    """

    def __init__(self):
        record = central_asia()
        self.kz, self.uz, self.c5, self.summit = record.kz, record.uz, record.c5, record.summit
        self.staff = ContributorFactory(name="Lead Writer", slug="lead-writer")
        self.subject = PublishedArticleFactory(
            title="The subject",
            slug="the-subject",
            countries=[self.kz],
            frameworks=[self.c5],
            summits=[self.summit],
            authors=[self.staff],
        )
        PublishedArticleFactory(
            title="그 기사", slug="the-subject", language="ko", translation_of=self.subject
        )
        self.size = 0

    def grow(self, count: int) -> None:
        for _ in range(count):
            self.size += 1
            partner = CountryFactory()
            framework = FrameworkFactory(partner=partner)
            framework.members.set([self.kz, self.uz, partner])
            summit = SummitFactory(
                framework=self.c5,
                host_country=self.kz,
                start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=self.size),
            )
            Participant.objects.create(summit=self.summit, country=partner, order=self.size)
            writer = ContributorFactory(kind=Contributor.Kind.GUEST)
            tags = {
                "countries": [self.kz, self.uz, partner],
                "frameworks": [self.c5, framework],
                "summits": [self.summit, summit],
                "authors": [self.staff, writer],
            }
            original = PublishedArticleFactory(
                publish_at=timezone.now() - datetime.timedelta(hours=self.size), **tags
            )
            PublishedArticleFactory(
                language="ko",
                translation_of=original,
                publish_at=original.publish_at + datetime.timedelta(minutes=1),
                **tags,
            )
            self.subject.countries.add(partner)
            self.subject.frameworks.add(framework)
            self.subject.summits.add(summit)
            Byline.objects.create(article=self.subject, contributor=writer, order=self.size)


ENDPOINTS: dict[str, Callable[[World], str]] = {
    "article_list": lambda w: reverse("api:article_list") + "?page_size=100",
    "article_list_filtered": lambda w: (
        reverse("api:article_list") + "?page_size=100&country=kazakhstan&framework=c5-plus-1"
    ),
    "article_detail": lambda w: reverse(
        "api:article_detail", kwargs={"language": "en", "slug": "the-subject"}
    ),
    "country_list": lambda w: reverse("api:country_list") + "?page_size=100",
    "country_detail": lambda w: reverse("api:country_detail", kwargs={"slug": w.kz.slug}),
    "framework_list": lambda w: reverse("api:framework_list") + "?page_size=100",
    "framework_detail": lambda w: reverse("api:framework_detail", kwargs={"slug": w.c5.slug}),
    "summit_list": lambda w: reverse("api:summit_list") + "?page_size=100",
    "summit_detail": lambda w: reverse("api:summit_detail", kwargs={"slug": w.summit.slug}),
    "contributor_list": lambda w: reverse("api:contributor_list") + "?page_size=100",
    "contributor_detail": lambda w: reverse(
        "api:contributor_detail", kwargs={"slug": w.staff.slug}
    ),
}


def size(answer) -> int:
    """How much an answer shows: its results, or the subject's tags, bylines and coverage."""
    data = answer.json()
    if "results" in data:
        return len(data["results"])
    shown = [*data.get("bylines", []), *data.get("participants", [])]
    shown += [tag for tags in data.get("tags", {}).values() for tag in tags]
    return len(shown) + data.get("article_count", 0)


def test_every_endpoint_has_a_budget():
    assert set(ENDPOINTS) == set(QUERY_BUDGETS)


@pytest.mark.parametrize("name", QUERY_BUDGETS)
def test_queries_stay_within_budget_however_much_is_shown(
    client, commit, django_assert_num_queries, name
):
    world = World()
    with commit():
        world.grow(FEW)
    url = ENDPOINTS[name](world)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    assert small.status_code == 200

    with commit():
        world.grow(MANY - FEW)
    cold, warm = QUERY_BUDGETS[name]
    with django_assert_num_queries(cold) as many:
        large = client.get(url)
    assert len(few) == len(many), [query["sql"] for query in few.captured_queries]
    with django_assert_num_queries(warm):
        again = client.get(url)

    assert size(large) > size(small) >= 1
    assert again.content == large.content


@pytest.mark.parametrize("page_size", [1, 10, 100])
def test_a_larger_page_of_articles_costs_no_more_queries(client, commit, page_size):
    world = World()
    with commit():
        world.grow(MANY)
    url = f"{reverse('api:article_list')}?page_size={page_size}"
    client.get(f"{reverse('api:article_list')}?page_size=2")  # what is kept, kept

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert len(response.json()["results"]) == min(page_size, 2 * MANY + 2)
    assert len(queries) == QUERY_BUDGETS["article_list"][1]
