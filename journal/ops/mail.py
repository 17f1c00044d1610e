"""The mail server named by DJANGO_EMAIL_URL, as Django's MAILERS setting wants it."""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def mailer_from_url(url: str, *, folder: Path) -> dict:
    """Django's default mailer from DJANGO_EMAIL_URL; unset, files in `folder`.

    The messages never show the URL, which holds the password.
    """
    if not url:
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": folder},
        }
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": Path(unquote(parts.path)) if parts.path else folder},
        }
    if scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            "DJANGO_EMAIL_URL must start with smtp://, smtp+tls://, smtps://, console:// "
            "or file://."
        )
    query = {key.lower(): value.strip().lower() for key, value in parse_qsl(parts.query)}
    use_ssl = scheme == "smtps" or query.get("ssl") in {"1", "true", "yes", "on"}
    use_tls = scheme == "smtp+tls" or query.get("tls") in {"1", "true", "yes", "on"}
    if use_ssl and use_tls:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL asks for STARTTLS and SSL: choose one.")
    try:
        port = parts.port  # None: Django picks 465, 587 or 25 for SSL, STARTTLS or neither
        timeout = int(query.get("timeout", "10"))
    except ValueError:
        raise ImproperlyConfigured(
            "DJANGO_EMAIL_URL has a port or timeout that is not a number."
        ) from None
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }
