"""The notifications that wait for a daily digest (every one not e-mailed at once), read and marked by the daily
job (pilotage/reminders.py, pilotage/digest.py): each is carried by one digest, whose key it records."""

from django.conf import settings

from cqp.enums import NotificationKind

from .models import Notification


def recipients_awaiting() -> set[int]:
    """The people with notifications not yet e-mailed (one query)."""
    return set(Notification.objects.awaiting_digest().values_list("recipient_id", flat=True).distinct())


def lock_awaiting(recipient_id: int) -> list[Notification]:
    """A person's notifications not yet e-mailed, locked until the digest carrying them commits (a second run at
    once waits, then finds them carried)."""
    return list(
        Notification.objects.select_for_update()
        .filter(recipient_id=recipient_id, emailed_at__isnull=True)
        .order_by("created_at", "pk")
    )


def digest_lines(notifications) -> list[dict]:
    return [
        {
            "kind": NotificationKind(n.kind).label,
            "message": n.message,
            "created_at": n.created_at,
            "link": settings.SITE_URL + (n.url or n.get_absolute_url()),
        }
        for n in notifications
    ]


def mark_carried(notifications, email_key: str, now) -> int:
    """Record that the digest ``email_key`` carried them (in the digest's transaction)."""
    return Notification.objects.filter(pk__in=[n.pk for n in notifications], emailed_at__isnull=True).update(
        emailed_at=now, email_key=email_key[:200]
    )
