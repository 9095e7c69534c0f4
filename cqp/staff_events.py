"""Events the staff are told about (issue 14): the workflow functions of candidates, vae and jury publish them, the
notifications app (above them) turns each into notifications through ``notifications.notify``.

The core knows no app: ``publish_on_commit(kind, by=..., **ids)`` queues the event for after the commit of the
caller's transaction (a rolled-back change tells nobody), and the handlers registered by an app's ``AppConfig.ready()``
receive ``(kind, actor_id=..., **ids)``. A failing handler is logged and does not undo the change already committed.
"""

import logging

from django.db import transaction

from .enums import NotificationKind

logger = logging.getLogger(__name__)

_handlers: list = []


def register_staff_event_handler(handler) -> None:
    """Add ``handler(kind, *, actor_id, **ids)``; registering the same function twice keeps one."""
    if handler not in _handlers:
        _handlers.append(handler)


def dispatch(kind, *, actor_id=None, **ids) -> None:
    """Hand the event to every handler now (the daily job calls it directly)."""
    if kind not in NotificationKind.values:
        raise ValueError(f"événement inconnu : {kind}")
    for handler in list(_handlers):
        try:
            handler(kind, actor_id=actor_id, **ids)
        except Exception:  # the change is committed: tell the logs, not the person who made it
            logger.exception("Notification « %s » non créée", kind)


def publish_on_commit(kind, *, by=None, **ids) -> None:
    """The event ``kind`` about the objects ``ids`` (primary keys), dispatched once the caller's transaction commits."""
    if kind not in NotificationKind.values:
        raise ValueError(f"événement inconnu : {kind}")
    actor_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: dispatch(kind, actor_id=actor_id, **ids))
