"""Crash recovery on PostgreSQL + Redis with docker-compose.yml's workers: a batch of signed fiches de décision, a
worker
killed (SIGKILL) in the middle of it, and every fiche still built and mailed exactly once.

* The pool processes killed mid-build (what the out-of-memory killer or a crash inside WeasyPrint does): the worker's
  main process gives their messages back to the queue at once (acks late + reject on worker lost) and starts new
  processes; everything is done within a minute, without waiting for any timeout.
* The whole worker killed (main process and pool, as a container that dies) and started again at once: the messages it
  held stay with Redis until the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 10 minutes), but the worker
  that starts re-queues every document still pending and sweeps the outbox (cqp/recovery.py, on ``worker_ready``):
  every fiche is built and mailed once within a minute, nothing waited for; when the held messages do come back, they
  build again without a second e-mail.
* The mail server down for a while, then back: every e-mail written to the outbox meanwhile arrives exactly once
  (retried with a shortened backoff, OUTBOX_RETRY_DELAYS).

Marker ``worker``: run by .ci/run on PostgreSQL with CELERY_BROKER_URL.
"""

import os
import signal
import time
from collections import Counter
from email import message_from_string

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from cqp.celery import app
from cqp.enums import College
from jury import workflow
from jury.enums import PdfStatus
from jury.models import FicheDecision

from .jury.conftest import all_units, at, member, planned_session, ready_dossier
from .test_celery import _worker_env, needs_worker_setup, start_workers, stop_workers

FICHES = 24  # three sessions of 8: the batch keeps both pool processes busy for several seconds


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"après {timeout} s : {what}")


def _signed_batch():
    """Deliberated fiches of FICHES candidates (sessions of 8), ready to be signed one by one."""
    from cqp.enums import Role
    from tests.factories import user_with_role

    call_command("load_referentiels", verbosity=0)
    oemm = user_with_role(Role.OEMM)
    members = {
        "emp1": member(College.EMPLOYEUR, "UGEM"),
        "emp2": member(College.EMPLOYEUR, "UGEM"),
        "sal1": member(College.SALARIE, "CFDT"),
        "sal2": member(College.SALARIE, "CGT"),
    }
    fiches = []
    for code in ("cos", "cmi", "gpac")[: FICHES // 8]:  # one CQP per session: the presidency alternates per CQP
        with at(2026, 9, 1):
            session = planned_session(
                by=oemm, codes=[code], members=members, dossiers=[ready_dossier(code, by=oemm) for _ in range(8)]
            )
        with at(2026, 11, 23, 8, 30):
            workflow.open_session(session, by=oemm, president=members["emp1"])
        with at(2026, 11, 23, 10, 0):
            for candidate in session.ordered_candidates():
                fiches.append(
                    workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
                )
    return fiches, members["emp1"]


def _ready_count(ids):
    return FicheDecision.objects.filter(pk__in=ids, pdf_status=PdfStatus.READY).count()


def _mails_by_recipient(folder):
    """Decision e-mails (« décision du jury ») per recipient, as written by Django's file backend (filemail)."""
    from email.header import decode_header, make_header

    if not folder.exists():
        return Counter()
    counts = Counter()
    for path in folder.iterdir():
        # One file per connection; the messages are separated by a line of dashes.
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "Subject:" not in chunk:
                continue
            message = message_from_string(chunk.strip())
            if "décision du jury" in str(make_header(decode_header(message["Subject"]))):
                counts[message["To"]] += 1
    return counts


def _pool_processes(main_pid) -> list[int]:
    with open(f"/proc/{main_pid}/task/{main_pid}/children") as fh:
        return [int(pid) for pid in fh.read().split()]


def _held_documents(broker) -> int:
    """Messages of the documents queue taken by a worker and not acknowledged (kombu's "unacked" hash)."""
    import json

    return sum(json.loads(value)[2] == "documents" for value in broker.hvals("unacked"))


@pytest.fixture
def workers_env(transactional_db, tmp_path):
    needs_worker_setup()
    import redis

    app.control.purge()
    # « Sent » and « re-queued » records left in Redis by an earlier run: their keys carry fiche ids, which start
    # again from 1 in a new test database.
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for pattern in ("*mail-sent:jury_decision:*", "*document-requeued:fiche:*", "*mail-sent:*"):
        for key in broker.scan_iter(match=pattern):
            broker.delete(key)
    # Messages left unacknowledged by a worker killed in an earlier run would come back into this one.
    broker.delete("unacked", "unacked_index")
    env = {**_worker_env(connection.settings_dict["NAME"]), "EMAIL_URL": f"filemail:///{tmp_path / 'mails'}"}
    started = []
    yield env, started
    for workers in started:
        stop_workers(workers)
    broker.delete("unacked", "unacked_index")


def _start(env, tmp_path, started, name):
    log_dir = tmp_path / name
    log_dir.mkdir()
    workers = start_workers(env, name=name, log_dir=str(log_dir))
    started.append(workers)
    return workers, log_dir


def _sign_all(fiches, president):
    """Signed now (the workers' clock: the beat job compares its dates with the ones they record)."""
    for fiche in fiches:
        workflow.sign_fiche(fiche, by=president)  # autocommit: each build queued on its commit


def _assert_each_built_and_mailed_once(fiches, tmp_path, deadline=None):
    ids = [f.pk for f in fiches]
    assert _ready_count(ids) == FICHES
    recipients = {
        f.session_candidate.dossier.candidate.email
        for f in FicheDecision.objects.filter(pk__in=ids).select_related("session_candidate__dossier__candidate")
    }

    def missing():
        sent = set(_mails_by_recipient(tmp_path / "mails"))
        return [
            (f.pk, f.pdf_status, f.mailed_at)
            for f in FicheDecision.objects.filter(pk__in=ids).select_related("session_candidate__dossier__candidate")
            if f.session_candidate.dossier.candidate.email not in sent
        ]

    deadline = deadline or time.monotonic() + 60
    while missing() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not missing(), "decision e-mails never sent (fiche, PDF, mailed_at)"
    time.sleep(2)  # a duplicate, if any, would be sent by now: the mail queue is empty
    counts = _mails_by_recipient(tmp_path / "mails")
    assert {r: counts[r] for r in recipients} == {r: 1 for r in recipients}
    for fiche in FicheDecision.objects.filter(pk__in=ids):
        with fiche.pdf.open("rb") as fh:
            assert fh.read(5) == b"%PDF-"
        assert fiche.mailed_at is not None


@pytest.mark.worker
def test_pool_processes_killed_mid_batch_lose_and_duplicate_nothing(workers_env, tmp_path):
    env, started = workers_env
    fiches, president = _signed_batch()
    ids = [f.pk for f in fiches]
    workers, log_dir = _start(env, tmp_path, started, "first")
    documents = workers["worker"]
    _wait(lambda: len(_pool_processes(documents.pid)) == 2, 60, "the documents worker's pool is up")
    _sign_all(fiches, president)

    # Kill -9 the pool processes while they build (a few builds done, others waiting); once more if both happened to
    # be between two builds. The main process gives the lost messages back at once and starts new processes.
    killed_mid_task = False
    for _ in range(5):
        _wait(lambda: _ready_count(ids) >= 2, 60, "the first fiches are built")
        if _ready_count(ids) == FICHES:
            break
        for pid in _pool_processes(documents.pid):
            os.kill(pid, signal.SIGKILL)
        _wait(
            lambda: "WorkerLostError" in (log_dir / "worker.log").read_text() or _ready_count(ids) == FICHES,
            10,
            "the worker notices its lost processes",
        )
        if "WorkerLostError" in (log_dir / "worker.log").read_text():
            killed_mid_task = True
            break
    assert killed_mid_task, "no build was interrupted: the batch ended before the kill"
    assert documents.poll() is None  # the main process survived and went on

    _wait(lambda: _ready_count(ids) == FICHES, 60, "every fiche built after the kill (within a minute)")
    _assert_each_built_and_mailed_once(fiches, tmp_path)


@pytest.mark.worker
def test_a_whole_worker_killed_and_restarted_at_once_leaves_nothing_stuck(workers_env, tmp_path):
    import redis

    env, started = workers_env
    fiches, president = _signed_batch()
    ids = [f.pk for f in fiches]
    workers, _ = _start(env, tmp_path, started, "first")
    _wait(lambda: len(_pool_processes(workers["worker"].pid)) == 2, 60, "the documents worker's pool is up")
    _sign_all(fiches, president)
    _wait(lambda: _ready_count(ids) >= 2, 60, "the first fiches are built")
    os.killpg(workers["worker"].pid, signal.SIGKILL)  # main process and pool: like a container that dies
    workers["worker"].wait(timeout=30)

    # Started again at once: it builds what was still queued, and re-queues what the dead worker held (its messages
    # stay with Redis, unacknowledged, until the visibility timeout). Everything done within a minute of the restart.
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    held = _held_documents(broker)
    assert held >= 1, "the worker was killed between two builds: nothing held, nothing to recover"
    restarted_at = time.monotonic()
    restarted = start_workers(env, name="second", log_dir=str(tmp_path / "first"), services=("worker",))
    started.append(restarted)
    _wait(lambda: _ready_count(ids) == FICHES, 60, f"every fiche built after the restart ({held} held by the dead one)")
    _assert_each_built_and_mailed_once(fiches, tmp_path, deadline=restarted_at + 60)
    assert _held_documents(broker) >= 1  # the dead worker's messages were not waited for: still held by Redis

    # Ten minutes later Redis gives the held messages back (done here at once, as its visibility timeout would):
    # they build again, and send nothing twice.
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for tag in broker.hkeys("unacked"):
            channel.qos.restore_by_tag(tag)
    _wait(lambda: broker.hlen("unacked") == 0 and broker.llen("documents") == 0, 60, "the held messages run again")
    time.sleep(2)
    _assert_each_built_and_mailed_once(fiches, tmp_path)


@pytest.mark.worker
def test_a_task_that_kills_its_process_every_time_stops_after_its_retries(workers_env, tmp_path):
    from tests.worker_tasks import task_dies_every_time

    env, started = workers_env
    _start(env, tmp_path, started, "first")
    marker = tmp_path / "runs.txt"
    result = task_dies_every_time.apply_async(kwargs={"marker": str(marker)}, queue=settings.DOCUMENTS_QUEUE)
    _wait(lambda: result.state == "FAILURE", 60, "the task given up after its retries")
    assert marker.read_text().split() == ["0", "1", "2"]  # the first run and max_retries=2 more, each at once
    time.sleep(3)
    assert marker.read_text().split() == ["0", "1", "2"]  # not looping


# ------------------------------------------------------------------------------------------------ mail server outage

OUTAGE_EMAILS = 8


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.worker
def test_emails_queued_during_a_mail_server_outage_arrive_once_when_it_is_back(workers_env, tmp_path):
    """The SMTP sink stopped (connection refused) while e-mails are written to the outbox; the real mail worker tries,
    fails and plans its retries (backoff shortened to seconds); the sink started again: each e-mail arrives once."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    from cqp.enums import OutboundEmailState
    from cqp.models import OutboundEmail
    from cqp.outbox import enqueue

    class Sink(Message):
        def __init__(self):
            super().__init__()
            self.keys = Counter()

        def handle_message(self, message):
            from email.header import decode_header, make_header

            self.keys[str(make_header(decode_header(message["Subject"])))] += 1

    env, started = workers_env
    port = _free_port()
    env = {
        **env,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_TIMEOUT": "5",
        # Shortened backoff: retries after 1, 1, 2, 2, then every 3 seconds, for about a minute.
        "OUTBOX_RETRY_DELAYS": ",".join(["1", "1", "2", "2"] + ["3"] * 18),
    }
    _start(env, tmp_path, started, "mail")
    subjects = [f"Décision n° {i} ({os.getpid()})" for i in range(OUTAGE_EMAILS)]
    for i, subject in enumerate(subjects):  # autocommit: each row committed, its task queued at once
        enqueue(key=f"outage:{os.getpid()}:{i}", to=[f"candidat{i}@exemple.fr"], subject=subject, text="Bonjour")

    def rows():
        return OutboundEmail.objects.filter(key__startswith=f"outage:{os.getpid()}:")

    # Down: every e-mail is tried and refused, more than once, and stays pending (not lost, not failed).
    _wait(lambda: all(r.attempts >= 2 for r in rows()), 60, "each e-mail tried at least twice during the outage")
    assert all(r.state == OutboundEmailState.EN_ATTENTE and "refused" in r.last_error.lower() for r in rows())

    # Back: each arrives, once.
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _wait(
            lambda: rows().filter(state=OutboundEmailState.ENVOYE).count() == OUTAGE_EMAILS,
            60,
            "every e-mail sent once the mail server is back",
        )
        time.sleep(3)  # a duplicate, if any, would have arrived by now
    finally:
        controller.stop()
    assert {subject: sink.keys[subject] for subject in subjects} == {subject: 1 for subject in subjects}
    assert all(r.sent_at and r.attempts >= 3 for r in rows())
