"""Thin Celery tasks of the VAE app."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def task_notify_recevabilite_decision(*, livret_id):
    """Builds the notification PDF and e-mails it to the candidate."""
    from . import emails
    from .models import Livret1

    livret = (
        Livret1.objects.select_related("dossier__candidate", "dossier__certification", "referentiel")
        .filter(pk=livret_id)
        .first()
    )
    if livret is None:
        return None
    emails.send_recevabilite_decision(livret)
    return livret.pk
