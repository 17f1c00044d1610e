"""Settings and set-up commands, as a newcomer or an operator meets them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[3]


def clean_environment(tmp_path, **env) -> dict[str, str]:
    """This process's environment without the site's own settings, plus `env`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(DJANGO_VAR_DIR=str(tmp_path), **env)
    return environment


def run_python(tmp_path, *arguments: str, **env) -> subprocess.CompletedProcess:
    """`python *arguments` in the project, in a fresh interpreter with the given environment."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=clean_environment(tmp_path, **env),
        capture_output=True,
        text=True,
    )


def run_in_shell(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    """`code` run by `manage.py shell`, with the given environment."""
    return run_python(tmp_path, "manage.py", "shell", "--no-imports", "-c", code, **env)


def load_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with the given environment."""
    code = (
        "from journal import settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], len(s.SECRET_KEY))"
    )
    return run_python(tmp_path, "-c", code, **env)


@pytest.mark.external
def test_defaults_are_safe_and_need_nothing(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ")  # DEBUG off
    assert "['localhost', '127.0.0.1', '[::1]']" in result.stdout
    assert "django.db.backends.sqlite3" in result.stdout
    # A random key was generated once and is reused.
    key_file = tmp_path / "secret_key"
    assert len(key_file.read_text()) >= 50
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    first_key = key_file.read_text()
    assert load_settings(tmp_path).returncode == 0
    assert key_file.read_text() == first_key


@pytest.mark.external
def test_public_hosts_require_a_secret_key(tmp_path):
    result = load_settings(tmp_path, DJANGO_ALLOWED_HOSTS="journal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr

    result = load_settings(
        tmp_path, DJANGO_ALLOWED_HOSTS="journal.example.org", DJANGO_SECRET_KEY="x" * 60
    )
    assert result.returncode == 0, result.stderr
    assert "['journal.example.org']" in result.stdout


def deploy_check(tmp_path, **env):
    return run_python(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)


PRODUCTION = {
    "DJANGO_ALLOWED_HOSTS": "journal.example.org",
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qp9" * 12,
    "DJANGO_EMAIL_URL": "smtp+tls://journal:s3cret@mail.example.org:587",
}


@pytest.mark.external
def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.external
def test_turning_https_off_is_reported_by_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION, DJANGO_HTTPS="false")

    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


@pytest.mark.external
def test_https_settings_follow_the_environment(tmp_path):
    code = (
        "from journal import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_PRELOAD, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )

    def read(**env):
        completed = run_python(tmp_path, "-c", code, **env)
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.split()

    assert read()[:2] == ["False", "False"]  # a laptop: plain http
    assert read(**PRODUCTION)[:4] == ["True", "True", "31536000", "False"]
    assert read(**PRODUCTION, DJANGO_HSTS_PRELOAD="true")[3] == "True"
    proxied = read(**PRODUCTION, DJANGO_BEHIND_TLS_PROXY="true")
    assert proxied[4:] == ["('HTTP_X_FORWARDED_PROTO',", "'https')"]


@pytest.mark.external
def test_a_production_site_without_a_mail_server_is_reported_by_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, **{**PRODUCTION, "DJANGO_EMAIL_URL": ""})

    assert result.returncode != 0
    assert "development-only email backend" in result.stderr + result.stdout


@pytest.mark.external
def test_email_follows_the_environment(tmp_path):
    code = (
        "from journal import settings as s; mailer = s.MAILERS['default'];"
        "print(mailer['BACKEND'].rsplit('.', 2)[-2], sorted(mailer.get('OPTIONS', {}).items()));"
        "print(s.SITE_URL, s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL, sep='|')"
    )

    def read(**env):
        completed = run_python(tmp_path, "-c", code, **env)
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.splitlines()

    # A laptop: files under var/mail, links to what `make run` serves.
    assert read() == [
        f"filebased [('file_path', {tmp_path / 'mail'!r})]",
        'http://127.0.0.1:8000|"Diplomacy Journal" <noreply@127.0.0.1>|'
        '"Diplomacy Journal" <noreply@127.0.0.1>',
    ]
    assert read(**PRODUCTION) == [
        "smtp [('host', 'mail.example.org'), ('password', 's3cret'), ('port', 587), "
        "('timeout', 10), ('use_ssl', False), ('use_tls', True), ('username', 'journal')]",
        'https://journal.example.org|"Diplomacy Journal" <noreply@journal.example.org>|'
        '"Diplomacy Journal" <noreply@journal.example.org>',
    ]
    ssl = read(
        DJANGO_EMAIL_URL="smtps://news%40example.org:p%40ss%3Aw0rd@smtp.example.org?timeout=3",
        DJANGO_SITE_URL="https://www.journal.example.org/",
        DJANGO_DEFAULT_FROM_EMAIL="Newsroom <desk@journal.example.org>",
        DJANGO_SERVER_EMAIL="errors@journal.example.org",
    )
    assert ssl == [
        "smtp [('host', 'smtp.example.org'), ('password', 'p@ss:w0rd'), ('port', None), "
        "('timeout', 3), ('use_ssl', True), ('use_tls', False), ('username', 'news@example.org')]",
        "https://www.journal.example.org|Newsroom <desk@journal.example.org>|"
        "errors@journal.example.org",
    ]
    assert read(DJANGO_EMAIL_URL="smtp://relay.internal?tls=on")[0].startswith(
        "smtp [('host', 'relay.internal'), ('password', ''), ('port', None)"
    )
    assert read(DJANGO_EMAIL_URL="console://")[0] == "console []"

    for wrong in ("imap://mail.example.org", "smtps://h?tls=true", "smtp://h:port"):
        completed = run_python(tmp_path, "-c", code, DJANGO_EMAIL_URL=wrong)
        assert completed.returncode != 0
        assert "DJANGO_EMAIL_URL" in completed.stderr
        assert wrong not in completed.stderr  # it may hold a password
    completed = run_python(tmp_path, "-c", code, DJANGO_SITE_URL="journal.example.org")
    assert "DJANGO_SITE_URL must be" in completed.stderr


@pytest.mark.external
def test_database_url_selects_postgresql(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="postgres://journal@db.internal:5432/journal")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout


@pytest.mark.external
def test_postgresql_prepares_statements_unless_told_not_to(tmp_path):
    code = "from journal import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))"
    url = "postgres://journal@db.internal:5432/journal"

    def options(**env):
        completed = run_python(tmp_path, "-c", code, DATABASE_URL=url, **env)
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.strip()

    # Bound by the server, which prepared statements need; what is prepared
    # is chosen per page (journal.ops.database.prepared_lookups).
    assert "'server_side_binding': True" in options()
    # Behind a pooler that cannot keep prepared statements.
    assert "server_side_binding" not in options(DJANGO_DB_PREPARED_STATEMENTS="false")


@pytest.mark.external
def test_caches_follow_the_environment(tmp_path):
    code = (
        "from journal import settings as s;"
        "print(*(s.CACHES[alias]['BACKEND'].rsplit('.', 1)[-1]"
        " for alias in ('default', 'pages', 'template_fragments')),"
        " s.CACHES['default']['LOCATION'])"
    )

    def read(**env):
        completed = run_python(tmp_path, "-c", code, **env)
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.split()

    # The workers of one machine share the content generation through files;
    # pages and fragments, keyed by it, stay in each worker's memory.
    assert read() == ["FileBasedCache", "LocMemCache", "LocMemCache", str(tmp_path / "cache")]
    redis = "redis://127.0.0.1:6379/0"
    resilient = "ResilientRedisCache"
    assert read(DJANGO_CACHE_URL=redis) == [resilient, resilient, resilient, redis]
    assert read(DJANGO_KEEP_PER_GENERATION="false")[2] == "DummyCache"


@pytest.mark.external
def test_a_worker_waits_for_redis_briefly(tmp_path):
    code = (
        "from journal import settings as s; options = s.CACHES['default']['OPTIONS'];"
        "print(options['socket_connect_timeout'], options['socket_timeout'])"
    )
    redis = {"DJANGO_CACHE_URL": "redis://127.0.0.1:6379/0"}

    def read(**env):
        return run_python(tmp_path, "-c", code, **redis, **env)

    assert read().stdout.split() == ["0.25", "0.25"]
    assert read(DJANGO_CACHE_TIMEOUT_SECONDS="1.5").stdout.split() == ["1.5", "1.5"]
    refused = read(DJANGO_CACHE_TIMEOUT_SECONDS="soon")
    assert refused.returncode != 0
    assert "DJANGO_CACHE_TIMEOUT_SECONDS must be a number of seconds" in refused.stderr


@pytest.mark.external
def test_misspelt_boolean_is_refused(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


@pytest.mark.django_db
def test_ensure_admin_creates_once_and_prints_password_once(capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("DJANGO_ADMIN_USERNAME", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    assert "password '" in first
    password = first.split("password '")[1].split("'")[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)

    call_command("ensure_admin")
    second = capsys.readouterr().out
    assert password not in second
    assert "changepassword admin" in second
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_ensure_admin_takes_credentials_from_environment(capsys, monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_USERNAME", "desk")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "correct-horse-battery")
    call_command("ensure_admin")
    assert "correct-horse-battery" not in capsys.readouterr().out
    assert get_user_model().objects.get(username="desk").check_password("correct-horse-battery")


def variables_read(source: Path) -> set[str]:
    """The environment variables a settings file reads: env_*("NAME") and os.environ.get("NAME")."""
    text = source.read_text()
    return set(re.findall(r'env_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)"', text)) | set(
        re.findall(r'environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', text)
    )


@pytest.mark.parametrize("source", ["journal/settings.py", "gunicorn.conf.py"])
def test_every_setting_is_documented(source):
    """An operator finds every variable the site reads in the README and in .env.example."""
    readme = (BASE_DIR / "README.md").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    variables = variables_read(BASE_DIR / source)
    assert len(variables) > 3  # the pattern still matches how settings are read
    assert not {name for name in variables if f"`{name}`" not in readme}, "missing in README"
    if source == "journal/settings.py":
        assert not {name for name in variables if f"{name}=" not in example}, (
            "missing in .env.example"
        )
