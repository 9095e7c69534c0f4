"""The cockpit's « Envois » queues (issue 18): e-mails the outbox could not deliver (failed, or pending well past
their attempt) and official documents whose PDF is still being built long after it was asked for. Each summary is a
count query or two, whatever the data."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cqp.outbox import failed_count, pending_count
from cqp.work_queues import QueueSummary, WorkQueue, register_work_queue
from jury.documents import pending_convocations, pending_fiches

ENVOIS = "Envois"


def _emails(today: datetime.date, user=None) -> QueueSummary:
    failed = failed_count()
    return QueueSummary(count=failed + pending_count(late_only=True), overdue=failed)


def _documents(today: datetime.date, user=None) -> QueueSummary:
    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.DOCUMENT_REQUEUE_MINUTES)
    return QueueSummary(count=pending_fiches(now, cutoff).count() + pending_convocations(now, cutoff).count())


def register_delivery_queues() -> None:
    register_work_queue(
        WorkQueue(
            key="emails-non-remis",
            label="E-mails non remis (en échec ou en retard)",
            group=ENVOIS,
            summarize=_emails,
            url=lambda: reverse("oemm_emails"),
            action="Renvoyer",
            order=50,
        )
    )
    register_work_queue(
        WorkQueue(
            key="documents-en-attente",
            label="Fiches et convocations dont le PDF tarde",
            group=ENVOIS,
            summarize=_documents,
            url=lambda: reverse("jury:list"),
            action="Suivre (relance automatique)",
            order=51,
        )
    )
