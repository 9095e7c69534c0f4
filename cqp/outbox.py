"""The outbox: every e-mail of the platform is a row (OutboundEmail) written in the transaction of the change that
causes it, then sent by a task that carries only the row's id (cqp/tasks.py).

* **Once**: the idempotence key is unique (a second row with the same key is not written); the sending locks the row
  (``select_for_update(skip_locked=True)``), checks that it is still pending, sends, and marks it sent in the same
  transaction. A task run twice (redelivered after a crash, queued again by the sweep) finds it sent or locked and
  does nothing. Only a worker killed between the mail server's acceptance and the commit (milliseconds) can send it
  twice: at least once, never lost.
* **Retries**: a failed attempt plans the next one after ``settings.OUTBOX_RETRY_DELAYS[attempt - 1]`` seconds
  (1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 24 h: about two days in all); after the last one the e-mail is « en
  échec »: listed on the OEMM's « E-mails en échec » page (pilotage), counted in the admins' daily summary, and sent
  again by hand (``resend``).
* **Nothing lost**: the beat sweep (``sweep``, every minute) sends the pending e-mails whose attempt is due and the
  ones whose task was lost (pending for longer than ``OUTBOX_LATE_SECONDS``); a worker that starts runs it at once
  (cqp/recovery.py), so that a crash is recovered within a minute, not after the broker's visibility timeout.
"""

import base64
import datetime
import logging
import time
import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .enums import OUTBOUND_EMAIL_TRANSITIONS, OutboundEmailState
from .outbox_models import OutboundEmail
from .transitions import check_transition

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 2000


# ------------------------------------------------------------------------------------------------ writing rows


def stored_attachment(path: str, filename: str, mimetype: str = "application/pdf") -> dict:
    """An attachment by reference to a file of the default storage (a FileField's ``name``), read when sent."""
    return {"filename": filename, "mimetype": mimetype, "path": path}


def _attachment(item) -> dict:
    """(filename, base64 content, mimetype), as queue_mail always took them, or a dict (stored_attachment)."""
    if isinstance(item, dict):
        return item
    filename, content, mimetype = item
    return {"filename": filename, "mimetype": mimetype, "content": content}


def new_row(*, key, to, subject, text, html="", attachments=(), now=None, **extra) -> OutboundEmail:
    """An unsaved row, due at once (for bulk_create)."""
    return OutboundEmail(
        key=key or f"mail:{uuid.uuid4().hex}",
        to=list(to),
        subject=subject[:500],
        text_body=text,
        html_body=html,
        attachments=[_attachment(a) for a in attachments or ()],
        next_attempt_at=now or timezone.now(),
        **extra,
    )


def enqueue(*, key, to, subject, text, html="", attachments=(), **extra) -> int | None:
    """Write one row in the caller's transaction; its task is queued once that transaction commits.

    A key already written: nothing (one e-mail per key); returns the existing row's id. No recipient: nothing, None.
    """
    to = [address for address in to if address]
    if not to:
        return None
    row = new_row(key=key, to=to, subject=subject, text=text, html=html, attachments=attachments, **extra)
    OutboundEmail.objects.bulk_create([row], ignore_conflicts=True)
    pk = OutboundEmail.objects.filter(key=row.key).values_list("pk", flat=True).first()
    queue_on_commit([pk])
    return pk


def enqueue_rows(rows: list[OutboundEmail]) -> list[int]:
    """Write many rows at once (a constant number of queries per batch), keys already written skipped; their tasks
    are queued on commit, in batches (``task_send_mails``)."""
    if not rows:
        return []
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    keys = [row.key for row in rows]
    ids = []
    for start in range(0, len(keys), 5000):
        ids += OutboundEmail.objects.filter(
            key__in=keys[start : start + 5000], state=OutboundEmailState.EN_ATTENTE
        ).values_list("pk", flat=True)
    queue_on_commit(ids)
    return ids


def _task(name: str):
    """A task of cqp/tasks.py, found in Celery's registry by name (cqp/tasks.py imports this module)."""
    from celery import current_app

    name = f"cqp.tasks.{name}"
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery), once
    return current_app.tasks[name]


def queue_on_commit(ids) -> None:
    task_send_mail, task_send_mails = _task("task_send_mail"), _task("task_send_mails")
    ids = [pk for pk in ids if pk]
    if not ids:
        return
    if len(ids) == 1:
        transaction.on_commit(lambda: task_send_mail.delay(email_id=ids[0]))
        return
    batch = settings.OUTBOX_TASK_BATCH

    def queue():
        for start in range(0, len(ids), batch):
            task_send_mails.delay(email_ids=ids[start : start + batch])

    transaction.on_commit(queue)


# ------------------------------------------------------------------------------------------------ sending


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """The wait after ``attempts`` failed attempts, or None after the last one (the e-mail is then failed)."""
    delays = settings.OUTBOX_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return datetime.timedelta(seconds=delays[attempts - 1])


def build_message(row: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.text_body, to=row.to, from_email=row.from_email or None
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for item in row.attachments:
        if "path" in item:
            with default_storage.open(item["path"], "rb") as fh:
                content = fh.read()
        else:
            content = base64.b64decode(item["content"])
        message.attach(item["filename"], content, item["mimetype"])
    return message


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__} : {exc}"[:ERROR_MAX_LENGTH]


def deliver(email_id: int, *, now=None, early: bool = False) -> str:
    """Send one pending e-mail once: "sent", "retry" (a later attempt planned), "failed" (the last attempt failed),
    or "skipped" (sent already, failed, being sent by another process, or not yet due unless ``early``)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if row is None or row.state != OutboundEmailState.EN_ATTENTE:
            return "skipped"
        if not early and row.next_attempt_at and row.next_attempt_at > now + datetime.timedelta(seconds=2):
            return "skipped"  # a retry planned for later: its own task, or the sweep, sends it then
        row.attempts += 1
        try:
            build_message(row).send()
        except Exception as exc:  # the mail server down, refusing, or a file gone: recorded, retried later
            row.last_error = _error_text(exc)
            delay = retry_delay(row.attempts)
            if delay is None:
                row.state = check_transition(OUTBOUND_EMAIL_TRANSITIONS, "give_up", row.state, what="l'e-mail")
                row.failed_at, row.next_attempt_at = now, None
                row._change_reason = f"dernière tentative ({row.attempts}) en échec"
                outcome = "failed"
                logger.error("E-mail %s en échec après %s tentatives : %s", row.pk, row.attempts, row.last_error)
            else:
                check_transition(OUTBOUND_EMAIL_TRANSITIONS, "retry_later", row.state, what="l'e-mail")
                row.next_attempt_at = now + delay
                row._change_reason = f"tentative {row.attempts} en échec, nouvelle tentative dans {delay}"
                outcome = "retry"
                logger.warning("E-mail %s : tentative %s en échec (%s)", row.pk, row.attempts, row.last_error)
                _queue_retry(row.pk, delay)
            row.save(update_fields=["attempts", "last_error", "state", "failed_at", "next_attempt_at"])
            return outcome
        row.state = check_transition(OUTBOUND_EMAIL_TRANSITIONS, "send", row.state, what="l'e-mail")
        row.sent_at, row.next_attempt_at = timezone.now(), None
        row._change_reason = "envoyé"
        row.save(update_fields=["attempts", "state", "sent_at", "next_attempt_at"])
    return "sent"


def _queue_retry(pk, delay: datetime.timedelta) -> None:
    """A short wait: the retry is a task with a countdown (held by the worker, so shorter than the broker's
    visibility timeout). A long one: the sweep sends it when due."""
    if delay.total_seconds() < settings.OUTBOX_COUNTDOWN_MAX:
        task_send_mail = _task("task_send_mail")
        transaction.on_commit(
            lambda: task_send_mail.apply_async(kwargs={"email_id": pk}, countdown=delay.total_seconds())
        )


def deliver_many(ids, *, now=None) -> dict:
    report = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for pk in ids:
        report[deliver(pk, now=now)] += 1
    return report


def sweep(now=None, *, late_after: datetime.timedelta | None = None, budget_seconds: float | None = None) -> dict:
    """Send the pending e-mails whose attempt is due for ``late_after`` (default OUTBOX_LATE_SECONDS: their own task
    should have sent them by then; lost, or a retry left to the sweep), oldest first, for at most ``budget_seconds``.
    Rows being sent by a task are skipped (locked), then found sent."""
    now = now or timezone.now()
    late_after = datetime.timedelta(seconds=settings.OUTBOX_LATE_SECONDS) if late_after is None else late_after
    budget = settings.OUTBOX_SWEEP_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    report = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    ids = list(
        OutboundEmail.objects.late(now, late_after)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_LIMIT]
    )
    for pk in ids:
        if time.monotonic() - started > budget:
            break
        report[deliver(pk, now=now)] += 1
    if report["sent"] or report["retry"] or report["failed"]:
        logger.warning("Relève des e-mails en retard : %s", report)
    return report


# ------------------------------------------------------------------------------------------------ OEMM


def resend(email: OutboundEmail, *, by, now=None) -> OutboundEmail:
    """« Renvoyer »: a failed (or late) e-mail is pending again, its attempts counted from zero, due at once; its
    task is queued on commit. Audited (who, when, from, to)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().get(pk=email.pk)
        state_label = row.get_state_display()
        row.state = check_transition(
            OUTBOUND_EMAIL_TRANSITIONS, "resend", row.state, what="cet e-mail", state_label=state_label
        )
        row.attempts, row.next_attempt_at, row.failed_at = 0, now, None
        row._change_reason = f"renvoyé par {by} (était « {state_label} »)"
        row._history_user = by
        row.save(update_fields=["state", "attempts", "next_attempt_at", "failed_at"])
        queue_on_commit([row.pk])
    return row


def failed_count() -> int:
    """E-mails in failure (the OEMM's work queues)."""
    return OutboundEmail.objects.failed().count()


def pending_count(*, late_only: bool = False, now=None) -> int:
    """Pending e-mails; ``late_only``: those whose attempt is overdue by more than OUTBOX_LATE_SECONDS."""
    if late_only:
        now = now or timezone.now()
        return OutboundEmail.objects.late(now, datetime.timedelta(seconds=settings.OUTBOX_LATE_SECONDS)).count()
    return OutboundEmail.objects.pending().count()


def already_handled(key: str) -> bool:
    """An e-mail of this key was sent, or failed after its last attempt (not pending any more)."""
    return OutboundEmail.objects.filter(key=key).exclude(state=OutboundEmailState.EN_ATTENTE).exists()


def purge_sent(now=None) -> int:
    """Sent e-mails older than OUTBOX_RETENTION_DAYS are deleted (their copy holds personal data): the daily job."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    ids = list(
        OutboundEmail.objects.filter(state=OutboundEmailState.ENVOYE, sent_at__lt=cutoff).values_list("pk", flat=True)
    )
    deleted, _ = OutboundEmail.objects.filter(pk__in=ids).delete()
    OutboundEmail.history.filter(id__in=ids).delete()  # with the deletion's own history row
    return deleted


def forget_recipient(email: str) -> int:
    """The copies of the e-mails addressed to ``email`` and their history deleted (the anonymisation of the person):
    the mail server has them or they were never delivered; nothing here may name the person afterwards."""
    if not email:
        return 0
    ids = [
        pk
        for pk, to in OutboundEmail.objects.filter(to__icontains=email).values_list("pk", "to")
        if email.lower() in (address.lower() for address in to)
    ]
    historical = list(OutboundEmail.history.filter(to__icontains=email).values_list("history_id", "to"))
    deleted, _ = OutboundEmail.objects.filter(pk__in=ids).delete()
    OutboundEmail.history.filter(id__in=ids).delete()  # with the deletion's own history row
    OutboundEmail.history.filter(
        history_id__in=[hid for hid, to in historical if email.lower() in (a.lower() for a in to)]
    ).delete()
    return deleted
