"""Security headers, the Content-Security-Policy, and login throttling."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import CommandError, call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, override_settings
from django.urls import reverse

from journal.tests.factories import PASSWORD, BylineFactory, PublishedArticleFactory
from journal.tests.project.test_settings import run_in_shell
from summits.tests.factories import SummitFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def pages():
    byline = BylineFactory(article=PublishedArticleFactory(title="Water and the Aral basin"))
    article = byline.article
    summit = SummitFactory()
    article.summits.add(summit)
    return {
        "home": "/en/",
        "article": article.get_absolute_url(),
        "list": "/en/articles/?year=2025",
        "search": "/en/search/?q=water",
        "summit": summit.get_absolute_url(),
        "contributor": byline.contributor.get_absolute_url(),
        "missing": "/no-such-page/",
        "feed": "/en/feeds/rss/",
    }


def test_every_kind_of_page_carries_the_policy_and_headers(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), name
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["base-uri"] == ["'self'"], name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name


def test_a_page_from_the_page_cache_keeps_its_headers(client, pages):
    first = client.get(pages["article"])
    again = client.get(pages["article"])

    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Request-ID"] != first["X-Request-ID"]


class InlineCode(HTMLParser):
    """Finds what a policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self.nonces: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}>")
        if "style" in attributes:
            self.blocked.append(f'<{tag} style="{attributes["style"]}">')
        if tag == "script" and not attributes.get("src"):
            if attributes.get("type") in ("application/json", "application/ld+json"):
                return  # data, which a browser never runs
            if attributes.get("nonce"):
                self.nonces.add(attributes["nonce"])
            else:
                self.blocked.append("<script> without a nonce")
        if tag == "style":
            if attributes.get("nonce"):
                self.nonces.add(attributes["nonce"])
            else:
                self.blocked.append("<style> without a nonce")
        if tag == "a" and (attributes.get("href") or "").lower().startswith("javascript:"):
            self.blocked.append("<a href=javascript:>")


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.text)
    for nonce in parser.nonces:
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    return parser


def test_public_pages_need_no_inline_code(client, pages):
    for name, url in pages.items():
        if name == "feed":
            continue
        assert inline_code(client.get(url)).blocked == [], name


def test_the_desk_needs_no_inline_code(admin_client, pages):
    article = PublishedArticleFactory()
    urls = [
        reverse("admin:index"),
        reverse("admin:journal_article_changelist"),
        reverse("admin:journal_article_add"),
        reverse("admin:journal_article_change", args=[article.pk]),
        reverse("admin:journal_article_history", args=[article.pk]),
        reverse("admin:journal_contributor_add"),
        reverse("admin:summits_summit_add"),
        reverse("admin:journal_libraryimage_changelist"),
        reverse("admin:two_factor"),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert inline_code(response).blocked == [], url


def test_the_login_page_needs_no_inline_code(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert inline_code(response).blocked == []


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_behind_a_tls_proxy_http_is_redirected_and_https_gets_hsts():
    browser = Client()

    plain = browser.get("/en/", headers={"x-forwarded-proto": "http"})
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/en/"

    secure = browser.get("/en/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    login = browser.get(reverse("admin:login"), headers={"x-forwarded-proto": "https"})
    cookie = login.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


# Login throttling


def log_in(client, password, address="203.0.113.5", username="desk"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_pause_logins_from_that_address(client, desk):
    for _ in range(2):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text

    response = log_in(client, "wrong")
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "Try again in 15 minutes" in response.text

    # Now even the right password is refused from there…
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # …but the editor, elsewhere, is not locked out by someone else's guesses.
    elsewhere = Client()
    response = log_in(elsewhere, PASSWORD, address="198.51.100.9")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_success_clears_earlier_failures(client, desk):
    log_in(client, "wrong")
    log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    log_in(client, "wrong")
    log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_is_counted(desk):
    # The proxy appends the real address; what the client wrote before it is ignored.
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.66")
    for forged in ("1.1.1.1", "2.2.2.2"):
        attacker.defaults["HTTP_X_FORWARDED_FOR"] = f"{forged}, 203.0.113.66"
        response = attacker.post(reverse("admin:login"), {"username": "desk", "password": "x"})
    assert response.status_code == 429

    editor_client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = editor_client.post(
        reverse("admin:login"), {"username": "desk", "password": PASSWORD}
    )
    assert response.status_code == 302


# Several servers: they share the database, nothing else


@pytest.fixture
def another_server(settings, monkeypatch):
    """A browser's next request, as another server meets it: `another_server(cookies)`.

    That server's memory holds none of this one's: its caches are empty and
    django-axes has yet to load its handler. Only the database is shared.
    """
    from axes.handlers.proxy import AxesProxyHandler

    def meet(cookies=None) -> Client:
        settings.CACHES = {
            alias: {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"another-server-{alias}",
            }
            for alias in settings.CACHES
        }
        monkeypatch.setattr(AxesProxyHandler, "implementation", None)
        browser = Client()
        if cookies is not None:
            browser.cookies = cookies
        return browser

    return meet


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lockout_holds_whichever_server_the_next_login_reaches(client, desk, another_server):
    for _ in range(3):
        response = log_in(client, "wrong")
    assert response.status_code == 429

    response = log_in(another_server(), PASSWORD)

    assert response.status_code == 429
    assert "Too many failed logins" in response.text


def test_a_session_started_on_one_server_holds_on_another(client, desk, another_server):
    assert log_in(client, PASSWORD).status_code == 302

    response = another_server(client.cookies).get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["user"].username == "desk"


def test_weak_passwords_are_refused_in_the_desk(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": "writer", "password1": "kazakhstan", "password2": "kazakhstan"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.text
    assert not get_user_model().objects.filter(username="writer").exists()


def test_a_weak_first_admin_password_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_USERNAME", "desk")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "password1")

    with pytest.raises(CommandError, match="too weak"):
        call_command("ensure_admin")
    assert not get_user_model().objects.exists()


# The admin's address


@pytest.mark.external
def test_the_admin_address_is_configurable(tmp_path):
    code = (
        "from django.urls import Resolver404, resolve, reverse\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\n    print('still-there')\n"
        "except Resolver404:\n    print('gone')\n"
    )
    result = run_in_shell(tmp_path, code, DJANGO_ADMIN_URL="newsroom-desk/")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/newsroom-desk/", "gone"]


@pytest.mark.external
def test_a_nonsense_admin_address_is_refused(tmp_path):
    result = run_in_shell(
        tmp_path,
        "from django.conf import settings; print(settings.ADMIN_URL)",
        DJANGO_ADMIN_URL="/",
    )

    assert result.returncode != 0
    assert "DJANGO_ADMIN_URL" in result.stderr


def test_head_gets_the_headers_of_get_without_a_body(rf, pages):
    # Straight through the WSGI handler, as gunicorn calls it: the test client
    # would drop a HEAD body itself.
    def call(method):
        environ = rf._base_environ(PATH_INFO=pages["article"], REQUEST_METHOD=method)
        started = {}

        def start_response(status, headers):
            started.update(status=status, headers=dict(headers))

        body = b"".join(WSGIHandler()(environ, start_response))
        return started, body

    # As the test client does: the handler would otherwise close the test's
    # database connection when the request ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        (get, get_body), (head, head_body) = call("GET"), call("HEAD")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    assert head["status"] == "200 OK"
    assert head_body == b""
    assert head["headers"]["Content-Length"] == str(len(get_body)) != "0"
    assert head["headers"]["Content-Security-Policy"] == get["headers"]["Content-Security-Policy"]
