"""Heedful's one settings module: every value comes from a ``HEEDFUL_*`` variable."""

import os
import secrets
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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


HEEDFUL_HOME = Path(env_str("HEEDFUL_HOME", user_data_dir("heedful"))).expanduser()
HEEDFUL_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_str("HEEDFUL_SECRET_KEY", "")
    if configured:
        return configured
    # A generated key kept beside the embedded database, so sessions survive restarts.
    key_file = HEEDFUL_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("HEEDFUL_DEBUG", False)
ALLOWED_HOSTS = env_list("HEEDFUL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HEEDFUL_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "heedful.core",
    "heedful.accounts",
    "heedful.catalog",
    "heedful.billing",
    "heedful.orders",
    "heedful.support",
    "heedful.interactions",
    "heedful.sales",
    "heedful.plays",
    "heedful.account360",
    "heedful.integrations",
    "heedful.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
            "NAME": HEEDFUL_HOME / "heedful.sqlite3",
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
LOGIN_REDIRECT_URL = "accounts:list"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("HEEDFUL_TIME_ZONE", "UTC")
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HEEDFUL_LOG_LEVEL", "WARNING")},
}
