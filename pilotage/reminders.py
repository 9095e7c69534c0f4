"""The daily reminders job: decide what is due with a bounded number of queries, then record each reminder and write
its e-mail to the outbox, in bulk (cqp/outbox.py sends them).

Each reminder is keyed by (kind, subject, threshold, due date, recipient), a unique constraint: a moved deadline (an
incomplete livret 1 sent again, a first-jury deadline extended) is a new due date, so its thresholds are reminded
again, while the reminders sent for the old date stay recorded. The e-mail's idempotence key is the same tuple.

Per batch of BATCH reminders, a constant number of queries: the recipients read at once, the reminders inserted
(ON CONFLICT DO NOTHING), their e-mails inserted the same way, their ids read back; their sending tasks are queued
when the batch commits (a few e-mails per task). Running the job twice, or twice at once, records and sends nothing
twice (the unique keys).

The OEMM's reminders go into one digest per person and run (pilotage/digest.py): that person's reminders are
recorded and the digest written to the outbox in one transaction; the digest's key names the reminders it carries.
The same digest carries the person's notifications not yet e-mailed (notifications/digest.py): one digest a day per
person, never two; a person with notifications and no reminder gets a digest of notifications alone.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cqp.mail import render_mail
from cqp.models import Reminder, User
from cqp.outbox import enqueue_rows, new_row
from cqp.reminder_registry import Due, oemm_ids, reminder_collectors
from notifications.digest import lock_awaiting, mark_carried, recipients_awaiting
from referentiels.models import Certifier

from .digest import digest_email
from .reminder_rules import THRESHOLDS, current_threshold, describe, farthest_due

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class Report:
    planned: list = field(default_factory=list)  # (Reminder, Due) not yet recorded
    sent: list = field(default_factory=list)  # reminders recorded and written to the outbox (key tuples)
    failed: list = field(default_factory=list)  # reminders whose e-mail could not be prepared (key tuples)
    superseded: int = 0


def reminder_key(reminder: Reminder) -> tuple:
    """What makes a reminder unique (the ``reminder_sent_once`` constraint)."""
    return (reminder.kind, reminder.subject_key, reminder.threshold, reminder.due_date, reminder.recipient_id)


def email_key(reminder: Reminder) -> str:
    """The idempotence key of the reminder's e-mail: the reminder's key, due date included."""
    kind, subject_key, threshold, due_date, recipient_id = reminder_key(reminder)
    return f"reminder:{kind}:{subject_key}:{threshold}:{due_date.isoformat()}:{recipient_id}"


def collect(today: datetime.date):
    """Every deadline the apps registered a collector for (cqp/reminder_registry.py), each read up to its horizon."""
    for kind, collector in reminder_collectors():
        yield from collector(today, farthest_due(today, kind))


def plan(today: datetime.date) -> list[tuple[Reminder, Due]]:
    rows = []
    for due in collect(today):
        threshold = current_threshold(due.due_date, THRESHOLDS[due.kind], today)
        if threshold is None:
            continue
        for recipient_id in sorted(set(due.recipient_ids)):
            rows.append(
                (
                    Reminder(
                        kind=due.kind,
                        subject_key=due.subject_key,
                        threshold=threshold,
                        due_date=due.due_date,
                        recipient_id=recipient_id,
                        subject_label=due.label[:300],
                        url=due.url[:300],
                    ),
                    due,
                )
            )
    return rows


def _existing_keys(rows) -> set:
    keys = sorted({r.subject_key for r, _ in rows})
    existing = set()
    for start in range(0, len(keys), 5000):
        existing |= set(
            Reminder.objects.filter(subject_key__in=keys[start : start + 5000]).values_list(
                "kind", "subject_key", "threshold", "due_date", "recipient_id"
            )
        )
    return existing


def send_reminders(today: datetime.date | None = None, *, dry_run: bool = False) -> Report:
    today = today or timezone.localdate()
    report = Report()
    rows = plan(today)
    existing = _existing_keys(rows) if rows else set()
    new = [(r, due) for r, due in rows if reminder_key(r) not in existing]
    report.planned = new
    if dry_run:
        return report
    oemm = set(oemm_ids())
    singles = [(r, due) for r, due in new if r.recipient_id not in oemm]
    for start in range(0, len(singles), BATCH):
        _record_batch(singles[start : start + BATCH], report)
    digests = defaultdict(list)
    for reminder, due in new:
        if reminder.recipient_id in oemm:
            digests[reminder.recipient_id].append((reminder, due))
    awaiting = recipients_awaiting()
    for recipient_id in sorted(set(digests) | awaiting):
        staff, notified = recipient_id in oemm, recipient_id in awaiting
        _record_digest(recipient_id, digests.get(recipient_id, []), today, report, staff=staff, notified=notified)
    return report


def _record_digest(recipient_id: int, items, today: datetime.date, report: Report, *, staff, notified) -> None:
    """One person's reminders and notifications and their digest e-mail, in one transaction, or nothing.

    The notifications are locked first, then the reminders re-checked: a second run at once waits for the first and
    finds both carried (a digest of reminders only keeps the reminders' key: two runs write it once)."""
    user = User.objects.filter(pk=recipient_id).first()
    if user is None or not user.email:
        return
    now = timezone.now()
    with transaction.atomic():
        notifications = lock_awaiting(recipient_id) if notified else []
        if notifications and items:
            recorded = _existing_keys(items)
            items = [(r, due) for r, due in items if reminder_key(r) not in recorded]
        if not items and not notifications:
            return
        reminders = [reminder for reminder, _ in items]
        for reminder in reminders:
            reminder.recipient = user
            reminder.sent_at = now
        keys = [reminder_key(r) for r in reminders]
        carried = [email_key(r) for r in reminders] + [f"notification:{n.pk}" for n in notifications]
        try:
            row = digest_email(user, today, items, carried, now, notifications=notifications, staff=staff)
        except Exception:  # a template error does not stop the others; no personal data in the log
            logger.exception("Récapitulatif quotidien du compte %s non préparé", recipient_id)
            report.failed += keys
            return
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=BATCH)
        enqueue_rows([row])
        if notifications:
            mark_carried(notifications, row.key, now)
    report.sent += keys


def _record_batch(batch, report: Report) -> None:
    """One transaction: the reminders and their e-mails, or neither."""
    recipients = User.objects.in_bulk({r.recipient_id for r, _ in batch})
    senders = {c.pk: c.reminder_from() for c in Certifier.objects.filter(pk__in={d.certifier_id for _, d in batch})}
    now = timezone.now()
    reminders, emails = [], []
    for reminder, due in batch:
        reminder.recipient = recipients.get(reminder.recipient_id)
        if reminder.recipient is None or not reminder.recipient.email:
            continue  # the account was deleted since the collectors read it
        try:
            emails.append(reminder_email(reminder, due.context, now, from_email=senders.get(due.certifier_id, "")))
        except Exception:  # a template error on one reminder does not stop the others; no personal data in the log
            logger.exception("Rappel %s non préparé", reminder_key(reminder)[:4])
            report.failed.append(reminder_key(reminder))
            continue
        reminder.sent_at = now
        reminders.append(reminder)
    with transaction.atomic():
        Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=BATCH)
        enqueue_rows(emails)
    report.sent += [reminder_key(r) for r in reminders]


def reminder_email(reminder: Reminder, extra: dict, now, *, from_email: str = ""):
    """The outbox row of one reminder (templates/emails/reminder_<kind>.*), not saved; sent from ``from_email``, the
    sender of the deadline's certifier (referentiels.Certifier.reminder_from), or the platform's."""
    context = {
        "reminder": reminder,
        "user": reminder.recipient,
        "link": settings.SITE_URL + reminder.url if reminder.url else settings.SITE_URL,
        "delay": describe(reminder.threshold),
        **extra,
    }
    subject, text, html = render_mail(f"reminder_{reminder.kind}", context)
    return new_row(
        key=email_key(reminder),
        to=[reminder.recipient.email],
        subject=subject,
        text=text,
        html=html,
        now=now,
        from_email=from_email,
    )
