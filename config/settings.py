"""Settings read from the environment (see README: "Configuration").

Defaults give a self-contained local install: SQLite under var/, a filesystem
Celery broker and mail written to var/mail/. DATABASE_URL, REDIS_URL and
EMAIL_HOST switch to PostgreSQL, Redis and SMTP.
"""

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

# Generic classes of Django that the type hints subscript (ModelAdmin[Contact]) accept it.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    # A local install keeps a generated key so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config.apps.ContactAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.apps.LoginProtectionConfig",
    "csp",
    "core",
    "contacts",
    "exports",
    "anonymization",
    "imports",
    "api",
    # Development only (make demo, make bench): its package imports nothing at load, and its
    # one command says so when the development dependencies it needs are not installed.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SitePolicyCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStore",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.HtmxLoginRedirect",
    "config.middleware.MethodNotAllowedPage",
    # Last, as django-axes asks: it turns a lockout into the login page with the reason.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "test_contactbook")}
            # Nothing here streams huge querysets; without this, every select of a form
            # (ModelChoiceField iterates) costs DECLARE / FETCH / CLOSE round trips.
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
        return {"default": config}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL lets the web process read while the worker writes; IMMEDIATE
                # takes the write lock at BEGIN so concurrent writers queue instead of
                # failing with "database is locked" half-way through a transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force protection of the login (django-axes, see config/login.py): after
# LOGIN_FAILURE_LIMIT failed attempts for one username, or from one address, further
# attempts are refused for LOGIN_LOCKOUT_MINUTES (each attempt meanwhile starts them
# again). Admins see and lift lockouts under Administration > Login protection.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the user and permission reads of every request written out.
    "core.permissions.PermissionBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "config.login.lockout_response"
# Failures are what the lockout needs; no log of every successful login (addresses).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner at start-up; log lines name only what locks
# Never stored with an attempt: `next` may hold an All Contacts search for a person.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "next", "csrfmiddlewaretoken"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# The screens are in English, the product's words (no LocaleMiddleware, no catalogues).
# Off, Django skips the active-language lookup that every reverse() and date format made
# (about 3% of a list page's time outside SQL, docs/performance.md).
USE_I18N = False
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env_str("STATICFILES_BACKEND", "core.static_storage.StaticStorage")},
}
MEDIA_ROOT = VAR_DIR / "media"
# Export files live outside MEDIA_ROOT: no URL serves them, only the export view.
EXPORTS_ROOT = Path(env_str("EXPORTS_ROOT", str(VAR_DIR / "private" / "exports")))
EXPORT_RETENTION = timedelta(days=env_int("EXPORT_RETENTION_DAYS", 7, minimum=1))
# base64url of 32 random bytes; unset, the key is derived from SECRET_KEY.
EXPORT_ENCRYPTION_KEY = env_str("EXPORT_ENCRYPTION_KEY", "")
# A running export whose heartbeat is older than this belongs to a dead worker.
EXPORT_STALE_AFTER_SECONDS = env_int("EXPORT_STALE_AFTER_SECONDS", 120, minimum=1)
# Uploaded import files: private like the exports, encrypted with the same key.
IMPORTS_ROOT = Path(env_str("IMPORTS_ROOT", str(VAR_DIR / "private" / "imports")))
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 200 * 1024 * 1024, minimum=1)
# An import's file (and its list of rejected rows) is deleted this long after it ended.
IMPORT_RETENTION = timedelta(days=env_int("IMPORT_RETENTION_DAYS", 7, minimum=1))
IMPORT_STALE_AFTER_SECONDS = env_int("IMPORT_STALE_AFTER_SECONDS", 120, minimum=1)
# Rows per transaction of an import: a killed worker loses at most one chunk of work. Three
# chunks are in memory at once (one applied, two read ahead): 4,000 keeps a million-row
# import under 150 MB; larger chunks are a little faster.
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 4_000, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Django's database sessions, read with less work on every request (core.sessions).
SESSION_ENGINE = "core.sessions"

# Behind a reverse proxy (which terminates HTTPS and sets X-Forwarded-For/-Proto).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only, switched on in production (README: Production). Off by default so that
# `make run` works on plain http://127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): scripts, styles, fonts and images from this site
# only; no inline script, no style attribute, no eval. Bootstrap's CSS draws some icons
# from data: URLs. Pages keep this policy in the browser tests (a violation fails them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Email: SMTP when EMAIL_HOST is set, otherwise console + files under var/mail/.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "config.mail.ConsoleAndFileBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Contact Management <noreply@localhost>")

# Celery: Redis when REDIS_URL is set, otherwise a broker in files under var/broker/
# so a local install needs no server.
REDIS_URL = env_str("REDIS_URL")
# Seconds a publish waits for the broker's TCP connection. Publishing makes one attempt
# (see core.queue.enqueue), so with the broker unreachable a request waits at most this.
_broker_connect_timeout = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, int | str | bool]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task whose worker died unacknowledged is delivered again after the visibility
    # timeout; the sweep that finds it runs every interval x throttle seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
        "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10, minimum=1),
        "unacked_restore_throttle": env_int("CELERY_RESTORE_THROTTLE", 10, minimum=1),
        # Without it a broker that drops packets holds a connection attempt for minutes.
        "socket_connect_timeout": _broker_connect_timeout,
    }
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = _broker_connect_timeout
CELERY_TASK_PUBLISH_RETRY = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Output printed by a task (the local mail backend prints each mail) goes out as it is,
# not as a WARNING of the logger "celery.redirected" per write.
CELERY_WORKER_REDIRECT_STDOUTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-exports": {
        "task": "exports.tasks.requeue_stalled_exports",
        "schedule": timedelta(minutes=1),
    },
    "requeue-stalled-deletions": {
        "task": "contacts.tasks.requeue_stalled_deletions",
        "schedule": timedelta(minutes=1),
    },
    "expire-exports": {"task": "exports.tasks.expire_exports", "schedule": timedelta(hours=1)},
    "requeue-stalled-imports": {
        "task": "imports.tasks.requeue_stalled_imports",
        "schedule": timedelta(minutes=1),
    },
    "expire-imports": {"task": "imports.tasks.expire_imports", "schedule": timedelta(hours=1)},
    # Mail retries are due from 30 s on: see core.notifications.
    "requeue-notifications": {
        "task": "core.tasks.requeue_notifications",
        "schedule": timedelta(minutes=1),
    },
}
# A running job whose heartbeat is older than this belongs to a dead worker (core.jobs);
# exports and deletions have their own settings above and below.
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 120, minimum=1)
# A mail whose sending worker is silent this long is sent again (after its retry delay).
NOTIFICATION_STALE_AFTER_SECONDS = env_int("NOTIFICATION_STALE_AFTER_SECONDS", 600, minimum=1)

# Contacts
PAGE_SIZES = (25, 50, 100)
# Each ticked row is a field of its own: room for the most a bulk action takes (1,000,
# contacts.forms.MAX_SELECTED) and the form's other fields, so that those get the form's
# message; a request of more fields gets the 400 page, which says why (config.views).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1100
# Larger "select all that match" deletions run as a background job, in batches.
CONTACTS_SYNC_DELETE_LIMIT = env_int("CONTACTS_SYNC_DELETE_LIMIT", 10_000, minimum=1)
CONTACTS_DELETE_BATCH = env_int("CONTACTS_DELETE_BATCH", 5_000, minimum=1)
CONTACTS_DELETION_STALE_AFTER_SECONDS = env_int(
    "CONTACTS_DELETION_STALE_AFTER_SECONDS", 120, minimum=1
)
# The product anonymizes at once; installations may ask for a confirmation step.
ANONYMIZE_CONFIRMATION = env_bool("ANONYMIZE_CONFIRMATION", False)

# A refused request (403, 400) is one line, without its traceback: on django.request,
# before any handler (Django's own under DEBUG too), and on the console, which also gets
# django.security.<the exception's class>.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "config.logging_filters.RefusalWithoutTraceback"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["refusals"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["refusals"]},
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every successful login at INFO; its lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}

# The REST API (api/, docs/api.md): personal access tokens (Bearer) or the session (with
# CSRF), problem+json errors, cursor pages, a rate per token (429 with Retry-After).
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/minute")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)
API_PAGE_SIZE_MAX = 500
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 366, minimum=1)
API_IDEMPOTENCY_HOURS = 24
# The throttle's counters: shared by every process through Redis when there is one.
CACHES: dict[str, Any] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    ),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.SessionWithCsrfAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contact Management API",
    "DESCRIPTION": "Create, update, look up, anonymize, export and import contacts (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AddressStatusEnum": "contacts.models.AddressStatus",
        "IdentifierTypeEnum": "contacts.models.IdentifierType",
        "MembershipStatusEnum": "contacts.models.MembershipStatus",
        "ExportStatusEnum": "exports.models.ExportStatus",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
