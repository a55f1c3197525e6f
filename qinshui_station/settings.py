"""Settings, all overridable from the environment (see README: 'Configuration')."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Tracebacks and the URL list only when asked for: DEBUG=1 (scripts/serve.sh asks for the demo, and says so).
DEBUG = env_bool("DEBUG", False)
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ",".join(LOCAL_HOSTS))
# An instance that answers any host but this machine's is served to others: it needs its own SECRET_KEY and
# gets HTTPS-only cookies, HSTS, hashed static files and real e-mail. A development copy (the tests, the demo,
# a developer's machine) keeps to the local hosts.
SERVED = not set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS)
if DEBUG and SERVED:
    raise RuntimeError("DEBUG must be off when ALLOWED_HOSTS names a host other than this machine")
# A served instance refuses to start with the development key.
_DEV_KEY = "dev-only-insecure-key-qinshui-technician-workstation-portal-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if SERVED else _DEV_KEY)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when ALLOWED_HOSTS names a host other than this machine")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "procrastinate.contrib.django",  # the background worker: its schema comes with `migrate`
    "qinshui_station",
    "funding",
    "applications",
    "reviews",
    "dashboards",
    "records",
    "reminders",
    "devtools",  # development tools (seed_scale, bench_*), above every other app
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
    "qinshui_station.request_limits.RequestLimitsMiddleware",  # control characters, long values, big bodies
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qinshui_station.urls"
WSGI_APPLICATION = "qinshui_station.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # compiled templates kept per process (always: Django reloads them in development when they change)
            "loaders": [("django.template.loaders.cached.Loader", [
                "django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"])],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "qinshui_station.context_processors.navigation",
            ],
        },
    }
]

# --- Database: DATABASE_URL, or the embedded server under var/pgdata -----------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))}
else:
    from qinshui_station.embedded_db import embedded_database_url

    DATABASES = {"default": dj_database_url.parse(embedded_database_url(BASE_DIR), conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))}
# The kept reads (qinshui_station.prepared) run as statements PostgreSQL keeps prepared, from their first call on a
# connection. Only they bind values on the server; Django's own cursors write values into the text and never prepare.
# DB_PREPARED_STATEMENTS=0 turns preparing off (behind a pooler in transaction mode, which cannot keep them).
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
    None if os.environ.get("DB_PREPARED_STATEMENTS", "1") == "0" else 0)
# Each test run may name its own throwaway database (two runs on one server must not collide).
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_qinshui")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "qinshui_station.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "qinshui_station.backends.PortalBackend"]
AUTH_PASSWORD_VALIDATORS = [  # qinshui_station/passwords.py: messages that name the field, in Chinese
    {"NAME": "qinshui_station.passwords.SimilarityValidator"},
    {"NAME": "qinshui_station.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "qinshui_station.passwords.PublishedPasswordValidator"},
    {"NAME": "qinshui_station.passwords.FewCharactersValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: 5 failures per user name and address lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- Language, time ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    # Uploaded files live outside the web root and are served only through access-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SERVED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The CJK fonts under static/fonts (5 MB) are read from disk by the PDF renderer only, never sent to a browser, and
# source maps (2 MB) only to a developer's tools:
# WhiteNoise's Brotli/gzip copies of them (and of their hashed copies) took most of collectstatic's minute of CPU.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br",
                                       "swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4",
                                       "mpeg", "mpg", "webm", "wmv", "ttf", "map"]  # WhiteNoise's own list, "ttf", "map"
# Every uploaded file goes through Django's storage API (FileField, .open()), never a path, so where files live is
# this setting alone (docs/performance.md, "A stateless app tier"): the file system under MEDIA_ROOT (shared by
# every app instance: one host, or a shared mount), or STORAGE_BACKEND=s3 for an S3-compatible bucket through
# django-storages (pip install ".[s3]"): AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL (e.g. a MinIO or a
# provincial cloud's object storage), AWS_S3_REGION_NAME, AWS_LOCATION (a prefix); the keys AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY are read from the environment by boto3. Objects stay private: downloads go through the
# portal's access-checked views, never a bucket URL.
if os.environ.get("STORAGE_BACKEND", "filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
                    "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                    "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                    "location": os.environ.get("AWS_LOCATION", ""),
                    "default_acl": "private", "querystring_auth": True, "file_overwrite": False},
    }
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# No URL pattern serves this prefix: every file goes through a view that checks access.
MEDIA_URL = "/private-files-are-not-served/"
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# The body of a request: the fields (8 narratives of 5,000 characters, URL-encoded, are well under 1 MB) and,
# separately, the whole request with its files (qinshui_station/request_limits.py answers 413 beyond it).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(5 * UPLOAD_MAX_BYTES + 2 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail --------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if SERVED else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # filebased backend
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "沁水县人社局技师工作站平台 <noreply@qinshui.gov.cn>")

# --- The background worker (procrastinate, docs/reminders.md) --------------------------------------
# `manage.py run_worker` runs it; e-mails are queued in the transaction that caused them (an outbox row and a job)
# and sent after commit with retries and back-off; the reminders' schedule runs on a cron.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))
# Back-off before attempt n+1: MAIL_RETRY_BASE_SECONDS * 4**(n-1) (60 s, 4 min, 16 min, 64 min, 4 h 16 min).
MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))
# A bulk change's e-mails go to the worker in jobs of up to this many (qinshui_station.delivery.send_each).
MAIL_PER_JOB = int(os.environ.get("MAIL_PER_JOB", "100"))
# A worker that sent no heartbeat for this long is dead (killed, machine lost): its running jobs are run again.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_STALLED_SECONDS = float(os.environ.get("WORKER_STALLED_SECONDS", "60"))
# An expert's opinion (application review) or score sheet (annual evaluation) is due this many working days after
# the day it was assigned (the measures set no deadline; docs/reminders.md).
EXPERT_ANSWER_WORKING_DAYS = int(os.environ.get("EXPERT_ANSWER_WORKING_DAYS", "10"))
# The reminders' schedule: every hour from 08:05 to 18:05 Beijing time (the cron is in UTC).
REMINDER_CRON = os.environ.get("REMINDER_CRON", "5 0-10 * * *")
# Stations whose construction period ended without acceptance: announced daily at 00:10 Beijing time (UTC cron).
CONSTRUCTION_END_CRON = os.environ.get("CONSTRUCTION_END_CRON", "10 16 * * *")

# --- Forms ---------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security ------------------------------------------------------------------------------------
# Sessions live in the database only: no state on one machine, so any app instance serves any request
# (docs/performance.md, "A stateless app tier").
SESSION_ENGINE = "qinshui_station.session_store"  # Django's db sessions, the read compiled once
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SERVED:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
