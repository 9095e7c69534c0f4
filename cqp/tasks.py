"""Thin Celery tasks of the core."""

import base64
import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def task_send_mail(self, *, subject, text, html, to, attachments=(), key=None):
    """Send one rendered e-mail, once per idempotence ``key`` (cqp.mail.send_once): a redelivered or repeated task
    sends nothing twice. Without a key, the task's own id is the key. Attachments are (filename, base64 content, mimetype)."""
    from .mail import send_once

    key = key or self.request.id
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    return len(to) if send_once(message, key) else 0


@shared_task
def task_healthcheck():
    """Proves a worker reaches the database: returns what it reads there."""
    from referentiels.models import Certification

    from .models import User

    return {"certifications": Certification.objects.count(), "users": User.objects.count()}


@shared_task
def task_send_reminders():
    """The daily job: tacit acceptances first (they change what is due), then the reminders."""
    from .daily import run_daily_job

    return run_daily_job()
