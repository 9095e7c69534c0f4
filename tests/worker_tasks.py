"""Tasks registered only in the test workers (``celery -A cqp worker ... -I tests.worker_tasks``)."""

import time

from celery import shared_task


@shared_task
def task_slow_document(*, seconds):
    """Stands for a long PDF build on the "documents" queue (sent there with ``apply_async(queue="documents")``)."""
    time.sleep(seconds)
    return seconds


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    retry_on_worker_lost=True,
    default_retry_delay=1,
    max_retries=2,
)
def task_dies_every_time(self, *, marker):
    """Kills its own process each time, as a document that exhausts the memory would (settings.WORKER_LOST_RETRY)."""
    import os
    import signal

    with open(marker, "a") as fh:
        fh.write(f"{self.request.retries}\n")
    os.kill(os.getpid(), signal.SIGKILL)
