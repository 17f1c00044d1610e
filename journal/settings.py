"""Settings for the Diplomacy Journal, read from the environment.

Every variable is listed, with its default, in `.env.example` and the README.
Defaults are safe for a laptop: DEBUG off, SQLite under `var/`, the site
answering on localhost only.
"""

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from journal.ops import storage as journal_storage
from journal.ops.mail import mailer_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    truthy, falsy = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
    if value.strip().lower() in truthy:
        return True
    if value.strip().lower() in falsy:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(truthy | falsy)}, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("DJANGO_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)

# A site that answers on real host names must be given its hosts and its key
# explicitly. Left unset, it only answers on this machine, and a random key is
# generated once and kept in var/, so a newcomer's `make run` needs nothing.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def _local_secret_key() -> str:
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = get_random_secret_key()
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not set(ALLOWED_HOSTS) <= _LOCAL_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_ALLOWED_HOSTS names a public host."
        )
    SECRET_KEY = _local_secret_key()

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Translated fields of the record (names in Korean and Russian); before
    # the admin, whose forms it extends.
    "modeltranslation",
    # Django's admin, with optional two-factor logins (journal/admin/two_factor.py).
    "journal.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search fields and lookups; inert on SQLite
    "django_filters",
    # The open-data API at /api/v1/ (journal/api/): Django REST framework, its
    # OpenAPI schema (drf-spectacular); CORS for readers elsewhere.
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "reversion",
    "django_prose_editor",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "summits",
    "journal",
]

MIDDLEWARE = [
    # First: every response, even a cached page or a 503, carries its request
    # id and the security headers.
    "journal.ops.logs.RequestIdMiddleware",
    "journal.middleware.HeadWithoutBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # CORS headers for the API, on every answer under /api/: the page cache's,
    # a 304 and an error too; it answers preflight requests itself.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Brotli or gzip for pages, feeds and sitemaps: after WhiteNoise, which
    # serves static files compressed ahead of time, and around the ETag and
    # page cache, so both work on the uncompressed page.
    "journal.middleware.CompressionMiddleware",
    # ETag on every page, cached or not, and 304 when it has not changed.
    "django.middleware.http.ConditionalGetMiddleware",
    # The language, from the address: before the page cache, whose keys name it.
    "journal.middleware.LanguageMiddleware",
    # Before sessions and auth: a cached page for an anonymous reader is
    # answered without them (see journal/middleware.py).
    "journal.middleware.ReaderPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "journal.urls"
# The record's countries, frameworks and summits have their pages here, in the
# journal; the summits app names no URL of the app that writes about it.
ABSOLUTE_URL_OVERRIDES = {
    "summits.country": lambda country: reverse(
        "journal:country_detail", kwargs={"slug": country.slug}
    ),
    "summits.framework": lambda framework: reverse(
        "journal:framework_detail", kwargs={"slug": framework.slug}
    ),
    "summits.summit": lambda summit: reverse("journal:summit_detail", kwargs={"slug": summit.slug}),
}
WSGI_APPLICATION = "journal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "journal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DJANGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if env_str("DJANGO_TEST_DATABASE_NAME"):
    # Lets two test runs share one PostgreSQL server without dropping each
    # other's test database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("DJANGO_TEST_DATABASE_NAME")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while an editor saves; IMMEDIATE avoids
    # "database is locked" when two gunicorn workers write at once. Reading
    # the file through memory mapping and a larger page cache, kept by a
    # persistent connection, spares a page the system calls of reading the
    # same pages again on every request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED_STATEMENTS", True
):
    # Parameters bound by the server, so that the statements of pages that
    # look rows up by key (an article's) can be prepared: PostgreSQL then
    # plans them once per connection instead of on every request
    # (journal.ops.database.prepared_lookups). Off behind a connection pooler
    # that cannot keep prepared statements (PgBouncer in transaction mode
    # without max_prepared_statements, 0 by default before 1.24).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True

# The admin lives at /admin/ unless told otherwise: a path of one's own keeps
# the noise of scripted login attempts out of the logs. It is not a secret
# to rely on, and django-axes throttles logins wherever it lives.
ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/" or not all(part.isascii() for part in ADMIN_URL):
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must be a non-empty ASCII path, e.g. 'desk/'.")

# Logins: after DJANGO_LOGIN_FAILURE_LIMIT failed attempts at one user name
# from one address, that pair is refused (429) for DJANGO_LOGIN_COOLOFF_MINUTES.
# Keying on the pair means an attacker cannot lock an editor out from
# elsewhere. Axes records attempts in the database (AccessAttempt), visible
# in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(env_str("DJANGO_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "journal.admin.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "journal.admin.throttling.client_ip"
# Behind a proxy, the address a login comes from is the one the proxy saw:
# the N-th address from the right of X-Forwarded-For, N being the number of
# proxies in front (0: use the connection's own address).
TRUSTED_PROXY_COUNT = int(env_str("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# Passwords are stored with Argon2id (journal/ops/passwords.py): a login costs
# about a quarter of what PBKDF2's did. PBKDF2 stays listed so that passwords
# stored with it still work; each is stored again with Argon2 at its next login.
PASSWORD_HASHERS = [
    "journal.ops.passwords.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages of the interface and of articles. Reader pages carry theirs in
# the address (/ko/…, /en/…, /ru/…); addresses without one are those of the
# English-only site and redirect permanently to the default language's.
LANGUAGES = [
    ("ko", _("Korean")),
    ("en", _("English")),
    ("ru", _("Russian")),
]
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"DJANGO_LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}."
    )
# The catalogues: the reader site's templates and the journal's code in
# journal/locale, the record's in summits/locale (found by app as well).
LOCALE_PATHS = [BASE_DIR / "journal" / "locale", BASE_DIR / "summits" / "locale"]
LANGUAGE_COOKIE_NAME = "journal_language"
# The record's names are written in English first (the sources are); a name
# not yet given in Korean or Russian shows in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["journal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Swagger UI for the API's documentation page (journal/api/staticfiles.py).
    "journal.api.staticfiles.SwaggerUIFinder",
]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
# gunicorn does not serve uploads and WhiteNoise serves only collected static
# files, so the app serves MEDIA_ROOT itself unless a front server does it.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads and backups on S3-compatible object storage (journal/ops/storage.py,
# django-storages). DJANGO_MEDIA_STORAGE and DJANGO_BACKUP_STORAGE each name a
# bucket and prefix as s3://BUCKET/PREFIX?region=REGION (endpoint_url=... for
# MinIO and other S3-compatible servers); credentials come from the AWS_*
# variables boto3 reads. Unset, uploads stay in MEDIA_ROOT and backups in
# var/backups, on this server's disk. MEDIA_URL is where pages link uploads:
# the site's own /media/ (MEDIA_PATH, which redirects to the bucket when there
# is one), the bucket's public address, or DJANGO_MEDIA_CDN_URL's copy of
# either. Uploads are public (pages and article bodies link to them); backups
# are private. DJANGO_BACKUP_ENCRYPTION_KEY (Fernet keys, comma-separated: the
# first encrypts, any decrypts) encrypts every archive `manage.py backup` writes.
MEDIA_PATH = journal_storage.MEDIA_PATH
MEDIA_CDN_URL = env_str("DJANGO_MEDIA_CDN_URL")
if env_str("DJANGO_MEDIA_STORAGE"):
    STORAGES["default"], MEDIA_URL = journal_storage.media_storage(
        env_str("DJANGO_MEDIA_STORAGE"), cdn_url=MEDIA_CDN_URL
    )
else:
    MEDIA_URL = journal_storage.local_media_url(MEDIA_CDN_URL)
if env_str("DJANGO_BACKUP_STORAGE"):
    STORAGES["backups"] = journal_storage.backup_storage(env_str("DJANGO_BACKUP_STORAGE"))
BACKUP_ENCRYPTION_KEYS = env_list("DJANGO_BACKUP_ENCRYPTION_KEY")
if BACKUP_ENCRYPTION_KEYS:
    from journal.ops.encryption import check_keys

    check_keys(BACKUP_ENCRYPTION_KEYS)

# Caches. "default" is shared by every gunicorn worker: it holds the content
# generation (journal/content_generation.py), which a change readers can see
# ends. Redis when DJANGO_CACHE_URL names one (redis://host:6379/0), shared by
# every server too; otherwise files in var/cache, shared by the workers of one
# machine. Pages ("pages") and what is kept per generation
# ("template_fragments": {% cache %} fragments, article cards, counts and
# rankings) are keyed by the generation, so they may live in each worker's
# memory when there is no Redis: a worker never reads what an ended
# generation kept.
#
# Redis may go away: the backend (journal/ops/cache.py) then answers as an
# empty cache, so readers get pages rendered from the database, never an
# error, and /health/ says "degraded". Its socket timeouts keep an unreachable
# server from holding a worker.
CACHE_URL = env_str("DJANGO_CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    try:
        CACHE_TIMEOUT_SECONDS = float(env_str("DJANGO_CACHE_TIMEOUT_SECONDS", "0.25"))
    except ValueError:
        raise ImproperlyConfigured(
            "DJANGO_CACHE_TIMEOUT_SECONDS must be a number of seconds."
        ) from None
    SHARED_CACHE = {
        "BACKEND": "journal.ops.cache.ResilientRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "journal",
        "OPTIONS": {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        },
    }
    PAGES_CACHE = KEPT_CACHE = SHARED_CACHE
elif CACHE_URL:
    raise ImproperlyConfigured("DJANGO_CACHE_URL must be a redis:// or rediss:// URL.")
else:
    SHARED_CACHE = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "cache",
    }
    PAGES_CACHE = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    KEPT_CACHE = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kept",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
# Counts, choice lists, rankings and rendered fragments are kept for a content
# generation; off only to measure what the first request after a change costs.
if not env_bool("DJANGO_KEEP_PER_GENERATION", True):
    KEPT_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
CACHES = {"default": SHARED_CACHE, "pages": PAGES_CACHE, "template_fragments": KEPT_CACHE}
# Several servers share the database, not their memory: sessions and login
# lockouts live in it (Django's and django-axes' defaults, named here as a
# choice). A lockout then holds whichever server the next attempt reaches, and
# neither is lost when Redis restarts or goes away.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Whole reader pages for visitors without a session (journal/middleware.py),
# kept this many seconds at most (changes show at once anyway); 0 turns the
# page cache off.
CACHE_MIDDLEWARE_SECONDS = int(env_str("DJANGO_PAGE_CACHE_SECONDS", "600"))
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_KEY_PREFIX = "journal-page-"

# A CDN or caching proxy in front (journal/middleware.py, journal/ops/cdn.py).
# Anonymous reader pages, feeds and sitemaps are public: browsers ask again
# after DJANGO_HTTP_MAX_AGE seconds (0: every time, answered with a 304 while
# the page is unchanged), shared caches keep a page DJANGO_HTTP_S_MAXAGE
# seconds and may serve it DJANGO_HTTP_STALE_WHILE_REVALIDATE seconds longer
# while they fetch it again. Short by default, so a CDN nobody purges is
# never more than a minute and a half behind. DJANGO_CDN_PURGE is told when a change readers can
# see commits: a URL that is sent a JSON POST (with DJANGO_CDN_PURGE_TOKEN as
# a bearer token, if set), or the dotted path of a callable; empty: nothing.
HTTP_MAX_AGE = int(env_str("DJANGO_HTTP_MAX_AGE", "0"))
HTTP_S_MAXAGE = int(env_str("DJANGO_HTTP_S_MAXAGE", "60"))
HTTP_STALE_WHILE_REVALIDATE = int(env_str("DJANGO_HTTP_STALE_WHILE_REVALIDATE", "30"))
if min(HTTP_MAX_AGE, HTTP_S_MAXAGE, HTTP_STALE_WHILE_REVALIDATE) < 0:
    raise ImproperlyConfigured("DJANGO_HTTP_* cache lifetimes must be 0 or more seconds.")
CDN_PURGE = env_str("DJANGO_CDN_PURGE")
CDN_PURGE_TOKEN = env_str("DJANGO_CDN_PURGE_TOKEN")

FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content-Security-Policy on every response: scripts, styles, images and
# fonts from this site only; no inline code, no eval; inline code that truly
# needs to run carries the request's nonce ({{ csp_nonce }}). Uploaded media
# gets a stricter policy of its own (journal/views/media.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *journal_storage.media_origins(MEDIA_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "frame-src": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
if CSP_REPORT_URI := env_str("DJANGO_CSP_REPORT_URI"):
    SECURE_CSP["report-uri"] = [CSP_REPORT_URI]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# HTTPS. A site with public host names is served over TLS unless told
# otherwise (DJANGO_HTTPS=false, e.g. for a trial on a private network):
# secure-only cookies, http redirected to https, and HSTS for a year,
# subdomains included. Preloading into browsers is a commitment that is hard
# to undo, so it is opt-in (DJANGO_HSTS_PRELOAD=true).
HTTPS = env_bool("DJANGO_HTTPS", not set(ALLOWED_HOSTS) <= _LOCAL_HOSTS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env_str("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD", False)
# "Not preloaded" is the documented default, not an oversight.
SILENCED_SYSTEM_CHECKS = ["security.W021"] if HTTPS and not SECURE_HSTS_PRELOAD else []
# Behind a proxy that terminates TLS, trust its X-Forwarded-Proto header, so
# Django knows which requests came in over https. Only set this when the
# proxy always sets (or strips) that header.
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_CSP["upgrade-insecure-requests"] = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Logs go to stdout, one JSON object a line with the request's id (see
# journal/ops/logs.py); DJANGO_LOG_FORMAT=text gives plain lines for a terminal.
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "json").lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "journal.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "journal.ops.logs.JsonFormatter"},
        "text": {"()": "journal.ops.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own handlers would print a second, unstructured copy.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Its banner on every command is noise; failures and lockouts are warnings.
        "axes.apps": {"level": "WARNING"},
    },
}

# Errors reported to Sentry, or any server speaking its protocol, when
# SENTRY_DSN is set (journal/ops/error_reports.py): no personal data is sent.
if SENTRY_DSN := env_str("SENTRY_DSN"):
    from journal.ops.error_reports import start_error_reports

    start_error_reports(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

SITE_NAME = env_str("JOURNAL_SITE_NAME", "Diplomacy Journal")
SITE_TAGLINE = _("Central Asia and its partners, summit by summit")
# The name authenticator apps show next to a user's two-factor code.
OTP_TOTP_ISSUER = SITE_NAME
# Keys are shown once, when a user sets up their app; never again in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The open-data API (journal/api/, /api/v1/) -------------------------------------
# Read-only JSON, for anyone, from any origin, without credentials. Answers
# go through the page cache and carry the reader pages' Cache-Control and
# ETags (journal/middleware.py). Each client address, read as login
# throttling reads it (DJANGO_TRUSTED_PROXY_COUNT), may make DJANGO_API_RATE
# requests that reach the app ("120/min"; s, min, hour or day; "off" for no
# limit), counted in the shared cache; answers from the page cache or a CDN
# are not counted. Past it: 429 with Retry-After.
API_RATE: str | None = (env_str("DJANGO_API_RATE") or "120/min").lower()
_api_requests, _slash, _api_period = API_RATE.partition("/")
if API_RATE == "off":
    API_RATE = None
elif not (
    _api_requests.isdigit()
    and int(_api_requests) > 0
    and _api_period in {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}
):
    raise ImproperlyConfigured(
        "DJANGO_API_RATE must be a number of requests per s, min, hour or day "
        f"(e.g. 120/min), or off, not {API_RATE!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "journal.api.base.JSONOnly",
    "DEFAULT_THROTTLE_CLASSES": ["journal.api.base.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "journal.api.base.json_errors",
    # ?format= would answer 404 for anything but json.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": _(
        "Published articles with their bylines and tags, contributors, countries, "
        "frameworks and summits, as the reading site shows them. Read-only JSON."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Open data -----------------------------------------------------------------
# The licence of the summit record's downloads (CSV, JSON, iCalendar): named in
# the JSON and the calendar's description, linked from every download's
# `Link: <...>; rel="license"` header. The CC BY deed is linked only with the
# default licence; another licence links its own address, or none.
DATA_LICENCE = env_str("JOURNAL_DATA_LICENCE") or f"CC BY 4.0, {SITE_NAME}"
DATA_LICENCE_URL = env_str("JOURNAL_DATA_LICENCE_URL") or (
    "" if env_str("JOURNAL_DATA_LICENCE") else "https://creativecommons.org/licenses/by/4.0/"
)

# E-mail --------------------------------------------------------------------
# Staff get password resets and workflow notices (journal/services/notifications.py),
# queued in the outbox and sent once the save commits (journal/services/outbox.py).
# DJANGO_EMAIL_URL names the mail server:
#   smtp+tls://user:password@mail.example.org:587   STARTTLS (or smtp://…?tls=true)
#   smtps://user:password@mail.example.org:465      TLS from the start (or ?ssl=true)
#   smtp://relay.internal:25                        plain, on a private network
#   console://                                      printed to stdout
#   file:///srv/journal/mail                        one file a message, in that folder
# "@", ":" and "/" in the user name or password are written %40, %3A, %2F.
# Unset, mail is written as files under var/mail and never leaves the machine,
# so `make run` reaches for no server and nothing is lost while the real one is
# being set up. ?timeout= is how long a send waits for the server (10 s): a
# mail outage delays a workflow step by that much at worst.


MAILERS = {"default": mailer_from_url(env_str("DJANGO_EMAIL_URL"), folder=VAR_DIR / "mail")}

# The address links in e-mails start with (no request to take it from when a
# scheduled article goes live). By default the first host of
# DJANGO_ALLOWED_HOSTS, over https when the site is; locally, what `make run`
# serves.
_public_hosts = [
    host for host in ALLOWED_HOSTS if host not in _LOCAL_HOSTS and host[:1] not in {".", "*"}
]
SITE_URL = env_str("DJANGO_SITE_URL").rstrip("/") or (
    f"{'https' if HTTPS else 'http'}://{_public_hosts[0]}"
    if _public_hosts
    else "http://127.0.0.1:8000"
)
if urlsplit(SITE_URL).scheme not in {"http", "https"} or urlsplit(SITE_URL).path:
    raise ImproperlyConfigured(
        "DJANGO_SITE_URL must be the site's scheme and host, e.g. https://journal.example.org."
    )
# Who mail comes from: a sender the mail server accepts for this domain.
DEFAULT_FROM_EMAIL = env_str(
    "DJANGO_DEFAULT_FROM_EMAIL",
    f'"{SITE_NAME.replace(chr(34), "")}" <noreply@{urlsplit(SITE_URL).hostname}>',
)
# Django's own error reports and server mail come from here.
SERVER_EMAIL = env_str("DJANGO_SERVER_EMAIL") or DEFAULT_FROM_EMAIL

# Newsletters (journal/services/newsletters.py, digests.py) ------------------
# Every digest offers one-click unsubscribing (RFC 8058) at the site, and also
# by mail to this address, for mail programs that only write: a mailbox
# someone reads. By default the sender's own address.
NEWSLETTER_UNSUBSCRIBE_EMAIL = (
    env_str("DJANGO_NEWSLETTER_UNSUBSCRIBE_EMAIL") or parseaddr(DEFAULT_FROM_EMAIL)[1]
)
