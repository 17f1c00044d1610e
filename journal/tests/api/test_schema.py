"""The OpenAPI schema names every endpoint and filter; the documentation page keeps to the CSP."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLResolver, get_resolver, reverse
from openapi_spec_validator import validate

from journal.forms.filters import ArticleFilter, SummitFilter
from journal.tests.api.test_embargo import API_URL_KWARGS
from journal.tests.factories import PublishedArticleFactory
from journal.tests.project.test_security import inline_code, policy

pytestmark = pytest.mark.django_db

# What the schema describes: the data, not itself nor its documentation.
DESCRIBED = set(API_URL_KWARGS) - {"api:schema", "api:docs"}


def described_paths() -> set[str]:
    """The address of each described endpoint, as OpenAPI writes it: /api/v1/countries/{slug}/."""
    [api] = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "api"
    ]
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", f"{api.pattern}{pattern.pattern}")
        for pattern in api.url_patterns
        if f"api:{pattern.name}" in DESCRIBED
    }


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return response.json()


def parameters(schema, path: str) -> set[str]:
    return {parameter["name"] for parameter in schema["paths"][path]["get"].get("parameters", [])}


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)  # raises on any fault


def test_the_schema_lists_every_endpoint_and_nothing_else(schema):
    assert len(described_paths()) == 11
    assert set(schema["paths"]) == described_paths()
    assert {method for path in schema["paths"].values() for method in path} == {"get"}


def test_the_lists_take_the_reader_sites_filters(schema):
    assert parameters(schema, "/api/v1/articles/") == {
        *ArticleFilter.base_filters,
        "cursor",
        "page_size",
    }
    assert parameters(schema, "/api/v1/summits/") == {
        *SummitFilter.base_filters,
        "page",
        "page_size",
    }
    assert parameters(schema, "/api/v1/articles/{language}/{slug}/") == {"language", "slug"}


def test_the_schema_describes_what_an_article_says(schema, client, world):
    PublishedArticleFactory(countries=[world.kz], authors=[world.aigerim])
    described = schema["components"]["schemas"]["Article"]["properties"]
    answered = client.get(reverse("api:article_list")).json()["results"][0]
    assert set(described) == set(answered)


def test_the_schema_follows_the_clients_language(client):
    response = client.get(reverse("api:schema"), headers={"accept-language": "ko"})

    assert "accept-language" in response["Vary"].lower()
    assert client.get(reverse("api:schema"), {"lang": "ru"}).status_code == 200
    refused = client.get(reverse("api:schema"), {"lang": "../../etc"})
    assert refused.status_code == 400
    assert "etc" not in refused.text


def test_the_schema_is_of_one_version_whatever_the_client_says(client):
    schema = client.get(reverse("api:schema"), {"version": "<b>2</b>"}).json()

    assert schema["info"]["version"] == "1"


# The documentation page --------------------------------------------------------------


def test_the_documentation_runs_swagger_ui_from_this_site_under_the_csp(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy(response)["script-src"][0] == "'self'"
    assert inline_code(response).blocked == []
    assert f'data-schema-url="{reverse("api:schema")}"' in response.text
    # Every script and stylesheet is one of this site's static files: no CDN.
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', response.text)
    assert len(assets) == 3
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    # Without JavaScript, the page says where the schema is.
    assert f'<a href="{reverse("api:schema")}">' in response.text
    assert "accept-language" in response["Vary"].lower()
