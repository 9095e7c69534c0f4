"""The outbox (cqp/outbox.py): a row per e-mail in the caller's transaction, sent once, retried with backoff, failed at
the end, swept when late, resent by hand."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from cqp import outbox
from cqp.enums import OutboundEmailState
from cqp.exceptions import WorkflowError
from cqp.mail import queue_mail
from cqp.models import OutboundEmail
from cqp.tasks import task_send_mail, task_sweep_outbox

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
SIMPLE = {"to": ["claire@exemple.fr"], "subject": "Objet", "text": "Bonjour", "html": "<p>Bonjour</p>"}


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server refuses connections until ``up()`` is called."""
    original = EmailMultiAlternatives.send
    state = {"down": True, "calls": 0}

    def send(self, *args, **kwargs):
        state["calls"] += 1
        if state["down"]:
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    state["up"] = lambda: state.update(down=False)
    return state


def _row(key="k:1", **kwargs):
    pk = outbox.enqueue(key=key, **{**SIMPLE, **kwargs})
    return OutboundEmail.objects.get(pk=pk)


def test_queue_mail_writes_a_row_in_the_transaction_and_sends_it_after_commit(db, candidat, on_commit):
    with on_commit(), transaction.atomic():
        pk = queue_mail(
            "role_granted",
            {"user": candidat, "role_label": "Candidat", "invited_by": "OEMM", "link": "x"},
            [candidat.email],
            key="role:1",
        )
        row = OutboundEmail.objects.get(pk=pk)
        assert row.state == OutboundEmailState.EN_ATTENTE and mail.outbox == []
    row.refresh_from_db()
    assert row.state == OutboundEmailState.ENVOYE and row.attempts == 1 and row.sent_at
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [candidat.email]
    assert mail.outbox[0].subject == row.subject and row.text_body in mail.outbox[0].body


def test_a_rolled_back_transaction_leaves_no_row_and_no_mail(db, on_commit):
    with on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(key="k:rollback", **SIMPLE)
        raise RuntimeError("la transaction échoue")
    assert not OutboundEmail.objects.exists() and mail.outbox == []


def test_one_email_per_key(db, on_commit):
    with on_commit():
        first = outbox.enqueue(key="k:once", **SIMPLE)
        second = outbox.enqueue(key="k:once", **{**SIMPLE, "subject": "Autre"})
    assert first == second and OutboundEmail.objects.count() == 1 and len(mail.outbox) == 1


def test_the_task_run_twice_sends_once(db):
    row = _row()
    assert task_send_mail.apply(kwargs={"email_id": row.pk}).get() == "sent"
    assert task_send_mail.apply(kwargs={"email_id": row.pk}).get() == "skipped"
    assert task_send_mail.apply(kwargs={"email_id": 999999}).get() == "skipped"  # gone: nothing
    assert len(mail.outbox) == 1


def test_attachments_by_reference_are_read_when_sent(db):
    path = default_storage.save("tests-outbox/fiche.pdf", ContentFile(b"%PDF-1.7 fiche"))
    try:
        row = _row(
            attachments=[
                outbox.stored_attachment(path, "fiche-de-decision.pdf"),
                ("rendez-vous.ics", "QkVHSU46VkNBTEVOREFS", "text/calendar"),
            ]
        )
        assert row.attachments[0] == {"filename": "fiche-de-decision.pdf", "mimetype": "application/pdf", "path": path}
        assert outbox.deliver(row.pk) == "sent"
    finally:
        default_storage.delete(path)
    (message,) = mail.outbox
    assert message.attachments[0][:2] == ("fiche-de-decision.pdf", b"%PDF-1.7 fiche")
    assert message.attachments[1][0] == "rendez-vous.ics"


@pytest.mark.parametrize(
    "attempts, expected",
    [(1, 60), (2, 300), (3, 900), (4, 3600), (5, 10800), (6, 21600), (7, 43200), (8, 86400), (9, None)],
)
def test_the_default_backoff_spans_more_than_a_day(settings, attempts, expected):
    settings.OUTBOX_RETRY_DELAYS = [60, 300, 900, 3600, 10800, 21600, 43200, 86400]
    delay = outbox.retry_delay(attempts)
    assert (delay.total_seconds() if delay else None) == expected
    assert sum(settings.OUTBOX_RETRY_DELAYS) > 24 * 3600


def test_a_failed_attempt_is_retried_with_backoff_then_marked_failed(db, settings, smtp_down):
    settings.OUTBOX_RETRY_DELAYS = [60, 300]
    with time_machine.travel(NOW, tick=False):
        row = _row()
        assert outbox.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.state == OutboundEmailState.EN_ATTENTE and row.attempts == 1
    assert row.next_attempt_at == NOW + datetime.timedelta(seconds=60)
    assert "ConnectionRefusedError" in row.last_error
    # Not due yet: a task run early (redelivered, swept) does not attempt it.
    assert outbox.deliver(row.pk, now=NOW + datetime.timedelta(seconds=30)) == "skipped"
    assert outbox.deliver(row.pk, now=NOW + datetime.timedelta(seconds=61)) == "retry"
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == NOW + datetime.timedelta(seconds=61 + 300)
    assert outbox.deliver(row.pk, now=NOW + datetime.timedelta(seconds=400)) == "failed"
    row.refresh_from_db()
    assert row.state == OutboundEmailState.EN_ECHEC and row.attempts == 3 and row.next_attempt_at is None
    assert outbox.failed_count() == 1 and outbox.pending_count() == 0
    assert outbox.deliver(row.pk, now=NOW + datetime.timedelta(days=3)) == "skipped"  # failed: only by hand
    assert smtp_down["calls"] == 3 and mail.outbox == []
    # Audited: each attempt's outcome, with its reason.
    reasons = [h.history_change_reason for h in row.history.order_by("history_date")]
    assert reasons[-1] == "dernière tentative (3) en échec" and "tentative 1 en échec" in reasons[0]


def test_the_sweep_sends_what_is_overdue_and_leaves_the_rest(db, settings, smtp_down):
    settings.OUTBOX_RETRY_DELAYS = [60]
    settings.OUTBOX_LATE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        lost = _row("k:lost")  # its task never ran (broker down at commit, worker killed)
        fresh_time = NOW + datetime.timedelta(seconds=100)
    OutboundEmail.objects.filter(pk=lost.pk).update(next_attempt_at=NOW)
    fresh = _row("k:fresh")
    OutboundEmail.objects.filter(pk=fresh.pk).update(next_attempt_at=fresh_time)
    smtp_down["up"]()
    report = outbox.sweep(NOW + datetime.timedelta(seconds=130))
    assert report["sent"] == 1 and [m.subject for m in mail.outbox] == ["Objet"]
    assert OutboundEmail.objects.get(pk=lost.pk).state == OutboundEmailState.ENVOYE
    assert OutboundEmail.objects.get(pk=fresh.pk).state == OutboundEmailState.EN_ATTENTE  # its task still has time
    assert outbox.sweep(NOW + datetime.timedelta(seconds=130), late_after=datetime.timedelta(0))["sent"] == 1
    assert outbox.sweep(NOW + datetime.timedelta(seconds=500))["sent"] == 0


def test_the_sweep_task_is_thin(db):
    row = _row()
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    assert task_sweep_outbox.apply(kwargs={}).get()["sent"] == 1


def test_resend_makes_a_failed_email_pending_again_and_sends_it(db, oemm, on_commit):
    row = _row()
    OutboundEmail.objects.filter(pk=row.pk).update(
        state=OutboundEmailState.EN_ECHEC, attempts=9, next_attempt_at=None, failed_at=timezone.now()
    )
    row.refresh_from_db()
    with on_commit():
        outbox.resend(row, by=oemm)
    row.refresh_from_db()
    assert row.state == OutboundEmailState.ENVOYE and row.attempts == 1 and len(mail.outbox) == 1
    audit = row.history.filter(history_change_reason__startswith="renvoyé").get()
    assert audit.history_user == oemm and "En échec" in audit.history_change_reason
    with pytest.raises(WorkflowError, match="déjà « Envoyé »"):
        outbox.resend(row, by=oemm)


def test_counts_for_the_work_queues(db, settings):
    settings.OUTBOX_LATE_SECONDS = 120
    _row("k:a")
    late = _row("k:b")
    OutboundEmail.objects.filter(pk=late.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    failed = _row("k:c")
    OutboundEmail.objects.filter(pk=failed.pk).update(state=OutboundEmailState.EN_ECHEC)
    assert (outbox.pending_count(), outbox.pending_count(late_only=True), outbox.failed_count()) == (2, 1, 1)


def test_sent_emails_are_deleted_after_the_retention_period(db, settings):
    settings.OUTBOX_RETENTION_DAYS = 90
    old, recent, failed = _row("k:old"), _row("k:recent"), _row("k:failed")
    outbox.deliver(old.pk)
    outbox.deliver(recent.pk)
    OutboundEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=91))
    OutboundEmail.objects.filter(pk=failed.pk).update(
        state=OutboundEmailState.EN_ECHEC, created_at=timezone.now() - datetime.timedelta(days=200)
    )
    assert outbox.purge_sent() == 1
    assert set(OutboundEmail.objects.values_list("key", flat=True)) == {"k:recent", "k:failed"}
    assert not OutboundEmail.history.filter(id=old.pk).exists()
