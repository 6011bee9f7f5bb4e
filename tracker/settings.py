"""Counterclaim settings: one module, configured from environment variables.

Development defaults are safe on a laptop (DEBUG on, SQLite, local-memory
cache). Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
`manage.py check --deploy` is clean there.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_rate(name, default):
    """A throttle rate (`N/minute`), or None (no throttle) for `off`."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


def env_proxy_count(name):
    """How many reverse proxies in front append to X-Forwarded-For (0: none)."""
    value = os.environ.get(name, "").strip() or "0"
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number of proxies (0 or more), not {value!r}.")
    return int(value)


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin, with the sign-in rules of claims/accounts/ (tracker/apps.py).
    "tracker.apps.CounterclaimAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "nested_admin",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "claims",
]

MIDDLEWARE = [
    # First: answers a warm anonymous page whole, headers of the rest included
    # (claims/caching/early.py); everything else goes on down the stack.
    "claims.caching.early.EarlyHitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session gave a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user on every history row an edit creates.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
                "django.template.context_processors.csp",
                "claims.context_processors.site",
            ],
        },
    },
]

# SQLite file by default so `make run` needs nothing installed; PostgreSQL in
# production and CI through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The capture worker writes beside the server: wait for the lock rather
    # than fail, take it at the start of a write, and let readers read in WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side prepared statements for the queries that ask for them
    # (claims/prepared.py: the claim page's look-ups by key, planned once per
    # connection). Django's own queries bind on the client and never prepare,
    # whatever this says. Off (DB_PREPARED_STATEMENTS=0) behind a connection
    # pooler in transaction mode that does not keep prepared statements
    # (PgBouncer before 1.21, or without max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "prepare_threshold", 5 if env_bool("DB_PREPARED_STATEMENTS", True) else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "counterclaim",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "counterclaim",
        }
    }

# Rendered-page cache with exact invalidation (claims/caching/). PAGE_CACHE=0
# turns the server-side cache off in one process (the benchmark's cold page);
# the max-age and stale-while-revalidate are for browsers and a CDN in front.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "3600"))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "30"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "30"))
# Each server process also keeps the pages it served lately in memory (up to
# this many MB): exact, as a page's key names its version; saves the trip to Redis.
PAGE_MEMORY_BYTES = int(os.environ.get("PAGE_MEMORY_MB", "32")) * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and captured files (WARC captures): MEDIA_ROOT on local disk by
# default; FILE_STORAGE=storages.backends.s3.S3Storage (django-storages, with
# its AWS_* settings) for an S3-compatible store. Never served from MEDIA_URL:
# the capture views serve what readers may see (docs/capture.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Accounts and sign-in (claims/accounts/, docs/editors.md "Accounts and sign-in").
# Only staff log in here; django-axes watches each attempt before the password
# is checked, then Django's model backend checks it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sessions end this many hours after login.
SESSION_COOKIE_AGE = int(float(os.environ.get("STAFF_SESSION_HOURS", "12")) * 3600)

# Login lockout (django-axes), recorded in the database every worker shares.
# Two thresholds over one window: a username from one address is locked after
# LOGIN_FAILURE_LIMIT failures (axes' own AXES_FAILURE_LIMIT over its
# ["username", "ip_address"] records); an address as a whole, whatever the
# usernames, after LOGIN_ADDRESS_FAILURE_LIMIT (claims/accounts/lockout.py,
# the handler), so one guesser behind a newsroom's NAT does not lock everyone.
AXES_HANDLER = "claims.accounts.lockout.NewsroomLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
# The window: failures older than this no longer count, and a lockout lifts
# this long after the last failure (a failure while locked starts it again).
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_CLIENT_IP_CALLABLE = "claims.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "claims.admin.accounts.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# A right password forgets that username's failures from that address (a
# few typos in the morning do not add up with a few in the afternoon).
AXES_RESET_ON_SUCCESS = True
# The admin's record of each failed login, beside the counting records.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Two-factor sign-in (django-otp): required of Reviewers and superusers (those
# who may publish) when on; on by default in production.
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Counterclaim")

# Mail (password reset links, staff only): Django's MAILERS. EMAIL_BACKEND is
# the console (mails printed in the server's output) in development and SMTP
# in production, through EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL.
email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": email_backend,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": float(os.environ.get("EMAIL_TIMEOUT", "20")),
            }
            if email_backend == "django.core.mail.backends.smtp.EmailBackend"
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "counterclaim@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A reset link works this long.
PASSWORD_RESET_TIMEOUT = int(float(os.environ.get("PASSWORD_RESET_HOURS", "2")) * 3600)

LOGIN_URL = "admin:login"
# After a login without `next` (only staff have logins): the admin, not
# Django's default /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "admin:index"

# Content-Security-Policy: no inline scripts or styles anywhere. JSON-LD blocks
# are data (type="application/ld+json"), which browsers do not execute.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Production hardening; each can be switched off by environment for a local
# production-mode run behind no TLS (the benchmark does that).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# The client's address (claims/client_address.py: API throttles, the search
# limit, logs, later the login lockout): REMOTE_ADDR, unless this many reverse
# proxies or CDN layers in front each append to X-Forwarded-For; the client is
# then the Nth address from the right. Leave 0 when clients reach the app
# directly: X-Forwarded-For is then ignored, as anyone can send one.
TRUSTED_PROXY_COUNT = env_proxy_count("TRUSTED_PROXY_COUNT")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Reader searches (/claims/?q=...) per client address (claims/views/limits.py),
# counted in the shared cache; `off` turns the limit off (the benchmark does).
SEARCH_RATE = env_rate("SEARCH_RATE", "30/minute")

# Staff password-reset requests, per client address and per mail address
# (claims/accounts/forms.py): no one floods a mailbox through the reset form.
PASSWORD_RESET_RATE = env_rate("PASSWORD_RESET_RATE", "5/hour")

# The guarded fetcher (claims/capture/fetcher.py): the app's only door to the
# internet. Loopback is refused unless CAPTURE_ALLOW_LOOPBACK=1 (tests, demos).
CAPTURE_MAX_BYTES = int(os.environ.get("CAPTURE_MAX_MB", "25")) * 1024 * 1024
CAPTURE_TIMEOUT = float(os.environ.get("CAPTURE_TIMEOUT", "20"))
CAPTURE_ALLOW_LOOPBACK = env_bool("CAPTURE_ALLOW_LOOPBACK", False)
CAPTURE_PREFILL_TIMEOUT = float(os.environ.get("CAPTURE_PREFILL_TIMEOUT", "10"))
# A source logged or re-pointed is captured by a task; off only for bulk loads.
CAPTURE_ON_SAVE = env_bool("CAPTURE_ON_SAVE", True)
# Link health (claims/capture/health.py): sources not checked for this long
# are checked again by `manage.py check_links` (cron, or the worker's schedule).
LINK_CHECK_EVERY_HOURS = float(os.environ.get("LINK_CHECK_EVERY_HOURS", "24"))

# Webhook deliveries (claims/webhooks/): each POST through the guarded
# fetcher within this many seconds; a user has at most this many subscriptions.
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_MAX_SUBSCRIPTIONS = int(os.environ.get("WEBHOOK_MAX_SUBSCRIPTIONS", "10"))

# Background work: Django's tasks framework on an ORM queue (django-tasks-db),
# run by `manage.py db_worker` (README: how many, where).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "capture", "links", "webhooks"],
    }
}

# The REST API (claims/api/). Throttle rates are per client (IP for anonymous,
# user for tokens and sessions), generous by default, set from the environment;
# `off` turns one off (behind a proxy that limits rates already).
API_THROTTLE_ANON = env_rate("API_THROTTLE_ANON", "600/minute")
API_THROTTLE_USER = env_rate("API_THROTTLE_USER", "3000/minute")
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        # The admin's session, under its two-factor rule.
        "claims.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.ApiSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.RoleModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.CursorPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonThrottle",
        "claims.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON, "user": API_THROTTLE_USER},
    # Our throttles ask claims/client_address.py; this keeps any other DRF
    # throttle from believing a made-up X-Forwarded-For as well.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    # JSON only: errors are JSON for browsers too, and the browsable API's
    # inline scripts would break under our CSP (Swagger UI is at /api/v1/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only, nested at most 32 levels (claims/api/parsers.py); their
    # size is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (413 above it).
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Counterclaim API",
    "DESCRIPTION": "Contested claims, who says what, and our verification status. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's assets are served from our own static files (the sidecar
    # package): the CSP allows no external hosts.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "claims.vocabularies.Status",
        "StanceEnum": "claims.vocabularies.Stance",
        "LanguageEnum": "claims.vocabularies.Language",
        "SourceKindEnum": "claims.vocabularies.SourceKind",
        "ActorKindEnum": "claims.vocabularies.ActorKind",
        "LinkKindEnum": "claims.vocabularies.LinkKind",
        "CaptureStateEnum": "claims.vocabularies.CaptureState",
        "CaptureTriggerEnum": "claims.vocabularies.CaptureTrigger",
        "SourceCaptureStateEnum": "claims.vocabularies.SourceCaptureState",
        "LinkStateEnum": "claims.vocabularies.LinkState",
        "WebhookEventEnum": "claims.vocabularies.WebhookEvent",
        "DeliveryStateEnum": "claims.vocabularies.DeliveryState",
    },
}

# The site's public identity: canonical links, ClaimReview `author`, feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Counterclaim")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Counterclaim")
ORGANISATION_URL = os.environ.get("ORGANISATION_URL", SITE_URL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
