"""Settings of CQP Mutualité, read from the environment (django-environ).

Defaults give an embedded set-up: a SQLite file under ``var/``, Celery tasks
run in-process, e-mails printed on the console. Set ``DATABASE_URL``,
``CELERY_BROKER_URL`` and ``EMAIL_URL`` to use PostgreSQL, Redis with real
workers and SMTP. See README.md.
"""

from datetime import date, timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))  # CI: one per parallel run
VAR_DIR.mkdir(parents=True, exist_ok=True)

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
    # (public: « check --deploy » fails with it when DEBUG is off, cqp/checks.py)
    from cqp.checks import DEVELOPMENT_SECRET_KEY

    SECRET_KEY = DEVELOPMENT_SECRET_KEY
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
    "notifications",  # above the apps whose events it tells the staff (cqp/staff_events.py)
    "messagerie",  # the thread of each dossier: above jury (sharing with a session) and notifications
    "pilotage",  # on top: what spans the apps (README, « Architecture »)
]

MIDDLEWARE = [
    "cqp.health.HealthCheckMiddleware",  # first: GET /health/ answered before HTTPS redirect, session, login, 2FA
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cqp.middleware.DatabaseUnavailableMiddleware",  # database outage: a 503 page in French (templates/503.html)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "cqp.auth_middleware.AuthenticationMiddleware",  # Django's, the person's roles read with them (one query)
    "django.contrib.messages.middleware.MessageMiddleware",
    "cqp.query_params.QueryStringGuardMiddleware",  # %00 in a query string (and the like): a 400 page in French
    "cqp.throttle.LoginThrottleMiddleware",  # an IP past THROTTLE_RATES["login_ip"] failed logins: 429
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
                "notifications.context_processors.bell",
            ],
            "builtins": ["cqp.templatetags.french", "cqp.templatetags.inheritance"],  # {% extends %}: inheritance.py
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

# Login throttling (django-axes): 5 failures for one address from one IP lock that pair for 15 minutes; failures
# are also counted per IP across addresses (THROTTLE_RATES["login_ip"], cqp/throttle.py: password spraying).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cqp.account_views.axes_username"
AXES_LOCKOUT_CALLABLE = "cqp.account_views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address, read by django-ipware (installed: without it axes silently falls back to REMOTE_ADDR).
# Behind a reverse proxy, name the header it sets and the number of proxies that *appended* to it. Caddy
# (docker-compose.yml) replaces any X-Forwarded-For sent by the client with the client's address alone, so:
# AXES_IP_HEADERS=HTTP_X_FORWARDED_FOR,REMOTE_ADDR and AXES_PROXY_COUNT=0 (one address expected, else REMOTE_ADDR).
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
# Static files: hashed names (whitenoise's compressed manifest, cqp/staticfiles.py: long cache, a new name at each
# change) when
# STATIC_MANIFEST=true, which the Docker image sets after running collectstatic at build time. Elsewhere (make run,
# tests) plain names served from the source folders, so that no stale manifest can break a page.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST  # development: static files served even before collectstatic
STORAGES = {
    # Uploaded evidence is private: stored under var/private, never under a
    # public URL, served only by permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "cqp.staticfiles.ManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage",
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Seconds one uploaded pièce may take to be checked (vae/file_checks.py); a file that takes longer is refused.
UPLOAD_CHECK_SECONDS = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# E-mail: console by default, SMTP with EMAIL_URL=smtp://host:port
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that accepts the connection and then hangs cannot hold a worker longer than this (seconds).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Errors (500 pages, failed tasks) mailed to these addresses when set: ADMINS="Nom <adresse>,autre@exemple.fr".
ADMINS = [parseaddr(item) for item in env.list("ADMINS", default=[])]
if any("@" not in address for _, address in ADMINS):
    raise ImproperlyConfigured("ADMINS : adresses e-mail séparées par des virgules (« Nom <adresse> » ou « adresse »).")

# Celery: without a broker, tasks run in-process (eager) when enqueued.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# beat: its scheduler touches "<schedule file>.alive" at every tick, at least once a minute (beat's healthcheck).
CELERY_BEAT_SCHEDULER = "cqp.celery:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60

# Three queues, so that an e-mail never waits behind PDF builds (docker-compose.yml runs one worker for "mail" and
# one for "documents" and "default"; make worker consumes the three). Every e-mail task goes to "mail", every task
# that builds a document (fiche de décision, certificate, convocation, notification of recevabilité) to
# "documents", the rest (daily job, re-queue of pending documents, healthcheck) to "default".
# tests/test_celery.py checks that every task of the project has a route to a queue that a worker consumes.
CELERY_TASK_DEFAULT_QUEUE = "default"
MAIL_QUEUE, DOCUMENTS_QUEUE, DEFAULT_QUEUE = "mail", "documents", "default"
CELERY_TASK_ROUTES = {
    "cqp.tasks.task_send_mail": {"queue": MAIL_QUEUE},
    "cqp.tasks.task_send_mails": {"queue": MAIL_QUEUE},
    "cqp.tasks.task_sweep_outbox": {"queue": MAIL_QUEUE},
    "jury.tasks.task_build_fiche": {"queue": DOCUMENTS_QUEUE},
    "jury.tasks.task_send_convocation": {"queue": DOCUMENTS_QUEUE},
    "vae.tasks.task_notify_recevabilite_decision": {"queue": DOCUMENTS_QUEUE},
}

# Crash recovery. A task is acknowledged once it has run (acks late): if the pool process running it dies (killed,
# out of memory), the worker gives the message back to the queue at once (reject on worker lost; for the document and
# mail tasks, a retry sent at once, see WORKER_LOST_RETRY) and another process runs it; every such task is idempotent (a
# document replaced, an e-mail sent once per key). If the whole
# worker dies, Redis gives its unacknowledged messages back after CELERY_VISIBILITY_TIMEOUT seconds, checked by
# every worker about every 30 s (unacked_restore_interval x throttle). So the visibility timeout must be longer
# than any acks-late task can run (its hard time limit) or wait (a retry's countdown), or a running task would be
# handed to a second worker. Hard limit: the pool process is killed; soft limit: the task gets an exception first.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
MAIL_TASK_TIME_LIMIT, MAIL_TASK_SOFT_TIME_LIMIT = 120, 90  # an SMTP exchange is bounded by EMAIL_TIMEOUT
DAILY_TASK_TIME_LIMIT, DAILY_TASK_SOFT_TIME_LIMIT = 3600, 3300
TASK_RETRY_BACKOFF_MAX = 120
# The idempotent tasks whose process dies are sent again at once as a retry (Celery's retry_on_worker_lost): a task
# that kills its process every time (memory) stops after its max_retries instead of looping for ever.
WORKER_LOST_RETRY = {"retry_on_worker_lost": True, "default_retry_delay": 1}
CELERY_TASK_ANNOTATIONS = {
    # Retries of every task wait at most this long: a countdown held by a worker must end before the visibility timeout.
    "*": {"retry_backoff_max": TASK_RETRY_BACKOFF_MAX},
    "cqp.tasks.task_send_mail": {
        "time_limit": MAIL_TASK_TIME_LIMIT,
        "soft_time_limit": MAIL_TASK_SOFT_TIME_LIMIT,
        **WORKER_LOST_RETRY,
    },
    "cqp.tasks.task_send_mails": {
        "time_limit": MAIL_TASK_TIME_LIMIT,
        "soft_time_limit": MAIL_TASK_SOFT_TIME_LIMIT,
        **WORKER_LOST_RETRY,
    },
    "vae.tasks.task_notify_recevabilite_decision": WORKER_LOST_RETRY,
    # The daily job may run longer than the visibility timeout: acknowledged when it starts (not late), so that Redis
    # never hands it to a second worker while it runs. After a crash it is not run again that day: it is idempotent
    # and catches up the next morning, or at once with ``manage.py send_reminders``.
    "pilotage.tasks.task_run_daily_job": {
        "acks_late": False,
        "time_limit": DAILY_TASK_TIME_LIMIT,
        "soft_time_limit": DAILY_TASK_SOFT_TIME_LIMIT,
    },
}
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
if max(CELERY_TASK_TIME_LIMIT, MAIL_TASK_TIME_LIMIT, TASK_RETRY_BACKOFF_MAX) >= BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT doit dépasser la durée maximale d'une tâche ({CELERY_TASK_TIME_LIMIT} s), "
        "sinon une tâche en cours serait confiée à un second worker."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 3,
}
# Documents (fiches de décision with their certificate, convocations) whose PDF is still pending after this many
# minutes are queued again by the beat job jury.tasks.task_requeue_pending_documents (a lost message, a worker killed
# by its hard time limit, a broker down when the document was signed). Longer than the visibility timeout.
DOCUMENT_REQUEUE_MINUTES = env.int("DOCUMENT_REQUEUE_MINUTES", default=15)
if DOCUMENT_REQUEUE_MINUTES * 60 <= BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("DOCUMENT_REQUEUE_MINUTES doit dépasser CELERY_VISIBILITY_TIMEOUT (en minutes).")

# The outbox (cqp/outbox.py): every e-mail is a row, sent once by a task. A failed attempt is retried after these
# delays in seconds (OUTBOX_RETRY_DELAYS=60,300,... ; default 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 24 h: nine
# attempts over about two days), then the e-mail is « en échec » (the OEMM's page, the admins' daily summary).
OUTBOX_RETRY_DELAYS = env.list(
    "OUTBOX_RETRY_DELAYS", cast=int, default=[60, 300, 900, 3600, 10800, 21600, 43200, 86400]
)
if not OUTBOX_RETRY_DELAYS or any(delay <= 0 for delay in OUTBOX_RETRY_DELAYS):
    raise ImproperlyConfigured("OUTBOX_RETRY_DELAYS : des durées en secondes, positives, séparées par des virgules.")
# A retry sooner than this is a task with a countdown (held by the worker: below the visibility timeout); a later one
# is sent by the sweep (beat, every minute) once due.
OUTBOX_COUNTDOWN_MAX = min(300, BROKER_VISIBILITY_TIMEOUT // 2)
# The sweep sends the pending e-mails overdue by this long (seconds): their task was lost, or their retry is left to it.
OUTBOX_LATE_SECONDS = env.int("OUTBOX_LATE_SECONDS", default=120)
OUTBOX_SWEEP_SECONDS = 50  # one sweep sends for at most this long (it runs every minute)
OUTBOX_SWEEP_LIMIT = 2000  # rows read by one sweep
OUTBOX_TASK_BATCH = 100  # e-mails per task when many are written at once (the daily reminders)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)  # sent e-mails are deleted after this

# Throttles (cqp/throttle.py): « N/période » (s, min, h, d; « 30/10min »), counted per IP or per address in the
# « throttle » cache. THROTTLE_RATES=signup_ip=20/h,verify_ip=60/h overrides some; THROTTLE_ENABLED=false (tests only).
THROTTLE_ENABLED = env.bool("THROTTLE_ENABLED", default=True)
THROTTLE_RATES = {
    "signup_ip": "30/h",  # sign-up forms posted from one IP (a training centre's room behind one address)
    "signup_email": "3/h",  # sign-ups for one address (each sends an e-mail to it)
    "password_reset_ip": "20/h",
    "password_reset_email": "3/h",
    "verify_ip": "30/10min",  # the public certificate verification page, per IP
    "login_ip": "15/15min",  # failed logins from one IP, whatever the address (django-axes: 5 per address and IP)
    **env.dict("THROTTLE_RATES", default={}),
}
try:
    from cqp.throttle import parse_rate

    for _rule, _rate in THROTTLE_RATES.items():
        parse_rate(_rate)
except ValueError as _error:
    raise ImproperlyConfigured(f"THROTTLE_RATES : {_error}") from None

# Idempotence records of the tasks (an e-mail sent once even if its task runs twice): in Redis, shared by the
# workers, when there is a broker; in memory otherwise (tasks then run in-process).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "idempotence": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,
            "KEY_PREFIX": "cqp-idem",
        }
        if CELERY_BROKER_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "idempotence"}
    ),
    # Throttle counters (cqp/throttle.py): shared by the web workers in Redis when there is a broker.
    "throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,
            "KEY_PREFIX": "cqp-throttle",
        }
        if CELERY_BROKER_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
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
# The probes of /health/ are not logged as requests (cqp/health.py). Errors of pages and tasks are also mailed to
# ADMINS when it is set, masked and without the request's data (cqp/error_reporting.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "cqp.logging.PersonalDataFilter"},
        "not_health_probe": {"()": "cqp.health.HealthRequestFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "mail_admins": {
            "level": "ERROR",
            "class": "cqp.error_reporting.AdminEmailHandler",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django's default handlers (unfiltered console in DEBUG, Django's mail_admins) are replaced: records go to
        # root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {
            "handlers": ["mail_admins"],
            "filters": ["not_health_probe"],
            "level": "INFO",
            "propagate": True,
        },
        "django.server": {"handlers": [], "filters": ["not_health_probe"], "level": "INFO", "propagate": True},
        "celery.app.trace": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
    },
}
EMAIL_SUBJECT_PREFIX = "[CQP Mutualité] "

# Sentry (sentry-sdk), only when SENTRY_DSN is set: errors of pages and tasks, without personal data.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from cqp.error_reporting import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
    )
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Backups (manage.py backup / restore, make backup, the backup service of docker-compose.yml; cqp/backup.py).
BACKUP_DIR = env("BACKUP_DIR", default=str(VAR_DIR / "backups"))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)

# RGPD: a candidate's personal data is anonymised RETENTION_YEARS after the end (jury decision or closure) of their
# last dossier (pilotage/personal_data/, daily job). Fiches de décision and certificates are kept.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)
# The certifier's identifiers in the register of certified holders (« accrochage certificateur », Caisse des Dépôts):
# pilotage/register/. Empty XML schema: the register exports CSV only.
ACCROCHAGE_CERTIFIER_ID = env("ACCROCHAGE_CERTIFIER_ID", default="")
ACCROCHAGE_CERTIFIER_NAME = env("ACCROCHAGE_CERTIFIER_NAME", default="CPNEFP Mutualité (OEMM)")
ACCROCHAGE_XML_SCHEMA = env("ACCROCHAGE_XML_SCHEMA", default="")
if RETENTION_YEARS < 1:
    raise ImproperlyConfigured("RETENTION_YEARS doit valoir au moins 1 (années).")

# Legal pages (cqp/legal_views.py): publisher, host, contacts (LEGAL_<KEY>; empty: « sur demande »), statement date.
_LEGAL = {"PUBLISHER_NAME": "Observatoire de l'emploi et des métiers en Mutualité (OEMM), pour la CPNEFP Mutualité"}
_LEGAL |= {"CONTACT_EMAIL": "contact@cqp-mutualite.fr"} | dict.fromkeys(("DPO_EMAIL", "CONTACT_PHONE", "HOST_NAME"), "")
_LEGAL |= dict.fromkeys(("PUBLISHER_ADDRESS", "PUBLISHER_DIRECTOR", "HOST_ADDRESS", "HOST_PHONE"), "")
globals().update({f"LEGAL_{key}": env(f"LEGAL_{key}", default=value) for key, value in _LEGAL.items()})
ACCESSIBILITY_STATEMENT_DATE = date.fromisoformat(env("ACCESSIBILITY_STATEMENT_DATE", default="2026-12-04"))
LIST_COUNT_ESTIMATE_THRESHOLD = 10_000  # a whole list beyond: PostgreSQL's estimate, « environ … » (cqp/pagination.py)
# Benchmark only (make bench): bare views, server time and query count (cqp/bench.py), admin changelist to compare.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)
if BENCH_VIEWS:
    MIDDLEWARE.insert(0, "cqp.bench.BenchMiddleware")

REFERENTIELS_DIR = BASE_DIR / "fixtures" / "referentiels"
CERTIFIERS_FILE = BASE_DIR / "fixtures" / "certifiers.yaml"

# The electronic seal (PAdES) of the fiche de décision and the certificate (jury/sealing.py). Production: the
# certifier's key and certificate (PEM) on the server, paths in the environment; development: `make run` writes a
# self-signed pair under var/seal/ (manage.py make_seal_certificate). Unset or missing files: documents unsealed.
SEAL_KEY_FILE = env("SEAL_KEY_FILE", default=str(VAR_DIR / "seal" / "key.pem"))
SEAL_CERT_FILE = env("SEAL_CERT_FILE", default=str(VAR_DIR / "seal" / "cert.pem"))
SEAL_KEY_PASSPHRASE = env("SEAL_KEY_PASSPHRASE", default="")
SEAL_SIGNER_NAME = env("SEAL_SIGNER_NAME", default="Plateforme CQP Mutualité")
