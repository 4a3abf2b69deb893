"""Settings for Pôle Plan, read from the environment.

Every value a deployment may change comes from an environment variable through the small
typed helpers below, which refuse malformed values instead of guessing. SQLite is the default
so that a fresh clone runs; ``DATABASE_URL`` selects PostgreSQL.
"""

import datetime
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_date(name: str) -> datetime.date | None:
    """An ISO date (``2025-06-30``), or None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a date (YYYY-MM-DD), got {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of addresses or networks (``127.0.0.1,10.0.0.0/8``)."""
    entries = env_list(name)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, got {entry!r}") from exc
    return entries


def env_admins(name: str) -> list[tuple[str, str]]:
    """``ADMINS=ops@example.org,Jeanne <jeanne@example.org>`` → Django's ADMINS."""
    admins = []
    for entry in env_list(name):
        label, _sep, address = entry.rpartition("<")
        address = address.rstrip(">").strip() if _sep else entry
        if "@" not in address or " " in address:
            raise ImproperlyConfigured(f"{name} must list e-mail addresses, got {entry!r}")
        admins.append((label.strip() or address, address))
    return admins


def database_from_url(url: str) -> dict:
    """``postgres://user:pass@host:port/name`` (or ``sqlite:///path``) → a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": env_str("DB_TEST_NAME") or None},
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path or ":memory:"}
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


DEBUG = env_bool("DEBUG", False)
# pytest exports PYTEST_VERSION while it runs: tests get a throwaway key and a fast hasher.
TESTING = bool(os.environ.get("PYTEST_VERSION"))
# The WSGI/ASGI entry points set POLE_PLAN_SERVING: serving requires a real SECRET_KEY.
SERVING = env_bool("POLE_PLAN_SERVING", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if SERVING and not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), or set "
            "DEBUG=true for local development."
        )
    # Development and tests get a fixed key (sessions survive the autoreloader); management
    # commands run without one get a throwaway key, since nothing they sign outlives them.
    SECRET_KEY = ("dev-only-insecure-key-do-not-use-in-production" if DEBUG or TESTING
                  else "ephemeral-" + secrets.token_urlsafe(40))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS",
                         "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "indicators",
    "reporting",
    "register",
    "campaigns",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (which serves static files compressed ahead of time, before this runs),
    # before anything that reads or writes the body. Why gzip is safe here: pole_plan/compression.py
    "pole_plan.compression.TextGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pole_plan.urls"

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
                "indicators.context_processors.membership",
            ],
        },
    },
]

WSGI_APPLICATION = "pole_plan.wsgi.application"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))),
            "TEST": {"NAME": env_str("DB_TEST_NAME") or None},
            # Several gunicorn workers write to one file: WAL lets readers run during a write,
            # IMMEDIATE transactions take the write lock up front instead of failing mid-way,
            # and the busy timeout waits for it rather than answering "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "indicators:home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling (django-axes): lock a username+address pair after 5 failures for 15 min.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Lock out the real client, not the proxy: see pole_plan/client_ip.py.
AXES_CLIENT_IP_CALLABLE = "pole_plan.client_ip.client_ip"

# The reverse proxies whose X-Forwarded-For is believed (the README's nginx on the same host:
# 127.0.0.1,::1). Empty: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXY_IPS = env_networks("TRUSTED_PROXY_IPS")

LANGUAGE_CODE = "fr-ca"
# French (Québec) stays the default and keeps its code: its formats live in
# pole_plan/formats/fr_CA. English is chosen with the switcher in the top bar (remembered in
# a cookie) or, for a visitor who has not chosen, from the browser's Accept-Language.
LANGUAGES = [("fr-ca", "Français"), ("en", "English")]
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["pole_plan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# plotly.js is vendored as its basic bundle (static/vendor/plotly/README.md), served by the app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING) and env_bool("HASHED_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Evidence uploads: small office documents and images only.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "csv", "txt"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# The entry page shows a plan of more indicators than this one orientation at a time (the
# jump list moves between them); a smaller plan shows every orientation on one page.
ENTRY_SECTION_THRESHOLD = env_int("ENTRY_SECTION_THRESHOLD", 150)
# Background tasks (django-tasks): a register file of more rows than this is imported by the
# worker (`python manage.py db_worker`, reading the task table in our own database), the page
# showing a progress bar; a smaller one is imported in the request. TASKS_BACKEND
# `django_tasks.backends.immediate.ImmediateBackend` runs every task in the request instead
# (no worker: tests, a quick look).
REGISTER_IMPORT_BACKGROUND_ROWS = env_int("REGISTER_IMPORT_BACKGROUND_ROWS", 2000)
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# "Today" for every status (indicators.dates): unset, the local date. A demo or a check of a
# past or future day pins it (POLE_PLAN_TODAY=2025-06-30); tests pin it in their fixtures.
POLE_PLAN_TODAY = env_date("POLE_PLAN_TODAY")

# How long any cache may keep an anonymous visitor's public page or open-data file (seconds).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

# Degree-of-achievement thresholds (share of the target reached), used by every dashboard,
# badge colour and export: at or above PROGRESSING → "Progresse bien", at or above WATCH →
# "À surveiller", below → "Non atteinte". A met target is always "Cible atteinte".
ACHIEVEMENT_THRESHOLDS = {
    "progressing": env_int("THRESHOLD_PROGRESSING_PERCENT", 80),
    "watch": env_int("THRESHOLD_WATCH_PERCENT", 50),
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pôle Plan <no-reply@poleplan.local>")
# The address people reach the site at: the links of e-mails sent outside a request
# (``send_reminders``).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def env_days(name: str, default: str) -> tuple[int, ...]:
    """``30,7,1`` → (30, 7, 1): whole days, each above zero."""
    try:
        days = tuple(sorted({int(item) for item in env_list(name, default)}, reverse=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must list whole days, got {os.environ[name]!r}") \
            from exc
    if any(day <= 0 for day in days):
        raise ImproperlyConfigured(f"{name} must list days above zero")
    return days


# Campaign reminders are e-mailed this many days before each due date (then on the day, then
# once a week while late).
REMINDER_DAYS_BEFORE = env_days("REMINDER_DAYS_BEFORE", "30,7,1")

# Production hardening: on unless DEBUG (or under tests, which serve plain http on loopback);
# each can be turned off explicitly behind a proxy that terminates TLS differently.
_HARDENED = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HARDENED)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HARDENED)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HARDENED)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HARDENED else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HARDENED)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _HARDENED)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files (no
# inline script, no event-handler attribute, no eval, no style attribute or <style>), nothing
# from elsewhere. The one page that draws a Plotly figure (an indicator's) allows inline
# styles, which plotly.js injects (reporting/views/dashboard.py, PLOTLY_CSP).
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}

# Errors reach someone: each unhandled error (a 500) is e-mailed to ADMINS when set, and
# written to ERROR_LOG_FILE when set (the README names /var/log/poleplan/errors.log), besides
# the console (gunicorn's stderr, i.e. the service journal). Every line carries the client's
# address (pole_plan/client_ip.py).
ADMINS = env_admins("ADMINS")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ERROR_LOG_FILE = env_str("ERROR_LOG_FILE")


def logging_config(*, error_log_file: str = "", level: str = "INFO") -> dict:
    """The LOGGING dict: console always, mail to ADMINS and the error file for errors."""
    handlers: dict = {
        "console": {"class": "logging.StreamHandler", "formatter": "client",
                    "filters": ["client_ip"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    }
    if error_log_file:
        handlers["error_file"] = {
            "class": "logging.handlers.WatchedFileHandler", "filename": error_log_file,
            "level": "ERROR", "formatter": "client", "filters": ["client_ip"],
            "encoding": "utf-8"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "client_ip": {"()": "pole_plan.client_ip.ClientAddressFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "client": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] "
                                 "%(message)s"},
        },
        "handlers": handlers,
        "root": {"handlers": ["console"] + (["error_file"] if error_log_file else []),
                 "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # WeasyPrint reports each layout step at INFO while writing the annual report.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # Replaces Django's default "django" logger, which would mail a second time.
            "django": {"handlers": [], "level": "INFO"},
            "django.request": {"handlers": ["mail_admins"], "level": "WARNING"},
            "django.security": {"handlers": ["mail_admins"], "level": "WARNING"},
        },
    }


LOGGING = logging_config(error_log_file=ERROR_LOG_FILE, level=env_str("LOG_LEVEL", "INFO"))

# Demo data (accounts with known passwords, 2024-2025 demo results) only when asked for.
DEMO_MODE = env_bool("DEMO_MODE", False)
