"""Sending templated e-mails, after the transaction commits, through Celery."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def render_mail(name: str, context: dict) -> tuple[str, str, str]:
    """Render templates/emails/<name>_subject.txt, <name>.txt and <name>.html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html


def queue_mail(name: str, context: dict, to: list[str], attachments=None) -> None:
    from .tasks import task_send_mail

    subject, text, html = render_mail(name, context)
    transaction.on_commit(
        lambda: task_send_mail.delay(subject=subject, text=text, html=html, to=to, attachments=attachments or [])
    )
