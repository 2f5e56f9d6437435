"""Settings for the regional industry news archive (production and local use).

Everything that differs between a laptop and a deployment comes from the
environment; with nothing set the archive runs locally on SQLite and a Whoosh
index kept in a data folder outside the source tree. The test and bench settings in this
package start from these.
"""
from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from archive.settings.sqlite import connection_settings, read_only_wanted

BASE_DIR = Path(__file__).resolve().parents[2]


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable (1/0, true/false, yes/no, on/off)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "jiangsu-news-archive"


DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR") or default_data_dir()).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_flag("DJANGO_DEBUG", True)


def load_secret_key() -> str:
    """Production must bring its own key; local use gets one generated per data folder."""
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key and not DEBUG and key.startswith("django-insecure-"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is a development key (django-insecure-…); set a random one.")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off; "
            "the archive never runs in production with a default key."
        )
    key_file = DATA_DIR / "local-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = load_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "haystack",
    "archive.apps.LoginLockoutConfig",  # django-axes, named in Chinese in the admin
    "archive.apps.ArchiveConfig",
    "search.apps.SearchConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.middleware.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "archive.middleware.RequestLimitsMiddleware",  # an unparseable query string: 400 before anything reads it
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "archive.middleware.ChosenLanguageMiddleware",  # Chinese unless the reader switched to English
    "archive.middleware.DisplayScriptMiddleware",  # the 简/繁 display switch
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive.read_only.ReadOnlyDatabaseMiddleware",  # a write to a read-only database: a 503 page
    "axes.middleware.AxesMiddleware",  # admin login lockout (below)
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _database = Path(DATABASES["default"]["NAME"])  # read-write in WAL mode, or read-only (archive/settings/sqlite.py)
    DATABASES["default"].update(connection_settings(_database, read_only_wanted(_database)))
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The admin login is throttled by django-axes: after AXES_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is locked out for the cool-off time (logged as
# "AXES: Locking out {username: …, ip_address: …}"; the lockout page says for how long).
# `manage.py axes_reset` lifts every lock.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("ARCHIVE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("ARCHIVE_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS: list[str] = []  # the log names the user and the address (never the password)
AXES_LOCKOUT_CALLABLE = "archive.request_limits.login_lockout"
AXES_CLIENT_IP_CALLABLE = "archive.request_limits.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["archive.formats"]  # English dates: 30 October 2024
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or DATA_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Deployment behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE  # every cookie: Secure and SameSite
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", not DEBUG)
ARCHIVE_TRUST_X_FORWARDED_FOR = env_flag("DJANGO_BEHIND_TLS_PROXY", False)  # the proxy says who the client is
if ARCHIVE_TRUST_X_FORWARDED_FOR:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every script and style comes from the archive's own static files: no inline code, nothing
# from another host (archive.middleware.SecurityHeadersMiddleware sends both headers).
ARCHIVE_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ARCHIVE_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), "
    "usb=()"
)

# Archive-specific settings.
ARCHIVE_SEEDS_DIR = BASE_DIR / "seeds"
# Per-page caps of the ingest (docs/ingest.md): a file past one is refused, nothing loaded from it.
# Real pages hold a few hundred lines, under 50 articles and under 30,000 characters an article;
# the characters per page bound the transaction that writes a page (about 2 s at the cap).
ARCHIVE_INGEST_MAX_LINES = int(os.environ.get("ARCHIVE_INGEST_MAX_LINES", "20000"))
ARCHIVE_INGEST_MAX_ARTICLES = int(os.environ.get("ARCHIVE_INGEST_MAX_ARTICLES", "300"))
ARCHIVE_INGEST_MAX_ARTICLE_CHARS = int(os.environ.get("ARCHIVE_INGEST_MAX_ARTICLE_CHARS", "100000"))
ARCHIVE_INGEST_MAX_PAGE_CHARS = int(os.environ.get("ARCHIVE_INGEST_MAX_PAGE_CHARS", "1000000"))
ARCHIVE_PAGE_SIZE = 20
# Seconds a search answer is kept in its process for the same question in the same state of
# the index (search/service/recent.py); 0 turns the cache off.
ARCHIVE_SEARCH_CACHE_SECONDS = float(os.environ.get("ARCHIVE_SEARCH_CACHE_SECONDS", "300"))
ARCHIVE_SEARCH_CACHE_ENTRIES = int(os.environ.get("ARCHIVE_SEARCH_CACHE_ENTRIES", "2000"))
ARCHIVE_API_MAX_PAGE_SIZE = 100
# CSV export (format=csv on /api/articles/): at most this many rows per file, and this many
# exports per client per minute (0: no limit); counted in the cache (per process unless CACHES
# names a shared one).
ARCHIVE_CSV_MAX_ROWS = int(os.environ.get("ARCHIVE_CSV_MAX_ROWS", "5000"))
ARCHIVE_CSV_EXPORTS_PER_MINUTE = int(os.environ.get("ARCHIVE_CSV_EXPORTS_PER_MINUTE", "6"))
# /sitemap.xml is an index of paginated sitemaps (archive/discovery.py); each is cached this long.
ARCHIVE_SITEMAP_CACHE_SECONDS = int(os.environ.get("ARCHIVE_SITEMAP_CACHE_SECONDS", "3600"))
# The entity index's rows (every tag counted) are kept this long per process (archive/entity_index.py).
ARCHIVE_ENTITY_INDEX_SECONDS = int(os.environ.get("ARCHIVE_ENTITY_INDEX_SECONDS", "300"))
# The listing's filter-panel counts per set of filters, kept this long per process (archive/filter_panel.py).
ARCHIVE_LISTING_COUNTS_SECONDS = int(os.environ.get("ARCHIVE_LISTING_COUNTS_SECONDS", "60"))

# Search index (filled in by the search app).
# The Whoosh index is derived data: it can always be rebuilt from the database
# (manage.py rebuild_index), so it lives in the data folder, on local disk.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.backend.ArchiveWhooshEngine",
        "PATH": str(Path(os.environ.get("ARCHIVE_INDEX_DIR") or DATA_DIR / "whoosh-index")),
    },
}
# Scale-out: ARCHIVE_SEARCH_ENGINE=elasticsearch searches Elasticsearch 8 (or 7.17) with the same
# pre-cut analysis (search/elasticsearch.py, search/engines/elasticsearch/; docs/operations.md).
ARCHIVE_SEARCH_ENGINE = os.environ.get("ARCHIVE_SEARCH_ENGINE", "").strip().lower() or "whoosh"
if ARCHIVE_SEARCH_ENGINE == "elasticsearch":
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.elasticsearch.ArchiveElasticsearchEngine",
            "URL": os.environ.get("ARCHIVE_ELASTICSEARCH_URL", "http://127.0.0.1:9200/"),
            "INDEX_NAME": os.environ.get("ARCHIVE_ELASTICSEARCH_INDEX", "jiangsu-news-archive"),
            "TIMEOUT": float(os.environ.get("ARCHIVE_ELASTICSEARCH_TIMEOUT", "10")),
        },
    }
    if os.environ.get("ARCHIVE_ELASTICSEARCH_CA_CERTS"):  # Elasticsearch 8 serves HTTPS with its own CA
        HAYSTACK_CONNECTIONS["default"]["KWARGS"] = {"ca_certs": os.environ["ARCHIVE_ELASTICSEARCH_CA_CERTS"]}
    # The 7.17 client (the one haystack's backend takes) asks for the 7.x REST API in
    # compatibility mode: an Elasticsearch 8 server then accepts it, and 7.x serves it as is.
    os.environ.setdefault("ELASTIC_CLIENT_APIVERSIONING", "1")
elif ARCHIVE_SEARCH_ENGINE != "whoosh":
    raise ImproperlyConfigured(f"ARCHIVE_SEARCH_ENGINE must be whoosh or elasticsearch, not {ARCHIVE_SEARCH_ENGINE!r}")
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.OutboxSignalProcessor"
SEARCH_MAX_QUERY_CHARS = 500
# How long an admin save waits for another writer (a bulk ingest) to release
# the index before leaving its change queued for that writer's next flush.
SEARCH_COMMIT_FLUSH_TIMEOUT = float(os.environ.get("SEARCH_COMMIT_FLUSH_TIMEOUT", "2"))
# A bulk ingest indexes in a child process, beside the parsing, this many articles per
# index commit (each commit adds index segments, and a search visits every segment).
ARCHIVE_INDEX_BATCH = int(os.environ.get("ARCHIVE_INDEX_BATCH", "5000"))
# From this many articles, an index batch is built by two processes at once, each reading its
# own half from the database (fewer are built by one: starting a second costs more).
ARCHIVE_INDEX_PARALLEL_FROM = int(os.environ.get("ARCHIVE_INDEX_PARALLEL_FROM", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
