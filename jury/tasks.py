"""Thin Celery tasks of the jury: they take ids and call the functions of documents.py."""

from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3, acks_late=True)
def task_build_fiche(*, fiche_id):
    """Build and store the fiche de décision PDF (and the certificate of a validation totale), e-mail it once."""
    from .documents import deliver_fiche

    return deliver_fiche(fiche_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def task_send_convocation(*, convocation_id):
    """Build the convocation PDF and .ics and e-mail them to the candidate once."""
    from .documents import deliver_convocation

    return deliver_convocation(convocation_id)
