"""Reminder collectors, contributed by the app that owns each deadline (registered in its ``AppConfig.ready()``).

The reminders job (pilotage/reminders.py) asks every registered collector what is due; it never imports the apps.
A collector is ``collector(today, until) -> iterable of Due``: the deadlines of its kind between ``today`` and
``until`` (the farthest deadline whose first threshold is already crossed today, computed by the job from the
thresholds of the kind), in a number of queries that does not grow with the rows.
"""

import datetime
from dataclasses import dataclass, field

from .enums import ReminderKind, Role


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
    # The certifier the deadline belongs to (its reminders' sender, referentiels.Certifier); None: the platform's.
    certifier_id: int | None = None


_collectors: dict[str, list] = {}


def register_reminder_collector(kind, collector) -> None:
    """Add ``collector`` for ``kind`` (a ReminderKind); registering the same function twice keeps one."""
    if kind not in ReminderKind.values:
        raise ValueError(f"type de rappel inconnu : {kind}")
    collectors = _collectors.setdefault(kind, [])
    if collector not in collectors:
        collectors.append(collector)


def reminder_collectors() -> list[tuple[str, object]]:
    """(kind, collector) pairs, in registration order (the order of INSTALLED_APPS)."""
    return [(kind, collector) for kind, collectors in _collectors.items() for collector in collectors]


def oemm_ids() -> list[int]:
    """The active OEMM staff: recipients of the reminders addressed to the certifier."""
    from .models import User

    return list(User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("pk", flat=True).distinct())
