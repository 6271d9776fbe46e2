"""chainwork settings, read from the environment and nothing else (README.md lists every variable).

Typed helpers fail loudly on a bad value. DATABASE_URL and SECRET_KEY are required: for local runs the
entry points (manage.py, wsgi.py, the Celery app, the test run) fill them in before the settings load,
with the embedded PostgreSQL under var/ and a key generated there (chainwork.embedded.ensure_environment).
Without REDIS_URL Celery uses kombu's filesystem transport under var/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()


def env_path(name: str, default: Path) -> Path:
    return Path(env.str(name, default=str(default))).resolve()


def env_required(name: str, hint: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. {hint}")
    return value


LOCAL_DEFAULTS_HINT = ("Run through manage.py, chainwork.wsgi or `celery -A chainwork`, which fill in the local "
                       "defaults (chainwork.embedded.ensure_environment), or set it in the environment.")

VAR_DIR = env_path("CHAINWORK_VAR_DIR", BASE_DIR / "var")
DEBUG = env.bool("DEBUG", default=False)
PRODUCTION = env.bool("CHAINWORK_PRODUCTION", default=False)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- database --------------------------------------------------------------------------------------
DATABASES = {"default": env.db_url_config(env_required(
    "DATABASE_URL", "It names the PostgreSQL database, postgres://user:pass@host:port/name. " + LOCAL_DEFAULTS_HINT))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("chainwork runs on PostgreSQL only: DATABASE_URL must be postgres://…")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=5)
# PostgreSQL's JIT compiles a query whose estimated cost is high, which the planner overestimates for
# the reports' aggregates: it added ~0.9 s to the 日报's query at w1 and pays off for no query of ours.
if not env.bool("DB_JIT", default=False):
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def env_milliseconds(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 (no limit) or a number of milliseconds, not {value}.")
    return value


# PostgreSQL's statement_timeout for each query of a web request (chainwork.statement_timeout): shorter
# than gunicorn's worker timeout (--timeout 120 in the Dockerfile, docker-compose.yml and scripts/run.sh),
# so the database gives up first and the request still answers, with a 503. 30 s is 100× the pages'
# target (300 ms at w1) and leaves the worker 90 s. 0: no limit.
DB_STATEMENT_TIMEOUT_MS = env_milliseconds("DB_STATEMENT_TIMEOUT_MS", 30_000)

# --- secret key: required; the entry points generate one into var/ outside production mode ---------
SECRET_KEY = env_required("SECRET_KEY", "In production mode (CHAINWORK_PRODUCTION) set one of its own; for local "
                          "runs the entry points generate one into var/. " + LOCAL_DEFAULTS_HINT)

# --- broker ------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DIR = VAR_DIR / "broker"
# Requests queue their tasks after commit; with the broker unreachable a request should learn so in a
# few seconds and go on (chainwork/enqueue.py keeps the work), not hang: a short connect timeout and
# one quick retry. Worst case: about 2 × BROKER_CONNECT_TIMEOUT for a silent (firewalled) address, and
# the socket_timeout below for a broker that accepts and never answers.
BROKER_CONNECT_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": env.int("BROKER_PUBLISH_RETRIES", default=1),
                                    "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": BROKER_CONNECT_TIMEOUT, "socket_timeout": 5}
else:
    # The folders are made by chainwork.embedded.ensure_environment.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The worker takes one message per poll: at the default second, the demo's first deliveries
        # queue for minutes ahead of the first reminder sweep. Listing a folder ten times a second is cheap.
        "polling_interval": 0.1,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A task's queries get a longer statement_timeout than a request's (chainwork.celery.StatementLimitedTask):
# by default the soft time limit, past which the task fails anyway. Without it a query outlives a worker
# killed at the hard limit. Management commands (seed_demo --scale w1, imports, backups) have none.
DB_TASK_STATEMENT_TIMEOUT_MS = env_milliseconds("DB_TASK_STATEMENT_TIMEOUT_MS", CELERY_TASK_SOFT_TIME_LIMIT * 1000)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="chainwork")

# --- applications ------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # Django's widget templates, for FORM_RENDERER (TemplatesSetting)
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    "chainwork",
    "enterprises",
    "cases",
    "liaison",
    "policies",
    "meetings",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every query of a request under DB_STATEMENT_TIMEOUT_MS, the session's included.
    "chainwork.middleware.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chainwork.middleware.SessionRefreshMiddleware",
    "chainwork.middleware.ChineseFirstLocaleMiddleware",
    "chainwork.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Database unreachable: 503 (a page, or JSON under /api/) instead of a 500 with a traceback.
    "chainwork.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chainwork.audit.AuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chainwork.urls"
WSGI_APPLICATION = "chainwork.wsgi.application"
AUTH_USER_MODEL = "chainwork.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "chainwork.context_processors.navigation",
            ],
        },
    },
]

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

# --- language and time -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# An empty choice reads 请选择 in a form and 全部 in a filter (chainwork/choices.py).
FORM_RENDERER = "chainwork.choices.FormRenderer"
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

# --- static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Off where collectstatic has not run (the tests): the manifest storage refuses unknown files.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=True)
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not STATIC_MANIFEST
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
MEDIA_URL = "/media/"

# --- cache (API throttling, shared by every worker process) ------------------------------------
if REDIS_URL:
    # Forgiving: with Redis down or slow, a read misses and a write is skipped (chainwork/cache.py); the
    # socket timeouts bound how long a request waits to find out.
    CACHES = {"default": {"BACKEND": "chainwork.cache.ForgivingRedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="chainwork"),
                          "OPTIONS": {"socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
                                      "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5)}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}
# Rendered list rows ({% cache %} in templates/cases/partials/), in each worker's memory: a page reads
# 50 of them, a lookup in Redis costs more than rendering one, and every key names all that the row
# shows, so a worker never needs to hear of another's writes.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                       "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 20_000}}

# --- e-mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="chainwork@localhost")

# --- security ------------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 3600)
# An API token unused this long expires (0: never); scripted clients then ask the token endpoint again.
API_TOKEN_IDLE_SECONDS = env.int("API_TOKEN_IDLE_SECONDS", default=14 * 24 * 3600)
# The age counts from the last request (expiry after inactivity): chainwork.middleware.SessionRefreshMiddleware
# writes the session again at most this often, rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    # TLS ends at the proxy in front, which says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container healthcheck speaks plain http
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content Security Policy (django-csp 4): only our own files; no inline script or style anywhere.
from csp.constants import NONE, SELF  # noqa: E402

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
    },
}

# --- audit trail (django-pghistory) -------------------------------------------------------------
import pghistory  # noqa: E402

PGHISTORY_APPEND_ONLY = True
PGHISTORY_DEFAULT_TRACKERS = (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
# An event row is read by its object (history pages) or its context, never by the other keys it copies:
# index only those two, so every audited write maintains 3 indexes instead of up to 11.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)

# --- login lockout (django-axes) -----------------------------------------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Lock the pair: a stranger guessing from elsewhere cannot lock an official out of their own desk.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "chainwork.api_tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "chainwork.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="60/min"),
        "user": env.str("API_USER_RATE", default="3000/min"),
        # The Contract: the token endpoint allows at least 30 requests a minute from one address.
        "token": env.str("API_TOKEN_RATE", default="60/min"),
    },
    # Throttles key on the client's address: without this DRF takes the whole X-Forwarded-For header,
    # which a client sets at will, and gets a fresh bucket for every request.
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT,
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: the browsable API's inline scripts would break the CSP, and clients speak JSON.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "chainwork.api_parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chainwork API",
    "DESCRIPTION": _("产业链协同复工复产问题台账 API"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `state` or `source`: name each choice set after its owner.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.models.State",
        "CaseUrgencyEnum": "cases.models.Urgency",
        "SizeEnum": "enterprises.models.Size",
        "ReferralStateEnum": "cases.models.Referral.State",
        "ReferralSourceEnum": "cases.models.Referral.Source",
        "ConsultationStateEnum": "meetings.models.Consultation.State",
        "ConsultationKindEnum": "meetings.models.Kind",
        "DecisionStateEnum": "meetings.models.Decision.State",
        "PartyKindEnum": "meetings.models.PartyKind",
        "SituationKindEnum": "enterprises.models.SituationKind",
        "SeverityEnum": "enterprises.models.Severity",
        "ResponsePlanStateEnum": "policies.models.PlanState",
        "PolicyReserveStateEnum": "policies.models.ReserveState",
        "ServiceMeasureStateEnum": "policies.models.MeasureState",
    },
}

# --- chainwork ------------------------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="chainwork-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": sys.stdout, "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "kombu.connection": {"level": "ERROR"}},
}


PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env.bool("FAST_PASSWORD_HASHING", default=False):
    # Argon2 is deliberately slow; the tests hash many passwords and check none of its strength.
    if PRODUCTION:
        raise ImproperlyConfigured("FAST_PASSWORD_HASHING is for the tests: never in production mode.")
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A supplier or customer below this share of normal staff or output counts as a blocker (堵点).
CHAIN_BLOCKER_THRESHOLD = env.float("CHAIN_BLOCKER_THRESHOLD", default=0.8)

# --- reminders, notification channels, kept figures ----------------------------------------------------
# One idempotent sweep of all due work (reports.digest), every REMINDER_SWEEP_SECONDS; the
# dashboard's kept figures recounted when older than DASHBOARD_CACHE_SECONDS, looked at every
# DASHBOARD_REFRESH_SECONDS (chainwork.kept.refresh_kept).
DASHBOARD_REFRESH_SECONDS = env.float("DASHBOARD_REFRESH_SECONDS", default=60.0)
DAY_FIGURES_SECONDS = env.float("DAY_FIGURES_SECONDS", default=300.0)
# The 产业链图谱 index's counts per lead are recounted this often (enterprises.chain_counts).
CHAIN_COUNTS_SECONDS = env.float("CHAIN_COUNTS_SECONDS", default=300.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {
        "task": "reports.tasks.sweep_reminders",
        "schedule": env.float("REMINDER_SWEEP_SECONDS", default=60.0),
        "options": {"expires": env.float("REMINDER_SWEEP_SECONDS", default=60.0)},
    },
    "refresh-kept-figures": {
        "task": "reports.refresh_kept_figures",
        "schedule": DASHBOARD_REFRESH_SECONDS,
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
    # The 产业链图谱 index's figures per lead (enterprises.chain_counts).
    "recount-chains": {
        "task": "enterprises.recount_chains",
        "schedule": CHAIN_COUNTS_SECONDS,
        "options": {"expires": CHAIN_COUNTS_SECONDS},
    },
    # The 问题台账's change rows folded per region (cases.page_cache.compact_list_changes).
    "compact-list-changes": {
        "task": "cases.compact_list_changes",
        "schedule": 600.0,
        "options": {"expires": 600.0},
    },
    # The 日报's figures of each day, kept once its cut-off has passed (reports.day_figures): a run
    # that finds the days kept costs a few indexed lookups.
    "keep-day-figures": {
        "task": "reports.keep_day_figures",
        "schedule": DAY_FIGURES_SECONDS,
        "options": {"expires": DAY_FIGURES_SECONDS},
    },
}
REMINDER_DIGEST_HOUR = env.int("REMINDER_DIGEST_HOUR", default=8)  # local time the daily digest starts
CONTACT_EDIT_HOURS = env.int("CONTACT_EDIT_HOURS", default=48)  # an officer edits their own record this long
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")  # links in e-mail, webhook and SMS
NOTIFY_WEBHOOK_URL = env.str("WEBHOOK_URL", default="")  # 政务微信 group robot or a relay; empty: off
NOTIFY_WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5.0)
SMS_BACKEND = env.str("SMS_BACKEND", default="chainwork.channels.ConsoleSmsBackend")
# Outside channels a user gets until they choose their own per kind (in-app is always on).
NOTIFY_DEFAULT_CHANNELS = env.list("NOTIFY_DEFAULT_CHANNELS", default=["email"])
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=6)

# The 日报's cut-off: rows created before this local time count for the day.
REPORTS_DAILY_CUT_OFF = env.str("REPORTS_DAILY_CUT_OFF", default="17:00")
# The dashboard's figures are kept per scope, date and language (counting the country takes seconds) and
# recounted in the background once older than this; 0: every request counts afresh.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# A problem's page and the 问题台账 kept per reader until what they show changes (cases/page_cache.py),
# at most this long: what the key cannot see (a region's or a department's name) shows within it.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
