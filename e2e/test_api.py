"""A developer's way into the API: from its documentation page to the schema it is drawn
from, then through every page of Kazakhstan's articles by the `next` links alone."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import Article
from journal.tests.factories import ArticleFactory, PublishedArticleFactory
from summits.models import Country

PAGE_SIZE = 20  # the API's default, as the README says
PUBLISHED = PAGE_SIZE + 5


@pytest.fixture
def kazakhstan_archive(reference_data):
    """More published Kazakhstan articles than a page holds, and what readers may not see yet.

    Two pieces share a publish time across the first page's end: the cursor
    must neither repeat nor skip either.
    """
    kazakhstan = Country.objects.get(slug="kazakhstan")
    now = timezone.now()
    published = []
    for n in range(PUBLISHED):
        hours = n if n < PAGE_SIZE else n - 1  # the 20th and 21st at the same time
        published.append(
            PublishedArticleFactory(
                title=f"Kazakhstan dispatch {n:02}",
                slug=f"kazakhstan-dispatch-{n:02}",
                publish_at=now - datetime.timedelta(hours=1 + hours),
                countries=[kazakhstan],
            )
        )
    PublishedArticleFactory(
        title="Uzbekistan dispatch", countries=[Country.objects.get(slug="uzbekistan")]
    )
    embargoed = [
        ArticleFactory(title="Kazakhstan draft", countries=[kazakhstan]),
        ArticleFactory(
            title="Kazakhstan in review", status=Article.Status.IN_REVIEW, countries=[kazakhstan]
        ),
        PublishedArticleFactory(
            title="Kazakhstan scheduled",
            publish_at=now + datetime.timedelta(hours=2),
            countries=[kazakhstan],
        ),
        ArticleFactory(
            title="Kazakhstan archived",
            status=Article.Status.ARCHIVED,
            publish_at=now - datetime.timedelta(days=3),
            countries=[kazakhstan],
        ),
    ]
    newest_first = sorted(published, key=lambda a: (a.publish_at, a.pk), reverse=True)
    return newest_first, embargoed


def test_a_developer_reads_the_schema_and_pages_through_kazakhstans_articles(
    kazakhstan_archive, open_page
):
    published, embargoed = kazakhstan_archive
    page = open_page()

    # The documentation names the schema it is drawn from.
    page.goto("/api/v1/docs/")
    schema_link = page.get_by_role("link", name="/api/v1/schema/")
    expect(schema_link).to_be_visible()
    response = page.request.get(schema_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json"
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    articles = schema["paths"]["/api/v1/articles/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in articles["parameters"]}
    assert parameters["country"]["in"] == "query"
    assert {"cursor", "page_size"} <= set(parameters)

    # Every page, by the `next` each gives, from the first.
    url = "/api/v1/articles/?country=kazakhstan"
    pages = []
    while url:
        response = page.request.get(url)
        assert response.ok, f"{url}: {response.status}"
        assert response.headers["content-type"] == "application/json"
        answer = response.json()
        pages.append([(row["title"], row["url"]) for row in answer["results"]])
        url = answer["next"]
    assert [len(rows) for rows in pages] == [PAGE_SIZE, PUBLISHED - PAGE_SIZE]

    seen = [title for rows in pages for title, _url in rows]
    # Each published article once, newest first; nothing readers may not see.
    assert seen == [article.title for article in published]
    assert not {article.title for article in embargoed} & set(seen)
    assert "Uzbekistan dispatch" not in seen
    assert [url for rows in pages for _title, url in rows] == [
        settings.SITE_URL + article.get_absolute_url() for article in published
    ]
    assert open_page.problems(page) == []
