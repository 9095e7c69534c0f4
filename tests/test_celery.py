import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core import mail

from cqp.beat import BEAT_SCHEDULE
from cqp.celery import app
from cqp.mail import queue_mail
from cqp.tasks import task_healthcheck

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def compose_command(service):
    """The command of a docker-compose.yml service, with the virtualenv's executables."""
    import shlex

    import yaml

    with open(os.path.join(PROJECT, "docker-compose.yml")) as fh:
        command = shlex.split(yaml.safe_load(fh)["services"][service]["command"])
    command[0] = os.path.join(os.path.dirname(sys.executable), command[0])
    return command


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for name, entry in BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
    assert app.conf.beat_schedule == BEAT_SCHEDULE


@pytest.mark.django_db(transaction=True)
def test_mails_are_queued_after_commit_and_sent(candidat):
    queue_mail("role_granted", {"user": candidat, "role_label": "Candidat", "invited_by": "OEMM", "link": "x"}, [candidat.email])
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("CQP Mutualité")


def _worker_env(live_db_name):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{live_db_name}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cqp.settings"}


@pytest.fixture
def real_worker(transactional_db):
    if not settings.CELERY_BROKER_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL (run by .ci/run)")
    from django.db import connection

    app.control.purge()
    # The exact command of docker-compose.yml's worker service.
    command = compose_command("worker") + ["--hostname", f"ci-{os.getpid()}@%h"]
    worker = subprocess.Popen(
        command,
        cwd=PROJECT, env=_worker_env(connection.settings_dict["NAME"]),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.mark.worker
def test_a_task_runs_on_a_real_worker_over_redis(real_worker, referentiels_committed):
    assert not app.conf.task_always_eager
    result = task_healthcheck.delay()
    assert result.get(timeout=60) == {"certifications": 4, "users": 1}


@pytest.fixture
def referentiels_committed(transactional_db):
    from django.core.management import call_command

    from tests.factories import UserFactory

    call_command("load_referentiels", verbosity=0)
    UserFactory()
