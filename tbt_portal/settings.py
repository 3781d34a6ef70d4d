"""One settings module, driven by the environment (see the README table).

Nothing here exists only in production: the demo started by ``make run`` and CI read the same
file; they differ only in the variables they set.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / ".data")))

DEBUG = env_bool("DEBUG", False)
# The demo started by `make run`: generated secret, console e-mail, 2FA for admins relaxed.
DEMO_MODE = env_bool("DEMO_MODE", False)
TESTING = env_bool("TESTING", False)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE or TESTING:
        SECRET_KEY = "demo-only-insecure-key-" + "x" * 40  # noqa: S105 - never used outside demo/debug
    else:
        raise ImproperlyConfigured("SECRET_KEY is required unless DEMO_MODE=1 or DEBUG=1.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "django_htmx",
    "simple_history",
    "network",
    "board",
    "inquiries",
    "notifications",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "network.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tbt_portal.urls"
WSGI_APPLICATION = "tbt_portal.wsgi.application"

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
                "tbt_portal.context_processors.portal",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# The test database name can be made unique per run so that a leftover connection from an
# earlier run on a shared server can never block creating or dropping it.
if env_str("TEST_DB_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker, cache --------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "tbt"),
        }
    }
else:
    # An embedded broker that needs no server: kombu's filesystem transport under DATA_DIR.
    _broker_dir = DATA_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast (worker control) messages; kombu's default is a "control" folder in the cwd.
        "control_folder": str(_broker_dir / "control"),
    }
    # kombu's filesystem transport does not create its folders: without them the first .delay()
    # (e.g. an e-mail queued after commit) fails with FileNotFoundError.
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
if TESTING and not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DEADLINE_SCAN_MINUTES = env_int("DEADLINE_SCAN_MINUTES", 5, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "deadlines-scan": {"task": "network.tasks.deadlines_scan", "schedule": DEADLINE_SCAN_MINUTES * 60},
    "outbox-deliver": {"task": "network.tasks.outbox_deliver", "schedule": 60},
    "annual-reports-open": {"task": "network.tasks.annual_reports_open", "schedule": crontab(hour=1, minute=0)},
    "annual-lists-open": {"task": "network.tasks.annual_lists_open", "schedule": crontab(hour=0, minute=30)},
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "network.validators_accounts.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "network:dashboard"
LOGOUT_REDIRECT_URL = "home"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: inactivity timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A second factor (TOTP) is always available to officials; administrators must use it unless
# explicitly relaxed, which only the demo does by default.
OTP_REQUIRED_FOR_ADMINS = env_bool("OTP_REQUIRED_FOR_ADMINS", not DEMO_MODE)
OTP_TOTP_ISSUER = "Cổng TBT Việt Nam"
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tbt_portal" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tbt_portal.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE or TESTING

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEMO_MODE or DEBUG)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng TBT Việt Nam <no-reply@tbtvn.gov.vn>")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6, minimum=1)

# --- Deadlines ------------------------------------------------------------------------------
# Days before the due date on which the responsible point is reminded.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 3, minimum=1)
# Public holidays beyond the built-in calendar, as comma-separated ISO dates.
EXTRA_HOLIDAYS = env_list("EXTRA_HOLIDAYS", [])

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or DEMO_MODE or TESTING))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or DEMO_MODE or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or DEMO_MODE or TESTING) else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vietnam TBT Portal API",
    "VERSION": "1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

DATA_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Enquiries ------------------------------------------------------------------------------
# Working days after triage in which the answer is due; per asker type as "type=days,..."
# (types: business, association, individual, wto_member, state_agency).
INQUIRY_ANSWER_WORKING_DAYS = env_int("INQUIRY_ANSWER_WORKING_DAYS", 5, minimum=1)
INQUIRY_ANSWER_WORKING_DAYS_BY_TYPE = {
    key.strip(): int(value)
    for key, value in (item.split("=", 1) for item in env_list("INQUIRY_ANSWER_WORKING_DAYS_BY_TYPE", []))
}
# Contributions are due this many working days before the answer.
INQUIRY_CONTRIBUTION_LEAD_DAYS = env_int("INQUIRY_CONTRIBUTION_LEAD_DAYS", 2, minimum=0)
# Working days the national (or provincial) point has to triage a new enquiry.
INQUIRY_TRIAGE_WORKING_DAYS = env_int("INQUIRY_TRIAGE_WORKING_DAYS", 1, minimum=0)
# Answered enquiries close by themselves after this many days.
INQUIRY_AUTO_CLOSE_DAYS = env_int("INQUIRY_AUTO_CLOSE_DAYS", 14, minimum=1)
# Closed enquiries lose the asker's personal data after this many days.
INQUIRY_RETENTION_DAYS = env_int("INQUIRY_RETENTION_DAYS", 730, minimum=1)
# Abuse limits of the public form (no CAPTCHA): minimum fill time, form token lifetime, rates.
INQUIRY_MIN_FILL_SECONDS = env_int("INQUIRY_MIN_FILL_SECONDS", 3, minimum=0)
INQUIRY_FORM_MAX_AGE_HOURS = env_int("INQUIRY_FORM_MAX_AGE_HOURS", 24, minimum=1)
INQUIRY_RATE_PER_IP = env_int("INQUIRY_RATE_PER_IP", 5, minimum=1)
INQUIRY_RATE_IP_WINDOW_MINUTES = env_int("INQUIRY_RATE_IP_WINDOW_MINUTES", 10, minimum=1)
INQUIRY_RATE_PER_EMAIL_DAY = env_int("INQUIRY_RATE_PER_EMAIL_DAY", 20, minimum=1)
INQUIRY_TRACK_FAILURES_PER_HOUR = env_int("INQUIRY_TRACK_FAILURES_PER_HOUR", 20, minimum=1)
CELERY_BEAT_SCHEDULE["inquiries-retention"] = {
    "task": "inquiries.tasks.inquiries_retention",
    "schedule": crontab(hour=2, minute=30),
}
CELERY_BEAT_SCHEDULE["inquiries-autoclose"] = {
    "task": "inquiries.tasks.inquiries_autoclose",
    "schedule": crontab(hour=2, minute=15),
}

# --- Notifications (workflow)
# WTO practice: a comment period of at least 60 days (TBT Committee recommendation, G/TBT/1).
NOTIFICATION_MIN_COMMENT_DAYS = env_int("NOTIFICATION_MIN_COMMENT_DAYS", 60, minimum=1)
# A reasonable interval between publication and entry into force, normally not less than 6 months.
NOTIFICATION_MIN_ENTRY_MONTHS = env_int("NOTIFICATION_MIN_ENTRY_MONTHS", 6, minimum=0)
# The national point forwards a partner's notification to the ministry points within this many working days.
NOTIFICATION_FORWARD_WORKING_DAYS = env_int("NOTIFICATION_FORWARD_WORKING_DAYS", 1, minimum=0)
# Business input on a partner's draft closes this many days before the partner's final date for comments.
NOTIFICATION_INPUT_CUTOFF_DAYS = env_int("NOTIFICATION_INPUT_CUTOFF_DAYS", 21, minimum=0)
# A ministry's reply to a member's comment is due this many working days before the final date for comments
# (or NOTIFICATION_REPLY_WORKING_DAYS after routing when that date is too close or unknown).
NOTIFICATION_REPLY_DAYS_BEFORE_END = env_int("NOTIFICATION_REPLY_DAYS_BEFORE_END", 5, minimum=0)
NOTIFICATION_REPLY_WORKING_DAYS = env_int("NOTIFICATION_REPLY_WORKING_DAYS", 10, minimum=1)
# Working days the national point has to review a dossier, notify an accepted one or send a drafted reply.
NOTIFICATION_REVIEW_WORKING_DAYS = env_int("NOTIFICATION_REVIEW_WORKING_DAYS", 5, minimum=1)
# Working days a ministry point has for its impact note on a partner's measure (never after the input cut-off).
NOTIFICATION_IMPACT_WORKING_DAYS = env_int("NOTIFICATION_IMPACT_WORKING_DAYS", 10, minimum=1)

# --- Notifications (import, search)
# An ePing-compatible JSON feed fetched on a schedule; empty (the default) = no fetch, no beat entry.
EPING_FETCH_URL = env_str("EPING_FETCH_URL", "")
EPING_FETCH_HOURS = env_int("EPING_FETCH_HOURS", 24, minimum=1)
EPING_FETCH_TIMEOUT = env_int("EPING_FETCH_TIMEOUT", 60, minimum=1)
EPING_FETCH_MAX_BYTES = env_int("EPING_FETCH_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
# Search counts are exact up to this number and shown as "10,000+" beyond (never an unbounded count).
NOTIFICATION_SEARCH_COUNT_CAP = env_int("NOTIFICATION_SEARCH_COUNT_CAP", 10000, minimum=100)
NOTIFICATION_SEARCH_PAGE_SIZE = env_int("NOTIFICATION_SEARCH_PAGE_SIZE", 20, minimum=5)
# What a search found (count and page ids) is kept this long in the cache; any change of a
# notification discards it at once. 0 turns the result cache off (the default under tests).
NOTIFICATION_SEARCH_CACHE_SECONDS = env_int("NOTIFICATION_SEARCH_CACHE_SECONDS", 0 if TESTING else 300, minimum=0)
# How often (seconds) each process checks whether WTO members were added or removed by another
# process (a bulk load), for the search form's list of members; 0: on every form (under tests).
NOTIFICATION_MEMBER_CHECK_SECONDS = env_int("NOTIFICATION_MEMBER_CHECK_SECONDS", 0 if TESTING else 5, minimum=0)
# "Relevance" ranks only this many of the most recent matches (bounded work on broad terms).
NOTIFICATION_SEARCH_RANK_CANDIDATES = env_int("NOTIFICATION_SEARCH_RANK_CANDIDATES", 1000, minimum=50)
# Most rows in a CSV/XLSX export; items in an Atom feed; events in an iCal feed.
NOTIFICATION_EXPORT_MAX_ROWS = env_int("NOTIFICATION_EXPORT_MAX_ROWS", 50000, minimum=100)
NOTIFICATION_FEED_ITEMS = env_int("NOTIFICATION_FEED_ITEMS", 50, minimum=1)
NOTIFICATION_ICAL_MAX_EVENTS = env_int("NOTIFICATION_ICAL_MAX_EVENTS", 1000, minimum=1)
# The import tasks live outside tasks.py: make the worker load them.
CELERY_IMPORTS = [*globals().get("CELERY_IMPORTS", []), "notifications.tasks_import"]
if EPING_FETCH_URL:
    CELERY_BEAT_SCHEDULE["notifications-eping-fetch"] = {
        "task": "notifications.tasks_import.eping_fetch",
        "schedule": EPING_FETCH_HOURS * 3600,
    }

# --- Board
# Days before a periodic Board meeting by which the invitations and papers must be sent (deadline engine).
BOARD_PAPERS_DAYS_BEFORE = env_int("BOARD_PAPERS_DAYS_BEFORE", 7, minimum=1)
# Days before a meeting by which members confirm attendance or send a written opinion.
BOARD_REPLY_DAYS_BEFORE = env_int("BOARD_REPLY_DAYS_BEFORE", 2, minimum=0)
# Largest meeting paper accepted, in MB.
BOARD_PAPER_MAX_MB = env_int("BOARD_PAPER_MAX_MB", 20, minimum=1)
# Directory of the DejaVu fonts embedded in the minutes and recommendation PDFs (fonts-dejavu-core).
BOARD_PDF_FONT_DIR = env_str("BOARD_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
