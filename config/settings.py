"""Settings for the drone-strike incident tracker.

Every value comes from the environment (see .env.example); the defaults give a
working development site on SQLite with no configuration at all.
"""

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_float, env_int, env_list, env_str
from config.security import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=not DEBUG)
if SECRET_KEY is None:
    # Only reachable with DJANGO_DEBUG=true: a fixed key for local development.
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "leaflet",
    "incidents",
    "api",
]

MIDDLEWARE = [
    # Outermost: times the whole request and writes its JSON log line.
    "incidents.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag / 304 on every GET that does not set its own validators.
    "django.middleware.http.ConditionalGetMiddleware",
    # Database down during a request: a plain 503 page (JSON under /api/).
    "incidents.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://) or SQLite (sqlite://)."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_PV = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PV}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_PV}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_PV}.CommonPasswordValidator"},
    {"NAME": f"{_PV}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Attack windows are reported in Kyiv time; pages show that zone by default.
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Kyiv")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"DJANGO_TIME_ZONE={TIME_ZONE!r} is not a time zone."
    ) from None

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Without collected files (development, tests) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "api.permissions.ModelPermissionsOrReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Drone-strike incident tracker API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Map tiles: a newsroom can point this at its own tile server. Empty means no
# tiles (markers still show on a blank map).
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.0, 36.0),
    "DEFAULT_ZOOM": 4,
    "TILES": [("Map", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})]
    if MAP_TILE_URL
    else [],
    "RESET_VIEW": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # One JSON object per line on stdout, for the log collector.
        "json": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "loggers": {
        # One line per request (incidents.middleware.RequestLogMiddleware).
        "incidents.requests": {
            "handlers": ["json"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
REQUEST_LOG = env_bool("DJANGO_REQUEST_LOG", default=True)

# --- Production and scale -------------------------------------------------
# HTTPS is terminated by the proxy or load balancer in front; these follow it.
# `manage.py check --deploy` passes with the values given in .env.example.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# Health probes come over plain HTTP from the load balancer and compose.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that always sets (and never forwards) this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)

# No state on the web server: sessions live in the database, the cache in
# Redis when REDIS_URL is set (shared by every replica), else in process memory.
REDIS_URL = env_str("REDIS_URL", "")
_CACHE_PREFIX = env_str("DJANGO_CACHE_PREFIX", "incidents")


def _cache(prefix, max_entries):
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": prefix,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    # Whole pages and API answers of ~20-70 KB: bounded per process without
    # Redis (Django's default bound: 300).
    "default": _cache(_CACHE_PREFIX, 1000),
    # The API's rate-limit counters, one small entry per client address: kept
    # apart, so that a crowd of new readers never pushes cached answers out.
    "throttle": _cache(f"{_CACHE_PREFIX}-throttle", 50_000),
}
if REDIS_URL:
    # Each process also keeps the cached answers it served last, in front of
    # Redis: they are keyed by the record version, so a copy never outlives a
    # change, and a hit costs no round trip for 20-70 KB (incidents.cache).
    CACHES["answers"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"{_CACHE_PREFIX}-answers",
        "OPTIONS": {"MAX_ENTRIES": 300},
    }
# The cached_db engine needs a cache that every replica shares.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# How long a cached public page or API read may live. Every change moves the
# record version on (incidents.cache), which drops the old answers at once.
PUBLIC_CACHE_SECONDS = env_int("DJANGO_PUBLIC_CACHE_SECONDS", 600, minimum=0)
# How often each process re-reads the record version from the database: the
# longest time another worker or replica may serve an answer from before a
# change (the process that made the change sees it at once).
RECORD_VERSION_SECONDS = env_float("DJANGO_RECORD_VERSION_SECONDS", 1.0, minimum=0)

# --- Editorial workflow, history and security ---------------------------------
# History of every change (django-simple-history), login lockout (django-axes),
# Content-Security-Policy (django-csp) and clean answers to a database outage.
INSTALLED_APPS += ["simple_history", "axes", "csp"]
# After the request log, so refused bodies are logged too.
MIDDLEWARE.insert(1, "incidents.middleware.RequestSizeLimitMiddleware")
MIDDLEWARE += [
    "config.security.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]
# History is read-only in the admin: corrections go through the change form.
SIMPLE_HISTORY_REVERT_DISABLED = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username from an address after this many failed logins, for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Request bodies: form fields over 2.5 MB answer 400 (Django), any body over
# MAX_REQUEST_BODY_SIZE answers 413 before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int(
    "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int(
    "DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
MAX_REQUEST_BODY_SIZE = env_int(
    "DJANGO_MAX_REQUEST_BODY_SIZE", 10_485_760, minimum=1024
)

# Own origin only; no inline scripts unless they carry the per-request nonce
# (`{{ request.csp_nonce }}`). Map tiles come from MAP_TILE_URL's host.
CONTENT_SECURITY_POLICY = content_security_policy(MAP_TILE_URL)

# --- REST API (api/) -------------------------------------------------------
# Throttle rates are "<number>/<second|minute|hour|day>"; state lives in the
# "throttle" cache (Redis when REDIS_URL is set, else per process).
_RATE = r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$"


def _env_rate(name, default):
    import re

    value = env_str(name, default).strip()
    if not re.match(_RATE, value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate such as 60/minute or 1000/hour."
        )
    return value


REST_FRAMEWORK |= {
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": _env_rate("API_THROTTLE_USER", "1200/minute"),
    },
    # Reverse proxies in front of the app; the client address for anonymous
    # rate limits is taken that many hops back in X-Forwarded-For (0: the
    # socket address, so a client cannot pick its own by sending the header).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0, minimum=0),
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
}
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500, minimum=1)
# Browser clients may read the API from any origin; nothing else is shared.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
SPECTACULAR_SETTINGS |= {
    "DESCRIPTION": (
        "The public, sourced record of drone strikes in the Russia-Ukraine war. "
        "Reads are open to anyone; journalists write with a token "
        "(`Authorization: Token <key>`). See the README's REST API section."
    ),
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "incidents.models.Country",
        "LocationKindEnum": "incidents.models.Location.Kind",
    },
}
