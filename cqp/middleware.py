"""A database outage answers a clean 503 page in French, logged, instead of a 500.

``DatabaseUnavailableMiddleware`` turns an ``OperationalError`` / ``InterfaceError`` raised by a view into the page
``templates/503.html``; ``server_error`` (``handler500``) does the same for one raised by a middleware (the session or
the user read before the view). The page is rendered without a request context: no context processor, so nothing
touches the database. Writes are never half done: the workflow functions run in ``transaction.atomic()``, which
rolls back when the error interrupts them.
"""

import contextlib
import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("cqp.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response(request, exception) -> HttpResponse:
    logger.error(
        "Base de données indisponible pendant %s %s : %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        exception,
        exc_info=exception,
    )
    for connection in connections.all(initialized_only=True):
        # A broken connection is dropped now (outside a transaction): the next request opens a fresh one.
        if connection.in_atomic_block:
            continue
        with contextlib.suppress(DATABASE_ERRORS):
            connection.close_if_unusable_or_obsolete()
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request, exception)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: the 503 page when the uncaught error is a database outage, the usual 500 page otherwise."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable_response(request, exception)
    return defaults.server_error(request, template_name)
