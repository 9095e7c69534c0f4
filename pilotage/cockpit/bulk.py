"""Bulk actions of the cockpit: the same workflow function applied to each item, one by one.

Each workflow function opens its own transaction and locks its row (ATOMIC_REQUESTS is off): an item refused does not
undo the others, and two people acting at once see each item's current state. The report says, per item, what was
done and what was refused, with the workflow's French reason.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from candidates import workflow as candidates_workflow
from cqp.exceptions import WorkflowError
from jury import workflow as jury_workflow
from jury.enums import NOT_PRESENT, Attendance
from vae import workflow as vae_workflow

NOT_IN_QUEUE = "n'attend plus dans cette file (déjà traité par quelqu'un d'autre ?)"


@dataclass
class BulkReport:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (item, French reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # nothing to do for the item, and why

    @property
    def total(self) -> int:
        return len(self.done) + len(self.refused) + len(self.skipped)


def run_each(items: Iterable, action: Callable, label: Callable[[object], str]) -> BulkReport:
    """``action(item)`` for each item; a WorkflowError is reported for that item and the next one is tried."""
    report = BulkReport()
    for item in items:
        try:
            action(item)
        except WorkflowError as exc:
            report.refused.append((label(item), str(exc)))
        else:
            report.done.append(label(item))
    return report


def _candidate_label(candidate) -> str:
    return f"{candidate.dossier.number} — {candidate.dossier.candidate}"


def convoke_all(session, *, by) -> BulkReport:
    """Convoke every candidate of the session not yet convoked at their current slot (absent ones are skipped)."""
    slots = session.slots()
    candidates = list(session.ordered_candidates().prefetch_related("convocations"))
    to_convoke, skipped = [], []
    for candidate in candidates:
        last = max(candidate.convocations.all(), key=lambda c: c.version, default=None)
        slot = slots.get(candidate.pk)
        if candidate.attendance in NOT_PRESENT:
            skipped.append((_candidate_label(candidate), "noté absent"))
        elif last and slot and (last.starts_at, last.ends_at, last.location) == (*slot, session.location_label):
            skipped.append((_candidate_label(candidate), "déjà convoqué à cet horaire"))
        else:
            to_convoke.append(candidate)
    report = run_each(to_convoke, lambda c: jury_workflow.convoke(c, by=by), _candidate_label)
    report.skipped = skipped
    return report


def attendance_all(session, *, by, attendance=Attendance.PRESENT) -> BulkReport:
    """Record ``attendance`` for every candidate still « attendu » (the others keep what was recorded)."""
    candidates = list(session.ordered_candidates())
    waiting = [c for c in candidates if c.attendance == Attendance.ATTENDU]
    report = run_each(
        waiting, lambda c: jury_workflow.record_attendance(c, by=by, attendance=attendance), _candidate_label
    )
    report.skipped = [
        (_candidate_label(c), f"déjà noté « {c.get_attendance_display().lower()} »")
        for c in candidates
        if c.attendance != Attendance.ATTENDU
    ]
    return report


def _in_queue(objects, ids) -> tuple[list, list[tuple[str, str]]]:
    """The objects among ``ids`` that still wait in the queue, and the ids that no longer do."""
    found = {obj.pk: obj for obj in objects}
    missing = [(f"n° {pk}", NOT_IN_QUEUE) for pk in ids if pk not in found]
    return [found[pk] for pk in ids if pk in found], missing


def acknowledge_livrets2(livrets, ids, *, by, received_on=None) -> BulkReport:
    present, missing = _in_queue(livrets, ids)
    report = run_each(
        present,
        lambda livret: vae_workflow.acknowledge_livret2(livret, by=by, received_on=received_on),
        lambda livret: f"{livret.dossier.number} — {livret.dossier.candidate}",
    )
    report.skipped = missing
    return report


def mark_ready(livrets, ids, *, by) -> BulkReport:
    present, missing = _in_queue(livrets, ids)
    report = run_each(
        present,
        lambda livret: candidates_workflow.mark_formation_ready_for_jury(livret.dossier, by=by),
        lambda livret: f"{livret.dossier.number} — {livret.dossier.candidate}",
    )
    report.skipped = missing
    return report


def place(dossiers, ids, *, by, session) -> BulkReport:
    present, missing = _in_queue(dossiers, ids)
    report = run_each(
        present,
        lambda dossier: jury_workflow.add_candidate(session, by=by, dossier=dossier),
        lambda dossier: f"{dossier.number} — {dossier.candidate}",
    )
    report.skipped = missing
    return report
