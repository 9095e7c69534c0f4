"""Notifications to staff (issue 14): in the app (the bell, the list) and by e-mail, at once or in a daily digest.

A layer above candidates, vae and jury (they publish events through cqp/staff_events.py), below pilotage (whose daily
job sends the digests). Every notification is created by one function, ``notifications.notify``.
"""


def notify(kind, **kwargs):
    """Create the notifications of one event (notifications/delivery.py)."""
    from .delivery import notify as _notify

    return _notify(kind, **kwargs)
