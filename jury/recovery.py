"""What a documents worker recovers when it starts (cqp/recovery.py): the fiches and convocations still pending."""

from django.conf import settings

from cqp.recovery import register_recovery


def requeue_documents_in_flight() -> dict:
    from .documents import requeue_in_flight
    from .tasks import task_build_fiche, task_send_convocation

    return requeue_in_flight(queue_fiche=task_build_fiche.delay, queue_convocation=task_send_convocation.delay)


register_recovery(settings.DOCUMENTS_QUEUE, requeue_documents_in_flight)
