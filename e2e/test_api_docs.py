"""The API's documentation page in a real browser: Swagger UI under the site's strict CSP.

No CDN, no inline code, no eval: the page must draw every endpoint and run a
request from "Try it out" without a console error or a CSP violation.
"""

from journal.tests.factories import ContributorFactory, PublishedArticleFactory
from summits.models import Country


def test_the_documentation_shows_every_endpoint_and_tries_one(reference_data, open_page):
    PublishedArticleFactory(
        title="Astana hosts the ministers",
        countries=[Country.objects.get(slug="kazakhstan")],
        authors=[ContributorFactory(name="Aigerim Sadykova")],
    )
    page = open_page()

    page.goto("/api/v1/docs/")

    operations = page.locator(".opblock-get")
    operations.first.wait_for()
    assert operations.count() == 11
    articles = page.locator("#operations-articles-articles_list")
    articles.locator(".opblock-summary").click()
    articles.get_by_role("button", name="Try it out").click()
    articles.get_by_role("button", name="Execute").click()
    answer = articles.locator(".live-responses-table tr.response .response-col_status").first
    answer.wait_for()
    assert answer.inner_text().strip() == "200"
    assert "Astana hosts the ministers" in articles.locator(".live-responses-table").inner_text()
    assert open_page.problems(page) == []
