"""Thin Celery tasks of the core."""

from celery import shared_task
from django.conf import settings


@shared_task
def task_send_mail(*, email_id):
    """Send one e-mail of the outbox by its id (cqp/outbox.py: once, retried with backoff, failed at the end)."""
    from .outbox import deliver

    return deliver(email_id)


@shared_task
def task_send_mails(*, email_ids):
    """Send a batch of e-mails of the outbox (the daily reminders), one after the other, each once."""
    from .outbox import deliver_many

    return deliver_many(email_ids)


@shared_task(
    acks_late=False, time_limit=settings.OUTBOX_SWEEP_SECONDS + 60, soft_time_limit=settings.OUTBOX_SWEEP_SECONDS + 30
)
def task_sweep_outbox(*, late_seconds=None):
    """Beat, every minute (pilotage/beat.py), and a worker that starts (cqp/recovery.py): send the pending e-mails
    whose attempt is overdue (a retry left to the sweep, a lost task)."""
    import datetime

    from .outbox import sweep

    late_after = None if late_seconds is None else datetime.timedelta(seconds=late_seconds)
    return sweep(late_after=late_after)


@shared_task
def task_healthcheck():
    """Proves a worker reaches the database: returns what it reads there."""
    from referentiels.models import Certification

    from .models import User

    return {"certifications": Certification.objects.count(), "users": User.objects.count()}
