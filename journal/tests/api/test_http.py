"""What the API tells clients and caches: ETags, the page cache, publications at once, CORS, limits.

Changes are made inside `commit()`: the content generation, which the page
cache keys on, ends only when a change commits.
"""

import brotli
import pytest
from django.urls import reverse

from journal.services.workflow import article_publish, article_unpublish
from journal.tests.factories import ArticleFactory, PublishedArticleFactory
from journal.tests.project.test_settings import run_python
from journal.tests.test_http import PUBLIC, directives, from_cache, vary

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


@pytest.fixture
def story(world):
    return PublishedArticleFactory(
        title="Astana hosts the C5+1", slug="astana", countries=[world.kz], authors=[world.aigerim]
    )


def detail(article) -> str:
    return reverse(
        "api:article_detail", kwargs={"language": article.language, "slug": article.slug}
    )


# The page cache and what caches in front may keep ----------------------------------


@pytest.mark.parametrize(
    "url", [ARTICLES, "/api/v1/articles/en/astana/", "/api/v1/countries/", "/api/v1/"]
)
def test_answers_are_public_like_reader_pages(client, story, url):
    response = client.get(url)

    assert response.status_code == 200
    assert directives(response) == PUBLIC
    # One copy for every client: the answer is the same in every language.
    assert vary(response) == {"cookie", "accept-encoding", "origin"}


def test_a_second_request_is_answered_from_the_page_cache(client, story, django_assert_num_queries):
    first = client.get(ARTICLES)
    assert not from_cache(first)

    with django_assert_num_queries(0):
        again = client.get(ARTICLES)

    assert from_cache(again)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_client_with_the_etag_gets_a_304_until_something_is_published(
    client, story, commit, world
):
    etag = client.get(ARTICLES)["ETag"]
    assert client.get(ARTICLES, headers={"if-none-match": etag}).status_code == 304

    draft = ArticleFactory(
        title="Railway deal signed", countries=[story.countries.first()], authors=[world.park]
    )
    with commit():
        article_publish(article=draft)

    after = client.get(ARTICLES, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert [a["title"] for a in after.json()["results"]] == [
        "Railway deal signed",
        "Astana hosts the C5+1",
    ]


def test_a_publication_shows_at_once_everywhere(client, story, commit, world):
    urls = [ARTICLES, "/api/v1/countries/kazakhstan/", "/api/v1/articles/?country=kazakhstan"]
    before = {url: client.get(url).content for url in urls}
    assert all(from_cache(client.get(url)) for url in urls)
    draft = ArticleFactory(
        title="Railway deal signed", slug="railway", countries=[world.kz], authors=[world.park]
    )
    assert client.get(detail(draft)).status_code == 404

    with commit():
        article_publish(article=draft)

    for url in urls:
        response = client.get(url)
        assert not from_cache(response), url
        assert response.content != before[url], url
    assert client.get("/api/v1/countries/kazakhstan/").json()["article_count"] == 2
    assert client.get(detail(draft)).json()["title"] == "Railway deal signed"


def test_unpublishing_takes_the_article_out_at_once(client, story, commit):
    assert client.get(detail(story)).status_code == 200
    client.get(ARTICLES)

    with commit():
        article_unpublish(article=story)

    assert client.get(detail(story)).status_code == 404
    assert client.get(ARTICLES).json()["results"] == []


def test_errors_are_private(client, story):
    for url in ["/api/v1/articles/en/nothing/", "/api/v1/articles/?year=abc", "/api/v1/nothing/"]:
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "private" in directives(response), url
        assert not from_cache(client.get(url)), url


def test_a_client_with_a_session_gets_fresh_private_answers(admin_client, story):
    admin_client.get(ARTICLES)
    response = admin_client.get(ARTICLES)

    assert not from_cache(response)
    assert {"private", "no-store"} <= set(directives(response))


def test_json_is_compressed(client, story):
    PublishedArticleFactory.create_batch(5, body="<p>The ministers met in Astana.</p>" * 20)

    response = client.get(ARTICLES, headers={"accept-encoding": "gzip, br"})

    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content).startswith(b'{"next"')


# CORS ------------------------------------------------------------------------------


def test_any_origin_may_read_without_credentials(client, story):
    response = client.get(ARTICLES, headers={"origin": "https://data.example.net"})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    # A script elsewhere may read the ETag (for If-None-Match) and Retry-After.
    assert response["Access-Control-Expose-Headers"] == "ETag, Retry-After"
    cached = client.get(ARTICLES, headers={"origin": "https://other.example.com"})
    assert from_cache(cached)
    assert cached["Access-Control-Allow-Origin"] == "*"


def test_a_conditional_request_from_elsewhere_is_allowed_by_its_preflight(client, story):
    response = client.options(
        ARTICLES,
        headers={
            "origin": "https://data.example.net",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    etag = client.get(ARTICLES)["ETag"]
    not_modified = client.get(
        ARTICLES, headers={"origin": "https://data.example.net", "if-none-match": etag}
    )
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*"


def test_reader_pages_say_nothing_of_cors(client, story):
    response = client.get(story.get_absolute_url(), headers={"origin": "https://elsewhere.example"})

    assert "Access-Control-Allow-Origin" not in response


# Rate limits -------------------------------------------------------------------------


def test_past_the_rate_an_address_gets_a_429_with_retry_after(client, story, settings):
    settings.API_RATE = "3/min"
    # Different addresses each, as a client walking the archive asks for them.
    for page_size in (1, 2, 3):
        assert client.get(ARTICLES, {"page_size": page_size}).status_code == 200

    refused = client.get(ARTICLES, {"page_size": 4}, headers={"origin": "https://x.example"})

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert set(refused.json()) == {"detail"}
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert "private" in directives(refused)
    # Another address is counted on its own.
    assert client.get(ARTICLES, {"page_size": 5}, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_answers_from_the_page_cache_are_not_counted(client, story, settings):
    settings.API_RATE = "2/min"
    for _ in range(5):
        assert client.get(ARTICLES).status_code == 200


def test_behind_a_proxy_the_forwarded_address_is_counted(client, story, settings):
    settings.API_RATE = "1/min"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    first = client.get(ARTICLES, {"n": 1}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    same = client.get(ARTICLES, {"n": 2}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other = client.get(ARTICLES, {"n": 3}, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)

    assert (first.status_code, same.status_code, other.status_code) == (200, 429, 200)


@pytest.mark.external
@pytest.mark.parametrize(
    ("value", "rate"), [("", "120/min"), ("30/Hour", "30/hour"), ("off", "None")]
)
def test_the_rate_comes_from_the_environment(tmp_path, value, rate):
    result = run_python(
        tmp_path,
        "-c",
        "from journal import settings; print(settings.API_RATE)",
        DJANGO_API_RATE=value,
    )
    assert result.stdout.strip() == rate, result.stderr


@pytest.mark.external
@pytest.mark.parametrize("value", ["often", "0/min", "120/fortnight", "-5/s"])
def test_a_rate_that_is_not_one_is_refused(tmp_path, value):
    result = run_python(tmp_path, "-c", "import journal.settings", DJANGO_API_RATE=value)

    assert result.returncode != 0
    assert "DJANGO_API_RATE must be a number of requests per s, min, hour or day" in result.stderr
