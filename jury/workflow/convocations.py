"""Convocations of the candidates of a session (PDF and .ics e-mailed on commit, a new version when the slot or the
place changes) and their attendance."""

from django.db import transaction
from django.utils import timezone

from candidates.audit import record_event
from candidates.deadlines import livret2_due
from candidates.enums import DossierState
from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit

from .. import readiness, rules
from ..audit import day_label, record_session_event
from ..enums import NOT_PRESENT, Attendance
from ..models import Convocation, SessionCandidate
from .checks import check_fiche, check_session, enqueue_convocation, lock_session


def issue_convocation(session, candidate, *, by, slot, reason="") -> Convocation:
    last = candidate.convocations.order_by("-version").first()
    version = (last.version if last else 0) + 1
    start, end = slot
    convocation = Convocation.objects.create(
        session_candidate=candidate,
        version=version,
        starts_at=start,
        ends_at=end,
        location=session.location_label,
        sent_by=by,
    )
    when = f"{day_label(timezone.localtime(start))} à {timezone.localtime(start):%H:%M}"
    label = f"Convocation{' rectifiée' if version > 1 else ''} envoyée à {candidate.dossier.candidate} : {when}"
    record_session_event(
        session,
        actor=by,
        action="send_convocation",
        label=label,
        session_candidate=candidate,
        comment=reason,
        from_state=f"v{last.version}" if last else "",
        to_state=f"v{version}",
        data={
            "version": version,
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "location": convocation.location,
        },
    )
    record_event(
        candidate.dossier,
        actor=by,
        action="jury_convocation",
        label=f"Convocation au jury (version {version}) : {when}",
        comment=reason,
        data={"session": session.pk},
    )
    enqueue_convocation(convocation.pk)
    return convocation


@transaction.atomic
def convoke(candidate, *, by) -> Convocation:
    """Send the convocation (PDF + .ics). Refused when the livret 2 (voie formative: the livret d'évaluation finale)
    came later than the CQP's delay before the session; the message names the dossier's own livret.
    """
    locked = lock_session(candidate.session)
    check_session(locked, "plan")
    candidate = SessionCandidate.objects.select_related("dossier__version", "dossier__candidate").get(pk=candidate.pk)
    dossier = candidate.dossier
    if locked.is_commission:
        raise WorkflowError(
            "La commission paritaire examine le dossier sans le candidat : il n'est pas convoqué. "
            "Il voit la date de la commission sur la page de son dossier."
        )
    word = rules.livret_word(dossier.path)
    if dossier.state != DossierState.PRET_JURY:
        due_on = livret2_due(locked.date, dossier.version.livret2_due_months_before_session)
        raise WorkflowError(
            f"Le {word} du dossier {dossier.number} n'est pas encore reçu : il doit arriver au plus tard le "
            f"{due_on:%d/%m/%Y} pour cette session."
        )
    if candidate.attendance in NOT_PRESENT:
        raise WorkflowError("Le candidat est noté absent : remettez-le « attendu » avant de le convoquer.")
    months = dossier.version.livret2_due_months_before_session
    received = readiness.livret2_received_on(dossier)
    due = rules.livret2_late(locked.date, months, received)
    if due:
        arrived = f"il est arrivé le {day_label(received)}" if received else "il n'est pas arrivé"
        raise WorkflowError(
            f"Convocation refusée : le {word} devait parvenir au plus tard le {day_label(due)} "
            f"({months} mois avant la session) ; {arrived}."
        )
    slot = locked.slots()[candidate.pk]
    last = candidate.last_convocation
    if last and (last.starts_at, last.ends_at, last.location) == (slot[0], slot[1], locked.location_label):
        raise WorkflowError("Ce candidat est déjà convoqué à cet horaire.")
    convocation = issue_convocation(locked, candidate, by=by, slot=slot)
    if not locked.candidates.exclude(attendance__in=NOT_PRESENT).filter(convocations__isnull=True).exists():
        # every expected candidate is convoked: the members may read the session's dossiers
        publish_on_commit(NotificationKind.SESSION_DOSSIERS_READY, by=by, session=locked.pk)
    return convocation


@transaction.atomic
def record_attendance(candidate, *, by, attendance, note=""):
    """Present / absent / excused, recorded per candidate."""
    locked = lock_session(candidate.session)
    check_session(locked, "record_attendance")
    candidate = SessionCandidate.objects.select_for_update().get(pk=candidate.pk)
    fiche = candidate.current_fiche
    check_fiche(fiche, "record_attendance")
    if attendance in NOT_PRESENT and fiche is not None:
        raise WorkflowError("Une délibération est en cours pour ce candidat : il ne peut pas être noté absent.")
    previous = candidate.attendance
    candidate.attendance = attendance
    candidate.attendance_note = note or ""
    candidate.save(update_fields=["attendance", "attendance_note"])
    label = Attendance(attendance).label
    record_session_event(
        locked,
        actor=by,
        action="record_attendance",
        label=f"{candidate.dossier.candidate} : {label.lower()}",
        from_state=previous,
        to_state=attendance,
        comment=note,
        session_candidate=candidate,
    )
    if attendance in NOT_PRESENT:
        record_event(
            candidate.dossier,
            actor=by,
            action="jury_absence",
            label=f"Jury du {day_label(locked.date)} : {label.lower()}",
            comment=note,
        )
    return candidate


def reconvoke_changed(session, *, by, reason):
    """Issue a new convocation version to every convoked candidate whose slot or place changed."""
    slots = session.slots()
    count = 0
    for candidate in session.ordered_candidates():
        last = candidate.last_convocation
        if last is None or candidate.attendance in NOT_PRESENT:
            continue
        start, end = slots[candidate.pk]
        if (last.starts_at, last.ends_at, last.location) != (start, end, session.location_label):
            issue_convocation(session, candidate, by=by, slot=(start, end), reason=reason)
            count += 1
    return count
