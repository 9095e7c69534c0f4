"""Settings of CQP Mutualité, read from the environment (django-environ).

Defaults give an embedded set-up: a SQLite file under ``var/``, Celery tasks
run in-process, e-mails printed on the console. Set ``DATABASE_URL``,
``CELERY_BROKER_URL`` and ``EMAIL_URL`` to use PostgreSQL, Redis with real
workers and SMTP. See README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]", "testserver"]),
    CELERY_BROKER_URL=(str, ""),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    DEFAULT_FROM_EMAIL=(str, "CQP Mutualité <ne-pas-repondre@cqp-mutualite.fr>"),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.bool("REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("SECRET_KEY doit être défini en production.")
    # Development default only: production sets SECRET_KEY (docker-compose.yml).
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
SITE_URL = env("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "cqp",
    "referentiels",
    "candidates",
    "vae",
    "jury",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cqp.middleware.DatabaseUnavailableMiddleware",  # database outage: a 503 page in French (templates/503.html)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cqp.auth_middleware.SessionTimeoutMiddleware",
    "cqp.auth_middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "cqp.urls"

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
                "cqp.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cqp.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL doit désigner SQLite ou PostgreSQL.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "cqp.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before any check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # invitations and resets: 3 days
EMAIL_CHANGE_TIMEOUT = 60 * 60 * 24 * 2  # e-mail change confirmation links: 2 days

# Login throttling (django-axes): 5 failures for one address from one IP lock that pair for 15 minutes.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cqp.account_views.axes_username"
AXES_LOCKOUT_CALLABLE = "cqp.account_views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy, name the header it sets (e.g. HTTP_X_FORWARDED_FOR) and the number of proxies.
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env.list("AXES_IP_HEADERS", default=["REMOTE_ADDR"]))
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)
# The login records (address, IP, browser) are deleted after this many days by the daily job (cqp/login_logs.py).
LOGIN_LOG_RETENTION_DAYS = env.int("LOGIN_LOG_RETENTION_DAYS", default=90)

# Optional two-factor authentication (TOTP, django-otp) for OEMM and jury members.
OTP_TOTP_ISSUER = "CQP Mutualité"
# An administrator never sees a user's TOTP secret (its key or QR code would let them copy the second factor); the
# admin's config and QR pages of a device answer 403 (they would also give a 500 for an unknown device id).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # static files served even before collectstatic
STORAGES = {
    # Uploaded evidence is private: stored under var/private, never under a
    # public URL, served only by permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# E-mail: console by default, SMTP with EMAIL_URL=smtp://host:port
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without a broker, tasks run in-process (eager) when enqueued.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that dies (SIGKILL, OOM) is not acked (acks late): Redis gives it back to a worker
# when a worker restarts, or after this delay. Longer than the longest task, so that a slow task is not run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}

# Idempotence records of the tasks (an e-mail sent once even if its task runs twice): in Redis, shared by the
# workers, when there is a broker; in memory otherwise (tasks then run in-process).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "idempotence": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CELERY_BROKER_URL, "KEY_PREFIX": "cqp-idem"}
        if CELERY_BROKER_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "idempotence"}
    ),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# A session ends after 2 hours without activity, and in any case 8 hours after login (cqp/auth_middleware.py).
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_IDLE_TIMEOUT = 60 * 60 * 2
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS=true (production behind a TLS proxy, docker-compose.yml): cookies only over HTTPS, HSTS, redirect to https.
HTTPS = not DEBUG and env.bool("HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files,
# no inline script, no eval (htmx runs with allowEval false, see templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# No personal data in the logs: every handler masks e-mail addresses and phone numbers (cqp/logging.py).
# Django's own loggers (requests, runserver) reach the same filtered root handler; Celery keeps the root handlers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "cqp.logging.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django's default handlers (unfiltered console in DEBUG, mail_admins) are replaced: records go to root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# RGPD: a candidate's personal data is anonymised RETENTION_YEARS after the end (jury decision or closure) of their
# last dossier (cqp/personal_data.py, daily job). Fiches de décision and certificates are kept.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)
if RETENTION_YEARS < 1:
    raise ImproperlyConfigured("RETENTION_YEARS doit valoir au moins 1 (années).")

# Benchmark only (make bench): /bench/bare/ and per-response server time and query count (cqp/bench.py).
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)
if BENCH_VIEWS:
    MIDDLEWARE.insert(0, "cqp.bench.BenchMiddleware")

# Where the référentiel YAML files live.
REFERENTIELS_DIR = BASE_DIR / "fixtures" / "referentiels"
