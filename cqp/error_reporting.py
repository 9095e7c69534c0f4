"""Error reporting without personal data: Sentry when ``SENTRY_DSN`` is set, and the error e-mail to ``ADMINS``.

Sentry (sentry-sdk): ``send_default_pii=False`` (no user, no IP, no cookie), no request body, no local variables of
the stack frames (a name cannot be recognised in them), and every string of an event or a breadcrumb goes through
the mask of the logs (cqp/logging.py: e-mail addresses and phone numbers). Nothing is sent without ``SENTRY_DSN``.

The e-mail to ``ADMINS`` (Django's error mail of a 500 page or a failed task) carries the masked message and
traceback only: Django's own error mail would add the request's POST data, cookies and headers.
"""

import logging

from .logging import mask_personal_data


def scrub(value):
    """Every string of a (nested) Sentry event masked; other values unchanged."""
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(item) for item in value)
    return value


def before_send(event, hint):
    event = scrub(event)
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "env"):
            request.pop(key, None)
    return event


def before_breadcrumb(crumb, hint):
    return scrub(crumb)


def init_sentry(dsn: str, *, environment: str, release: str | None = None, transport=None) -> None:
    """Called by settings.py when SENTRY_DSN is set (``transport``: tests capture the events instead of sending)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        traces_sample_rate=None,  # errors only, no performance tracing
        integrations=[DjangoIntegration(), CeleryIntegration()],
        transport=transport,
    )


class AdminEmailHandler(logging.Handler):
    """Mails an error record to ``settings.ADMINS`` (nothing when empty): its masked message and traceback only.

    A 503 (database outage, failed health probe) is not mailed: the outage would send one e-mail per request.
    """

    _formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        from django.conf import settings
        from django.core.mail import mail_admins

        if not settings.ADMINS or getattr(record, "status_code", None) == 503:
            return
        try:
            message = mask_personal_data(record.getMessage())
            subject = f"{record.levelname} : {message}".replace("\n", " ").replace("\r", " ")[:180]
            body = [message]
            if record.exc_info:
                body.append(mask_personal_data(self._formatter.formatException(record.exc_info)))
            elif record.exc_text:
                body.append(mask_personal_data(record.exc_text))
            body.append(f"Journal : {record.name} — {record.pathname}:{record.lineno}")
            mail_admins(subject, "\n\n".join(body), fail_silently=True)
        except Exception:  # noqa: BLE001 - reporting an error must never raise another one
            self.handleError(record)
