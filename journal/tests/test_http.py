"""What the site tells browsers and a CDN in front: cache headers, compression, ETags.

A CDN keeps what a response calls public, as long as it says, for everyone
whose request matches its Vary. Anonymous reader pages, feeds and sitemaps
are public; anything for an editor, a form, an error or a secret is not.
"""

import gzip

import brotli
import pytest
from django.contrib import messages
from django.core.management import call_command
from django.http import HttpResponse, JsonResponse
from django.template import RequestContext, Template
from django.templatetags.static import static
from django.urls import include, path, reverse

from journal.tests.factories import PublishedArticleFactory
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

HOME = reverse("journal:home")
BODY = "<p>The foreign ministers of the five states met in Astana.</p>" * 40


def directives(response) -> dict[str, str | None]:
    """Cache-Control as {"public": None, "max-age": "0", ...}."""
    found = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            found[name.lower()] = value or None
    return found


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def decoded(response) -> bytes:
    body = response.content
    match response.get("Content-Encoding"):
        case "br":
            return brotli.decompress(body)
        case "gzip":
            return gzip.decompress(body)
        case None:
            return body
    raise AssertionError(response["Content-Encoding"])


def from_cache(response) -> bool:
    # Django's cache middleware gives a page it replays an Age.
    return "Age" in response


PUBLIC = {"public": None, "max-age": "0", "s-maxage": "60", "stale-while-revalidate": "30"}


@pytest.fixture
def reader_urls(db):
    """One of each kind of public address: pages, feeds, sitemaps."""
    country = CountryFactory(name="Kazakhstan", slug="kazakhstan")
    article = PublishedArticleFactory(title="Astana hosts the C5+1", countries=[country])
    return {
        "home": HOME,
        "article": article.get_absolute_url(),
        "country": country.get_absolute_url(),
        "feed": reverse("journal:feed_latest_rss"),
        "atom": reverse("journal:feed_latest_atom"),
        "sitemap": reverse("site:sitemap"),
        "sitemap section": reverse("site:sitemap_section", args=["articles"]),
    }


KINDS = ["home", "article", "country", "feed", "atom", "sitemap", "sitemap section"]


# Cache headers ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_reader_pages_feeds_and_sitemaps_are_public(client, reader_urls, kind):
    rendered = client.get(reader_urls[kind])
    cached = client.get(reader_urls[kind])

    assert rendered.status_code == cached.status_code == 200
    assert not from_cache(rendered) and from_cache(cached)
    for response in rendered, cached:
        assert directives(response) == PUBLIC
        # A visitor with a session is shown another page (rendered for them).
        assert "cookie" in vary(response)
        # The address names the language; a sitemap is in none.
        assert "accept-language" not in vary(response)
    for header in ("Cache-Control", "Vary", "ETag", "Content-Type"):
        assert rendered.get(header) == cached.get(header), header


def test_the_lifetimes_come_from_the_settings(client, reader_urls, settings):
    settings.HTTP_MAX_AGE = 30
    settings.HTTP_S_MAXAGE = 3600
    settings.HTTP_STALE_WHILE_REVALIDATE = 600

    response = client.get(reader_urls["article"])

    assert directives(response) == {
        "public": None,
        "max-age": "30",
        "s-maxage": "3600",
        "stale-while-revalidate": "600",
    }


def test_pages_say_the_same_with_the_page_cache_off(client, reader_urls, uncached):
    for _ in range(2):
        response = client.get(reader_urls["home"])
        assert not from_cache(response)
        assert directives(response) == PUBLIC
        assert "cookie" in vary(response)


def test_a_sitemap_is_the_same_whatever_language_the_browser_asks_for(client, reader_urls):
    korean = client.get(reader_urls["sitemap"], headers={"accept-language": "ko"})
    russian = client.get(reader_urls["sitemap"], headers={"accept-language": "ru"})

    assert korean.content == russian.content
    assert "Content-Language" not in korean
    assert "accept-language" not in vary(korean)


def test_reader_pages_for_a_signed_in_editor_are_private_and_never_stored(
    admin_client, reader_urls
):
    for kind in ("home", "article", "feed"):
        response = admin_client.get(reader_urls[kind], headers={"accept-encoding": "br"})
        assert response.status_code == 200
        assert {"private", "no-store"} <= directives(response).keys()
        assert "public" not in directives(response)


@pytest.mark.parametrize(
    "url", [reverse("admin:index"), reverse("admin:journal_article_changelist")]
)
def test_the_admin_is_private_and_never_stored(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response).keys()


def test_the_login_page_is_private_and_never_stored(client):
    response = client.get(reverse("admin:login"))
    assert {"private", "no-store"} <= directives(response).keys()


def test_what_answers_a_form_is_private(client, reader_urls):
    response = client.post(reader_urls["home"], {"q": "summit"})
    assert {"private", "no-store"} <= directives(response).keys()
    assert "public" not in directives(response)


def test_error_pages_are_private(client, reader_urls):
    response = client.get("/en/articles/no-such-article/")
    assert response.status_code == 404
    assert "private" in directives(response)
    assert "public" not in directives(response)


def test_a_preview_is_private(admin_client):
    article = PublishedArticleFactory()
    response = admin_client.get(reverse("journal:article_preview", args=[article.pk]))
    assert {"private", "no-store"} <= directives(response).keys()


# A reader page with a form, one that leaves a message, and one that answers
# in JSON: the reader site has none yet; this module's URLs stand in for them.


def form_page(request):
    template = Template("<form method='post'>{% csrf_token %}<input name='q'></form>" + BODY)
    return HttpResponse(template.render(RequestContext(request)))


def message_page(request):
    messages.info(request, "Your subscription is confirmed.")
    return HttpResponse(BODY)


def json_page(request):
    return JsonResponse({"summits": [{"city": "Astana", "year": 2000 + n} for n in range(60)]})


urlpatterns = [
    path(
        "en/",
        include(
            (
                [
                    path("form/", form_page),
                    path("message/", message_page),
                    path("summits.json", json_page),
                ],
                "journal",
            )
        ),
    )
]


@pytest.fixture
def stand_ins(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize("url", ["/en/form/", "/en/message/"])
def test_a_page_with_a_csrf_token_or_a_message_is_private(client, stand_ins, url):
    for _ in range(2):
        response = client.get(url, headers={"accept-encoding": "gzip, br"})
        assert response.status_code == 200
        assert not from_cache(response)
        assert "private" in directives(response)
        assert "public" not in directives(response)


def test_a_page_with_a_csrf_token_is_never_compressed(client, stand_ins):
    # BREACH: a secret in a compressed body can be guessed from its size.
    response = client.get("/en/form/", headers={"accept-encoding": "gzip, br"})
    assert "csrfmiddlewaretoken" in response.text
    assert "Content-Encoding" not in response


# Compression -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("accept", "encoding"), [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")]
)
def test_pages_feeds_and_sitemaps_are_compressed(client, reader_urls, kind, accept, encoding):
    plain = client.get(reader_urls[kind])
    response = client.get(reader_urls[kind], headers={"accept-encoding": accept})

    assert response["Content-Encoding"] == encoding
    assert decoded(response) == plain.content
    assert len(response.content) < len(plain.content)
    assert int(response["Content-Length"]) == len(response.content)
    assert "accept-encoding" in vary(response) and "accept-encoding" in vary(plain)


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("gzip, br", "br"),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("deflate, gzip;q=0", None),
        ("identity", None),
        ("", None),
    ],
)
def test_brotli_unless_the_browser_prefers_gzip(client, reader_urls, accept, encoding):
    response = client.get(reader_urls["home"], headers={"accept-encoding": accept})

    assert response.get("Content-Encoding") == encoding
    assert b"Astana hosts the C5+1" in decoded(response)


def test_json_is_compressed(client, stand_ins):
    plain = client.get("/en/summits.json")
    response = client.get("/en/summits.json", headers={"accept-encoding": "br"})

    assert response["Content-Encoding"] == "br"
    assert decoded(response) == plain.content
    assert decoded(response).startswith(b'{"summits": [{"city": "Astana"')


def test_a_page_from_the_cache_is_compressed_like_a_rendered_one(client, reader_urls):
    rendered = client.get(reader_urls["home"], headers={"accept-encoding": "br"})
    cached = client.get(reader_urls["home"], headers={"accept-encoding": "br"})

    assert from_cache(cached)
    assert rendered["Content-Encoding"] == cached["Content-Encoding"] == "br"
    assert decoded(rendered) == decoded(cached)
    assert rendered["ETag"] == cached["ETag"]


def test_head_has_the_headers_of_the_compressed_get(client, reader_urls):
    get = client.get(reader_urls["home"], headers={"accept-encoding": "br"})
    head = client.head(reader_urls["home"], headers={"accept-encoding": "br"})

    assert head.content == b""
    assert head["Content-Encoding"] == "br"
    assert head["Content-Length"] == get["Content-Length"]


def test_a_compressed_page_gets_a_304_with_its_etag(client, reader_urls, commit):
    article = PublishedArticleFactory(title="Caspian talks resume")
    first = client.get(HOME, headers={"accept-encoding": "br"})
    etag = first["ETag"]
    # The same page in other bytes: a weak ETag, as Django's GZipMiddleware gives.
    assert etag.startswith('W/"')

    again = client.get(HOME, headers={"accept-encoding": "br", "if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert {"accept-encoding", "cookie"} <= vary(again)
    assert directives(again) == PUBLIC

    # The uncompressed page keeps its strong ETag, and a 304 for it.
    plain = client.get(HOME)
    assert plain["ETag"] == etag.removeprefix("W/")
    assert client.get(HOME, headers={"if-none-match": plain["ETag"]}).status_code == 304

    with commit():
        article.title = "Talks collapse"
        article.save()
    after = client.get(HOME, headers={"accept-encoding": "br", "if-none-match": etag})
    assert after.status_code == 200
    assert b"Talks collapse" in decoded(after)


def test_the_admin_is_never_compressed(admin_client, client):
    for response in (
        admin_client.get(reverse("admin:index"), headers={"accept-encoding": "gzip, br"}),
        admin_client.get(
            reverse("admin:journal_article_changelist"), headers={"accept-encoding": "br"}
        ),
        client.get(reverse("admin:login"), headers={"accept-encoding": "gzip, br"}),
    ):
        assert response.status_code == 200
        assert "Content-Encoding" not in response
        assert len(response.content) > 1000


def test_reader_pages_for_a_signed_in_editor_are_not_compressed(admin_client, reader_urls):
    response = admin_client.get(reader_urls["home"], headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response


# Static files ------------------------------------------------------------------------


def test_collected_static_files_are_served_brotli_compressed(client, settings, tmp_path):
    # As deployed: hashed names, and Brotli and gzip copies written by collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The project's own files are enough to show it, and quicker than the admin's too.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", "--noinput", verbosity=0)
    url = static("css/site.css")
    hashed = settings.STATIC_ROOT / url.removeprefix(settings.STATIC_URL)
    assert hashed.name != "site.css"
    assert hashed.with_name(hashed.name + ".br").is_file()

    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "accept-encoding" in vary(response)
    body = b"".join(response.streaming_content)
    assert brotli.decompress(body) == hashed.read_bytes()
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert b"".join(plain.streaming_content) == hashed.read_bytes()
