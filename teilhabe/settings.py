"""One settings module, configured by environment variables with safe local defaults.

Every variable is listed in README.md. Locally nothing needs to be set: SQLite, console e-mail,
immediate background tasks and a generated secret key in var/.
"""

import os
import tempfile
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from teilhabe.env import env_bool, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Teilhabe")
# Demo logins with published passwords exist only where this is switched on (make run does).
DEMO_MODE = env_bool("TEILHABE_DEMO", False)

INSTALLED_APPS = [
    "teilhabe.core.admin_config.TeilhabeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # only for its Swagger UI files: /api/docs served from here (CSP)
    "teilhabe.core",
    "teilhabe.offers",
    "teilhabe.mediation",
    "teilhabe.funding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that depends on the visitor: a repeated question to the public map data
    # is answered from the cache at about the cost of a static file (offers/answers.py).
    "teilhabe.offers.answers.SharedAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # axes must come last: it turns a lockout signalled by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "teilhabe.urls"
WSGI_APPLICATION = "teilhabe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "teilhabe" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teilhabe.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL points elsewhere (postgres://user:pw@host/db).
_DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'teilhabe.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        # Connections stay open between requests: a new PostgreSQL connection costs more than
        # most queries, and a new SQLite connection re-reads the schema and starts with an empty
        # page cache. Health checks drop broken ones before use.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE makes write transactions take the
    # lock at BEGIN, so concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        # Reading through a memory map and a 32 MB page cache (per kept connection) makes a
        # search over 100,000 offers about a third faster than the default 2 MB of reads.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not memory: concurrent requests (live server, threads) need WAL and the
    # busy timeout, which a shared in-memory database does not honour. One file per process, so
    # test runs side by side do not meet.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"teilhabe-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # One test database per process, so test runs side by side on one server do not meet.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:account"
LOGOUT_REDIRECT_URL = "offers:map"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Brute-force protection: after AXES_FAILURE_LIMIT failures for one user name from one address
# the log-in is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = SITE_NAME

# Interface languages. German is the default; the others are the newcomer languages the
# interface is translated into. Arabic and Farsi are laid out right to left.
LANGUAGE_CODE = "de"
ALL_INTERFACE_LANGUAGES = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "ro": "Română",
    "bg": "Български",
}
LANGUAGES = [
    (code, ALL_INTERFACE_LANGUAGES[code])
    for code in env_list("INTERFACE_LANGUAGES", ",".join(ALL_INTERFACE_LANGUAGES))
    if code in ALL_INTERFACE_LANGUAGES
]
LOCALE_PATHS = [BASE_DIR / "teilhabe" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Set in production (collectstatic writes there); locally WhiteNoise serves from the app folders.
STATIC_ROOT = Path(env_str("STATIC_ROOT")) if env_str("STATIC_ROOT") else None
# Leaflet (the map) comes from the django-leaflet package. Only its static files are used: the
# app itself is not installed, because its admin module imports GeoDjango, which needs GDAL.
STATICFILES_DIRS = [
    BASE_DIR / "teilhabe" / "static",
    Path(find_spec("leaflet").origin).parent / "static",
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG and bool(env_str("STATIC_ROOT")))
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_ROOT is None

# Cache: shared by all processes of one installation (files in var/cache), so a change seen by
# one gunicorn worker is seen by all; CACHE_URL-style back-ends can replace it later.
CACHES = {
    "default": {
        "BACKEND": "teilhabe.core.cache.SampledCullFileCache",
        "LOCATION": env_str("CACHE_DIR", str(VAR_DIR / "cache")),
    }
}

# E-mail: printed to the console unless EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Teilhabe <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: run at once in-process by default; in production the database backend and
# its worker (manage.py db_worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env_str("TASKS_BACKEND", "immediate") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Map tiles: any XYZ tile server; OpenStreetMap by default.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Where the map starts before it fits itself to the markers (Dortmund's centre by default).
MAP_CENTRE = tuple(float(part) for part in env_list("MAP_CENTRE", "51.5136,7.4653"))
MAP_ZOOM = env_int("MAP_ZOOM", 12)
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# Offer map: reminder after N days without confirmation, off the map after M days; how long the
# one-click "still current" link in the reminder stays valid.
OFFERS_REMIND_AFTER_DAYS = env_int("OFFERS_REMIND_AFTER_DAYS", 180)
OFFERS_REMOVE_AFTER_DAYS = env_int("OFFERS_REMOVE_AFTER_DAYS", 270)
OFFERS_CONFIRM_LINK_DAYS = env_int("OFFERS_CONFIRM_LINK_DAYS", 90)

# Security. HTTPS=true behind a TLS-terminating reverse proxy switches on secure cookies,
# HSTS and the redirect; with it `manage.py check --deploy` reports nothing.
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _tile_origin(url: str) -> str:
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}" if rest else SELF


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_origin(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUDITLOG_DISABLE_REMOTE_ADDR = True  # an IP address is personal data we do not need to keep

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs and user names; keep them at warning level.
        "django.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per e-mail task is noise on the console; failures are still logged.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Module 2: language-mediator pool (teilhabe.mediation) ------------------------------------
# Requests need this many days' notice (staff may override for one request).
MEDIATION_LEAD_TIME_DAYS = env_int("MEDIATION_LEAD_TIME_DAYS", 5)
# A new request is offered to the best candidate at once; off: staff offer (one by one or batch).
MEDIATION_AUTO_OFFER = env_bool("MEDIATION_AUTO_OFFER", True)
# An offer not answered within this time moves on to the next candidate.
MEDIATION_OFFER_ANSWER_HOURS = env_int("MEDIATION_OFFER_ANSWER_HOURS", 24)
# Minutes between two in-person appointments of one mediator (half before, half after).
MEDIATION_TRAVEL_BUFFER_MINUTES = env_int("MEDIATION_TRAVEL_BUFFER_MINUTES", 30)
# No confirmed mediator this many hours before the start: the request is unfilled.
MEDIATION_UNFILLED_DEADLINE_HOURS = env_int("MEDIATION_UNFILLED_DEADLINE_HOURS", 48)
# Requesters see the confirmed mediator's first name and contact until this long after the end.
MEDIATION_CONTACT_VISIBLE_HOURS = env_int("MEDIATION_CONTACT_VISIBLE_HOURS", 24)
# Expense allowance: per hour (paid in half-hour steps) and per km, in cents.
MEDIATION_RATE_CENTS_PER_HOUR = env_int("MEDIATION_RATE_CENTS_PER_HOUR", 1500)
MEDIATION_RATE_CENTS_PER_KM = env_int("MEDIATION_RATE_CENTS_PER_KM", 30)
# A cancellation by the institution under this many hours before the start is paid: the
# mediator's travel and the planned time up to the maximum below.
MEDIATION_LATE_CANCEL_HOURS = env_int("MEDIATION_LATE_CANCEL_HOURS", 24)
MEDIATION_LATE_CANCEL_MAX_MINUTES = env_int("MEDIATION_LATE_CANCEL_MAX_MINUTES", 120)
# Fairness in matching counts assignments of the last this many weeks.
MEDIATION_RECENT_WEEKS = env_int("MEDIATION_RECENT_WEEKS", 8)
# Mediators who left are anonymised this many days later (expense statements need the name).
MEDIATION_ANONYMISE_AFTER_DAYS = env_int("MEDIATION_ANONYMISE_AFTER_DAYS", 90)

# --- Module 3: funding programmes (teilhabe.funding) -----------------------------------------
# Uploads and decision letters are private: stored under MEDIA_ROOT/funding-private, which no URL
# serves; the funding views hand them out only to the organisation and to staff.
FUNDING_PRIVATE_ROOT = Path(env_str("FUNDING_PRIVATE_ROOT", str(MEDIA_ROOT / "funding-private")))
FUNDING_UPLOAD_MAX_BYTES = env_int("FUNDING_UPLOAD_MAX_MB", 10) * 1024 * 1024
FUNDING_UPLOADS_PER_APPLICATION = env_int("FUNDING_UPLOADS_PER_APPLICATION", 20)
# Retention (manage.py funding_retention, safe to run hourly): drafts never submitted and the
# documents of withdrawn applications go after this many days; records of bank-data reads too.
FUNDING_DRAFT_RETENTION_DAYS = env_int("FUNDING_DRAFT_RETENTION_DAYS", 365)
FUNDING_ACCESS_LOG_RETENTION_DAYS = env_int("FUNDING_ACCESS_LOG_RETENTION_DAYS", 3 * 365)
