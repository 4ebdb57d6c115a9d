"""G2ID settings: one file, read from the environment with typed defaults.

Development and tests need no variable at all (SQLite in ./var, mail to the console).
Production sets at least G2ID_SECRET_KEY, G2ID_ALLOWED_HOSTS, DATABASE_URL and the SMTP ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("G2ID_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("G2ID_DEBUG", default=False)
# A fixed development key is fine: production is refused by the g2id.W001 check without its own.
SECRET_KEY = env_str("G2ID_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("G2ID_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("G2ID_CSRF_TRUSTED_ORIGINS")
# Absolute URL used in e-mails and API answers (tracking links).
PUBLIC_BASE_URL = env_str("G2ID_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "g2id.accounts",
    "g2id.taxonomy",
    "g2id.directory",
    "g2id.team",
    "g2id.agenda",
    "g2id.institutions",
    "g2id.requests",
    "g2id.triage",
    "g2id.suggestions",
    "g2id.positioning",
    "g2id.interventions",
    "g2id.timesheets",
    "g2id.realisations",
    "g2id.steering",
    "g2id.scheduling",
    "g2id.weekly",
    "g2id.notifications",
    "g2id.public",
    "g2id.api",
    "g2id.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Form widgets may use the project's templates (g2id/templates/widgets).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "g2id.urls"
WSGI_APPLICATION = "g2id.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "g2id" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # After "csrf": a team page rendered to be cached carries a placeholder.
                "g2id.public.cache.fresh_csrf_placeholder",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; production uses PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'g2id.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Connections are kept (CONN_MAX_AGE above): opening one costs more than most pages
    # (functions registered, pragmas run), and every cached page is one cache read.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN: concurrent writers wait for each other
        # (up to `timeout`) instead of failing on a lock upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that a live server's threads share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-g2id.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "G2ID_PG_PREPARED_STATEMENTS", True
):
    # Parameters bound on the server, so that psycopg prepares a statement the fifth time
    # it runs: PostgreSQL then skips parsing and planning it, which is most of its work on
    # G2ID's short queries. Turn off behind a pooler that cannot keep prepared statements
    # (PgBouncer before 1.21 in transaction mode). G2ID's backend splits what would pass
    # the protocol's 65,535 parameters per statement.
    DATABASES["default"]["ENGINE"] = "g2id.lib.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache: shared by every worker and host (cached pages, suggestions) ----------------------
CACHE_URL = env_str("CACHE_URL")
# Room for the cached pages (each language, partner filter, member and page); past it, a
# third of the entries is dropped.
CACHE_OPTIONS = {"MAX_ENTRIES": 5000}
CACHES: dict[str, dict[str, object]]
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("file://"):
    # Every worker of one host shares a folder: with PostgreSQL on a single host, a hit is a
    # file read instead of a query to the database server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://"),
            "OPTIONS": CACHE_OPTIONS,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "g2id_cache",
            "OPTIONS": CACHE_OPTIONS,
        }
    }
# The team's busiest pages are kept per member until G2ID's data changes (g2id/public/cache.py);
# "off" renders them on every request (to measure them, or to rule the cache out).
G2ID_TEAM_PAGE_CACHE = env_bool("G2ID_TEAM_PAGE_CACHE", default=True)
# With the database cache on PostgreSQL, each process hears the pages' versions change
# (LISTEN/NOTIFY, one more connection per process) instead of reading them on every hit.
G2ID_VERSION_FEED = env_bool("G2ID_VERSION_FEED", default=True)
# Requests per client address shared by the request form and the API, e.g. "20/h".
G2ID_SUBMIT_RATE = env_str("G2ID_SUBMIT_RATE", "20/h")
# Behind a reverse proxy, the client address is the last hop of X-Forwarded-For.
G2ID_BEHIND_PROXY = env_bool("G2ID_BEHIND_PROXY", default=False)

# --- Background tasks (mail now; webhooks and digests later) -------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("G2ID_SMTP_HOST")
EMAIL_PORT = env_int("G2ID_SMTP_PORT", 587)
EMAIL_HOST_USER = env_str("G2ID_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("G2ID_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("G2ID_SMTP_STARTTLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("G2ID_SMTP_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("G2ID_SMTP_TIMEOUT", 20)
EMAIL_BACKEND = env_str(
    "G2ID_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("G2ID_FROM_EMAIL", "G2ID <noreply@g2id.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Delays between delivery attempts of one message; after the last one it stays queued
# as "failed" and visible in the admin, where it can be retried.
G2ID_MAIL_RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600]

# --- Uploads --------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("G2ID_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
G2ID_ATTACHMENT_MAX_BYTES = env_int("G2ID_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
G2ID_ATTACHMENTS_PER_MESSAGE = 5

# Invited opinions (avis d'expert): how long a link stays valid, when the one reminder goes.
G2ID_INVITATION_DAYS = env_int("G2ID_INVITATION_DAYS", 21)
G2ID_INVITATION_REMINDER_DAYS = env_int("G2ID_INVITATION_REMINDER_DAYS", 7)
# Hours in a full-time working day, for the secondment statements of home institutions.
G2ID_WORKING_HOURS_PER_DAY = env_int("G2ID_WORKING_HOURS_PER_DAY", 7)
# The scheduler (`g2id scheduler`) runs the daily jobs at this local time (Europe/Paris).
G2ID_DAILY_JOBS_AT = env_str("G2ID_DAILY_JOBS_AT", "07:00")
# Weekly point webhooks: seconds before a chat server that does not answer is given up (then
# retried with these delays, then reported as failed in the back office). Webhook addresses on
# loopback, private or link-local networks are refused unless allowed (development, tests).
G2ID_WEBHOOK_TIMEOUT = env_int("G2ID_WEBHOOK_TIMEOUT", 5)
G2ID_WEBHOOK_RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600]
G2ID_WEBHOOK_ALLOW_PRIVATE = env_bool("G2ID_WEBHOOK_ALLOW_PRIVATE", default=DEBUG)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "g2id" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Internationalisation: French first, English second ------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "g2id" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PUBLIC_BASE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: our own files only, no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "triage:inbox"
LOGOUT_REDIRECT_URL = "public:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("G2ID_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
