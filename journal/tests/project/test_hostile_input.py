"""Random and hostile input to every public URL: never a server error, never echoed raw.

Each URL pattern outside the admin is requested with hypothesis-drawn values
in its path parameters (slugs, ids, tokens, file paths) and in its query
string: every filter the reader FilterSets take, page numbers, search terms,
sort keys, repeated and empty parameters, huge and negative numbers, floats,
unicode (right-to-left text, emoji, NUL, bytes that are not UTF-8, so lone
surrogates too), SQL, template syntax, markup, and very long strings. No
answer may be a 5xx, show markup it was given unescaped, or show the secret
key. The world is test_embargo's, unpublished articles included, so the
answers must not show those either.
"""

import traceback
from urllib.parse import quote, quote_from_bytes, quote_plus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from journal.admin import password_reset
from journal.forms.filters import ArticleFilter, CountryArticleFilter, SummitFilter
from journal.tests.api.test_embargo import API_URL_KWARGS, CLOSED_API_URL_KWARGS
from journal.tests.views.test_embargo import (
    CLOSED_URL_KWARGS,
    URL_KWARGS,
    journal_pattern_names,
    leaks,
    world,  # noqa: F401  (the fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Markup that must never come back as it was sent. Each payload below that
# could end up in a page carries one of these; none occurs in real content.
FORBIDDEN = (
    "<script>alert(1)",
    "<img src=x onerror",
    "<svg onload",
    "<hostile-",
    'hostile-attr="',
    "hostile-attr='",
)
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><hostile-tag>",
    '" hostile-attr="1',
    "' hostile-attr='1",
    "<!--<hostile-comment>-->",
    "<![CDATA[<hostile-cdata>]]>",
    "]]><hostile-xml/>",
]
HOSTILE = [
    *MARKUP,
    "",
    " ",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE journal_article; --",
    "1' UNION SELECT password FROM auth_user --",
    "%",
    "_",
    "\\",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{{ request.META }}",
    "${7*7}",
    "javascript:alert(1)",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: hostile=1",
    "\u202eevil\u202c",
    "قازاقستان",
    "Қазақстан",
    "🇰🇿🤝🇺🇸",
    "\ufeff",
    "\uffff",
    "ǅİß",
    "２０２４",  # full-width digits: int() reads them
    "٢٠٢٤",  # Arabic-Indic digits too
    str(10**30),
    str(-(10**30)),
    "-1",
    "0",
    "1.5",
    "1e308",
    "NaN",
    "-inf",
    "0x7fffffff",
    "9" * 5000,  # past Python's limit on digits int() reads
    "x" * 10000,
    "../../../../etc/passwd",
    "..%2F..%2Fsettings.py",
    # Search syntax for either backend: FTS5 and tsquery.
    '"',
    '-""',
    "OR",
    "-",
    "NEAR(a b)",
    "title:secret",
    "a AND NOT b",
    "a* ^b {c d}:e",
    "a & !b | c <-> d:*",
    "(((",
]
# Every query parameter a public page reads, and some it might be expected to.
PARAMETERS = sorted(
    {
        *ArticleFilter.base_filters,
        *CountryArticleFilter.base_filters,
        *SummitFilter.base_filters,
        "page",
        "q",
        # The API's pages and schema.
        "cursor",
        "page_size",
        "lang",
        "version",
        "p",  # a sitemap's page
        "o",
        "sort",
        "order",
        "format",
        "callback",
        "utm_source",
    }
)

# Unicode text (hypothesis leaves out lone surrogates, which UTF-8 cannot carry:
# `raw_bytes` sends their bytes instead), numbers of every shape, the payloads
# above alone and inside random text, and long strings.
text = st.text(max_size=40)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(str),
    st.sampled_from(["1990", "2100", "2024", "1989", "2101", "0", "00001"]),
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    text,
    numbers,
    # A payload with random text around it.
    st.tuples(text, st.sampled_from(HOSTILE), text).map("".join),
    st.integers(min_value=100, max_value=20_000).map(lambda n: "é" * n),
)
# As sent on the wire: UTF-8, or any bytes at all (invalid UTF-8, lone surrogates).
raw_bytes = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"%", b"%zz", b"\x00"]),
)


def encoded(value: str | bytes) -> str:
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    return quote_plus(value)


query_keys = st.one_of(st.sampled_from(PARAMETERS), hostile_text, raw_bytes)
query_values = st.one_of(hostile_text, raw_bytes)
query_strings = st.one_of(
    # Repeated parameters come up when a key is drawn twice.
    st.lists(
        st.tuples(query_keys, query_values).map(lambda kv: f"{encoded(kv[0])}={encoded(kv[1])}"),
        max_size=8,
    ).map("&".join),
    # Every parameter at once, with one hostile value.
    query_values.map(lambda v: "&".join(f"{name}={encoded(v)}" for name in PARAMETERS)),
    st.sampled_from(["", "&&&", "=", "page", "page=&q=", "q=%", "%zz=%zz", "page=1&page=2"]),
    # More fields than Django reads from one request.
    st.just("&".join(f"country={n}" for n in range(1200))),
)
# A path value reaches the view decoded; these are what it is sent as.
path_values = st.one_of(
    hostile_text.map(lambda v: quote(v, safe="")),
    raw_bytes.map(lambda v: quote_from_bytes(v, safe="")),
    # Sent as they are: dots, slashes and percent signs that change the path.
    st.sampled_from(["..", ".", "a/b", "%2e%2e", "..%2f..%2f", "%00", "%", "%2F", "~", ";x"]),
)


def public_url_patterns() -> set[str]:
    """Every URL pattern a reader may request: `journal:` (per language), `site:`, `api:`, the root.

    An include other than the admin's, the reader site's, the API's and the
    password reset's (whose pages anyone may open) fails here, so that its
    patterns are added to this sweep.
    """
    names = set(journal_pattern_names())
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern):
            names.add(entry.name or str(entry.pattern))
        elif isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            inner = entry.url_patterns
            if [include.namespace for include in inner] != ["journal"]:
                names.add(f"unknown include: {entry.pattern} {inner}")
        elif isinstance(entry, URLResolver) and entry.urlconf_name == password_reset:
            names.update(pattern.name for pattern in entry.url_patterns)
        elif isinstance(entry, URLResolver) and entry.namespace == "api":
            names.update(f"api:{pattern.name}" for pattern in entry.url_patterns)
        elif isinstance(entry, URLResolver) and entry.namespace not in ("admin", "site"):
            names.add(f"unknown include: {entry.pattern}")
    return names


# How to fill each public pattern with working values, from test_embargo's
# world; hostile values are drawn beside them.
def working_kwargs(name: str, w) -> list[dict]:
    if name.startswith(("journal:", "site:", "api:")):
        found = []
        for table in (URL_KWARGS, CLOSED_URL_KWARGS, API_URL_KWARGS, CLOSED_API_URL_KWARGS):
            if name in table:
                found += table[name](w)
        return found
    return ROOT_KWARGS[name]


ROOT_KWARGS = {
    "favicon.ico": [{}],
    "health": [{}],
    "media": [{"path": "images/2026/01/missing.png"}, {"path": "robots.txt"}],
    "admin_password_reset": [{}],
    "password_reset_done": [{}],
    "password_reset_confirm": [{"uidb64": "MQ", "token": "set-password"}],
    "password_reset_complete": [{}],
}
# Staff open these, not readers: they are requested logged in as well.
STAFF_PATTERNS = {"journal:article_preview", "journal:article_share_preview"}
SWEEP = sorted(public_url_patterns())
PLACEHOLDER = "1234567890123"  # matches every path converter: int, slug, str, path


def test_every_public_url_pattern_is_swept():
    assert "journal:article_detail" in SWEEP and "health" in SWEEP
    unknown = [name for name in SWEEP if name.startswith("unknown include")]
    assert not unknown, unknown
    root = {name for name in SWEEP if not name.startswith(("journal:", "site:", "api:"))}
    assert root == set(ROOT_KWARGS), "ROOT_KWARGS must know every root URL pattern"
    api = {name for name in SWEEP if name.startswith("api:")}
    assert api == set(API_URL_KWARGS) | set(CLOSED_API_URL_KWARGS)
    assert STAFF_PATTERNS <= set(SWEEP)


def url_for(name: str, kwargs: dict, path_value: str) -> str:
    """The pattern's address with `kwargs`, each given value replaced by `path_value`."""
    if name == "favicon.ico":
        return "/favicon.ico"
    placeholders = {key: f"{PLACEHOLDER}{index}" for index, key in enumerate(kwargs)}
    url = reverse(name, kwargs=placeholders)
    for placeholder in placeholders.values():
        url = url.replace(placeholder, path_value)
    return url


def problems_with(response, url: str, *, reader: bool = True) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"answers {response.status_code}")
    body = response.content.decode(errors="replace")
    problems += [f"echoes {marker!r} unescaped" for marker in FORBIDDEN if marker in body]
    if settings.SECRET_KEY in body:
        problems.append("shows the secret key")
    # Staff preview unpublished work on purpose.
    if reader and (leaked := leaks(response)):
        problems.append(f"shows unpublished work: {leaked}")
    return [f"{url[:300]}: {problem}" for problem in problems]


def fetch(client: Client, method: str, url: str):
    try:
        return getattr(client, method)(url)
    except Exception as error:  # the test client re-raises what became a 500
        raise AssertionError(
            f"{method.upper()} {url[:300]} raised {error!r}\n{traceback.format_exc()}"
        ) from error


@pytest.fixture(autouse=True)
def _api_unthrottled(settings):
    # Every request comes from one address: past the API's rate, it would
    # answer 429 before its views meet what is sent.
    settings.API_RATE = None


@pytest.fixture
def working(request, world):  # noqa: F811
    """Working path values for the parametrized pattern, made once for all its examples."""
    return working_kwargs(request.node.callspec.params["name"], world)


@pytest.mark.parametrize(
    ("name", "who"),
    [(name, "reader") for name in SWEEP] + [(name, "staff") for name in sorted(STAFF_PATTERNS)],
)
@given(data=st.data())
def test_hostile_input_is_a_client_error_at_worst(name, who, data, working, client, admin_client):
    kwargs = data.draw(st.sampled_from(working), label="working kwargs")
    # Half the time the working address, so the view itself meets the query string.
    path_value = data.draw(
        st.one_of(st.none(), path_values) if kwargs else st.none(), label="path value"
    )
    if path_value is None:
        url = reverse(name, kwargs=kwargs) if name != "favicon.ico" else "/favicon.ico"
    else:
        url = url_for(name, kwargs, path_value)
    query = data.draw(query_strings, label="query string")
    if query:
        url = f"{url}?{query}"
    method = data.draw(st.sampled_from(["get", "get", "get", "head", "post"]), label="method")
    response = fetch(admin_client if who == "staff" else client, method, url)
    problems = problems_with(response, url, reader=who == "reader")
    assert not problems, "\n".join(problems)


# Path values every pattern meets, whatever hypothesis draws: longer than a file
# name may be, NUL, a climb out of the folder, markup, a number past any column.
FIXED_PATH_VALUES = [
    "a" * 300,
    quote("é" * 200),
    "x" * 5000,
    "%00",
    "..%2F..%2Fjournal%2Fsettings.py",
    quote(MARKUP[1], safe=""),
    str(10**30),
]


def test_fixed_hostile_path_values(world, client, admin_client):  # noqa: F811
    problems, requested = [], 0
    for name in SWEEP:
        kwargs = working_kwargs(name, world)[0]
        if not kwargs:
            continue
        for value in FIXED_PATH_VALUES:
            url = url_for(name, kwargs, value)
            for who, user_client in (("reader", client), ("staff", admin_client)):
                response = fetch(user_client, "get", url)
                problems += problems_with(response, url, reader=who == "reader")
                requested += 1
    assert not problems, "\n".join(problems)
    assert requested > 150


@pytest.mark.parametrize("payload", MARKUP)
@pytest.mark.parametrize(
    "page", ["journal:search", "journal:article_list", "journal:summit_list"], ids=str
)
def test_markup_typed_by_a_reader_comes_back_escaped(client, world, page, payload):  # noqa: F811
    # The search box and the year box show back what was typed.
    url = f"{reverse(page)}?q={quote_plus(payload)}&year={quote_plus(payload)}"
    response = client.get(url)
    assert response.status_code == 200
    assert not problems_with(response, url)
    assert escape(payload) in response.text
