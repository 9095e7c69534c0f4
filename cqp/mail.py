"""Sending templated e-mails, after the transaction commits, through Celery, once.

Every queued e-mail carries an idempotence key: ``task_send_mail`` records the key once the message is handed to the
mail server, and a second run with the same key (a task redelivered after a worker was killed, a retry) sends nothing.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

logger = logging.getLogger(__name__)

SENT_RECORD_SECONDS = 60 * 60 * 24 * 30  # far longer than any redelivery (visibility timeout) or retry


def _render_plain(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: « N'Diaye » stays « N'Diaye », not « N&#x27;Diaye »."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_mail(name: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<name>_subject.txt, <name>.txt (plain text, not escaped) and <name>.html (escaped)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_plain(f"emails/{name}_subject.txt", context).split())
    text = _render_plain(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html


def queue_mail(name: str, context: dict, to: list[str], attachments=None, *, key: str | None = None) -> None:
    """Send the e-mail ``name`` after commit. ``key``: its idempotence key (one e-mail per key); a new one by default."""
    from .tasks import task_send_mail

    subject, text, html = render_mail(name, context)
    key = key or f"{name}:{uuid.uuid4().hex}"
    transaction.on_commit(
        lambda: task_send_mail.delay(subject=subject, text=text, html=html, to=to, attachments=attachments or [], key=key)
    )


def _sent_marker(key: str) -> str:
    return f"mail-sent:{key}"


def already_sent(key: str | None) -> bool:
    return bool(key) and caches["idempotence"].get(_sent_marker(key)) is not None


def send_once(message, key: str | None) -> int:
    """Send ``message`` unless its key was already sent; record the key as soon as the server accepted it.

    A worker killed between the server's acceptance and the record (a few milliseconds) may send it again on
    redelivery: at least once, never lost, and in practice once.
    """
    if already_sent(key):
        logger.info("E-mail %s déjà envoyé : pas de second envoi.", key)
        return 0
    sent = message.send()
    if key:
        caches["idempotence"].set(_sent_marker(key), 1, SENT_RECORD_SECONDS)
    return sent
