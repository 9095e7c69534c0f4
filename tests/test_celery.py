import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core import mail

from cqp.celery import app
from cqp.mail import queue_mail
from cqp.tasks import task_healthcheck
from pilotage.beat import BEAT_SCHEDULE

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def compose_command(service):
    """The command of a docker-compose.yml service, with the virtualenv's executables."""
    import shlex

    import yaml

    with open(os.path.join(PROJECT, "docker-compose.yml")) as fh:
        command = shlex.split(yaml.safe_load(fh)["services"][service]["command"])
    command[0] = os.path.join(os.path.dirname(sys.executable), command[0])
    return command


def compose_services():
    import yaml

    with open(os.path.join(PROJECT, "docker-compose.yml")) as fh:
        return yaml.safe_load(fh)["services"]


def consumed_queues(service) -> set[str]:
    command = compose_command(service)
    return set(command[command.index("--queues") + 1].split(","))


def project_tasks():
    app.loader.import_default_modules()
    return {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0] in {"cqp", "jury", "vae", "candidates", "referentiels", "pilotage"}
    }


def queue_of(name) -> str:
    route = app.amqp.router.route({}, name)
    return route["queue"].name


def test_every_task_has_a_consumed_queue():
    """Each task of the project goes to a queue that a worker of docker-compose.yml consumes."""
    consumed = set().union(*(consumed_queues(s) for s in compose_services() if s in ("worker", "mail-worker")))
    assert consumed == {"mail", "documents", "default"}
    tasks = project_tasks()
    assert len(tasks) >= 7
    for name in tasks:
        assert queue_of(name) in consumed, name


def test_emails_and_documents_have_their_own_queues():
    assert queue_of("cqp.tasks.task_send_mail") == "mail"
    for name in project_tasks():
        if "mail" in name.rsplit(".", 1)[-1]:
            assert queue_of(name) == "mail", f"{name} sends e-mail: route it to the mail queue"
    for name in (
        "jury.tasks.task_build_fiche",
        "jury.tasks.task_send_convocation",
        "vae.tasks.task_notify_recevabilite_decision",
    ):
        assert queue_of(name) == "documents", name
    for name in (
        "pilotage.tasks.task_run_daily_job",
        "cqp.tasks.task_healthcheck",
        "jury.tasks.task_requeue_pending_documents",
    ):
        assert queue_of(name) == "default", name
    # The mail worker takes nothing but e-mails; the other one never takes e-mails.
    assert consumed_queues("mail-worker") == {"mail"} and "mail" not in consumed_queues("worker")


def test_time_limits_fit_under_the_visibility_timeout():
    """A task acknowledged late must end (hard time limit) and retry (countdown) before Redis would hand its message
    to a second worker; the others are acknowledged when they start."""
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert 300 < visibility <= 900  # minutes, not an hour
    for name, task in project_tasks().items():
        time_limit = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert time_limit and soft and soft < time_limit, name
        if task.acks_late:
            assert time_limit < visibility, name
            assert task.reject_on_worker_lost, f"{name}: acks late but not given back when its process dies"
            assert (task.retry_backoff_max or 0) < visibility, name
    for name in (
        "cqp.tasks.task_send_mail",
        "jury.tasks.task_build_fiche",
        "jury.tasks.task_send_convocation",
        "vae.tasks.task_notify_recevabilite_decision",
    ):
        task = app.tasks[name]
        # A process lost under it: sent again at once, counted as a retry (a poison task stops after max_retries).
        assert task.retry_on_worker_lost and task.default_retry_delay <= 2 and task.max_retries, name
    daily = app.tasks["pilotage.tasks.task_run_daily_job"]
    assert not daily.acks_late and daily.time_limit > visibility
    assert app.tasks["cqp.tasks.task_send_mail"].time_limit <= 120
    assert (
        app.tasks["jury.tasks.task_build_fiche"].acks_late
        and app.tasks["jury.tasks.task_build_fiche"].time_limit == 300
    )


def test_a_visibility_timeout_shorter_than_a_task_is_refused():
    code = "import django; django.setup()"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cqp.settings", "CELERY_VISIBILITY_TIMEOUT": "60"}
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "CELERY_VISIBILITY_TIMEOUT doit dépasser" in out.stderr


def test_beat_touches_its_heartbeat_file(tmp_path):
    from cqp.celery import HeartbeatScheduler

    heartbeat = tmp_path / "schedule.alive"
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    try:
        assert not heartbeat.exists()
        assert 0 <= scheduler.tick() <= 60  # seconds until the next tick: at most the max loop interval
        assert heartbeat.exists()
    finally:
        scheduler.close()
    assert app.conf.beat_scheduler == "cqp.celery:HeartbeatScheduler" and app.conf.beat_max_loop_interval == 60


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for name, entry in BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    assert BEAT_SCHEDULE["daily-job"]["task"] == "pilotage.tasks.task_run_daily_job"


@pytest.mark.worker
def test_the_compose_beat_command_loads_the_schedule(tmp_path):
    """The schedule reaches beat through PilotageConfig.ready() (cqp/celery.py imports no app): the beat command of
    docker-compose.yml, run as is with debug logs, lists every entry of pilotage/beat.py."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (run by .ci/run)")
    import threading

    command = [part.replace("/tmp/celerybeat-schedule", str(tmp_path / "schedule")) for part in compose_command("beat")]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cqp.settings", "LOG_LEVEL": "DEBUG"}
    beat = subprocess.Popen(
        command + ["--loglevel=DEBUG"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines, listed = [], threading.Event()

    def read():
        for line in beat.stdout:
            lines.append(line)
            text = "".join(lines)
            if all(f"<ScheduleEntry: {name} {entry['task']}(" in text for name, entry in BEAT_SCHEDULE.items()):
                listed.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        listed.wait(timeout=60)
    finally:
        beat.terminate()
        beat.wait(timeout=20)
        reader.join(timeout=5)
    output = "".join(lines)
    assert listed.is_set(), output
    assert "Traceback" not in output, output


@pytest.mark.django_db(transaction=True)
def test_mails_are_queued_after_commit_and_sent(candidat):
    queue_mail(
        "role_granted",
        {"user": candidat, "role_label": "Candidat", "invited_by": "OEMM", "link": "x"},
        [candidat.email],
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("CQP Mutualité")


def _worker_env(live_db_name):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{live_db_name}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cqp.settings"}


WORKER_SERVICES = ("worker", "mail-worker")  # together they consume every queue (test_every_task_has_a_consumed_queue)


def start_workers(env, *, name, log_dir=None, services=WORKER_SERVICES, extra=()):
    """The worker commands of docker-compose.yml, each in its own process group (a kill takes its pool too)."""
    workers = {}
    for service in services:
        command = compose_command(service) + [
            "-I",
            "tests.worker_tasks",
            "--hostname",
            f"{service}-{name}-{os.getpid()}@%h",
            *extra,
        ]
        # The worker writes its log there until it is stopped at the end of the session, after this function returns.
        output = open(os.path.join(log_dir, f"{service}.log"), "w") if log_dir else subprocess.DEVNULL  # noqa: SIM115
        workers[service] = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    return workers


def stop_workers(workers):
    import signal

    for worker in workers.values():
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers.values():
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def needs_worker_setup():
    if not settings.CELERY_BROKER_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL (run by .ci/run)")


@pytest.fixture
def real_worker(transactional_db, tmp_path):
    """docker-compose.yml's two workers (documents + default, and mail), over the test's database and Redis."""
    needs_worker_setup()
    from django.db import connection

    app.control.purge()
    workers = start_workers(_worker_env(connection.settings_dict["NAME"]), name="ci", log_dir=str(tmp_path))
    yield workers
    stop_workers(workers)


@pytest.mark.worker
def test_a_task_runs_on_a_real_worker_over_redis(real_worker, referentiels_committed):
    assert not app.conf.task_always_eager
    result = task_healthcheck.delay()
    assert result.get(timeout=60) == {"certifications": 4, "users": 1}


@pytest.mark.worker
def test_an_email_does_not_wait_behind_pdf_builds(real_worker):
    """A backlog on the documents queue (8 builds of 1.5 s for 2 processes) does not hold back an e-mail."""
    from cqp.tasks import task_send_mail
    from tests.worker_tasks import task_slow_document

    builds = [task_slow_document.apply_async(kwargs={"seconds": 1.5}, queue=settings.DOCUMENTS_QUEUE) for _ in range(8)]
    from cqp.outbox import new_row

    row = new_row(
        key=f"test-queues-{os.getpid()}-{time.time_ns()}",
        to=["claire@exemple.fr"],
        subject="Inscription confirmée",
        text="Bonjour",
    )
    row.save()
    sent = task_send_mail.delay(email_id=row.pk)
    # "sent", or "skipped" if the outbox sweep the worker queued when it started took it first: sent either way.
    assert sent.get(timeout=60) in ("sent", "skipped")
    # "skipped": the sweep's task holds the row and may still be sending it; it is sent within moments.
    for _ in range(50):
        row.refresh_from_db()
        if row.state == "envoye":
            break
        time.sleep(0.1)
    assert row.state == "envoye"
    assert sum(build.ready() for build in builds) < len(builds)  # sent while the PDF backlog is still there
    assert [build.get(timeout=60) for build in builds] == [1.5] * 8


@pytest.fixture
def referentiels_committed(transactional_db):
    from django.core.management import call_command

    from tests.factories import UserFactory

    call_command("load_referentiels", verbosity=0)
    UserFactory()
