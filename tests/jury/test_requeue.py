"""Documents left pending (a lost message, a build killed by its time limit, a broker down at signing) are queued again
by the beat job, once per threshold, and given up (failed, visible) after 24 hours."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail

from jury import documents, workflow
from jury.enums import FicheState, PdfStatus
from jury.models import FicheDecision
from jury.tasks import task_build_fiche, task_requeue_pending_documents, task_send_convocation
from pilotage.beat import BEAT_SCHEDULE

from .conftest import PARIS, all_units, at, planned_session, ready_dossier

SIGNED_AT = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def minutes(n):
    return SIGNED_AT + datetime.timedelta(minutes=n)


def sweep(now):
    """The beat job at ``now``, the clock of the tasks it runs (and of the « sent » records' expiry) set there too."""
    with time_machine.travel(now, tick=False):
        return documents.requeue_pending_documents(
            now=now, queue_fiche=task_build_fiche.delay, queue_convocation=task_send_convocation.delay
        )


@pytest.fixture
def lost_fiche(open_session_with, members):
    """A signed fiche whose build was queued on commit, but the message never reached a worker (not executed)."""
    session, (candidate,) = open_session_with(("cos", None))
    with at(2026, 11, 23, 10, 0):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        workflow.sign_fiche(fiche, by=members["emp1"])  # on_commit not run: the build is lost
    fiche.refresh_from_db()
    assert fiche.pdf_status == PdfStatus.PENDING and not fiche.pdf
    mail.outbox.clear()
    return fiche


def test_the_beat_schedule_runs_the_requeue_every_five_minutes():
    entry = BEAT_SCHEDULE["requeue-pending-documents-every-5-minutes"]
    assert entry["task"] == task_requeue_pending_documents.name
    assert entry["schedule"].minute == set(range(0, 60, 5))


@pytest.mark.parametrize("after, queued", [(5, False), (14, False), (16, True), (60 * 23, True)])
def test_a_pending_fiche_is_queued_again_after_the_threshold(lost_fiche, settings, on_commit, after, queued):
    settings.DOCUMENT_REQUEUE_MINUTES = 15
    with on_commit():
        report = sweep(minutes(after))
    lost_fiche.refresh_from_db()
    assert (report["fiches"] == [lost_fiche.pk]) is queued
    assert (lost_fiche.pdf_status == PdfStatus.READY) is queued  # tasks run in-process in these tests
    assert len(mail.outbox) == (1 if queued else 0)


def test_the_built_fiche_is_not_queued_again_nor_mailed_twice(lost_fiche, on_commit):
    with on_commit():
        sweep(minutes(16))
    with on_commit():
        assert sweep(minutes(40)) == {"fiches": [], "convocations": [], "failed": []}
    lost_fiche.refresh_from_db()
    assert lost_fiche.pdf_status == PdfStatus.READY and lost_fiche.mailed_at is not None
    assert len(mail.outbox) == 1


def test_a_fiche_is_queued_again_once_per_threshold(lost_fiche):
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:  # the re-queued message is lost too
        sweep(minutes(16))
        sweep(minutes(21))  # the next beat run: not again so soon
        assert delay.call_args_list == [mock.call(fiche_id=lost_fiche.pk)]
    lost_fiche.refresh_from_db()
    assert lost_fiche.pdf_status == PdfStatus.PENDING


def test_a_fiche_pending_for_a_day_is_marked_failed_for_the_oemm(lost_fiche):
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:
        report = sweep(SIGNED_AT + datetime.timedelta(hours=25))
    assert report["failed"] == [lost_fiche.pk] and not delay.called
    lost_fiche.refresh_from_db()
    assert lost_fiche.pdf_status == PdfStatus.FAILED and "24 heures" in lost_fiche.pdf_error
    assert lost_fiche.state == FicheState.SIGNEE  # only the PDF bookkeeping changed


def test_pending_since_counts_from_the_rebuild_request(open_session_with, members, oemm, on_commit):
    session, (candidate,) = open_session_with(("cos", None))
    with at(2026, 11, 23, 10, 0), on_commit():
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        workflow.sign_fiche(fiche, by=members["emp1"])
    with at(2026, 11, 25, 9, 0):
        workflow.request_fiche_pdf(fiche, by=oemm)  # its build lost again (on_commit not run)
    requested = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=PARIS)
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:
        sweep(requested + datetime.timedelta(minutes=10))
        assert not delay.called  # signed two days ago, but asked again only 10 minutes ago
        sweep(requested + datetime.timedelta(minutes=16))
        assert delay.call_args_list == [mock.call(fiche_id=fiche.pk)]


def test_a_draft_fiche_is_never_queued(open_session_with, members):
    session, (candidate,) = open_session_with(("cos", None))
    with at(2026, 11, 23, 10, 0):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    FicheDecision.objects.filter(pk=fiche.pk).update(pdf_status=PdfStatus.PENDING)
    assert sweep(minutes(60))["fiches"] == []


def test_the_current_convocation_of_a_coming_session_is_queued_again(referentiels, oemm, on_commit):
    with at(2026, 9, 1):
        first, second = ready_dossier("cos", by=oemm), ready_dossier("cos", by=oemm)
        session = planned_session(by=oemm, codes=["cos"], dossiers=[first, second])
    c1, c2 = session.ordered_candidates()
    with at(2026, 9, 1, 10, 0):
        lost_v1 = workflow.convoke(c1, by=oemm)  # its build is lost
    with at(2026, 9, 1, 10, 5):
        # The session moves: a version 2 for the first candidate, lost too.
        workflow.reschedule_session(
            session,
            by=oemm,
            date=datetime.date(2026, 11, 24),
            start_time=datetime.time(14),
            place=session.place,
            capacity=8,
        )
    with at(2026, 9, 1, 10, 6), on_commit():
        delivered = workflow.convoke(c2, by=oemm)
    lost_v2 = c1.convocations.get(version=2)
    delivered.refresh_from_db()
    assert delivered.mailed_at and lost_v1.mailed_at is None and lost_v2.mailed_at is None
    start = datetime.datetime(2026, 9, 1, 10, 6, tzinfo=PARIS)
    with mock.patch("jury.tasks.task_send_convocation.delay") as delay:
        report = sweep(start + datetime.timedelta(minutes=16))
    # Only the first candidate's version 2: never the outdated version 1, never one already delivered.
    assert report["convocations"] == [lost_v2.pk]
    assert delay.call_args_list == [mock.call(convocation_id=lost_v2.pk)]


def test_no_convocation_is_queued_for_a_past_session(referentiels, oemm):
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], dossiers=[ready_dossier("cos", by=oemm)])
    with at(2026, 9, 1, 10, 0):
        workflow.convoke(session.candidates.get(), by=oemm)  # lost
    with mock.patch("jury.tasks.task_send_convocation.delay") as delay:
        sweep(datetime.datetime(2026, 11, 24, 6, 0, tzinfo=PARIS))
    assert not delay.called


def test_the_task_reports_counts(lost_fiche):
    with at(2026, 11, 23, 10, 20):
        assert task_requeue_pending_documents.delay().get() == {"fiches": 1, "convocations": 0, "failed": 0}


def test_a_fiche_whose_email_was_never_queued_is_queued_again(open_session_with, members, on_commit):
    """The worker died between the commit (PDF stored, mailed_at recorded) and the queueing of the e-mail."""
    session, (candidate,) = open_session_with(("cos", None))
    with at(2026, 11, 23, 10, 0):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        with on_commit():
            workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    assert fiche.pdf_status == PdfStatus.READY and fiche.mailed_at and len(mail.outbox) == 1
    # Sent: nothing to do, ever.
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:
        sweep(minutes(30))
    assert not delay.called
    # The same fiche, its e-mail lost (before the outbox, the e-mail was queued after the commit): no row, no record.
    from django.core.cache import caches

    from cqp.models import OutboundEmail

    def lose_the_email():
        OutboundEmail.objects.filter(key=f"jury_decision:{fiche.pk}").delete()
        caches["idempotence"].delete(f"mail-sent:jury_decision:{fiche.pk}")

    lose_the_email()
    mail.outbox.clear()
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:
        sweep(minutes(10))  # too early: maybe still in the mail queue
        assert not delay.called
    with on_commit():
        report = sweep(minutes(30))
    assert report["fiches"] == [fiche.pk] and len(mail.outbox) == 1  # built again, mailed once
    mail.outbox.clear()
    with on_commit():
        sweep(minutes(60))
    assert mail.outbox == []
    # After a day, no more (REQUEUE_WINDOW): an e-mail sent by hand is not sent again.
    lose_the_email()
    with mock.patch("jury.tasks.task_build_fiche.delay") as delay:
        sweep(SIGNED_AT + datetime.timedelta(days=2))
    assert not delay.called
