"""``notify``: the one function that creates notifications, and their immediate e-mails through the outbox.

One notification per person and event (the unique (recipient, key) constraint: an event dispatched twice notifies
once). The people who chose immediate delivery get one e-mail per notification, written to the outbox in the same
transaction under the key ``notification:<id>``; the others' notifications wait for their daily digest
(pilotage/digest.py). Either way each notification is e-mailed once and records the key of the e-mail that carried it.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cqp.enums import NotificationKind, Role
from cqp.mail import render_mail
from cqp.models import UserRole
from cqp.outbox import enqueue_rows, new_row

from .enums import Delivery
from .models import Notification, NotificationPreference, default_delivery


def deliveries(user_ids) -> dict[int, str]:
    """Each person's delivery (their choice, or the default of their roles), in two queries whatever their number."""
    user_ids = set(user_ids)
    chosen = dict(NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "delivery"))
    staff = set(UserRole.objects.filter(user_id__in=user_ids, role=Role.OEMM).values_list("user_id", flat=True))
    return {pk: chosen.get(pk) or default_delivery({Role.OEMM} if pk in staff else set()) for pk in user_ids}


def immediate_email(notification: Notification, now):
    """The outbox row (unsaved) of one notification sent at once."""
    context = {
        "user": notification.recipient,
        "notification": notification,
        "kind": NotificationKind(notification.kind).label,
        "link": settings.SITE_URL + (notification.url or notification.get_absolute_url()),
        "preferences": settings.SITE_URL + reverse("notifications:preferences"),
    }
    subject, text, html = render_mail("notification", context)
    return new_row(
        key=f"notification:{notification.pk}", to=[notification.recipient.email], subject=subject, text=text, html=html
    )


@transaction.atomic
def notify(
    kind, *, recipient_ids, key: str, message: str, url: str = "", dossier_id=None, session_id=None
) -> list[Notification]:
    """Notify each of ``recipient_ids`` of the event ``key`` (of type ``kind``, a NotificationKind); a person already
    notified of it is not notified again. Returns the notifications created."""
    if kind not in NotificationKind.values:
        raise ValueError(f"type de notification inconnu : {kind}")
    recipient_ids = sorted({pk for pk in recipient_ids if pk})
    if not recipient_ids:
        return []
    key = key[:200]
    existing = set(
        Notification.objects.filter(key=key, recipient_id__in=recipient_ids).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            key=key,
            message=message[:500],
            url=url[:300],
            dossier_id=dossier_id,
            session_id=session_id,
        )
        for pk in recipient_ids
        if pk not in existing
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(key=key, recipient_id__in=[row.recipient_id for row in rows]).select_related(
            "recipient"
        )
    )
    send_immediately(created)
    return created


@transaction.atomic
def notify_many(kind, events) -> list[Notification]:
    """``notify`` for many events at once (dicts of ``notify``'s keyword arguments: recipient_ids, key, message, url,
    dossier_id, session_id), in a constant number of queries whatever their number (the caller batches them, e.g.
    per 1,000). The same rules: one notification per person and key, the immediate e-mails through the outbox."""
    if kind not in NotificationKind.values:
        raise ValueError(f"type de notification inconnu : {kind}")
    wanted = {}  # (key, recipient) → event, the first event of a key wins (as two calls of notify)
    for event in events:
        key = event["key"][:200]
        for pk in sorted({pk for pk in event["recipient_ids"] if pk}):
            wanted.setdefault((key, pk), event)
    if not wanted:
        return []
    keys = {key for key, _ in wanted}
    recipients = {pk for _, pk in wanted}
    existing = set(
        Notification.objects.filter(key__in=keys, recipient_id__in=recipients).values_list("key", "recipient_id")
    )
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            key=key,
            message=event["message"][:500],
            url=event.get("url", "")[:300],
            dossier_id=event.get("dossier_id"),
            session_id=event.get("session_id"),
        )
        for (key, pk), event in wanted.items()
        if (key, pk) not in existing
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    new = {(row.key, row.recipient_id) for row in rows}
    created = [
        n
        for n in Notification.objects.filter(
            key__in={key for key, _ in new}, recipient_id__in={pk for _, pk in new}
        ).select_related("recipient")
        if (n.key, n.recipient_id) in new
    ]
    send_immediately(created)
    return created


def send_immediately(notifications) -> None:
    """The e-mails of those who chose immediate delivery, each notification marked with its e-mail's key."""
    modes = deliveries(n.recipient_id for n in notifications)
    now = timezone.now()
    rows, marked = [], []
    for notification in notifications:
        if modes[notification.recipient_id] != Delivery.IMMEDIATE or notification.emailed_at:
            continue
        if not notification.recipient.email:
            continue
        row = immediate_email(notification, now)
        notification.emailed_at, notification.email_key = now, row.key
        rows.append(row)
        marked.append(notification)
    enqueue_rows(rows)
    Notification.objects.bulk_update(marked, ["emailed_at", "email_key"], batch_size=1000)
