"""A worker that starts re-queues the work left in flight (cqp/recovery.py, jury/recovery.py): at once, whatever its
age, without waiting for the broker's visibility timeout; done twice, it is done once."""

import datetime
from types import SimpleNamespace
from unittest import mock

import time_machine
from django.core import mail

from cqp import recovery
from cqp.celery import _recover_work_in_flight
from cqp.models import OutboundEmail
from cqp.outbox import enqueue
from jury import documents
from jury.enums import PdfStatus
from jury.recovery import requeue_documents_in_flight

from .conftest import PARIS
from .test_requeue import lost_fiche  # noqa: F401  (fixture)

SIGNED_AT = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def test_each_queue_has_its_recovery():
    assert recovery._recoveries["documents"] == [recovery.requeue_outbox, requeue_documents_in_flight]
    assert recovery._recoveries["mail"] == [recovery.requeue_outbox]


def test_a_documents_worker_that_starts_queues_every_pending_document_at_once(lost_fiche, on_commit):  # noqa: F811
    one_minute_later = SIGNED_AT + datetime.timedelta(minutes=1)  # far before DOCUMENT_REQUEUE_MINUTES
    queued = []
    report = documents.requeue_in_flight(
        one_minute_later, queue_fiche=lambda **kw: queued.append(kw), queue_convocation=lambda **kw: None
    )
    assert report == {"fiches": 1, "convocations": 0} and queued == [{"fiche_id": lost_fiche.pk}]
    # A day later it is not in flight any more: the beat job has marked it failed for the OEMM.
    assert documents.requeue_in_flight(
        SIGNED_AT + datetime.timedelta(days=2), queue_fiche=queued.append, queue_convocation=queued.append
    ) == {"fiches": 0, "convocations": 0}


def test_recovered_twice_the_fiche_is_built_and_mailed_once(lost_fiche, on_commit):  # noqa: F811
    from jury.tasks import task_build_fiche

    with time_machine.travel(SIGNED_AT + datetime.timedelta(minutes=1), tick=False):
        with on_commit():
            assert requeue_documents_in_flight() == {"fiches": 1, "convocations": 0}  # the restarted worker
        with on_commit():
            task_build_fiche.delay(fiche_id=lost_fiche.pk)  # the dead worker's message, given back by Redis later
    lost_fiche.refresh_from_db()
    assert lost_fiche.pdf_status == PdfStatus.READY and len(mail.outbox) == 1
    assert OutboundEmail.objects.filter(key=f"jury_decision:{lost_fiche.pk}").count() == 1


def test_the_worker_ready_signal_runs_the_recoveries_of_the_queues_it_consumes(db):
    pk = enqueue(key="in-flight", to=["claire@exemple.fr"], subject="Objet", text="Bonjour")  # its task was lost
    sender = SimpleNamespace(
        app=SimpleNamespace(amqp=SimpleNamespace(queues=SimpleNamespace(consume_from={"mail": 1})))
    )
    # The handler closes the worker's connections when it is done: kept open here, the test's own (PostgreSQL).
    with (
        mock.patch("jury.recovery.requeue_documents_in_flight") as documents_recovery,
        mock.patch("django.db.connections.close_all") as close_all,
    ):
        _recover_work_in_flight(sender=sender)
    assert close_all.called
    assert not documents_recovery.called  # not a documents worker
    assert OutboundEmail.objects.get(pk=pk).state == "envoye" and len(mail.outbox) == 1  # swept at once (eager)


def test_a_failing_recovery_does_not_stop_the_others(caplog):
    calls = []

    def broken():
        raise RuntimeError("base indisponible")

    def fine():
        calls.append(1)
        return "ok"

    with mock.patch.dict(recovery._recoveries, {"q1": [broken], "q2": [fine]}, clear=True):
        results = recovery.recover({"q1", "q2"})
    assert calls == [1] and list(results.values()) == ["ok"] and "base indisponible" in caplog.text


def test_a_fiche_whose_email_row_was_written_but_its_task_lost_is_sent_by_the_redelivered_task(
    open_session_with, members, on_commit, monkeypatch
):
    """The process died between the commit (PDF, mailed_at and the outbox row) and the queueing of the e-mail's task:
    the row waits, pending. The redelivered build task queues its task again (no new row): sent once."""
    from jury import workflow
    from jury.tasks import task_build_fiche

    from .conftest import all_units

    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    mail.outbox.clear()
    with monkeypatch.context() as patched:
        patched.setattr("cqp.outbox.queue_on_commit", lambda ids: None)  # killed before the task was queued
        with on_commit():
            workflow.sign_fiche(fiche, by=members["emp1"])
    row = OutboundEmail.objects.get(key=f"jury_decision:{fiche.pk}")
    assert row.state == "en_attente" and mail.outbox == []
    for _ in range(2):  # the redelivery, then another run: one e-mail, one row
        with on_commit():
            task_build_fiche.apply(kwargs={"fiche_id": fiche.pk})
    assert len(mail.outbox) == 1 and OutboundEmail.objects.filter(key=row.key).count() == 1


def test_the_beat_job_does_not_rebuild_a_fiche_whose_email_waits_in_the_outbox(
    open_session_with, members, on_commit, monkeypatch
):
    """The mail server down for hours: the e-mail is pending in the outbox (its retries, the sweep); the documents'
    beat job leaves the fiche alone instead of rebuilding it every 15 minutes."""
    from jury import workflow
    from jury.tasks import task_build_fiche, task_send_convocation

    from .conftest import all_units

    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    with monkeypatch.context() as patched:
        patched.setattr("cqp.outbox.queue_on_commit", lambda ids: None)
        with on_commit():
            workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    later = fiche.mailed_at + datetime.timedelta(minutes=30)
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:
        report = documents.requeue_pending_documents(
            later, queue_fiche=task_build_fiche.delay, queue_convocation=task_send_convocation.delay
        )
    assert report["fiches"] == [] and not delay.called
    assert OutboundEmail.objects.get(key=f"jury_decision:{fiche.pk}").state == "en_attente"
