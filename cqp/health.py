"""``GET /health/``: is this instance able to work? The database, the broker and the private-media storage, checked.

Answers ``200 {"database": "ok", "broker": "ok", "storage": "ok"}``, or ``503`` with ``"error"`` for each part that
failed (the reason goes to the log ``cqp.health``, never into the answer). Without a broker (``CELERY_BROKER_URL``
empty: tasks run in the process) the broker part is ``"absent"``, which is healthy. No personal data, no
authentication, no session: ``HealthCheckMiddleware``, first in ``settings.MIDDLEWARE``, answers the GET and HEAD
of ``/health/`` before the HTTPS redirect, the session, the login and second-factor middlewares and axes; its other
methods go through the whole stack (the CSRF check, then 405). Probes are not written to the access logs: gunicorn's
(``cqp/gunicorn_conf.py``) and Django's (``HealthRequestFilter`` on ``django.request`` and ``django.server``).
"""

import contextlib
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("cqp.health")

HEALTH_PATH = "/health/"
TIMEOUT_SECONDS = 3
OK, ERROR, ABSENT = "ok", "error", "absent"


def check_database() -> str:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "error"; the reason goes to the log
        logger.warning("Contrôle de santé : base de données en échec (%s: %s)", type(exc).__name__, exc)
        with contextlib.suppress(Exception):
            connection.close_if_unusable_or_obsolete()  # the next probe opens a fresh connection
        return ERROR
    return OK


def check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return ABSENT  # tasks run in the process: nothing to reach
    from cqp.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001
        logger.warning("Contrôle de santé : broker injoignable (%s: %s)", type(exc).__name__, exc)
        return ERROR
    return OK


def check_storage() -> str:
    """The private media (uploaded pièces, PDFs) can be written, read back and deleted."""
    name = None
    try:
        name = default_storage.save(f"sante/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        with default_storage.open(name, "rb") as fh:
            if fh.read() != b"ok":
                raise OSError("contenu relu différent")
    except Exception as exc:  # noqa: BLE001
        logger.warning("Contrôle de santé : stockage des fichiers en échec (%s: %s)", type(exc).__name__, exc)
        return ERROR
    finally:
        if name:
            with contextlib.suppress(Exception):
                default_storage.delete(name)
    return OK


@never_cache
@require_safe
def health(request):
    parts = {"database": check_database(), "broker": check_broker(), "storage": check_storage()}
    healthy = all(value in (OK, ABSENT) for value in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)


class HealthCheckMiddleware:
    """First middleware: answers the probes before anything that needs a session, a login or HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)


def is_health_probe(record: logging.LogRecord) -> bool:
    """Whether a log record of ``django.request`` or ``django.server`` is about a probe of /health/."""
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)
    if isinstance(path, str):
        return path == HEALTH_PATH
    # django.server (runserver): the request line is the first argument, e.g. "GET /health/ HTTP/1.1".
    args = record.args if isinstance(record.args, tuple) else ()
    return bool(args) and isinstance(args[0], str) and args[0].split(" ")[1:2] == [HEALTH_PATH]


class HealthRequestFilter(logging.Filter):
    """Drops the probes from Django's request logs (the 503 of a failed probe included: cqp.health logs why)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not is_health_probe(record)
