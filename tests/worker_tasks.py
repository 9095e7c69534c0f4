"""A task registered only in the test worker (``celery -A cqp worker -I tests.worker_tasks``): slow on its first
delivery so that the test can kill the worker in the middle of it, then sending its e-mail through cqp.mail.send_once."""

import os
import time
from pathlib import Path

from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def task_slow_mail(self, *, marker_dir, key):
    from cqp.mail import send_once

    runs = Path(marker_dir) / "runs.log"
    with runs.open("a") as fh:
        fh.write(f"{os.getpid()} {self.request.id}\n")
    if len(runs.read_text().splitlines()) == 1:
        time.sleep(120)  # the first delivery: the worker is killed during this sleep
    message = EmailMessage(subject=f"Test redelivery {key}", body="Bonjour", to=["claire@exemple.fr"])
    return send_once(message, key)
