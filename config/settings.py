"""The one settings module. Everything that differs between machines comes from the environment.

Embedded default (no DATABASE_URL / REDIS_URL): SQLite under var/ and Celery tasks run eagerly in
process, so `make run` works on a bare machine. With them set: PostgreSQL and the Redis broker.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/K8s secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)
# Django's technical 404 and 500 pages with DEBUG on; otherwise the app's pages (config.errors).
DEBUG_TECHNICAL_PAGES = env.bool("DEBUG_TECHNICAL_PAGES", default=False)
SECRET_KEY = _secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens, stored as digests (partnership.authentication)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "partnership",
    "activities",
    "notifications",
    "results",
    "monitoring",
    "exchange",  # the Activity Matrix spreadsheet round trip and the IATI export
    "geography",
    "publication",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partnership.access.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The app's 404/405/500 pages, also with DEBUG on (config.errors says why).
    "config.errors.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
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
                # The header's profile and unread count, in one query (it replaces
                # partnership.context_processors.current_profile).
                "notifications.context_processors.header",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "POSTGRES_JIT", default=False
):
    # PostgreSQL's JIT compiles any statement its planner thinks expensive: the dashboard's
    # aggregates paid 100–180 ms of compilation for a few ms of work (docs/benchmarks.md, "Pages
    # and API"). POSTGRES_JIT=1 keeps the server's default.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery ---------------------------------------------------------------------------------------
# No REDIS_URL: the embedded default runs tasks eagerly, in process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# One cache shared by every process (the API throttles count in it) when Redis is there; the
# per-process default otherwise.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "tracker",
        }
    }
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged message to another worker after the visibility timeout. It must
# be longer than any task may hold a message: the hard time limit (MONITORING_CHUNK_TIME_LIMIT,
# 60 s) plus the longest retry countdown (60 s), which the worker holds unacknowledged too. Else a
# task still running would be redelivered. It is not how lost work comes back: the sweeper
# (monitoring.follow_up) queues that again within a minute or two; a late redelivery is a harmless
# duplicate.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 300),
    # A broker host that does not answer must fail a request within seconds, not hang it.
    "socket_connect_timeout": 2,
}
# Fail fast when the broker is down: a web request that queues a task gives up within a few
# seconds (monitoring.services answers "the task queue is unavailable") instead of retrying.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Follow-up work (delivering events, e-mails, webhooks) comes after the monitoring runs that
# people wait for. A run that first assesses a plan records an event for each activity at risk
# (thousands at 100,000 activities); in one first-in-first-out queue the next run's chunks would
# wait behind every one of those deliveries. Redis serves a queue's priorities lowest number
# first (kombu's default steps 0, 3, 6, 9; messages without a priority are 0, as the run's are).
FOLLOW_UP_PRIORITY = 6
CELERY_TASK_ROUTES = {
    "monitoring.tasks.deliver_event*": {"priority": FOLLOW_UP_PRIORITY},
    "notifications.tasks.*": {"priority": FOLLOW_UP_PRIORITY},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Every adopted plan whose period includes today is assessed as of today, once a day
    # (CELERY_TIMEZONE, UTC). A plan whose period has ended keeps its last picture.
    "monitoring-daily-runs": {
        "task": "monitoring.tasks.start_daily_runs",
        "schedule": crontab(hour=1, minute=0),
    },
    # Nothing lost: overdue runs are failed, lost events, runs and chunks queued again.
    "monitoring-sweep": {
        "task": "monitoring.tasks.sweep",
        "schedule": float(env.int("MONITORING_SWEEP_EVERY_SECONDS", default=60)),
    },
}

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- I18N -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence) go through the default storage: the local media folder, which no URL
# serves (downloads go through a view that checks the reader's permission), or S3-compatible
# storage through django-storages with EVIDENCE_STORAGE=s3 (pip install .[s3]; the AWS_*
# variables below, read by django-storages).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
EVIDENCE_STORAGE = env.str("EVIDENCE_STORAGE", default="filesystem")
if EVIDENCE_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("EVIDENCE_STORAGE must be 'filesystem' or 's3'.")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if EVIDENCE_STORAGE == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
# The largest evidence file accepted, in bytes (10 MiB by default).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The largest request body read into memory: form posts (Django) and JSON bodies (the API's parser,
# config.parsers) alike. Django's default, set here so it is seen: the largest honest request (an
# activity with a 10,000-character description and its partners) is a few dozen kilobytes, and a
# 2 MB narrative still reaches the serializer, which names the field that is too long.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MiB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000

# --- REST framework -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partnership.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "config.api.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # JSON only, with limits on size and nesting (config.parsers says why): the API's bodies are
    # JSON documents (nested participations, versions); form encodings could not carry them
    # faithfully, and each accepted encoding is one more way in to validate (415 otherwise).
    "DEFAULT_PARSER_CLASSES": ["config.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Per signed-in user and per anonymous client (by IP), counted in the default cache, which
    # is Redis (shared by every process) when REDIS_URL is set.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    # NUM_PROXIES: set from TRUSTED_PROXY_COUNT below, the one setting for the client address.
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}

# The public API of published snapshots (publication.api): per client address, its own budget.
PUBLIC_API_THROTTLE = env.str("PUBLIC_API_THROTTLE", default="120/minute")

# API tokens (django-rest-knox): the database keeps a SHA-512 digest of each, never the token.
# A token expires API_TOKEN_TTL_DAYS after it is issued (0: never); its owner issues a new one
# on the profile page.
_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=365)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=_TOKEN_TTL_DAYS) if _TOKEN_TTL_DAYS else None,
    "AUTH_HEADER_PREFIX": "Token",  # what clients sent with DRF's tokens
    "AUTO_REFRESH": False,  # a fixed lifetime: no write on every request
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership activity tracker API",
    "DESCRIPTION": (
        "Activities of the Joint Action Plan and Activity Matrix, their milestones, indicators, "
        "progress updates and monitoring status. Authenticate with `Authorization: Token <token>` "
        "(`python manage.py create_api_token <user>`, or the profile page) or a browser session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_error_responses",
    ],
    # The public API has its own schema (/api/public/v1/schema/).
    "PREPROCESSING_HOOKS": ["publication.api.schema.without_public_api"],
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "partnership.models.Organization.Kind",
        "AgreementKindEnum": "partnership.models.Agreement.Kind",
        "MonitoringStatusEnum": "activities.models.MonitoringStatus",
        "IndicatorKindEnum": "activities.models.Indicator.Kind",
    },
    # Swagger UI and ReDoc from drf-spectacular-sidecar's local files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security (production) ------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check is asked over plain HTTP from inside the container (docker-compose.yml), past
# the TLS-terminating proxy: redirecting it to https would fail it for good. It answers only
# up/down, nothing private. (Patterns match the path without its leading slash.)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the web processes append to X-Forwarded-For (nginx with
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` counts one; gunicorn itself none).
# 0, the default: the client is the connection's address (REMOTE_ADDR) and X-Forwarded-For is
# ignored, since a client can forge it. Read by the sign-in lockout and the API throttles.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# DRF's default (None) would key the anonymous throttle on the whole X-Forwarded-For header, which
# a client can change on every request; 0 keys it on REMOTE_ADDR.
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only this origin's scripts, styles and images, and no
# inline script or style anywhere: the pages keep their JavaScript and CSS in static/, and the API
# docs use drf-spectacular's split Swagger view, whose start-up script is a separate file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}

# --- Login protection (django-axes) ---------------------------------------------------------------
# After AXES_FAILURE_LIMIT failed sign-ins for one username from one address, that pair is locked
# out for AXES_COOLOFF_MINUTES (others from the same address, and the same user elsewhere, are
# not: an attacker cannot lock a colleague out from another machine). Attempts are kept in the
# database, so every web process sees them; axes logs each failure and each lockout. Managers lift
# a lockout on /accounts/lockouts/ (partnership.services.unlock_account); docs/operations.md.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the failure that caused the lockout. Attempts refused during it (wrong
# password or right) are not recorded, so they do not push the lock forward: otherwise anyone
# could keep anyone locked out with one attempt per cool-off (axes' default is True).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The log of failures and lockouts is for investigating attacks: it names the username and the
# address (axes masks both by default). Passwords are never logged.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# The address is the client's as TRUSTED_PROXY_COUNT says (partnership.access.client_address; the
# API throttles use the same rule through NUM_PROXIES). A callable rather than axes' AXES_IPWARE_*
# settings: those need django-ipware, which is not installed, and without it axes reads only
# REMOTE_ADDR, whatever they say.
AXES_CLIENT_IP_CALLABLE = "partnership.access.client_address"

# --- Monitoring policy (thresholds read by monitoring.policy) ------------------------------------
MONITORING = {
    "CHUNK_SIZE": env.int("MONITORING_CHUNK_SIZE", default=500),
    # A queued or running run still open this long after it started is failed by the stale-run
    # check; longer than the visibility timeout, so a lost chunk is redelivered first.
    "RUN_DEADLINE_SECONDS": env.int("MONITORING_RUN_DEADLINE_SECONDS", default=7200),
    # A chunk's hard time limit and lease (monitoring.services.chunk_time_limit); a 500-activity
    # chunk takes well under a second (docs/scaling.md).
    "CHUNK_TIME_LIMIT": env.int("MONITORING_CHUNK_TIME_LIMIT", default=60),
    # Work whose message has not arrived after this long is queued again by the sweeper.
    "SWEEP_AFTER_SECONDS": env.int("MONITORING_SWEEP_AFTER_SECONDS", default=60),
    # Rule thresholds (monitoring.policy.Policy); None keeps the policy's own default.
    "MILESTONE_OFF_TRACK_DAYS": env.int("MONITORING_MILESTONE_OFF_TRACK_DAYS", default=None),
    "PROGRESS_AT_RISK_GAP": env.int("MONITORING_PROGRESS_AT_RISK_GAP", default=None),
    "PROGRESS_OFF_TRACK_GAP": env.int("MONITORING_PROGRESS_OFF_TRACK_GAP", default=None),
    "STALE_AT_RISK_DAYS": env.int("MONITORING_STALE_AT_RISK_DAYS", default=None),
    "STALE_OFF_TRACK_DAYS": env.int("MONITORING_STALE_OFF_TRACK_DAYS", default=None),
    "INDICATOR_AT_RISK_SHARE": env.float("MONITORING_INDICATOR_AT_RISK_SHARE", default=None),
    "INDICATOR_OFF_TRACK_SHARE": env.float("MONITORING_INDICATOR_OFF_TRACK_SHARE", default=None),
    "FUNDING_MIN_SHARE": env.float("MONITORING_FUNDING_MIN_SHARE", default=None),
    "GRACE_DAYS": env.int("MONITORING_GRACE_DAYS", default=None),
    "ROLLUP_AT_RISK_SHARE": env.float("MONITORING_ROLLUP_AT_RISK_SHARE", default=None),
    "ROLLUP_OFF_TRACK_SHARE": env.float("MONITORING_ROLLUP_OFF_TRACK_SHARE", default=None),
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Notifications (notifications app) -----------------------------------------------------------
# Where e-mail goes (notifications and password resets): smtp://user:password@host:587 (or
# smtp+tls://, smtp+ssl://) in production; the console (the demo and development) when unset.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The site's address, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATIONS = {
    # Escalation of a late report: the officer is reminded N days after the due date, the
    # organization's focal point told M days after that, the manager K days after that.
    "REMIND_AFTER_DAYS": env.int("NOTIFICATIONS_REMIND_AFTER_DAYS", default=3),
    "FOCAL_POINT_AFTER_DAYS": env.int("NOTIFICATIONS_FOCAL_POINT_AFTER_DAYS", default=7),
    "MANAGER_AFTER_DAYS": env.int("NOTIFICATIONS_MANAGER_AFTER_DAYS", default=7),
}
# Webhooks (notifications.webhooks): a delivery is tried up to MAX_ATTEMPTS times, waiting
# RETRY_BASE_SECONDS × 2^(attempt − 1) after each failure; a subscription is disabled after
# DISABLE_AFTER_FAILURES deliveries in a row that failed for good.
WEBHOOKS = {
    "MAX_ATTEMPTS": env.int("WEBHOOK_MAX_ATTEMPTS", default=6),
    "RETRY_BASE_SECONDS": env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30),
    "DISABLE_AFTER_FAILURES": env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=5),
    "TIMEOUT_SECONDS": env.int("WEBHOOK_TIMEOUT_SECONDS", default=5),
}
# Webhooks go only to hosts with public addresses (notifications.url_safety: no POSTs into the
# tracker's own network). True lets private, loopback and link-local hosts through: only for a
# receiver on a trusted internal network.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=False)
CELERY_BEAT_SCHEDULE.update(
    {
        # Immediate e-mails whose message was lost, or whose SMTP server was down: every minute.
        "notifications-send-emails": {"task": "notifications.tasks.send_emails", "schedule": 60.0},
        # Webhook deliveries due (first tries whose message was lost, retries after backoff).
        "notifications-send-webhooks": {
            "task": "notifications.tasks.send_webhooks",
            "schedule": 60.0,
        },
        # Digests of the day or week just over, and reminders now due: hourly, safe twice.
        "notifications-send-digests": {
            "task": "notifications.tasks.send_digests",
            "schedule": crontab(minute=5),
        },
        "monitoring-expired-overrides": {
            "task": "monitoring.tasks.record_expired_overrides",
            "schedule": crontab(minute=0),
        },
        "notifications-find-due": {
            "task": "notifications.tasks.find_due",
            "schedule": crontab(minute=0),
        },
    }
)
