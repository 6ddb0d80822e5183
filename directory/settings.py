"""Settings for the Health Inequalities Resource Directory.

One module, driven by the environment (every variable is listed in `.env.example`).
Safe by default: debug is off, and the placeholder secret key makes
`manage.py check --deploy` complain until production sets a real one.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default="0"):
    return os.environ.get(name, default) == "1"


DEBUG = env_flag("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-only")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "import_export",
    "axes",
    "taxonomy",
    "resources",
]

MIDDLEWARE = [
    "directory.head_requests.NoBodyForHead",
    # Load balancer probes next (no Host check, no HTTPS redirect), then unknown hosts refused
    # in one log line (docs/decisions/0016-failing-well.md).
    "directory.health.health_checks",
    "directory.hosts.refuse_unknown_hosts",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, already compressed: they stop here
    # Counts what a page noted in request.insight once it is answered, gathered and written
    # every few seconds; no cookie, no session (docs/decisions/0021-insights.md). Above the page cache, which answers a hit
    # without running anything below it and sets request.insight from the kept page, so a page
    # served from the cache is counted as one the view made.
    "resources.insights.middleware.RecordInsights",
    # Public pages for anonymous visitors answered whole from the cache, already gzipped, with
    # ETag and Cache-Control for proxies (docs/decisions/0023-page-cache.md).
    "resources.page_cache.PageCache",
    # Pages, feeds and exports gzipped once every middleware below has finished with the body.
    # BREACH: CSRF tokens are masked afresh per response, and Django pads each gzip stream with
    # random bytes (docs/decisions/0015-finder-on-a-phone.md).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "directory.urls"
WSGI_APPLICATION = "directory.wsgi.application"

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
            ],
        },
    },
]

# SQLite is the embedded default; production sets DATABASE_URL to PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Failing well (docs/decisions/0016-failing-well.md): a database that is away or stuck costs a
# visitor a few seconds and a 503 page, not 30 s and a 500. Connections are checked before each
# use (CONN_HEALTH_CHECKS; for the pool, on checkout), so one killed by a database restart is
# replaced instead of failing a request.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30"))
DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "2"))
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_flag(
    "DATABASE_POOL", "1"
):
    # psycopg's connection pool replaces persistent connections (Django requires conn_max_age=0).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        # How long a request waits for a connection before it gets the 503 page.
        "timeout": DATABASE_POOL_TIMEOUT,
        # A reconnection that keeps failing is given up this soon (psycopg's default: 5
        # minutes of doubling delays), so the first request after the database is back starts
        # a fresh attempt instead of waiting out the backoff.
        "reconnect_timeout": DATABASE_POOL_TIMEOUT,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", DATABASE_CONNECT_TIMEOUT
    )
    # A page runs a dozen statements of a few milliseconds each; starting parallel workers for
    # one costs more than it saves (a 4 ms facet count took 10-15 ms with two workers at 100,000
    # resources: docs/performance.md). Only plans ten times costlier than PostgreSQL's default
    # threshold go parallel. No statement may run longer than DATABASE_STATEMENT_TIMEOUT
    # seconds (0: no limit). Options given in DATABASE_URL (?options=...) win.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options",
        f"-c parallel_setup_cost=10000 -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
    )

# Counts and result pages are cached by catalogue version (resources/caching.py). Several
# processes must share one cache, so production sets CACHE_URL=redis://host:6379/0.
CACHE_URL = os.environ.get("CACHE_URL", "")


def cache_settings(url):
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # Redis answers in a millisecond; one that does not within a second is away, and
            # the visitor gets the 503 page at once rather than after redis-py's 5 s or more.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    if url == "dummy://":  # no caching at all: for measuring every request from scratch
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }


CACHES = {"default": cache_settings(CACHE_URL)}

# Whole public pages kept for anonymous visitors (resources/page_cache.py); 0 turns it off, to
# measure or to rule it out.
PAGE_CACHE = os.environ.get("DJANGO_PAGE_CACHE", "1") == "1"

# What people look for (docs/decisions/0021-insights.md): a search or finder view seen fewer
# times than this over the period shown is never shown; daily counts are kept this many weeks,
# then rolled up into weekly totals kept this many weeks (manage.py roll_up_insights).
INSIGHTS_MIN_COUNT = int(os.environ.get("INSIGHTS_MIN_COUNT", "3"))
INSIGHTS_DAILY_WEEKS = int(os.environ.get("INSIGHTS_DAILY_WEEKS", "13"))
INSIGHTS_WEEKLY_WEEKS = int(os.environ.get("INSIGHTS_WEEKLY_WEEKS", "104"))
# Each process gathers its counts and writes them together this often (0: every page at once).
INSIGHTS_WRITE_SECONDS = float(os.environ.get("INSIGHTS_WRITE_SECONDS", "5"))

# Suggestions and problem reports each accepted from one address per hour (resources/submissions/ratelimit.py).
PUBLIC_SUBMISSIONS_PER_HOUR = int(os.environ.get("PUBLIC_SUBMISSIONS_PER_HOUR", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: staff create them in the admin (there is no public sign-up).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "resources:saved-views"
LOGOUT_REDIRECT_URL = "resources:home"

# Sign-in throttling and password reset limits (docs/decisions/0017-sign-in-and-csp.md).
# django-axes counts failed sign-ins on every form that calls authenticate() (/accounts/login/
# and /admin/login/) in the database, so every server agrees. An account is locked after
# AXES_FAILURE_LIMIT failures in a row, from any address, for AXES_COOLOFF_TIME after the last
# one; signing in resets the count. Staff unlock an account in the admin (Axes → Access
# attempts: delete the row) or with `manage.py axes_reset_username USERNAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Locked by username alone: counting by address would let one mistyping colleague lock out a
# whole hospital behind its one public address (or everyone, behind a proxy). axes.W006 warns
# about leaving the address out because a user agent or cookie can be rotated; a username
# cannot be, for guessing one account's password.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_SIGN_IN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "directory.accounts.locked_out"
# Axes records the client's address beside each attempt (Access attempts, Access logs), read as
# the submission limits read it: REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXY_COUNT proxies the
# address the outermost of ours appended. It does not lock by address.
AXES_CLIENT_IP_CALLABLE = "resources.submissions.ratelimit.client_address"
# Password reset links sent to one email address, and reset requests from one client, an hour
# (counted in the database as public submissions are: resources/submissions/ratelimit.py).
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", "3")
)
PASSWORD_RESETS_PER_CLIENT_PER_HOUR = int(
    os.environ.get("PASSWORD_RESETS_PER_CLIENT_PER_HOUR", "10")
)
# Password reset emails. The console backend prints them; production names an SMTP backend
# (django.core.mail.backends.smtp.EmailBackend, which sends through localhost:25).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Health Inequalities Resource Directory <noreply@localhost>"
)
# The mail server the SMTP backend sends through (the local relay unless told otherwise).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
# The site's own address, for links in emails sent by a command, where there is no request to
# read it from (email alerts for saved views: docs/decisions/0019-email-alerts.md).
DIRECTORY_SITE_URL = os.environ.get("DIRECTORY_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the static files (and whitenoise serves them from).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
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

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# HTTPS: production sets DJANGO_HTTPS=1 (redirect, secure cookies, HSTS).
HTTPS = env_flag("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_flag("DJANGO_TRUST_X_FORWARDED_PROTO"):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of our own each append the address they saw to X-Forwarded-For.
# 0 (the default): the client is REMOTE_ADDR and X-Forwarded-For is ignored; 1 behind one proxy.
# Only correct when the app cannot be reached except through those proxies.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp; docs/decisions/0017-sign-in-and-csp.md):
# scripts, styles, images and fonts from our own origin only, never inline, and no framing. The
# embed alone replaces frame-ancestors with * (resources/views/take_away.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}
