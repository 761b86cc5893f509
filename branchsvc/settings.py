"""Settings for the branch service platform.

One module for both profiles. Without DATABASE_URL / REDIS_URL it runs *embedded*: SQLite, the
in-memory channel layer and Celery on the in-process memory transport. With them it runs the
*production* profile: PostgreSQL, Redis (channel layer, Celery broker, cache). Every value comes from
the environment through the typed helpers in core/env.py, which refuse bad values at start-up.
"""

import hashlib
import hmac
import re
import sys
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import (
    database_from_url,
    deployment_id,
    env_bool,
    env_choice,
    env_int,
    env_json,
    env_list,
    env_redis_url,
    env_str,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# jieba imports pkg_resources at start-up; its deprecation notice is noise on every command.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)

DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = redis_url(env_str("REDIS_URL")) if env_str("REDIS_URL") else ""
PROFILE = "production" if DATABASE_URL else "embedded"

DEBUG = env_bool("DEBUG", default=PROFILE == "embedded")

_DEV_SECRET_KEY = "embedded-profile-only-not-secret-0f6c1d2e"
# A fixed key so the embedded demo keeps its data readable across restarts; never for production.
_DEV_FIELD_KEY = "ZW1iZWRkZWQtcHJvZmlsZS1vbmx5LWtleS0wMDAwMDA="

SECRET_KEY = env_str("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (production profile)")
FIELD_ENCRYPTION_KEY = env_list("FIELD_ENCRYPTION_KEY", [_DEV_FIELD_KEY] if DEBUG else [])
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be set when DEBUG is off: one or more comma-separated "
        "url-safe base64 32-byte keys, newest first (generate with `make key`)"
    )

# The audit chain's HMAC key and the signing key of its checkpoints. The database never holds
# it, so someone who can only write the database cannot recompute the chain. Set it apart from
# SECRET_KEY in production (docs/compliance.md); by default it is derived from SECRET_KEY.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY") or hmac.new(
    SECRET_KEY.encode(), b"audit-chain-key", hashlib.sha256).hexdigest()
# Signed checkpoints of the chains' heads: a directory the database's administrators cannot
# write (another host's mount, a WORM bucket's sync folder), appended every interval by beat.
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "audit")))
AUDIT_CHECKPOINT_SECONDS = env_int("AUDIT_CHECKPOINT_SECONDS", 300, minimum=10)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "channels",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "branchsvc",
    # Domain apps, bottom-up: an app imports only apps listed before it.
    "compliance",
    "branches",
    "customers",
    "servicedesk",
    "knowledge",
    "queueing",
    "counter",
    "appointments",
    "outreach",
    "kiosk",
    "environment",
    "fees",
    "continuity",
    "quality",
    "insights",
    "ui",  # the design system: icons, the component gallery (templates of every app use them)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestIdMiddleware",
    "branchsvc.metrics.RequestMetricsMiddleware",
    "core.dbfaults.DatabaseUnavailableMiddleware",
    "core.middleware.UnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.CustomerLanguagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "branchsvc.twofactor.TwoFactorRequiredMiddleware",
    "branches.middleware.DeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "branchsvc.urls"
ASGI_APPLICATION = "branchsvc.asgi.application"
WSGI_APPLICATION = "branchsvc.wsgi.application"

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
                "branchsvc.navigation.context",
                "core.middleware.languages_context",
            ],
            "builtins": ["branches.templatetags.people", "ui.templatetags.icons"],
        },
    },
]

# The application's role only reads and writes rows; `manage.py migrate` connects as the tables'
# owner when MIGRATE_DATABASE_URL is set (docs/compliance.md, database roles).
MIGRATE_DATABASE_URL = env_str("MIGRATE_DATABASE_URL")
# A pool per process (psycopg 3, Django's "pool" option): opening a PostgreSQL connection cost
# ~11 ms of every request, and CONN_MAX_AGE leaks connections under ASGI (each request runs on
# a fresh thread). On by default (issue 27); DB_POOL=false leaves pooling to PgBouncer in
# transaction mode (docs/scale.md §1: size processes × DB_POOL_MAX_SIZE below max_connections).
DB_POOL = {
    "min_size": env_int("DB_POOL_MIN_SIZE", 2, minimum=0),
    "max_size": env_int("DB_POOL_MAX_SIZE", 10, minimum=1),
    "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1),
} if env_bool("DB_POOL", True) else None
if MIGRATE_DATABASE_URL and sys.argv[1:2] == ["migrate"]:
    DATABASES = {"default": database_from_url(MIGRATE_DATABASE_URL)}
elif DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL, pool=DB_POOL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "branchsvc.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE makes every transaction take the write lock up front, so concurrent
                # writers queue instead of failing on a stale snapshot (audit chain, numbering).
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Broker, channel layer and cache may each have a Redis of their own; each defaults to REDIS_URL.
CACHE_REDIS_URL = env_redis_url("CACHE_REDIS_URL", REDIS_URL)
CHANNEL_REDIS_URL = env_redis_url("CHANNEL_REDIS_URL", REDIS_URL)
# Redis pub/sub ignores the database number: deployments sharing one Redis must differ in prefix,
# so the default names this deployment by its database.
CHANNEL_PREFIX = env_str("CHANNEL_PREFIX") or (
    f"branchsvc-{deployment_id(DATABASE_URL)}" if DATABASE_URL else "branchsvc")
if CACHE_REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.SharedPoolRedisCache",
                          "LOCATION": CACHE_REDIS_URL, "KEY_PREFIX": "branchsvc"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CHANNEL_REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [CHANNEL_REDIS_URL], "prefix": CHANNEL_PREFIX},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "landing"  # customers and staff both start again from the front page

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English")), ("ja", _("Japanese")),
             ("ko", _("Korean"))]
# Japanese and Korean are offered where customers are served — the kiosk and the customer's own
# pages (docs/languages.md); staff screens stay in Chinese and English, so a staff page asked for in
# one of these languages is shown in English.
CUSTOMER_ONLY_LANGUAGES = ("ja", "ko")
CUSTOMER_PAGES = re.compile(
    r"^/($|me/|appointments/|queue/t/|queue/remote/|counter/t/|counter/forms/|counter/receipts/|sd/my/"
    r"|sd/survey/|sd/visit-survey/|kiosk/$|kiosk/vtm/|fees/$|fees/history/|continuity/fraud/report/"
    r"|continuity/fraud/mine/|outreach/home-visits/($|request/|\d+/$)|api/|i18n/)"
)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# Date and time formats per language (Chinese: 2026年12月7日 星期一 14:05); see docs/calendar.md.
FORMAT_MODULE_PATH = ["branchsvc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploads (work-order and knowledge attachments) go to S3-compatible object storage when S3_BUCKET
# is set: every web replica sees every file and a redeploy loses none. Links are signed and expire.
# Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role).
S3_BUCKET = env_str("S3_BUCKET")
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        "location": env_str("S3_PREFIX", "media"),
        "addressing_style": env_choice("S3_ADDRESSING_STYLE", "auto", {"auto", "path", "virtual"}),
        "default_acl": None,
        "file_overwrite": False,
        "querystring_expire": env_int("S3_LINK_SECONDS", 600, minimum=10),
    }} if S3_BUCKET else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# HSTS on by default in production (a year); the embedded profile serves plain HTTP locally.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
    "connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# Staff sign-in: lock an account after repeated wrong passwords from any addresses, and an
# address after many wrong passwords for any accounts (django-axes, branches/lockout.py); ask the
# roles that change rules, devices or the network for a TOTP code (django-otp).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "branches.lockout.AccountAndAddressLockout"
AXES_LOCKOUT_CALLABLE = "branches.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES",
                              ["compliance_officer", "branch_admin", "head_office_admin"])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Branch service")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Device first: its WWW-Authenticate header makes unauthenticated API calls 401, not 403.
        "branches.auth.DeviceTokenAuthentication",
        "branches.auth.ApiClientAuthentication",
        "branches.auth.DeviceSessionAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.BranchAutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": ["branches.auth.ApiClientRateThrottle"],
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "otp": env_str("THROTTLE_OTP", "5/hour"),
        "remote_ticket": env_str("THROTTLE_REMOTE_TICKET", "3/hour"),
        "anon": env_str("THROTTLE_ANON", "120/minute"),
        "api_client": env_str("THROTTLE_API_CLIENT", "1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Branch service platform API",
    "DESCRIPTION": "Queueing, counter, appointments, kiosk, knowledge, compliance and service desk.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["branchsvc.api_versions.drop_legacy_paths"],
    # Operation ids stay what they were before the /api/v1/ prefix (generated clients keep them).
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "customers.models.Customer.Language",
        "LanguageCodeEnum": [("zh-hans", "zh-hans"), ("en", "en")],
        # Choice sets whose field names other choice sets share ("mode", "outcome").
        "ServiceModeEnum": "appointments.models.ServiceMode",
        "RecordOutcomeEnum": "counter.models.Outcome",
    },
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_redis_url("CELERY_BROKER_URL", REDIS_URL) or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Embedded profile: `manage.py serve` runs a real Celery worker and beat in threads of the server.
CELERY_EMBEDDED = CELERY_BROKER_URL == "memory://"
# Workers write a heartbeat to the cache; /readyz fails when the newest is older than the max age.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15, minimum=1)
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 60, minimum=2)

# The 30-second queue scan runs as this many tasks, each over the branches whose id falls in its
# shard (id % shards), so several workers share a network's scan (docs/scale.md).
QUEUE_SCAN_SHARDS = env_int("QUEUE_SCAN_SHARDS", 16, minimum=1)
# The Celery queue the scan's shard tasks go to: a pool of their own ("scans", compose's `scanner`)
# so a long scan never delays the estimate refreshes of the request path; by default the one
# queue every worker (and the embedded one) consumes.
CELERY_SCAN_QUEUE = env_str("CELERY_SCAN_QUEUE", "celery")
CELERY_TASK_ROUTES = {"queueing.tasks.scan_queue_shard": {"queue": CELERY_SCAN_QUEUE}}

# --- Integrations ---------------------------------------------------------------------------
NOTIFICATION_BACKENDS = env_list("NOTIFICATION_BACKENDS", ["console"])
SMS_BACKEND = env_str("SMS_BACKEND", "core.notifications.ConsoleSMSBackend")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "branch-service@example.com")
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 90, minimum=10)
KIOSK_HEARTBEAT_SECONDS = env_int("KIOSK_HEARTBEAT_SECONDS", 20, minimum=5)
KIOSK_SILENT_AFTER_SECONDS = env_int("KIOSK_SILENT_AFTER_SECONDS", 60, minimum=10)
# WebRTC ICE servers for the video teller, e.g. [{"urls": "stun:stun.bank.lan:3478"}]; none is
# needed when the VTM and the remote teller share one routed network.
KIOSK_ICE_SERVERS = env_json("KIOSK_ICE_SERVERS", [])
# The video teller across networks (docs/kiosk.md "Video teller across networks"): STUN and TURN
# servers (comma-separated URLs, e.g. "turn:turn.bank.example:3478?transport=udp,turns:..."),
# served to both ends of each call by the server. With WEBRTC_TURN_SECRET (coturn's
# static-auth-secret, use-auth-secret) each end gets its own short-lived credential (coturn's REST
# scheme); "relay" sends every call through TURN (no direct path is even tried).
WEBRTC_STUN_URLS = env_list("WEBRTC_STUN_URLS", [])
WEBRTC_TURN_URLS = env_list("WEBRTC_TURN_URLS", [])
WEBRTC_TURN_SECRET = env_str("WEBRTC_TURN_SECRET")
WEBRTC_TURN_TTL_SECONDS = env_int("WEBRTC_TURN_TTL_SECONDS", 3600, minimum=60)
WEBRTC_ICE_TRANSPORT_POLICY = env_choice("WEBRTC_ICE_TRANSPORT_POLICY", "all", {"all", "relay"})
# Dual recordings (双录) of video-teller calls: kept this many days after the call (default ten
# years: wealth and insurance sales records are kept for at least that long, see docs/kiosk.md),
# then deleted by the daily beat task unless under legal hold.
VTM_RECORDING_RETENTION_DAYS = env_int("VTM_RECORDING_RETENTION_DAYS", 3653, minimum=1)
# Environment sensors (docs/environment.md): the MQTT broker they publish to (empty: ingest off),
# their topics, when a quiet sensor is an alert, and the fastest a sensor's readings are kept.
MQTT_URL = env_str("MQTT_URL", "mqtt://127.0.0.1:1883")
MQTT_TOPIC_PREFIX = env_str("MQTT_TOPIC_PREFIX", "branchsvc/env")
SENSOR_SILENT_AFTER_SECONDS = env_int("SENSOR_SILENT_AFTER_SECONDS", 300, minimum=30)
SENSOR_MIN_INTERVAL_SECONDS = env_int("SENSOR_MIN_INTERVAL_SECONDS", 2, minimum=0)
# Knowledge import uploads (/knowledge/import/): largest file, and largest unzipped content.
KB_IMPORT_MAX_BYTES = env_int("KB_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Visit surveys on the e-receipt: a score at or below follow_up_at_most opens a follow-up work order.
SERVICEDESK_VISIT_SURVEY = env_json("SERVICEDESK_VISIT_SURVEY", {"follow_up_at_most": 2, "valid_days": 7})
# Core banking (freeze a card, place a dispute hold): unset runs an in-process stand-in that
# confirms at once (embedded profile); `python -m continuity.fakecore` is the HTTP peer tests use.
CORE_BANKING_URL = env_str("CORE_BANKING_URL")
CORE_BANKING_TIMEOUT_SECONDS = env_int("CORE_BANKING_TIMEOUT_SECONDS", 5, minimum=1)
CORE_BANKING_RETRY_BASE_SECONDS = env_int("CORE_BANKING_RETRY_BASE_SECONDS", 10, minimum=1)
CORE_BANKING_RETRY_MAX_SECONDS = env_int("CORE_BANKING_RETRY_MAX_SECONDS", 600, minimum=1)

# --- Operations -----------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
# One JSON object per line for the log shipper; the embedded profile keeps lines people can read.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain" if DEBUG else "json", {"plain", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.middleware.RequestIdLogFilter"},
                "database_faults": {"()": "core.dbfaults.DatabaseFaultLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                    "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # uvicorn's own lines (start-up, errors) in the same format once Django has started.
    "loggers": {"uvicorn": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
                # A database outage answers 503 and logs one warning (core.dbfaults), not a 500.
                "django.request": {"filters": ["database_faults"]}},
}
# Celery workers log through LOGGING too, instead of replacing the root logger with their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (and, without a token, only
# the embedded profile on the machine itself). Celery workers serve theirs on CELERY_METRICS_PORT.
METRICS_TOKEN = env_str("METRICS_TOKEN")
CELERY_METRICS_PORT = env_int("CELERY_METRICS_PORT", 0, minimum=0)
# Errors go to Sentry (or any Sentry-protocol collector) only when a DSN is set.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from core.errors import start_error_reporting

    start_error_reporting(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", PROFILE),
                          release=env_str("RELEASE"))
