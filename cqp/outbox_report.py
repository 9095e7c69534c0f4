"""The admins' daily summary of the e-mails that failed (cqp/outbox.py), sent by the daily job (pilotage/daily.py).

Recipients: ``settings.ADMINS`` (the people who look after the mail server); without ADMINS, the active OEMM staff
(those who resend from the « E-mails non remis » page). The summary goes through the outbox itself, marked
``is_failure_report``: it is never listed in a later summary, so a mail server that is down does not make summaries
of summaries; if it fails too, it shows on the OEMM's page like any other e-mail. One per day (its key holds the day).
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .enums import Role
from .mail import render_mail
from .models import User
from .outbox import enqueue, pending_count
from .outbox_models import OutboundEmail

LISTED = 50  # e-mails listed in the summary; the page has the rest


def report_recipients() -> list[str]:
    admins = [address for _, address in settings.ADMINS]
    if admins:
        return admins
    return list(
        User.objects.filter(is_active=True, roles__role=Role.OEMM).order_by("email").values_list("email", flat=True)
    )


def failures_since(since):
    return OutboundEmail.objects.failed().filter(failed_at__gte=since, is_failure_report=False).order_by("failed_at")


def send_failure_report(today: datetime.date | None = None, now=None) -> int | None:
    """Queue the summary of the e-mails failed in the last 24 hours; nothing when there are none. Returns the row's
    id."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    failures = failures_since(now - datetime.timedelta(days=1))
    count = failures.count()
    if not count:
        return None
    context = {
        "count": count,
        "failures": list(failures.only("pk", "to", "subject", "attempts", "last_error", "failed_at")[:LISTED]),
        "late": pending_count(late_only=True, now=now),
        "day": today,
        "url": settings.SITE_URL + reverse("oemm_emails"),
    }
    subject, text, html = render_mail("outbox_failures", context)
    return enqueue(
        key=f"outbox_failures:{today.isoformat()}",
        to=report_recipients(),
        subject=subject,
        text=text,
        html=html,
        is_failure_report=True,
    )
