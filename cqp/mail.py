"""Templated e-mails, written to the outbox in the caller's transaction and sent once by a task (cqp/outbox.py).

Every e-mail carries an idempotence key (a new one by default): a second ``queue_mail`` with the same key writes
nothing, so a task run twice (a document task redelivered after a crash) queues its e-mail once.
"""

import uuid

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string

from .mail_idempotence import _sent_marker, already_queued, already_sent  # noqa: F401  (their historical home)
from .outbox import enqueue


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


def queue_mail(name: str, context: dict, to: list[str], attachments=None, *, key: str | None = None) -> int | None:
    """Write the e-mail ``name`` to the outbox (in the caller's transaction); it is sent after commit.

    ``key``: its idempotence key (one e-mail per key); a new one by default. ``attachments``: (filename, base64
    content, mimetype) tuples, or files of the storage by reference (cqp.outbox.stored_attachment). Returns the
    row's id.
    """
    subject, text, html = render_mail(name, context)
    return enqueue(
        key=key or f"{name}:{uuid.uuid4().hex}", to=to, subject=subject, text=text, html=html, attachments=attachments
    )
