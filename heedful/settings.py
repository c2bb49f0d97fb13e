"""Heedful's one settings module: every value comes from a ``HEEDFUL_*`` variable."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from platformdirs import user_data_dir

BASE_DIR = Path(__file__).resolve().parent


class SettingError(ValueError):
    pass


def env_str(name: str, default: str) -> str:
    """A string setting; ``NAME_FILE`` may point at a file holding the value (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}={raw!r}: expected true or false")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None
    if minimum is not None and value < minimum:
        raise SettingError(f"{name}={raw!r}: expected a whole number of at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


HEEDFUL_HOME = Path(env_str("HEEDFUL_HOME", user_data_dir("heedful"))).expanduser()
# The home holds the customer database and the secret key: only its user may enter a home
# that Heedful creates (a folder the operator made is left as they made it).
HEEDFUL_HOME.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_file(path: Path) -> Path:
    """Create ``path`` readable and writable by its user alone, or take group and other
    access away from it if it exists. SQLite gives its -wal and -shm files the mode of the
    database file, so a private database file keeps them private too."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    return path


def _secret_key() -> str:
    configured = env_str("HEEDFUL_SECRET_KEY", "")
    if configured:
        return configured
    # A generated key kept beside the embedded database, so sessions survive restarts;
    # the file is private from its creation on, before the key is in it.
    key_file = HEEDFUL_HOME / "secret_key"
    try:
        descriptor = os.open(key_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        private_file(key_file)
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as new_key:
            new_key.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("HEEDFUL_DEBUG", False)
ALLOWED_HOSTS = env_list("HEEDFUL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HEEDFUL_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "heedful.core.admin_config.HeedfulAdminConfig",  # Django's admin, as Heedful's
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    # The API docs page renders with django-ninja's own static Swagger UI files (not a CDN).
    "ninja",
    "axes",
    "heedful.core",
    "heedful.accounts",
    "heedful.catalog",
    "heedful.billing",
    "heedful.orders",
    "heedful.support",
    "heedful.interactions",
    "heedful.conversations",
    "heedful.sales",
    "heedful.meetings",
    "heedful.health",
    "heedful.forecasts",
    "heedful.expenses",
    "heedful.coaching",
    "heedful.onboarding",
    "heedful.programs",
    "heedful.events",
    "heedful.visits",
    "heedful.plays",
    "heedful.scorecards",
    "heedful.account360",
    "heedful.book",
    "heedful.today",
    "heedful.prep",
    "heedful.reviews",
    "heedful.integrations",
    "heedful.webhooks",
    "heedful.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers the senders' /webhooks/ itself: a signed machine needs none of what follows.
    "heedful.webhooks.middleware.WebhookDoorMiddleware",
    "heedful.core.content_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A service's NotFound raised by a page's view answers the 404 page (not in each view).
    "heedful.core.not_found.NotFoundMiddleware",
    # Last, so that it turns a lock-out seen by the login view into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heedful.urls"
WSGI_APPLICATION = "heedful.wsgi.application"

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

DATABASE_URL = env_str("HEEDFUL_DATABASE_URL", "")
SQLITE_CACHE_MIB = env_int("HEEDFUL_SQLITE_CACHE_MIB", 128)
DATABASES: dict[str, Any]
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": private_file(HEEDFUL_HOME / "heedful.sqlite3"),
            # WAL lets the web app read while an import writes. SQLite's page cache is 2 MiB
            # unless told: with up to 128 MiB (taken as pages are read, per connection) a
            # full scan of 100,000 accounts writes its plays twice as fast (bench/README.md).
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    f"PRAGMA cache_size=-{SQLITE_CACHE_MIB * 1024};"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
# Each role lands where its day starts: reps on Today, those who lead a team on its view.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name before the password is even checked.
    "heedful.core.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login throttling (django-axes): after HEEDFUL_LOGIN_ATTEMPTS wrong passwords in a row for
# one user name from one address, that user name is locked from that address for
# HEEDFUL_LOGIN_LOCKOUT_MINUTES (each further try starts the wait again). Keyed by user
# name and address together, so a stranger cannot lock a colleague out from elsewhere. API
# tokens are not passwords and are never locked.
HEEDFUL_LOGIN_ATTEMPTS = env_int("HEEDFUL_LOGIN_ATTEMPTS", 5, minimum=1)
HEEDFUL_LOGIN_LOCKOUT_MINUTES = env_int("HEEDFUL_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = HEEDFUL_LOGIN_ATTEMPTS
AXES_COOLOFF_TIME = timedelta(minutes=HEEDFUL_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# "In a row": the right password starts the count again.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "heedful.core.login_throttle.locked_out_page"
# Failed attempts are kept (an admin sees and clears them in the admin); successful logins
# are not logged a second time.
AXES_DISABLE_ACCESS_LOG = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("HEEDFUL_TIME_ZONE", "UTC")


def _locale(name: str, default: str) -> str:
    """A locale the Unicode CLDR knows (``en_US``, ``de_DE``), for money, numbers and dates."""
    from babel import Locale, UnknownLocaleError

    raw = env_str(name, default).replace("-", "_")
    try:
        Locale.parse(raw)
    except (ValueError, UnknownLocaleError):
        raise SettingError(f"{name}={raw!r} is not a locale (use e.g. en_US or de_DE)") from None
    return raw


# How money, numbers, percentages and dates read on every page, e-mail and chat message.
HEEDFUL_LOCALE = _locale("HEEDFUL_LOCALE", "en_US")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HEEDFUL_HOME / "static"
# whitenoise warns about a missing STATIC_ROOT; the finders serve the files until collectstatic.
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env_str("HEEDFUL_EMAIL_BACKEND", "heedful.lib.console_mail.EmailBackend")
EMAIL_HOST = env_str("HEEDFUL_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HEEDFUL_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("HEEDFUL_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("HEEDFUL_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HEEDFUL_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("HEEDFUL_FROM_EMAIL", "heedful@localhost")

HEEDFUL_PAGE_SIZE = env_int("HEEDFUL_PAGE_SIZE", 25)


def env_currency(name: str, default: str) -> str:
    """An ISO 4217 code in use (the same list every record's currency is checked against)."""
    from heedful.lib.currencies import CURRENCIES

    raw = env_str(name, default).strip().upper()
    if raw not in CURRENCIES:
        raise SettingError(f"{name}={raw!r} is not an ISO 4217 currency code (use e.g. USD, EUR)")
    return raw


# Amounts in different currencies are compared in this one, through the exchange rates an
# admin sets (billing.ExchangeRate).
HEEDFUL_REPORTING_CURRENCY = env_currency("HEEDFUL_REPORTING_CURRENCY", "USD")

# Every script and style is one of our own static files (htmx, Swagger UI for /api/v1/docs):
# no inline script runs, so a value that slips past escaping cannot run either.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Behind a proxy that terminates TLS (and sets X-Forwarded-Proto): trust that header for
# "is this request HTTPS", send the session and CSRF cookies over HTTPS only, and, with
# HEEDFUL_HSTS_SECONDS, tell browsers to use nothing but HTTPS for that long.
HEEDFUL_SECURE_PROXY = env_bool("HEEDFUL_SECURE_PROXY", False)
if HEEDFUL_SECURE_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("HEEDFUL_SECURE_COOKIES", HEEDFUL_SECURE_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("HEEDFUL_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HEEDFUL_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HEEDFUL_HSTS_PRELOAD", False)

# Background work (django-tasks, the backport of Django 6's Tasks API). "immediate" runs each
# task in the process that queued it, right after the transaction commits: no broker, no
# worker. "database" queues tasks in the database for `heedful db_worker` to run (needs the
# django-tasks-db package).
TASKS_BACKEND = env_str("HEEDFUL_TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "immediate":
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        # Work nobody waits for (the chat webhook) runs on a thread pool in the same process.
        "background": {"BACKEND": "heedful.lib.thread_pool_tasks.ThreadPoolBackend"},
        # Received webhooks are applied one after another, after the sender had its answer.
        "webhooks": {"BACKEND": "heedful.lib.thread_pool_tasks.ThreadPoolBackend"},
        # Play events posted to subscribed URLs: a slow receiver holds up neither.
        "outbound": {
            "BACKEND": "heedful.lib.thread_pool_tasks.ThreadPoolBackend",
            "OPTIONS": {"MAX_WORKERS": 2},
        },
    }
elif TASKS_BACKEND == "database":
    try:
        import django_tasks_db  # noqa: F401
    except ImportError:
        raise SettingError(
            "HEEDFUL_TASKS_BACKEND=database needs the django-tasks-db package "
            "(pip install django-tasks-db)"
        ) from None
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise SettingError(
        f"HEEDFUL_TASKS_BACKEND={TASKS_BACKEND!r}: expected immediate or database"
    )

# Notifications: links in e-mails and chat messages start with this address; urgent plays
# also go to a Slack-compatible incoming webhook when one is set (the URL is a secret).
HEEDFUL_BASE_URL = env_str("HEEDFUL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
HEEDFUL_CHAT_WEBHOOK_URL = env_str("HEEDFUL_CHAT_WEBHOOK_URL", "")
# With the immediate tasks backend, post chat messages on the "background" tasks backend (a
# thread pool) so that a slow or dead webhook never holds up the request that raised the play
# (tests turn it off to see the outcome inside their transaction).
HEEDFUL_CHAT_IN_BACKGROUND = True

# Webhooks (README, "Webhooks"): after a signing secret is replaced, the previous one stays
# valid this many hours, so the sender can switch without losing events. Play events sent to
# subscribed URLs are tried up to HEEDFUL_OUTBOUND_TRIES times, waiting
# HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS and then twice as long after each failed try.
HEEDFUL_WEBHOOK_ROTATION_HOURS = env_int("HEEDFUL_WEBHOOK_ROTATION_HOURS", 24, minimum=0)
HEEDFUL_OUTBOUND_TRIES = env_int("HEEDFUL_OUTBOUND_TRIES", 6, minimum=1)
HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS: float = env_int(
    "HEEDFUL_OUTBOUND_FIRST_BACKOFF_SECONDS", 2, minimum=0
)
# With the immediate tasks backend, apply received webhooks and post play events on their own
# thread-pool tasks backends, so that a sender gets its answer in milliseconds (tests turn it
# off to see the outcome inside the request).
HEEDFUL_WEBHOOKS_IN_BACKGROUND = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HEEDFUL_LOG_LEVEL", "WARNING")},
}
