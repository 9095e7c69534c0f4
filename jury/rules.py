"""Business rules of jury sessions: plain functions on plain values (no ORM), table-tested."""

import datetime
from collections.abc import Iterable

from candidates import deadlines
from cqp.enums import College

from .enums import DELIBERATION_MINUTES, Outcome

JURY_SIZE = 4
PER_COLLEGE = 2


def check_composition(members: Iterable) -> list[str]:
    """Problems (in French) with a jury's composition; empty when it respects parity.

    ``members``: college values (« employeur » / « salarie ») or objects with a ``college`` attribute.
    Rule (rules.md §12): 4 members, 2 from the employer college (UGEM, one of them possibly the
    OEMM head or representative) and 2 from employee unions.
    """
    colleges = [getattr(m, "college", m) for m in members]
    problems = []
    if len(colleges) != JURY_SIZE:
        problems.append(f"Le jury doit compter {JURY_SIZE} membres ; il en compte {len(colleges)}.")
    employeurs = sum(1 for c in colleges if c == College.EMPLOYEUR)
    salaries = sum(1 for c in colleges if c == College.SALARIE)
    if employeurs != PER_COLLEGE:
        problems.append(f"Il faut {PER_COLLEGE} représentants du collège employeur (UGEM) ; il y en a {employeurs}.")
    if salaries != PER_COLLEGE:
        problems.append(f"Il faut {PER_COLLEGE} représentants des syndicats de salariés ; il y en a {salaries}.")
    others = len(colleges) - employeurs - salaries
    if others:
        problems.append(f"{others} membre(s) sans collège connu.")
    return problems


def next_president_college(previous_college: str | None) -> str:
    """The college whose turn it is to preside: the presidency alternates employer / employee (rules.md §12).

    Choice: with no previous session of the same CQP, the employer college presides first.
    """
    if previous_college == College.EMPLOYEUR:
        return College.SALARIE
    return College.EMPLOYEUR


def slot_minutes(presentation_minutes: int, interview_minutes: int, deliberation_minutes: int = DELIBERATION_MINUTES) -> int:
    """Length of one candidate's slot: presentation (may be 0) + interview + deliberation."""
    return presentation_minutes + interview_minutes + deliberation_minutes


def timetable(start: datetime.datetime, durations: list[int]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Consecutive slots from ``start``, one per candidate, each ``durations[i]`` minutes long."""
    slots = []
    current = start
    for minutes in durations:
        end = current + datetime.timedelta(minutes=minutes)
        slots.append((current, end))
        current = end
    return slots


def livret2_late(session_day: datetime.date, months_before: int, received_on: datetime.date | None) -> datetime.date | None:
    """The date the livret 2 should have arrived by, when it did not arrive in time; None when in time."""
    due = deadlines.livret2_due(session_day, months_before)
    if received_on is None or received_on > due:
        return due
    return None


def decide_outcome(required: Iterable[int], validated_now: Iterable[int], still_valid: Iterable[int] = ()) -> str:
    """The outcome of a deliberation, from unit numbers.

    - totale: every required unit is held, counting units still valid from earlier juries;
    - partielle: not all, but this jury validated at least one unit;
    - aucune: this jury validated no unit (units held from earlier juries stay held).
    Expired earlier units must not be passed in ``still_valid``.
    """
    required = set(required)
    now = set(validated_now) & required
    held = now | (set(still_valid) & required)
    if required and held >= required:
        return Outcome.TOTALE
    if now:
        return Outcome.PARTIELLE
    return Outcome.AUCUNE


def unit_valid_until(validated_on: datetime.date, validity_years: int | None) -> datetime.date | None:
    """End of validity of a validated unit (None: durée indéfinie, e.g. GPAC blocs)."""
    return deadlines.unit_valid_until(validated_on, validity_years)


def is_unit_valid(valid_until: datetime.date | None, day: datetime.date) -> bool:
    return valid_until is None or day <= valid_until
