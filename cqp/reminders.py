"""The daily reminders job: decide what is due with a bounded number of queries, record, then send.

Idempotent and safe to run twice at once: each (kind, subject, threshold,
recipient) is a row under a unique constraint, inserted with ON CONFLICT DO
NOTHING, then sent under a row lock (select_for_update(skip_locked=True)) that
marks it sent in the same transaction. A failure on one reminder is logged and
does not stop the others.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import reminder_collectors
from .mail import render_mail
from .models import Reminder
from .reminder_rules import THRESHOLDS, current_threshold

logger = logging.getLogger(__name__)


@dataclass
class Due:
    """A deadline of one subject, with who is reminded."""

    kind: str
    subject_key: str
    due_date: datetime.date
    label: str
    url: str
    recipient_ids: list[int]
    context: dict = field(default_factory=dict)


@dataclass
class Report:
    planned: list = field(default_factory=list)  # (Reminder, context) not yet recorded
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    superseded: int = 0


def plan(today: datetime.date) -> list[tuple[Reminder, Due]]:
    rows = []
    for due in reminder_collectors.collect(today):
        threshold = current_threshold(due.due_date, THRESHOLDS[due.kind], today)
        if threshold is None:
            continue
        for recipient_id in sorted(set(due.recipient_ids)):
            rows.append((
                Reminder(kind=due.kind, subject_key=due.subject_key, threshold=threshold, due_date=due.due_date,
                         recipient_id=recipient_id, subject_label=due.label[:300], url=due.url[:300]),
                due,
            ))
    return rows


def _existing_keys(rows):
    keys = {r.subject_key for r, _ in rows}
    existing = set()
    key_list = sorted(keys)
    for start in range(0, len(key_list), 5000):
        existing |= set(
            Reminder.objects.filter(subject_key__in=key_list[start:start + 5000]).values_list(
                "kind", "subject_key", "threshold", "recipient_id"
            )
        )
    return existing


def send_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> Report:
    today = today or timezone.localdate()
    report = Report()
    rows = plan(today)
    existing = _existing_keys(rows) if rows else set()
    new = [(r, due) for r, due in rows if (r.kind, r.subject_key, r.threshold, r.recipient_id) not in existing]
    report.planned = new
    if dry_run:
        return report
    Reminder.objects.bulk_create([r for r, _ in new], ignore_conflicts=True, batch_size=1000)
    contexts = {(r.kind, r.subject_key): due.context for r, due in rows}
    pending = list(Reminder.objects.filter(sent_at__isnull=True, superseded=False).values_list("pk", flat=True))
    for pk in pending:
        try:
            outcome = _send_one(pk, today, contexts)
        except Exception:  # one failure does not stop the others; no personal data in the log
            logger.exception("Rappel %s non envoyé", pk)
            report.failed.append(pk)
            continue
        if outcome == "sent":
            report.sent.append(pk)
        elif outcome == "superseded":
            report.superseded += 1
    return report


@transaction.atomic
def _send_one(pk, today, contexts) -> str:
    reminder = (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",)).select_related("recipient")
        .filter(pk=pk, sent_at__isnull=True, superseded=False).first()
    )
    if reminder is None:
        return "taken"  # sent or being sent by another run
    if current_threshold(reminder.due_date, THRESHOLDS[reminder.kind], today) != reminder.threshold:
        reminder.superseded = True
        reminder.save(update_fields=["superseded"])
        return "superseded"
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    send_reminder_email(reminder, contexts.get((reminder.kind, reminder.subject_key), {}))
    return "sent"


def send_reminder_email(reminder: Reminder, extra: dict):
    """One e-mail per reminder kind: templates/emails/reminder_<kind>.*, sent in the job's transaction."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    from .reminder_rules import describe

    context = {
        "reminder": reminder, "user": reminder.recipient, "link": settings.SITE_URL + reminder.url if reminder.url else settings.SITE_URL,
        "delay": describe(reminder.threshold), **extra,
    }
    subject, text, html = render_mail(f"reminder_{reminder.kind}", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[reminder.recipient.email])
    message.attach_alternative(html, "text/html")
    message.send()
