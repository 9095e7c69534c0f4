"""End to end: a reminder delivered to a local SMTP sink (aiosmtpd), in-process and through a real worker."""

import datetime as dt
import os
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.utils import timezone

from candidates.deadlines import add_months
from cqp.models import Reminder

from ..factories import OrganismeFactory, user_with_role


class Sink(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, sink
    controller.stop()


def test_a_reminder_reaches_an_smtp_server(db, settings, smtp_sink):
    controller, sink = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    from cqp.enums import Role

    oemm = user_with_role(Role.OEMM)
    OrganismeFactory(name="Institut Gamma", agrement_to=dt.date(2027, 3, 31))
    from .run import send_reminders

    send_reminders(dt.date(2027, 2, 28))
    assert len(sink.messages) == 1
    message = sink.messages[0]
    from email.header import decode_header, make_header

    assert message["To"] == oemm.email
    assert "Institut Gamma" in str(make_header(decode_header(message["Subject"])))


@pytest.mark.worker
def test_the_daily_job_runs_on_a_real_worker_and_mails_through_smtp(transactional_db, smtp_sink):
    from django.conf import settings

    if not settings.CELERY_BROKER_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL (run by .ci/run)")
    import subprocess
    import time

    from django.db import connection

    from cqp.celery import app
    from cqp.enums import Role
    from pilotage.tasks import task_run_daily_job

    from ..test_celery import PROJECT, _worker_env, compose_command

    controller, sink = smtp_sink
    oemm = user_with_role(Role.OEMM)
    OrganismeFactory(name="Institut Delta", agrement_to=add_months(timezone.localdate(), 1))
    env = {**_worker_env(connection.settings_dict["NAME"]), "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}"}
    app.control.purge()
    # The two workers of docker-compose.yml: the job runs on « worker », its e-mail is sent by « mail-worker ».
    workers = [
        subprocess.Popen(
            compose_command(service) + ["--hostname", f"smtp-{service}-{os.getpid()}@%h"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for service in ("worker", "mail-worker")
    ]
    try:
        result = task_run_daily_job.delay().get(timeout=90)
        # The job writes the e-mail to the outbox; the worker's mail task sends it just after: wait for the sink.
        deadline = time.monotonic() + 60
        while not sink.messages and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    assert result["sent"] == 1
    assert Reminder.objects.get().sent_at is not None
    assert [m["To"] for m in sink.messages] == [oemm.email]
