"""The OEMM's daily digest: one e-mail per OEMM person grouping every reminder due for them that day, with the
cockpit's work queues, instead of one e-mail per dossier and threshold.

Same guarantees as the single reminders (pilotage/reminders.py): the person's reminders are recorded and the digest
written to the outbox in one transaction, the digest keyed by the reminders it carries: two runs never send a
reminder twice.
"""

import datetime
import hashlib
from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from cqp.enums import ReminderKind
from cqp.mail import render_mail
from cqp.outbox import new_row
from cqp.work_queues import work_queues
from notifications.digest import digest_lines

from .reminder_rules import describe

SILENCE_NOTE = "sans décision à cette date, recevable tacitement (le silence vaut acceptation pour ce CQP)"


def queue_lines(today: datetime.date, user=None) -> list[dict]:
    """The cockpit's queues that hold something, with their count, nearest deadline and absolute link."""
    lines = []
    for queue in work_queues():
        summary = queue.summarize(today, user)
        if summary.count:
            lines.append(
                {
                    "label": queue.label,
                    "count": summary.count,
                    "overdue": summary.overdue,
                    "deadline": summary.deadline,
                    "link": settings.SITE_URL + queue.url(),
                }
            )
    return lines


def digest_email(user, today: datetime.date, items, keys: list[str], now, *, notifications=(), staff=True):
    """The outbox row (unsaved) of one person's digest: ``items`` are (Reminder, Due) pairs, ``notifications`` the
    person's notifications not yet e-mailed. Its key names the reminders and notifications it carries, so two runs at
    once write it once, and a later run with others writes another."""
    groups = defaultdict(list)
    for reminder, due in sorted(items, key=lambda item: (item[0].due_date, item[0].subject_key)):
        groups[ReminderKind(reminder.kind).label].append(
            {
                "note": SILENCE_NOTE if due.context.get("silence") else "",
                "label": reminder.subject_label,
                "due_date": reminder.due_date,
                "delay": describe(reminder.threshold),
                "link": settings.SITE_URL + reminder.url if reminder.url else settings.SITE_URL,
            }
        )
    first = min(items, key=lambda item: (item[0].due_date, item[0].subject_key))[0] if items else None
    context = {
        "user": user,
        "today": today,
        "count": len(items),
        "groups": sorted(groups.items()),
        "first": groups[ReminderKind(first.kind).label][0] if first else None,
        "notifications": digest_lines(notifications),
        "queues": queue_lines(today, user) if staff else [],
        "cockpit": settings.SITE_URL + (reverse("dashboard_oemm") if staff else reverse("notifications:list")),
        "preferences": settings.SITE_URL + reverse("notifications:preferences"),
    }
    subject, text, html = render_mail("reminder_digest", context)
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:24]
    return new_row(
        key=f"reminder-digest:{user.pk}:{today.isoformat()}:{digest}",
        to=[user.email],
        subject=subject,
        text=text,
        html=html,
        now=now,
    )
