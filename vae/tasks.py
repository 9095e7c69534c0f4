"""Thin Celery tasks of the VAE app."""

from celery import shared_task
from django.utils import timezone


@shared_task
def task_apply_tacit_acceptance():
    """Daily: silence at the end of the instruction delay means acceptance where the CQP says so."""
    from .workflow import apply_tacit_acceptance

    return apply_tacit_acceptance(timezone.localdate())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def task_notify_recevabilite_decision(*, livret_id):
    """Builds the notification PDF and e-mails it to the candidate."""
    from . import emails
    from .models import Livret1

    livret = Livret1.objects.select_related("dossier__candidate", "dossier__certification", "referentiel").filter(pk=livret_id).first()
    if livret is None:
        return None
    emails.send_recevabilite_decision(livret)
    return livret.pk
