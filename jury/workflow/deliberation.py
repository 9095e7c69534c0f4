"""Deliberation and fiche de décision: conflicts of interest, the jury's decision per unit, the president's signature
(units recorded, certificate, the dossier's decision), the correction of a material error, the PDF.

Life of a fiche (``FicheState``, table ``FICHE_TRANSITIONS``)::

    (none) --record_deliberation--> brouillon --sign_fiche--> signee --correct_fiche--> remplacee (+ a new signee)
"""

from django.db import transaction
from django.utils import timezone

from candidates import workflow as dossier_workflow
from candidates.audit import record_event
from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit

from .. import rules, selectors
from ..audit import record_session_event
from ..enums import NOT_PRESENT, Attendance, FicheState, Outcome, PdfStatus
from ..models import Certificate, ConflictOfInterest, FicheDecision, SessionCandidate, UnitDecision, ValidatedUnit
from .checks import check_fiche, check_session, enqueue_fiche, lock_session, require_oemm

CONFLICTED = "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne délibérez pas sur son dossier."


@transaction.atomic
def declare_conflict(candidate, *, by, reason) -> ConflictOfInterest:
    """A member declares a conflict of interest with a candidate: they will not deliberate on that candidate."""
    locked = lock_session(candidate.session)
    member = locked.members.filter(user=by).first()
    if member is None:
        raise WorkflowError("Seul un membre de ce jury peut déclarer un conflit d'intérêts.")
    if not (reason or "").strip():
        raise WorkflowError("Indiquez le motif du conflit d'intérêts (par exemple : même employeur).")
    check_fiche(candidate.current_fiche, "declare_conflict")
    if ConflictOfInterest.objects.filter(member=member, session_candidate=candidate).exists():
        raise WorkflowError("Vous avez déjà déclaré un conflit d'intérêts avec ce candidat.")
    conflict = ConflictOfInterest.objects.create(member=member, session_candidate=candidate, reason=reason.strip())
    record_session_event(
        locked,
        actor=by,
        action="declare_conflict",
        label=f"Conflit d'intérêts déclaré par {by} avec {candidate.dossier.candidate}",
        comment=reason,
        session_candidate=candidate,
    )
    return conflict


def check_may_deliberate(session, candidate, user) -> None:
    """Whether ``user`` may deliberate on ``candidate`` now (the one rule: ``record_deliberation`` asks it under lock,
    the predicate « jury.deliberate » asks it to offer the form)."""
    check_session(session, "deliberate")
    if not session.members.filter(user=user).exists():
        raise WorkflowError("Seuls les membres du jury délibèrent.")
    if user.pk in candidate.conflicted_user_ids():
        raise WorkflowError(CONFLICTED)
    if candidate.attendance in NOT_PRESENT:
        raise WorkflowError("Le candidat est noté absent : il n'y a pas de délibération.")
    check_fiche(candidate.current_fiche, "deliberate")


def _fill_decisions(fiche, dossier, *, decisions, day, exclude_fiche=None):
    """Write the unit decisions of a fiche; return its outcome. Units held and still valid are carried over."""
    statuses = selectors.unit_statuses(dossier, day, exclude_fiche=exclude_fiche)
    required = [s.unit.number for s in statuses]
    statuses = selectors.examined_statuses(statuses, dossier)  # a partial path: its units only (issue 17)
    to_decide = [s for s in statuses if not s.still_valid]
    missing = [s.unit for s in to_decide if s.unit.pk not in decisions]
    if missing:
        raise WorkflowError(
            "Décidez de chaque unité (validé / non validé) : " + ", ".join(str(u) for u in missing) + "."
        )
    fiche.unit_decisions.all().delete()
    for status in statuses:
        if status.still_valid:
            UnitDecision.objects.create(
                fiche=fiche,
                unit=status.unit,
                validated=True,
                carried_from=status.earlier,
                carried_validated_on=status.earlier.validated_on,
                valid_until=status.earlier.valid_until,
            )
        else:
            UnitDecision.objects.create(fiche=fiche, unit=status.unit, validated=bool(decisions[status.unit.pk]))
    return rules.decide_outcome(
        required,
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
def record_deliberation(
    candidate, *, by, decisions: dict, experience_to_deepen="", modules_to_follow=""
) -> FicheDecision:
    """The jury's decision per unit (validé / non validé) and, for a partial validation, the prescriptions."""
    locked = lock_session(candidate.session)
    candidate = (
        SessionCandidate.objects.select_for_update()
        .select_related("dossier__version", "dossier__candidate")
        .get(pk=candidate.pk)
    )
    check_may_deliberate(locked, candidate, by)
    fiche = candidate.current_fiche
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
    record_session_event(
        locked,
        actor=by,
        action="record_deliberation",
        label=f"Délibération enregistrée pour {candidate.dossier.candidate} : {Outcome(outcome).label.lower()}",
        session_candidate=candidate,
        to_state=outcome,
        data={str(k): bool(v) for k, v in decisions.items()},
    )
    publish_on_commit(NotificationKind.FICHE_TO_SIGN, by=by, fiche=fiche.pk)
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
                candidate=dossier.candidate,
                certification=dossier.certification,
                unit=decision.unit,
                unit_number=decision.unit.number,
                validated_on=session.date,
                valid_until=until,
                session=session,
                fiche=fiche,
            )


@transaction.atomic
def sign_fiche(fiche, *, by) -> FicheDecision:
    """The president signs, on the session's date or later (the fiche is dated by the signing moment, never before
    its session): the fiche is locked for everyone, units are recorded, the dossier gets its decision."""
    fiche = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
    candidate = SessionCandidate.objects.select_related(
        "session", "dossier__version", "dossier__candidate", "dossier__certification"
    ).get(pk=fiche.session_candidate_id)
    session = lock_session(candidate.session)
    previous, target = fiche.state, check_fiche(fiche, "sign_fiche")
    check_session(session, "sign_fiche")
    problem = signatory_problem(fiche, by) or rules.signing_problem(session.date, timezone.localdate())
    if problem:
        raise WorkflowError(problem)
    if not session.is_commission:  # a commission paritaire validates the units aimed at, without prescriptions
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
    record_session_event(
        session,
        actor=by,
        action="sign_fiche",
        label=f"Fiche de décision signée pour {dossier.candidate} : {Outcome(fiche.outcome).label.lower()}",
        from_state=previous,
        to_state=target,
        session_candidate=candidate,
        data={"fiche": fiche.pk, "outcome": fiche.outcome, "for_president": fiche.signed_for_president},
    )
    enqueue_fiche(fiche.pk)
    return fiche


@transaction.atomic
def correct_fiche(
    fiche, *, by, reason, decisions: dict, experience_to_deepen="", modules_to_follow=""
) -> FicheDecision:
    """Only a material error is corrected, by OEMM, with its reason: a new version of the fiche; the candidate is
    told.
    """
    require_oemm(by, "Seul l'OEMM corrige une erreur matérielle sur une fiche signée.")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Indiquez l'erreur matérielle corrigée.")
    old = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
    target = check_fiche(old, "correct_fiche")
    candidate = SessionCandidate.objects.select_related(
        "session", "dossier__version", "dossier__candidate", "dossier__certification"
    ).get(pk=old.session_candidate_id)
    session, dossier = candidate.session, candidate.dossier
    old.state = target
    old.save(update_fields=["state"])
    # Filled in as a draft, then signed in one write: the database refuses changes to a signed fiche (jury 0003).
    new = FicheDecision.objects.create(
        session_candidate=candidate,
        version=old.version + 1,
        state=FicheState.BROUILLON,
        experience_to_deepen=experience_to_deepen or "",
        modules_to_follow=modules_to_follow or "",
        deliberated_by=old.deliberated_by,
        signed_by=old.signed_by,
        signed_at=old.signed_at,
        signed_for_president=old.signed_for_president,
        previous=old,
        corrected_by=by,
        correction_reason=reason,
        pdf_status=PdfStatus.PENDING,
    )
    new.outcome = _fill_decisions(new, dossier, decisions=decisions, day=session.date, exclude_fiche=old)
    if not session.is_commission:
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
    record_session_event(
        session,
        actor=by,
        action="correct_fiche",
        label=f"Fiche de décision de {dossier.candidate} rectifiée (version {new.version})",
        from_state=old.outcome,
        to_state=new.outcome,
        comment=reason,
        session_candidate=candidate,
        data=data,
    )
    record_event(
        dossier,
        actor=by,
        action="correct_decision",
        label="Fiche de décision rectifiée (erreur matérielle)",
        from_state=old.outcome,
        to_state=new.outcome,
        comment=reason,
        data=data,
    )
    enqueue_fiche(new.pk)
    return new


@transaction.atomic
def request_fiche_pdf(fiche, *, by):
    """OEMM asks for the PDF to be made again (after a failure, or on demand)."""
    fiche = FicheDecision.objects.select_for_update().get(pk=fiche.pk)
    check_fiche(fiche, "rebuild_pdf")
    fiche.pdf_status = PdfStatus.PENDING
    fiche.save(update_fields=["pdf_status"])
    record_session_event(
        fiche.session_candidate.session,
        actor=by,
        action="rebuild_fiche",
        label=f"Nouvelle fabrication du PDF demandée (fiche de {fiche.dossier.candidate}, version {fiche.version})",
        session_candidate=fiche.session_candidate,
    )
    enqueue_fiche(fiche.pk)
