"""Thin Celery tasks of the jury: they take ids and call the functions of documents.py.

Both document tasks are idempotent (the PDF replaced, the e-mail sent once per key): acknowledged late and given back
to the queue if their process dies (settings: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), on the
"documents" queue (CELERY_TASK_ROUTES), within a time limit far below the broker's visibility timeout.
"""

from celery import shared_task
from django.conf import settings

# A fiche with its certificate takes about 0.2 s; WeasyPrint stuck on a resource is stopped long before the broker's
# visibility timeout (settings.BROKER_VISIBILITY_TIMEOUT) would hand the same message to a second worker.
# A process that dies under the task: the task is sent again at once (1 s), counted as a retry, so that a document
# that kills its process every time stops after max_retries (it stays pending; jury/documents.py takes over).
DOCUMENT_LIMITS = {
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "acks_late": True,
    "reject_on_worker_lost": True,
    **settings.WORKER_LOST_RETRY,
    "retry_backoff": True,
    "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX,
}


@shared_task(autoretry_for=(Exception,), max_retries=3, **DOCUMENT_LIMITS)
def task_build_fiche(*, fiche_id):
    """Build and store the fiche de décision PDF (and the certificate of a validation totale), e-mail it once."""
    from .documents import deliver_fiche

    return deliver_fiche(fiche_id)


@shared_task(autoretry_for=(OSError,), max_retries=5, **DOCUMENT_LIMITS)
def task_send_convocation(*, convocation_id):
    """Build the convocation PDF and .ics and e-mail them to the candidate once."""
    from .documents import deliver_convocation

    return deliver_convocation(convocation_id)


@shared_task(acks_late=False, time_limit=120, soft_time_limit=100)
def task_requeue_pending_documents():
    """Beat, every 5 minutes: queue again the documents whose PDF is still pending (jury/documents.py)."""
    from .documents import requeue_pending_documents

    report = requeue_pending_documents(
        queue_fiche=task_build_fiche.delay, queue_convocation=task_send_convocation.delay
    )
    return {key: len(value) for key, value in report.items()}
