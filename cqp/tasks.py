"""Thin Celery tasks of the core."""

import base64
import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def task_send_mail(*, subject, text, html, to, attachments=()):
    """Send one rendered e-mail. Attachments are (filename, base64 content, mimetype)."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, base64.b64decode(content), mimetype)
    message.send()
    return len(to)


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
