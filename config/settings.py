"""Settings for policeplan, read from the environment (see docs/settings.md).

Every setting that can change between machines comes from an environment variable with a safe
default for local development. Production sets ``POLICEPLAN_ENV=production``.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from config.log_format import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("POLICEPLAN_ENV", "development") == "production"

# A development key is generated per checkout and kept out of git; production must set one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when POLICEPLAN_ENV=production")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # Django's admin on a site that signs in through the staff sign-in (policeplan/staff).
    "policeplan.staff.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "policeplan.web",
    "policeplan.catalogue",
    "policeplan.geography",
    "policeplan.provenance",
    "policeplan.ingest",
    "policeplan.records",
    "policeplan.official",
    "policeplan.metrics",
    "policeplan.publishing",
    "policeplan.neighbourhoods",
    "policeplan.reporting",
    "ninja",  # only for its bundled Swagger UI static files: the API docs work offline
    "policeplan.api",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "policeplan.staff",
    "policeplan.registers",
]

MIDDLEWARE = [
    # First, so it times every request and sees every answer, however it was made.
    "policeplan.web.middleware.RequestLogMiddleware",
    "policeplan.web.middleware.HeadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the headers too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 304 Not Modified for a client's repeat request, from the ETag and Last-Modified that
    # every cached page and API answer carries (ADR 0015).
    "django.middleware.http.ConditionalGetMiddleware",
    # Before anything reads request.GET or request.POST.
    "policeplan.web.middleware.RequestLimitsMiddleware",
    "policeplan.api.middleware.ApiMiddleware",
    # Whole public pages under the data version; before sessions, so a hit does no more work.
    "policeplan.web.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns any response into the lockout page once sign-ins are locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "policeplan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "policeplan.publishing.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'policeplan.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public site read while an import writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds chart specs for the server-rendered chart images and the API rate-limit
# counters, so every worker process must share it: in production a database table that
# `migrate` creates (policeplan/web/migrations/0001_cache_table.py); in development one
# process's memory is enough.
CACHE_BACKEND = os.environ.get("POLICEPLAN_CACHE", "database" if PRODUCTION else "memory")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "policeplan_cache"}
        if CACHE_BACKEND == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` puts the hashed files production serves (WhiteNoise).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
# Development serves static files straight from the finders (frontend/build); production
# serves the collected, hashed copies in STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Nothing is collected in development, so STATIC_ROOT need not exist; WhiteNoise would warn
    # about it at every worker's start of `make run`.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- policeplan settings -------------------------------------------------------------------
# The force this deployment serves; any of the 43 forces works by configuration and data alone.
POLICEPLAN_FORCE = os.environ.get("POLICEPLAN_FORCE", "leicestershire")
# The plan catalogue shown as "current" on the public site.
POLICEPLAN_CURRENT_PLAN = os.environ.get("POLICEPLAN_CURRENT_PLAN", "llr-2024-2029")
POLICEPLAN_PLANS_DIR = Path(os.environ.get("POLICEPLAN_PLANS_DIR", BASE_DIR / "plans"))
POLICEPLAN_DATA_DIR = Path(os.environ.get("POLICEPLAN_DATA_DIR", BASE_DIR / "data"))
POLICEPLAN_SITE_NAME = os.environ.get("POLICEPLAN_SITE_NAME", "Police and Crime Plan performance")
# Requests per client address to /api/ ("120/minute"; second, minute, hour or day; "off").
POLICEPLAN_API_RATE_LIMIT = os.environ.get("POLICEPLAN_API_RATE_LIMIT", "120/minute")
# How many reverse proxies in front of the server append to X-Forwarded-For. 0: the client is
# the connection's address (REMOTE_ADDR). N: the address the N-th proxy from the server saw
# (what clients write themselves comes earlier in the header and is ignored). Used by the API
# rate limit (ninja's throttle), the request log and the sign-in lockout.
NINJA_NUM_PROXIES = int(os.environ.get("POLICEPLAN_PROXIES", "0"))
# Whole public pages and API answers cached under the data version (policeplan/web/
# page_cache.py, ADR 0015): on unless set to 0, and off while DEBUG (templates change
# under the development server).
POLICEPLAN_PAGE_CACHE = os.environ.get("POLICEPLAN_PAGE_CACHE", "0" if DEBUG else "1") == "1"
# How long a cached page is kept at most (a new data version makes a new key anyway).
POLICEPLAN_PAGE_CACHE_SECONDS = int(os.environ.get("POLICEPLAN_PAGE_CACHE_SECONDS", "86400"))

# --- security (checked by `manage.py check --deploy` under production settings) -----------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every response (django-csp): nothing inline, nothing evaluated,
# nothing from another origin. Scripts and styles are static files; Vega interprets its
# expressions (ast: true) rather than compiling them with new Function(). docs/deploy.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page uses any of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "gamepad", "geolocation", "gyroscope", "hid",
        "idle-detection", "local-fonts", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "window-management", "xr-spatial-tracking",
    )
}  # fmt: skip
# Health checks come from load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs go to standard error: JSON lines in production (python-json-logger), text otherwise.
# With LOG_REQUESTS on (default in production) every request is one line on the
# policeplan.request logger: method, path, status, duration_ms, bytes, client.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOG_REQUESTS = env_bool("LOG_REQUESTS", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": JSON_FORMATTER,
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "policeplan.request": {
            "handlers": ["console"],
            "level": "INFO" if LOG_REQUESTS else "WARNING",
            "propagate": False,
        },
        # The request line already reports 4xx answers; keep django.request for 5xx tracebacks.
        **({"django.request": {"level": "ERROR"}} if LOG_REQUESTS else {}),
    },
}

# --- analysis settings ----------------------------------------------------------------------
# SPC (NHS "Making Data Count"): months at which limits are recalculated (the first national
# lockdown by default), a rebase after any gap this long, and the run/trend rule length.
POLICEPLAN_SPC_REBASE = [
    m.strip() for m in os.environ.get("POLICEPLAN_SPC_REBASE", "2020-03").split(",") if m.strip()
]
POLICEPLAN_SPC_REBASE_AFTER_GAP = int(os.environ.get("POLICEPLAN_SPC_REBASE_AFTER_GAP", "6"))
POLICEPLAN_SPC_RUN_LENGTH = int(os.environ.get("POLICEPLAN_SPC_RUN_LENGTH", "7"))
# Which reading of the XmR rules: "making-data-count" (NHS MDC tools) or "nhsrplotthedots".
POLICEPLAN_SPC_CONVENTION = os.environ.get("POLICEPLAN_SPC_CONVENTION", "making-data-count")
# A series is out of date when its latest period ends more than this many months before the
# newest figure held for the force, by the metric's reporting frequency (FREQUENCY=MONTHS).
POLICEPLAN_STALE_AFTER_MONTHS = os.environ.get(
    "POLICEPLAN_STALE_AFTER_MONTHS", "monthly=3,quarterly=6,annual=15,ad-hoc=36"
)
# A metric is an exception when its 12-month change crosses this % in the bad direction.
POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD = float(
    os.environ.get("POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD", "10")
)
# Where build_report writes each report's folder (HTML, charts, PDF, manifest.json). The
# database keeps a copy of every report too: the archive never depends on these files.
POLICEPLAN_REPORTS_DIR = Path(
    os.environ.get("POLICEPLAN_REPORTS_DIR", BASE_DIR / "var" / "reports")
)

# --- staff sign-in (policeplan/staff; see docs/adr/0008-staff-sign-in-and-audit.md) ------------
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username+address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "staff-sign-in"
LOGIN_REDIRECT_URL = "staff-home"
CSRF_FAILURE_VIEW = "policeplan.staff.views_auth.csrf_failure"
# Links sent to people (the one-time set-password link, password reset emails) start with this.
POLICEPLAN_BASE_URL = os.environ.get("POLICEPLAN_BASE_URL", "http://127.0.0.1:8000")
# Failed sign-ins (staff sign-in and /admin/ alike) from one address for one username before
# a lockout, and how long the lockout lasts.
AXES_FAILURE_LIMIT = int(os.environ.get("POLICEPLAN_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("POLICEPLAN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind a reverse proxy every attempt would otherwise come from the proxy's address, so one
# person's wrong passwords would lock a colleague out from everywhere (POLICEPLAN_PROXIES).
AXES_CLIENT_IP_CALLABLE = "policeplan.web.middleware.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
# Staff sessions end after this many hours, or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("POLICEPLAN_STAFF_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Import guards (ADR 0013): a revision removing more than this share (%) of the rows or
# figures its slot holds is refused unless the command is given --allow-shrink; a second
# import of a slot waits at most this many seconds for the first, then says so.
POLICEPLAN_IMPORT_SHRINK_PERCENT = float(os.environ.get("POLICEPLAN_IMPORT_SHRINK_PERCENT", "10"))
POLICEPLAN_IMPORT_LOCK_WAIT = float(os.environ.get("POLICEPLAN_IMPORT_LOCK_WAIT", "30"))
# A submission of figures needs its data owner's confirmation before an approver can approve it.
POLICEPLAN_REQUIRE_OWNER_CONFIRMATION = os.environ.get(
    "POLICEPLAN_REQUIRE_OWNER_CONFIRMATION", "0"
).lower() in {"1", "true", "yes"}
# A staff-entered figure is due this many days after the end of its period (start page).
POLICEPLAN_LOCAL_DATA_DUE_DAYS = int(os.environ.get("POLICEPLAN_LOCAL_DATA_DUE_DAYS", "30"))
# The name authenticator apps show beside the six-digit code.
OTP_TOTP_ISSUER = POLICEPLAN_SITE_NAME
# Password reset email: SMTP when DJANGO_EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("POLICEPLAN_FROM_EMAIL", "policeplan@localhost")
