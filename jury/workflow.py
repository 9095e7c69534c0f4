"""State changes of jury sessions and fiches de décision: one function per transition.

Each one locks the row, checks the state (raising WorkflowError with a French message), saves,
writes an audit row (SessionEvent, and a DossierEvent for what concerns a dossier) and queues
mails and PDFs with transaction.on_commit.
"""

import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateformat import format as date_format

from candidates import workflow as dossier_workflow
from candidates.audit import record_event
from candidates.enums import DossierState
from cqp.enums import College, Role
from cqp.exceptions import WorkflowError

from . import readiness, rules, selectors
from .enums import (
    FICHE_TRANSITIONS, NOT_PRESENT, SESSION_TRANSITIONS, Attendance, FicheState, Outcome, PdfStatus, SessionState,
)
from .models import (
    Certificate, ConflictOfInterest, Convocation, FicheDecision, JurySession, SessionCandidate, SessionEvent,
    SessionMember, UnitDecision, ValidatedUnit,
)

logger = logging.getLogger(__name__)

MAX_MEMBERS = rules.JURY_SIZE


def _day(value) -> str:
    return date_format(value, "j F Y")


def _event(session, *, actor, action, label, from_state="", to_state="", comment="", data=None, session_candidate=None):
    return SessionEvent.objects.create(
        session=session, session_candidate=session_candidate, actor=actor if (actor and actor.pk) else None,
        action=action, label=label, from_state=from_state or "", to_state=to_state or "", comment=comment or "",
        data=data or {},
    )


def _lock(session) -> JurySession:
    return JurySession.objects.select_for_update().get(pk=session.pk)


def _require_planned(session):
    if session.state != SessionState.PLANIFIEE:
        raise WorkflowError(f"Action impossible : la session est « {session.get_state_display()} ».")


def _is_oemm(user) -> bool:
    return user.has_role(Role.OEMM) or user.has_role(Role.ADMIN)


# ------------------------------------------------------------------ tasks enqueued on commit


def _enqueue_convocation(convocation_id):
    from .tasks import task_send_convocation

    transaction.on_commit(lambda: _safe_delay(task_send_convocation, convocation_id=convocation_id))


def enqueue_fiche(fiche_id):
    from .tasks import task_build_fiche

    transaction.on_commit(lambda: _safe_delay(task_build_fiche, fiche_id=fiche_id))


def _safe_delay(task, **kwargs):
    """Enqueue; a failure (in-process execution without a broker) is recorded by the task, not shown as a crash."""
    try:
        task.delay(**kwargs)
    except Exception:  # noqa: BLE001 - the task records its own failure (status + message)
        logger.exception("Tâche %s en échec (%s)", task.name, kwargs)


# ------------------------------------------------------------------ sessions


def _check_place(place, video_link):
    if not (place or "").strip() and not (video_link or "").strip():
        raise WorkflowError("Indiquez le lieu de la session ou un lien de visioconférence.")


@transaction.atomic
def create_session(*, by, certifications, date, start_time, place="", video_link="", capacity) -> JurySession:
    """OEMM plans a session for one or more CQPs."""
    if not _is_oemm(by):
        raise WorkflowError("Seul l'OEMM organise les sessions de jury.")
    certifications = list(certifications)
    if not certifications:
        raise WorkflowError("Choisissez au moins un CQP.")
    _check_place(place, video_link)
    session = JurySession.objects.create(
        date=date, start_time=start_time, place=place or "", video_link=video_link or "", capacity=capacity, created_by=by,
    )
    session.certifications.set(certifications)
    _event(session, actor=by, action="create_session", label="Session créée", to_state=session.state,
           data={"date": date.isoformat(), "start_time": start_time.isoformat(), "cqp": [c.code for c in certifications]})
    return session


def _reconvoke_changed(session, *, by, reason):
    """Issue a new convocation version to every convoked candidate whose slot or place changed."""
    slots = session.slots()
    count = 0
    for candidate in session.ordered_candidates():
        last = candidate.last_convocation
        if last is None or candidate.attendance in NOT_PRESENT:
            continue
        start, end = slots[candidate.pk]
        if (last.starts_at, last.ends_at, last.location) != (start, end, session.location_label):
            _issue_convocation(session, candidate, by=by, slot=(start, end), reason=reason)
            count += 1
    return count


@transaction.atomic
def reschedule_session(session, *, by, date, start_time, place="", video_link="", capacity) -> int:
    """OEMM changes the date, time, place or capacity; convoked candidates whose slot changed get a new convocation.

    Returns the number of new convocations sent.
    """
    locked = _lock(session)
    _require_planned(locked)
    _check_place(place, video_link)
    count = locked.candidates.count()
    if capacity < count:
        raise WorkflowError(f"La session compte déjà {count} candidats : la capacité ne peut pas être inférieure.")
    if date != locked.date:
        late = []
        for candidate in locked.ordered_candidates():
            if candidate.convocations.exists():
                due = rules.livret2_late(date, candidate.dossier.version.livret2_due_months_before_session,
                                         readiness.livret2_received_on(candidate.dossier))
                if due:
                    late.append(f"{candidate.dossier.candidate} (livret 2 attendu au plus tard le {_day(due)})")
        if late:
            raise WorkflowError("Nouvelle date impossible pour des candidats déjà convoqués : " + " ; ".join(late) + ".")
    before = {"date": locked.date.isoformat(), "start_time": locked.start_time.isoformat(), "lieu": locked.location_label,
              "capacite": locked.capacity}
    locked.date, locked.start_time, locked.place, locked.video_link, locked.capacity = (
        date, start_time, place or "", video_link or "", capacity)
    locked.save(update_fields=["date", "start_time", "place", "video_link", "capacity"])
    after = {"date": date.isoformat(), "start_time": start_time.isoformat(), "lieu": locked.location_label, "capacite": capacity}
    _event(locked, actor=by, action="reschedule_session", label="Session modifiée", data={"avant": before, "apres": after})
    sent = _reconvoke_changed(locked, by=by, reason="Session modifiée")
    session.refresh_from_db()
    return sent


@transaction.atomic
def add_member(session, *, by, user) -> SessionMember:
    locked = _lock(session)
    _require_planned(locked)
    role = user.roles.filter(role=Role.JURY).first()
    if role is None or not user.is_active:
        raise WorkflowError(f"{user} n'est pas membre de jury.")
    if locked.members.filter(user=user).exists():
        raise WorkflowError(f"{user} siège déjà dans ce jury.")
    if locked.members.count() >= MAX_MEMBERS:
        raise WorkflowError(f"Le jury compte déjà {MAX_MEMBERS} membres.")
    member = SessionMember.objects.create(session=locked, user=user, college=role.college, union_name=role.union_name)
    _event(locked, actor=by, action="add_member", label=f"Membre ajouté : {member}", data={"user": user.pk, "college": role.college})
    return member


@transaction.atomic
def remove_member(member, *, by):
    locked = _lock(member.session)
    _require_planned(locked)
    label = str(member)
    member.delete()
    _event(locked, actor=by, action="remove_member", label=f"Membre retiré : {label}")


@transaction.atomic
def add_candidate(session, *, by, dossier) -> SessionCandidate:
    """OEMM places a dossier « prêt pour le jury » in the session (not yet convoked)."""
    locked = _lock(session)
    _require_planned(locked)
    if not (dossier.state == DossierState.PRET_JURY or (dossier.state == DossierState.RECEVABLE and dossier.path == "vae")):
        raise WorkflowError(f"Le dossier {dossier.number} n'est pas prêt pour le jury (« {dossier.get_state_display()} »).")
    if not locked.certifications.filter(pk=dossier.certification_id).exists():
        raise WorkflowError(f"Cette session ne porte pas sur le {dossier.certification}.")
    count = locked.candidates.count()
    if count >= locked.capacity:
        raise WorkflowError(f"La session est complète ({locked.capacity} candidats).")
    elsewhere = SessionCandidate.objects.filter(dossier=dossier, session__state__in=[SessionState.PLANIFIEE, SessionState.OUVERTE])
    if elsewhere.exists():
        raise WorkflowError(f"Le dossier {dossier.number} est déjà inscrit à une session de jury.")
    position = (locked.candidates.aggregate(m=Max("position"))["m"] or 0) + 1
    candidate = SessionCandidate.objects.create(session=locked, dossier=dossier, position=position)
    _event(locked, actor=by, action="add_candidate", label=f"Candidat ajouté : {dossier.candidate} (dossier {dossier.number})",
           session_candidate=candidate)
    return candidate


@transaction.atomic
def remove_candidate(candidate, *, by):
    locked = _lock(candidate.session)
    _require_planned(locked)
    dossier = candidate.dossier
    convoked = candidate.convocations.exists()
    candidate.delete()
    _event(locked, actor=by, action="remove_candidate", label=f"Candidat retiré : {dossier.candidate} (dossier {dossier.number})")
    if convoked:
        record_event(dossier, actor=by, action="jury_unconvoked", label=f"Convocation au jury du {_day(locked.date)} annulée")
    _reconvoke_changed(locked, by=by, reason="Ordre de passage modifié")


@transaction.atomic
def move_candidate_up(candidate, *, by):
    """Swap the candidate with the one before; convoked candidates whose slot changes get a new convocation."""
    locked = _lock(candidate.session)
    _require_planned(locked)
    ordered = list(locked.ordered_candidates())
    index = next(i for i, c in enumerate(ordered) if c.pk == candidate.pk)
    if index == 0:
        return 0
    ordered[index - 1], ordered[index] = ordered[index], ordered[index - 1]
    for position, c in enumerate(ordered, start=1):
        SessionCandidate.objects.filter(pk=c.pk).update(position=position)
    _event(locked, actor=by, action="reorder", label=f"Ordre de passage modifié : {candidate.dossier.candidate} avancé(e)",
           session_candidate=candidate)
    return _reconvoke_changed(locked, by=by, reason="Ordre de passage modifié")


# ------------------------------------------------------------------ convocations


def _issue_convocation(session, candidate, *, by, slot, reason="") -> Convocation:
    last = candidate.convocations.order_by("-version").first()
    version = (last.version if last else 0) + 1
    start, end = slot
    convocation = Convocation.objects.create(
        session_candidate=candidate, version=version, starts_at=start, ends_at=end, location=session.location_label, sent_by=by,
    )
    when = f"{_day(timezone.localtime(start))} à {timezone.localtime(start):%H:%M}"
    label = f"Convocation{' rectifiée' if version > 1 else ''} envoyée à {candidate.dossier.candidate} : {when}"
    _event(session, actor=by, action="send_convocation", label=label, session_candidate=candidate, comment=reason,
           from_state=f"v{last.version}" if last else "", to_state=f"v{version}",
           data={"version": version, "starts_at": start.isoformat(), "ends_at": end.isoformat(), "location": convocation.location})
    record_event(candidate.dossier, actor=by, action="jury_convocation",
                 label=f"Convocation au jury (version {version}) : {when}", comment=reason, data={"session": session.pk})
    _enqueue_convocation(convocation.pk)
    return convocation


@transaction.atomic
def convoke(candidate, *, by) -> Convocation:
    """Send the convocation (PDF + .ics). Refused when the livret 2 came later than the CQP's delay before the session."""
    locked = _lock(candidate.session)
    _require_planned(locked)
    candidate = SessionCandidate.objects.select_related("dossier__version", "dossier__candidate").get(pk=candidate.pk)
    dossier = candidate.dossier
    if dossier.state != DossierState.PRET_JURY:
        from candidates.deadlines import livret2_due

        due_on = livret2_due(locked.date, dossier.version.livret2_due_months_before_session)
        raise WorkflowError(
            f"Le livret 2 du dossier {dossier.number} n'est pas encore reçu : il doit arriver au plus tard le "
            f"{due_on:%d/%m/%Y} pour cette session."
        )
    if candidate.attendance in NOT_PRESENT:
        raise WorkflowError("Le candidat est noté absent : remettez-le « attendu » avant de le convoquer.")
    months = dossier.version.livret2_due_months_before_session
    received = readiness.livret2_received_on(dossier)
    due = rules.livret2_late(locked.date, months, received)
    if due:
        arrived = f"il est arrivé le {_day(received)}" if received else "il n'est pas arrivé"
        raise WorkflowError(
            f"Convocation refusée : le livret 2 devait parvenir au plus tard le {_day(due)} "
            f"({months} mois avant la session) ; {arrived}."
        )
    slot = locked.slots()[candidate.pk]
    last = candidate.last_convocation
    if last and (last.starts_at, last.ends_at, last.location) == (slot[0], slot[1], locked.location_label):
        raise WorkflowError("Ce candidat est déjà convoqué à cet horaire.")
    return _issue_convocation(locked, candidate, by=by, slot=slot)


@transaction.atomic
def record_attendance(candidate, *, by, attendance, note=""):
    """Present / absent / excused, recorded per candidate."""
    locked = _lock(candidate.session)
    if locked.state == SessionState.CLOSE:
        raise WorkflowError("La session est close.")
    candidate = SessionCandidate.objects.select_for_update().get(pk=candidate.pk)
    fiche = candidate.current_fiche
    if fiche and fiche.is_locked:
        raise WorkflowError("La fiche de décision est signée : la présence ne se modifie plus.")
    if attendance in NOT_PRESENT and fiche is not None:
        raise WorkflowError("Une délibération est en cours pour ce candidat : il ne peut pas être noté absent.")
    previous = candidate.attendance
    candidate.attendance = attendance
    candidate.attendance_note = note or ""
    candidate.save(update_fields=["attendance", "attendance_note"])
    label = Attendance(attendance).label
    _event(locked, actor=by, action="record_attendance", label=f"{candidate.dossier.candidate} : {label.lower()}",
           from_state=previous, to_state=attendance, comment=note, session_candidate=candidate)
    if attendance in NOT_PRESENT:
        record_event(candidate.dossier, actor=by, action="jury_absence", label=f"Jury du {_day(locked.date)} : {label.lower()}",
                     comment=note)
    return candidate


@transaction.atomic
def declare_conflict(candidate, *, by, reason) -> ConflictOfInterest:
    """A member declares a conflict of interest with a candidate: they will not deliberate on that candidate."""
    locked = _lock(candidate.session)
    member = locked.members.filter(user=by).first()
    if member is None:
        raise WorkflowError("Seul un membre de ce jury peut déclarer un conflit d'intérêts.")
    if not (reason or "").strip():
        raise WorkflowError("Indiquez le motif du conflit d'intérêts (par exemple : même employeur).")
    fiche = candidate.current_fiche
    if fiche and fiche.is_locked:
        raise WorkflowError("La fiche de décision est signée.")
    if ConflictOfInterest.objects.filter(member=member, session_candidate=candidate).exists():
        raise WorkflowError("Vous avez déjà déclaré un conflit d'intérêts avec ce candidat.")
    conflict = ConflictOfInterest.objects.create(member=member, session_candidate=candidate, reason=reason.strip())
    _event(locked, actor=by, action="declare_conflict",
           label=f"Conflit d'intérêts déclaré par {by} avec {candidate.dossier.candidate}", comment=reason,
           session_candidate=candidate)
    return conflict


# ------------------------------------------------------------------ opening: composition and president


def proposed_president_college(session) -> str:
    return rules.next_president_college(selectors.previous_president_college(session))


@transaction.atomic
def open_session(session, *, by, president, reason="") -> JurySession:
    """Start of the session: parity checked, president designated (the college whose turn it is, unless a reason)."""
    if not _is_oemm(by):
        raise WorkflowError("Seul l'OEMM ouvre la session.")
    locked = _lock(session)
    sources, target = SESSION_TRANSITIONS["open_session"]
    if locked.state not in sources:
        raise WorkflowError(f"Action impossible : la session est « {locked.get_state_display()} ».")
    members = list(locked.members.select_related("user"))
    problems = rules.check_composition(members)
    if problems:
        raise WorkflowError("La session ne peut pas s'ouvrir, le jury n'est pas paritaire : " + " ".join(problems))
    if not locked.candidates.exists():
        raise WorkflowError("La session ne compte aucun candidat.")
    member = next((m for m in members if m.user_id == president.pk), None)
    if member is None:
        raise WorkflowError("Le président est désigné parmi les membres du jury.")
    proposed = proposed_president_college(locked)
    reason = (reason or "").strip()
    if member.college != proposed and not reason:
        raise WorkflowError(
            f"La présidence revient cette fois au {College(proposed).label.lower()} (alternance). "
            f"Pour désigner un membre du {College(member.college).label.lower()}, indiquez le motif."
        )
    previous = locked.state
    locked.state = target
    locked.president = president
    locked.president_college = member.college
    locked.president_reason = reason if member.college != proposed else ""
    locked.opened_at = timezone.now()
    locked.save(update_fields=["state", "president", "president_college", "president_reason", "opened_at"])
    _event(locked, actor=by, action="open_session", label="Session ouverte", from_state=previous, to_state=target)
    _event(locked, actor=by, action="designate_president",
           label=f"Président désigné : {president} ({College(member.college).label})",
           to_state=member.college, comment=locked.president_reason,
           data={"proposed_college": proposed, "college": member.college, "user": president.pk})
    session.refresh_from_db()
    return locked


@transaction.atomic
def close_session(session, *, by):
    if not _is_oemm(by):
        raise WorkflowError("Seul l'OEMM clôt la session.")
    locked = _lock(session)
    sources, target = SESSION_TRANSITIONS["close_session"]
    if locked.state not in sources:
        raise WorkflowError(f"Action impossible : la session est « {locked.get_state_display()} ».")
    pending = []
    for candidate in locked.ordered_candidates():
        if candidate.attendance in NOT_PRESENT:
            continue
        fiche = candidate.current_fiche
        if fiche is None or not fiche.is_locked:
            pending.append(str(candidate.dossier.candidate))
    if pending:
        raise WorkflowError("Fiches de décision non signées (ou présence non indiquée) : " + ", ".join(pending) + ".")
    locked.state = target
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    _event(locked, actor=by, action="close_session", label="Session close", from_state=sources[0], to_state=target)
    session.refresh_from_db()


# ------------------------------------------------------------------ deliberation and fiche de décision


def _check_can_deliberate(session, candidate, user):
    member = session.members.filter(user=user).first()
    if member is None:
        raise WorkflowError("Seuls les membres du jury délibèrent.")
    if user.pk in candidate.conflicted_user_ids():
        raise WorkflowError("Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne délibérez pas sur son dossier.")


def _fill_decisions(fiche, dossier, *, decisions, day, exclude_fiche=None):
    """Write the unit decisions of a fiche; return its outcome. Units held and still valid are carried over."""
    statuses = selectors.unit_statuses(dossier, day, exclude_fiche=exclude_fiche)
    to_decide = [s for s in statuses if not s.still_valid]
    missing = [s.unit for s in to_decide if s.unit.pk not in decisions]
    if missing:
        raise WorkflowError("Décidez de chaque unité (validé / non validé) : " + ", ".join(str(u) for u in missing) + ".")
    fiche.unit_decisions.all().delete()
    for status in statuses:
        if status.still_valid:
            UnitDecision.objects.create(
                fiche=fiche, unit=status.unit, validated=True, carried_from=status.earlier,
                carried_validated_on=status.earlier.validated_on, valid_until=status.earlier.valid_until,
            )
        else:
            UnitDecision.objects.create(fiche=fiche, unit=status.unit, validated=bool(decisions[status.unit.pk]))
    return rules.decide_outcome(
        [s.unit.number for s in statuses],
        [s.unit.number for s in to_decide if decisions[s.unit.pk]],
        [s.unit.number for s in statuses if s.still_valid],
    )


def _check_prescriptions(outcome, experience, modules):
    if outcome == Outcome.PARTIELLE and not (experience.strip() or modules.strip()):
        raise WorkflowError(
            "Validation partielle : précisez l'expérience professionnelle à approfondir en entreprise "
            "et/ou les modules de formation à suivre."
        )


@transaction.atomic
def record_deliberation(candidate, *, by, decisions: dict, experience_to_deepen="", modules_to_follow="") -> FicheDecision:
    """The jury's decision per unit (validé / non validé) and, for a partial validation, the prescriptions."""
    locked = _lock(candidate.session)
    if locked.state != SessionState.OUVERTE:
        raise WorkflowError("La délibération n'a lieu qu'en séance : la session n'est pas ouverte.")
    candidate = SessionCandidate.objects.select_for_update().select_related("dossier__version", "dossier__candidate").get(pk=candidate.pk)
    _check_can_deliberate(locked, candidate, by)
    if candidate.attendance in NOT_PRESENT:
        raise WorkflowError("Le candidat est noté absent : il n'y a pas de délibération.")
    fiche = candidate.current_fiche
    if fiche is not None and fiche.is_locked:
        raise WorkflowError("La fiche de décision est signée : elle ne se modifie plus.")
    if fiche is None:
        fiche = FicheDecision.objects.create(session_candidate=candidate, version=1)
    outcome = _fill_decisions(fiche, candidate.dossier, decisions=decisions, day=locked.date)
    fiche.outcome = outcome
    fiche.experience_to_deepen = experience_to_deepen or ""
    fiche.modules_to_follow = modules_to_follow or ""
    fiche.deliberated_by = by
    fiche.save()
    if candidate.attendance == Attendance.ATTENDU:
        candidate.attendance = Attendance.PRESENT
        candidate.save(update_fields=["attendance"])
    _event(locked, actor=by, action="record_deliberation",
           label=f"Délibération enregistrée pour {candidate.dossier.candidate} : {Outcome(outcome).label.lower()}",
           session_candidate=candidate, to_state=outcome,
           data={str(k): bool(v) for k, v in decisions.items()})
    return fiche


def signatory_problem(fiche, user) -> str | None:
    """Why ``user`` may not sign this fiche (None when they may): the president signs, unless in conflict
    with the candidate; then another member without conflict signs for the president."""
    session = fiche.session_candidate.session
    conflicted = fiche.session_candidate.conflicted_user_ids()
    if not session.members.filter(user=user).exists():
        return "Seul le président du jury signe la fiche de décision."
    if user.pk in conflicted:
        return "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne signez pas sa fiche."
    if session.president_id == user.pk:
        return None
    if session.president_id in conflicted:
        return None  # signs for the president
    return "Seul le président du jury signe la fiche de décision."


def _record_validated_units(fiche, session, dossier):
    validity = dossier.version.partial_validity_years
    for decision in fiche.unit_decisions.select_related("unit"):
        if decision.validated and not decision.is_carried:
            until = rules.unit_valid_until(session.date, validity)
            decision.valid_until = until
            decision.save(update_fields=["valid_until"])
            ValidatedUnit.objects.create(
                candidate=dossier.candidate, certification=dossier.certification, unit=decision.unit,
                unit_number=decision.unit.number, validated_on=session.date, valid_until=until, session=session, fiche=fiche,
            )


@transaction.atomic
def sign_fiche(fiche, *, by) -> FicheDecision:
    """The president signs: the fiche is locked for everyone, units are recorded, the dossier gets its decision."""
    fiche = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
    candidate = SessionCandidate.objects.select_related("session", "dossier__version", "dossier__candidate",
                                                        "dossier__certification").get(pk=fiche.session_candidate_id)
    session = _lock(candidate.session)
    sources, target = FICHE_TRANSITIONS["sign_fiche"]
    if fiche.state not in sources:
        raise WorkflowError("La fiche de décision est déjà signée : elle ne se modifie plus.")
    if session.state != SessionState.OUVERTE:
        raise WorkflowError("La fiche se signe en séance : la session n'est pas ouverte.")
    problem = signatory_problem(fiche, by)
    if problem:
        raise WorkflowError(problem)
    _check_prescriptions(fiche.outcome, fiche.experience_to_deepen, fiche.modules_to_follow)
    dossier = candidate.dossier
    # Units first: once signed, the database refuses any change to the fiche's unit decisions (jury 0003).
    _record_validated_units(fiche, session, dossier)
    fiche.state = target
    fiche.signed_by = by
    fiche.signed_at = timezone.now()
    fiche.signed_for_president = by.pk != session.president_id
    fiche.pdf_status = PdfStatus.PENDING
    fiche.save()
    if fiche.outcome == Outcome.TOTALE:
        Certificate.objects.create(dossier=dossier, fiche=fiche, issued_on=session.date)
    dossier_workflow.record_decision(dossier, by=by, outcome=fiche.outcome)
    _event(session, actor=by, action="sign_fiche",
           label=f"Fiche de décision signée pour {dossier.candidate} : {Outcome(fiche.outcome).label.lower()}",
           from_state=sources[0], to_state=target, session_candidate=candidate,
           data={"fiche": fiche.pk, "outcome": fiche.outcome, "for_president": fiche.signed_for_president})
    enqueue_fiche(fiche.pk)
    return fiche


@transaction.atomic
def correct_fiche(fiche, *, by, reason, decisions: dict, experience_to_deepen="", modules_to_follow="") -> FicheDecision:
    """Only a material error is corrected, by OEMM, with its reason: a new version of the fiche; the candidate is told."""
    if not _is_oemm(by):
        raise WorkflowError("Seul l'OEMM corrige une erreur matérielle sur une fiche signée.")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Indiquez l'erreur matérielle corrigée.")
    old = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
    sources, target = FICHE_TRANSITIONS["correct_fiche"]
    if old.state not in sources:
        raise WorkflowError("Seule la version en vigueur d'une fiche signée se rectifie.")
    candidate = SessionCandidate.objects.select_related("session", "dossier__version", "dossier__candidate",
                                                        "dossier__certification").get(pk=old.session_candidate_id)
    session, dossier = candidate.session, candidate.dossier
    old.state = target
    old.save(update_fields=["state"])
    # Filled in as a draft, then signed in one write: the database refuses changes to a signed fiche (jury 0003).
    new = FicheDecision.objects.create(
        session_candidate=candidate, version=old.version + 1, state=FicheState.BROUILLON,
        experience_to_deepen=experience_to_deepen or "", modules_to_follow=modules_to_follow or "",
        deliberated_by=old.deliberated_by, signed_by=old.signed_by, signed_at=old.signed_at,
        signed_for_president=old.signed_for_president, previous=old, corrected_by=by, correction_reason=reason,
        pdf_status=PdfStatus.PENDING,
    )
    new.outcome = _fill_decisions(new, dossier, decisions=decisions, day=session.date, exclude_fiche=old)
    _check_prescriptions(new.outcome, new.experience_to_deepen, new.modules_to_follow)
    old.validated_units.all().delete()
    _record_validated_units(new, session, dossier)
    new.state = FicheState.SIGNEE
    new.save(update_fields=["outcome", "state"])
    certificate = dossier.certificates.filter(revoked_at__isnull=True).first()
    if new.outcome == Outcome.TOTALE:
        if certificate:
            certificate.fiche = new
            certificate.save(update_fields=["fiche"])
        else:
            Certificate.objects.create(dossier=dossier, fiche=new, issued_on=session.date)
    elif certificate:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    data = {"version": new.version, "from": old.outcome, "to": new.outcome}
    _event(session, actor=by, action="correct_fiche",
           label=f"Fiche de décision de {dossier.candidate} rectifiée (version {new.version})",
           from_state=old.outcome, to_state=new.outcome, comment=reason, session_candidate=candidate, data=data)
    record_event(dossier, actor=by, action="correct_decision", label="Fiche de décision rectifiée (erreur matérielle)",
                 from_state=old.outcome, to_state=new.outcome, comment=reason, data=data)
    enqueue_fiche(new.pk)
    return new


@transaction.atomic
def request_fiche_pdf(fiche, *, by):
    """OEMM asks for the PDF to be made again (after a failure, or on demand)."""
    fiche = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
    if fiche.state == FicheState.BROUILLON:
        raise WorkflowError("La fiche n'est pas signée.")
    fiche.pdf_status = PdfStatus.PENDING
    fiche.save(update_fields=["pdf_status"])
    _event(fiche.session_candidate.session, actor=by, action="rebuild_fiche",
           label=f"Nouvelle fabrication du PDF demandée (fiche de {fiche.dossier.candidate}, version {fiche.version})",
           session_candidate=fiche.session_candidate)
    enqueue_fiche(fiche.pk)
