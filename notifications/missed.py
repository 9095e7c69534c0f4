"""Missed deadlines, told to the staff by the daily job: the reminder collectors (cqp/reminder_registry.py) that
select what is still to do before a deadline are asked for the deadlines of the last days instead. What they still
return was not done in time: the OEMM's staff of its certifier are notified, once per deadline (its key names the
deadline's date: a deadline moved and missed again is notified again).

A missed day catches up: the window is the last ``CATCH_UP_DAYS`` days, and the notification's key makes a second
pass notify nobody twice."""

import datetime
from itertools import islice

from cqp.enums import NotificationKind, ReminderKind
from cqp.reminder_registry import reminder_collectors
from cqp.templatetags.french import date_fr

from .delivery import notify_many
from .recipients import staff_ids

CATCH_UP_DAYS = 7
BATCH = 1000  # deadlines notified per batch of queries
# The deadlines the staff must act on (the others are told to their owner: expiry of a recevabilité, of a unit...).
MISSED_KINDS = [
    ReminderKind.INSTRUCTION,
    ReminderKind.FIRST_JURY,
    ReminderKind.LIVRET2_DUE,
    ReminderKind.HOLDER_TRANSMISSION,
]


def missed_deadlines(today: datetime.date):
    """(Due, staff ids) of the deadlines of MISSED_KINDS passed in the last CATCH_UP_DAYS days and still open."""
    start, end = today - datetime.timedelta(days=CATCH_UP_DAYS), today - datetime.timedelta(days=1)
    staff_by_certifier = {}
    for kind, collector in reminder_collectors():
        if kind not in MISSED_KINDS:
            continue
        for due in collector(start, end):
            dossier = due.context.get("dossier") or getattr(due.context.get("record"), "dossier", None)
            certifier_id = dossier.certification.certifier_id if dossier is not None else None
            if certifier_id not in staff_by_certifier:
                staff_by_certifier[certifier_id] = set(staff_ids(certifier_id))
            staff = staff_by_certifier[certifier_id]
            recipients = [pk for pk in due.recipient_ids if pk in staff] if dossier is None else sorted(staff)
            yield due, dossier, recipients


def notify_missed_deadlines(today: datetime.date) -> int:
    """Notify the staff of each missed deadline; returns the number of notifications created. The deadlines are
    notified BATCH at a time (``notify_many``): a constant number of queries per batch, not per deadline."""
    created = 0
    events = _missed_events(today)
    while batch := list(islice(events, BATCH)):
        created += len(notify_many(NotificationKind.DEADLINE_MISSED, batch))
    return created


def _missed_events(today: datetime.date):
    for due, dossier, recipients in missed_deadlines(today):
        session = due.context.get("session")
        yield {
            "recipient_ids": recipients,
            "key": f"missed:{due.kind}:{due.subject_key}:{due.due_date.isoformat()}",
            "message": f"Échéance dépassée le {date_fr(due.due_date)} — {ReminderKind(due.kind).label} : {due.label}",
            "url": due.url,
            "dossier_id": getattr(dossier, "pk", None),
            "session_id": getattr(session, "pk", None),
        }
