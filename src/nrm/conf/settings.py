"""Settings for every deployment, read from the environment (see env.py for each variable).

`nrm.conf.production` tightens these for a server on the internet; `nrm.conf.test` runs
the test suite.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from nrm.conf import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = env.get("NRM_SECRET_KEY")
DEBUG = env.flag("NRM_DEBUG")
NRM_DEMO = env.flag("NRM_DEMO")
NRM_PRODUCTION = False  # nrm.conf.production sets it
ALLOWED_HOSTS = env.csv("NRM_ALLOWED_HOSTS")

# Keys for personal identifiers; parsed and checked by nrm.crypto at start-up.
NRM_FIELD_KEYS = env.get("NRM_FIELD_KEYS")
NRM_INDEX_KEY = env.get("NRM_INDEX_KEY")
NRM_AUDIT_KEY = env.get("NRM_AUDIT_KEY")
# Signed checkpoints of the audit chain, kept outside the database (nrm.audit.checkpoint).
NRM_AUDIT_CHECKPOINTS = env.get("NRM_AUDIT_CHECKPOINTS")
# A role grant that opens personal data ends on a date no further off than this.
NRM_GRANT_MAX_DAYS = env.integer("NRM_GRANT_MAX_DAYS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks_db",
    "nrm.crypto",
    "nrm.audit",
    "nrm.authorities",
    "nrm.cases",
    "nrm.exchange",
    "nrm.referrals",
    "nrm.screening",
    "nrm.shelters",
    "nrm.proceedings",
    "nrm.returns",
    "nrm.statistics",
    "nrm.compensation",
    "nrm.demo",
    "nrm.web",
    "nrm.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "nrm.web.unicode.UnicodeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nrm.web.middleware.NoStoreMiddleware",
    "nrm.web.middleware.AccessLogUserMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nrm.web.middleware.SecondFactorRequiredMiddleware",
    "nrm.web.acting.ActingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nrm.conf.urls"
WSGI_APPLICATION = "nrm.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nrm.web.context.shell",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env.get("DATABASE_URL"), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, but the file and its -wal and -shm are readable by their owner only.
    DATABASES["default"]["ENGINE"] = "nrm.conf.sqlite3"
    # IMMEDIATE transactions serialise writers up front instead of failing one of two
    # writers half-way; WAL with full sync keeps every committed write across a crash.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# One cache shared by every server process, in the database (the duplicate check's counts
# per official must not multiply with the workers, nor vanish on a restart).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "nrm_cache"}}

# Background work (the daily sweep) through Django's tasks framework, queued in the
# database and run by `nrm db_worker`: no extra service to operate.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Rows an import job registers per transaction (nrm.exchange.jobs); the duplicate check's
# limits per official and window (nrm.exchange.throttle), counted in CACHES' default cache.
NRM_IMPORT_BATCH_SIZE = 100
NRM_IMPORT_BATCH_PAUSE_SECONDS = 0.2
NRM_DUPLICATE_CHECK_WINDOW_SECONDS = 3600
NRM_DUPLICATE_CHECK_LIMIT = 20
NRM_DUPLICATE_CHECK_DISTINCT = 10
NRM_DUPLICATE_CHECK_SAME_NAMES = 3

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "authorities.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "nrm.conf.passwords.NotTheDemoPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lockout (django-axes): a username and address pair is locked after repeated failures.
AXES_FAILURE_LIMIT = env.integer("NRM_LOCKOUT_ATTEMPTS")
AXES_COOLOFF_TIME = env.integer("NRM_LOCKOUT_MINUTES") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

OTP_TOTP_ISSUER = "NRM"

# Sessions end after a spell of inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = env.integer("NRM_SESSION_IDLE_MINUTES") * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    },
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("sq", "Shqip"),
    ("sr-latn", "Srpski (latinica)"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.get("NRM_STATIC_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Logs name records by id and never carry personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
