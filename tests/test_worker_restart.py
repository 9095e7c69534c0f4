"""A worker killed (SIGKILL) in the middle of a task loses nothing: the message, not acked (acks late), is given back
by Redis after the visibility timeout, a new worker runs it, and its effect happens once (the e-mail sent once).

Runs only with CELERY_BROKER_URL and PostgreSQL (marker ``worker``), as tests/test_celery.py.
"""

import os
import signal
import subprocess
import time
import uuid

import pytest
from django.conf import settings

from cqp.celery import app
from tests.test_celery import PROJECT, _worker_env, compose_command

VISIBILITY_TIMEOUT = 5


def _start_worker(tmp_path, db_name, name):
    env = {**_worker_env(db_name), "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
           "EMAIL_URL": f"filemail:///{tmp_path / 'mails'}"}
    command = compose_command("worker") + ["-I", "tests.worker_tasks", "--concurrency", "1", "--hostname", f"{name}-{os.getpid()}@%h"]
    log = open(tmp_path / f"{name}.log", "w")
    # Its own process group: the kill takes the pool process too, as a crash of the container would.
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    pytest.fail(f"timeout: {what}")


def _mails(tmp_path, key):
    folder = tmp_path / "mails"
    if not folder.exists():
        return 0
    return sum(p.read_text(errors="replace").count(f"Subject: Test redelivery {key}") for p in folder.iterdir())


@pytest.mark.worker
def test_a_task_killed_with_its_worker_is_redelivered_and_runs_once(transactional_db, tmp_path):
    if not settings.CELERY_BROKER_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL")
    from django.db import connection

    from tests.worker_tasks import task_slow_mail

    app.control.purge()
    db_name = connection.settings_dict["NAME"]
    key = uuid.uuid4().hex
    first = _start_worker(tmp_path, db_name, "first")
    second = None
    try:
        result = task_slow_mail.delay(marker_dir=str(tmp_path), key=key)
        runs = tmp_path / "runs.log"
        _wait(lambda: runs.exists(), 90, "the first worker starts the task")
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: nothing acked, nothing sent
        first.wait(timeout=30)
        assert _mails(tmp_path, key) == 0

        # Past the visibility timeout before the new worker starts: it restores the unacked message when it
        # connects (kombu also restores periodically, but not at a pace a test can count on).
        time.sleep(VISIBILITY_TIMEOUT + 2)
        second = _start_worker(tmp_path, db_name, "second")
        assert result.get(timeout=120) == 1  # redelivered (visibility timeout) and completed by the new worker
        assert len(runs.read_text().splitlines()) == 2 and _mails(tmp_path, key) == 1

        # The same message delivered once more (a second redelivery, a retry): nothing is sent twice.
        again = task_slow_mail.delay(marker_dir=str(tmp_path), key=key)
        assert again.get(timeout=60) == 0 and _mails(tmp_path, key) == 1
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
