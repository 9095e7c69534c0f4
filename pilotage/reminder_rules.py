"""When reminders are due: thresholds before each deadline (plain functions, table-tested)."""

import datetime

from candidates.deadlines import add_months
from cqp.enums import ReminderKind

# Thresholds before the deadline, farthest first: "6m" = 6 months, "14d" = 14 days.
THRESHOLDS = {
    ReminderKind.FIRST_JURY: ["6m", "3m", "1m"],
    ReminderKind.INSTRUCTION: ["14d", "3d"],
    ReminderKind.RECEVABILITE_VALIDITY: ["3m", "1m"],
    ReminderKind.LIVRET2_DUE: ["14d", "3d"],
    ReminderKind.UNIT_VALIDITY: ["12m", "6m", "3m"],
    ReminderKind.AGREMENT: ["3m", "1m"],
    # a certified holder not yet transmitted to the Caisse des Dépôts, due three months after the decision
    ReminderKind.HOLDER_TRANSMISSION: ["1m", "7d"],
    # a booked entretien d'accueil (issue 21): the day before, to the candidate and the centre
    ReminderKind.ENTRETIEN_SLOT: ["1d"],
}


def threshold_date(due: datetime.date, threshold: str) -> datetime.date:
    """The day a threshold is crossed: 31 May due, "3m" -> 28 February (month ends clamped)."""
    amount, unit = int(threshold[:-1]), threshold[-1]
    if unit == "m":
        return add_months(due, -amount)
    if unit == "d":
        return due - datetime.timedelta(days=amount)
    raise ValueError(f"seuil inconnu : {threshold}")


def horizon(kind) -> str:
    """The farthest threshold of a kind."""
    return THRESHOLDS[kind][0]


def current_threshold(due: datetime.date, thresholds: list[str], today: datetime.date) -> str | None:
    """The threshold to send today: the nearest to the deadline among those crossed, or None.

    After the deadline nothing is sent. A missed day catches up with the nearest
    threshold only: the older ones it crossed are never sent afterwards.
    """
    if today > due:
        return None
    crossed = [t for t in thresholds if threshold_date(due, t) <= today]
    return crossed[-1] if crossed else None


def describe(threshold: str) -> str:
    amount, unit = int(threshold[:-1]), threshold[-1]
    if unit == "m":
        return f"{amount} mois"
    return f"{amount} jour{'s' if amount > 1 else ''}"


def farthest_due(today: datetime.date, kind) -> datetime.date:
    """The latest deadline whose farthest threshold is already crossed today: collectors read up to it.

    threshold_date(due, horizon) <= today  <=>  due <= today + horizon; found by stepping back a day at a time
    from 400 days ahead (the farthest horizon is 12 months).
    """
    candidate = today + datetime.timedelta(days=400)
    while threshold_date(candidate, horizon(kind)) > today:
        candidate -= datetime.timedelta(days=1)
    return max(candidate, today)
