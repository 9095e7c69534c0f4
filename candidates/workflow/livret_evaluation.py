"""Transitions of the livret d'évaluation finale en entreprise (the candidate's part, each evaluator's assessment
of each unit, the fiche de synthèse and the sworn statement, the transmission to the OEMM) and the OEMM's
declaration that the formative dossier is ready for the jury. Who writes what: ``formation.py``."""

from django.db import transaction
from django.utils import timezone

from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit
from referentiels.enums import CriterionKind

from ..audit import record_event
from ..entretien_sheet import guide_units, unit_label
from ..formation_file import build_file, unit_criteria
from ..formation_rules import (
    CANDIDATE_FIRST,
    assessment_missing,
    candidate_missing,
    evaluator_sign_missing,
    synthesis_line_complete,
)
from ..models import Dossier, FinalRating, LivretEvaluation, LivretEvaluationAnswer, SynthesisLine, UnitAssessment
from ..permissions import is_dossier_candidate, is_dossier_rh, is_evaluator, is_oemm
from . import dossier as dossier_workflow
from .dossier import check_dossier
from .formation import (
    FormationIncomplete,
    check_formation,
    check_livret_evaluation,
    check_open_for_work,
    lock_dossier,
    replace_ratings,
    require,
    unit_of,
)

CANDIDATE_PART_SIGNED = "Vous avez signé votre partie du livret : elle n'est plus modifiable."
ASSESSMENT_SIGNED = "Votre évaluation de cette unité est signée : elle n'est plus modifiable."
ASSESSMENT_NOT_STARTED = "votre évaluation de cette unité (elle n'a pas commencé)"
SYNTHESIS_SIGNED = "La fiche de synthèse a été signée : elle n'est plus modifiable."


def check_candidate_part_editable(dossier, livret) -> None:
    """The candidate's part may be written now (the page asks it before showing the form)."""
    check_open_for_work(dossier)
    if livret is not None and livret.candidate_signed_at:
        raise WorkflowError(CANDIDATE_PART_SIGNED)


def check_assessment_editable(dossier, assessment) -> None:
    check_open_for_work(dossier)
    if assessment is not None and assessment.is_signed:
        raise WorkflowError(ASSESSMENT_SIGNED)


def check_synthesis_editable(dossier, livret) -> None:
    check_open_for_work(dossier)
    if livret is not None and livret.synthesis_locked:
        raise WorkflowError(SYNTHESIS_SIGNED)


def _livret(dossier, by) -> LivretEvaluation:
    livret, created = LivretEvaluation.objects.select_for_update().get_or_create(dossier=dossier)
    if created:
        record_event(
            dossier,
            actor=by,
            action="livret_evaluation_start",
            label="Livret d'évaluation finale en entreprise commencé",
        )
    return livret


@transaction.atomic
def save_candidate_part(dossier, *, by, activities, answers) -> LivretEvaluation:
    """The candidate stores their part: activities carried out, one answer per unit (before signing)."""
    check_formation(dossier)
    require(is_dossier_candidate(by, dossier), "Seul le candidat remplit sa partie du livret d'évaluation finale.")
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.candidate_signed_at:
        raise WorkflowError(CANDIDATE_PART_SIGNED)
    livret.candidate_activities = (activities or "").strip()
    livret.save(update_fields=["candidate_activities", "updated_at"])
    units = {u.pk: u for u in guide_units(dossier) if not livret.reopened_units or u.number in livret.reopened_units}
    stored = {a.unit_id: a for a in livret.answers.all()}
    for unit_id, given in answers.items():
        unit = units.get(unit_id)
        if unit is None:
            continue
        defaults = {}
        if isinstance(given, str):  # a unit without questions: one free answer
            defaults["text"] = given.strip()
        else:
            if "text" in given:
                defaults["text"] = (given["text"] or "").strip()
            if "questions" in given:
                count = len(unit.final_questions or [])
                defaults["question_answers"] = [(t or "").strip() for t in given["questions"]][:count]
            if "comment" in given and unit.final_candidate_comment:
                defaults["candidate_comment"] = (given["comment"] or "").strip()
        if unit_id in stored or any(defaults.values()):
            LivretEvaluationAnswer.objects.update_or_create(livret=livret, unit_id=unit_id, defaults=defaults)
    return livret


@transaction.atomic
def sign_candidate_part(dossier, *, by) -> LivretEvaluation:
    check_formation(dossier)
    require(is_dossier_candidate(by, dossier), "Seul le candidat signe sa partie du livret d'évaluation finale.")
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.candidate_signed_at:
        raise WorkflowError("Vous avez déjà signé votre partie du livret.")
    stored = {a.unit_id: a for a in livret.answers.all()}
    missing = candidate_missing(
        activities=livret.candidate_activities,
        units=[
            (
                unit_label(dossier, u),
                u.final_questions,
                stored[u.pk].text if u.pk in stored else "",
                stored[u.pk].question_answers if u.pk in stored else [],
            )
            for u in guide_units(dossier)
        ],
    )
    if missing:
        raise FormationIncomplete(missing, "Votre partie est incomplète, il manque")
    livret.candidate_signed_at = timezone.now()
    livret.save(update_fields=["candidate_signed_at", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="livret_evaluation_sign_candidate",
        label="Livret d'évaluation finale : partie du candidat signée",
    )
    return livret


def _check_evaluator(dossier, by, slot):
    require(
        is_evaluator(by, dossier, slot),
        f"Vous n'êtes pas l'évaluateur {slot} de ce dossier : vous ne pouvez ni remplir ni signer sa partie.",
    )


def _assessment(livret, unit, slot):
    return UnitAssessment.objects.select_for_update().filter(livret=livret, unit=unit, slot=slot).first()


@transaction.atomic
def save_unit_assessment(dossier, unit, slot, *, by, data) -> UnitAssessment:
    """Evaluator ``slot`` stores their assessment of a unit: ``data`` evaluated_on, modality_used, mastery, comments,
    ratings.
    """
    check_formation(dossier)
    _check_evaluator(dossier, by, slot)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    unit_of(dossier, unit)
    livret = _livret(dossier, by)
    assessment = _assessment(livret, unit, slot)
    if assessment is not None and assessment.is_signed:
        raise WorkflowError(ASSESSMENT_SIGNED)
    if assessment is None:
        assessment = UnitAssessment(livret=livret, unit=unit, slot=slot)
    assessment.evaluated_on = data.get("evaluated_on")
    for name in ("modality_used", "mastery", "comments"):
        setattr(assessment, name, (data.get(name) or "").strip())
    assessment.updated_by = by
    assessment.save()
    replace_ratings(
        FinalRating,
        "assessment",
        assessment,
        data.get("ratings", {}),
        "answer",
        unit_criteria(unit, CriterionKind.FINAL),
    )
    return assessment


@transaction.atomic
def sign_unit_assessment(dossier, unit, slot, *, by) -> UnitAssessment:
    """Evaluator ``slot`` signs their assessment of a unit (then read-only), after the candidate signed their part;
    refused with what is missing."""
    check_formation(dossier)
    _check_evaluator(dossier, by, slot)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    unit_of(dossier, unit)
    livret = _livret(dossier, by)
    assessment = _assessment(livret, unit, slot)
    if assessment is None:
        raise FormationIncomplete([ASSESSMENT_NOT_STARTED], "Signature impossible, il manque")
    if assessment.is_signed:
        raise WorkflowError("Vous avez déjà signé votre évaluation de cette unité.")
    missing = [] if livret.candidate_signed_at else [CANDIDATE_FIRST]
    missing += assessment_missing(
        evaluated_on=assessment.evaluated_on,
        mastery=assessment.mastery,
        criteria=unit_criteria(unit, CriterionKind.FINAL),
        ratings={r.criterion_id: r.answer for r in assessment.ratings.all()},
    )
    if missing:
        intro = (
            "Votre évaluation est incomplète, il manque"
            if livret.candidate_signed_at
            else "Signature impossible, il manque"
        )
        raise FormationIncomplete(missing, intro)
    assessment.signed_at = timezone.now()
    assessment.signed_by = by
    assessment.save(update_fields=["signed_at", "signed_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="unit_assessment_sign",
        label=f"Évaluation finale signée par l'évaluateur {slot} — {unit_label(dossier, unit)}",
        data={"unit": unit.number, "slot": slot, "mastery": assessment.mastery},
    )
    return assessment


@transaction.atomic
def save_synthesis(dossier, *, by, lines) -> LivretEvaluation:
    """Either evaluator fills the fiche de synthèse: ``lines`` {unit id: {activities_exercised, evaluated_from,
    evaluated_to, conditions}}.
    """
    check_formation(dossier)
    require(
        is_evaluator(by, dossier, 1) or is_evaluator(by, dossier, 2),
        "Seuls les deux évaluateurs du dossier remplissent la fiche de synthèse.",
    )
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.synthesis_locked:
        raise WorkflowError(SYNTHESIS_SIGNED)
    units = {u.pk for u in guide_units(dossier)}
    for unit_id, values in lines.items():
        if unit_id in units:
            SynthesisLine.objects.update_or_create(livret=livret, unit_id=unit_id, defaults=values)
    livret.save(update_fields=["updated_at"])
    return livret


@transaction.atomic
def sign_as_evaluator(dossier, slot, *, by) -> LivretEvaluation:
    """Evaluator ``slot`` signs the fiche de synthèse and the sworn statement of the cover."""
    check_formation(dossier)
    _check_evaluator(dossier, by, slot)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.signed_at(slot):
        raise WorkflowError("Vous avez déjà signé la fiche de synthèse et l'attestation.")
    units = [(u.pk, unit_label(dossier, u)) for u in guide_units(dossier)]
    lines = {line.unit_id: line for line in livret.synthesis_lines.all()}
    missing = [] if livret.candidate_signed_at else [CANDIDATE_FIRST]
    missing += evaluator_sign_missing(
        slot=slot,
        units=units,
        signed_units=set(
            livret.assessments.filter(slot=slot, signed_at__isnull=False).values_list("unit_id", flat=True)
        ),
        complete_lines={pk for pk, _ in units if synthesis_line_complete(lines.get(pk))},
    )
    if missing:
        raise FormationIncomplete(missing, "Signature impossible, il manque")
    setattr(livret, f"evaluator{slot}_signed_at", timezone.now())
    setattr(livret, f"evaluator{slot}_signed_by", by)
    livret.save(update_fields=[f"evaluator{slot}_signed_at", f"evaluator{slot}_signed_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action=f"livret_evaluation_sign_evaluator{slot}",
        label=f"Fiche de synthèse et attestation sur l'honneur signées par l'évaluateur {slot}",
    )
    return livret


@transaction.atomic
def transmit_livret_evaluation(dossier, *, by) -> LivretEvaluation:
    """The company's RH transmits the complete livret to the OEMM; refused with the list of what is missing."""
    check_formation(dossier)
    require(
        is_dossier_rh(by, dossier),
        "Seul le responsable RH de l'entreprise transmet le livret d'évaluation finale à l'OEMM.",
    )
    dossier = lock_dossier(dossier)
    check_dossier(dossier, "transmit_livret_evaluation")
    livret = LivretEvaluation.objects.select_for_update().filter(dossier=dossier).first()
    target = check_livret_evaluation(livret, "transmit_livret_evaluation")
    missing = build_file(dossier).missing
    if livret is None or missing:
        raise FormationIncomplete(
            missing or ["le livret d'évaluation finale (il n'a pas commencé)"],
            "Le livret d'évaluation finale ne peut pas être transmis, il manque",
        )
    previous = livret.state
    livret.state = target
    livret.transmitted_at = timezone.now()
    livret.transmitted_by = by
    livret.save(update_fields=["state", "transmitted_at", "transmitted_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="transmit_livret_evaluation",
        label="Livret d'évaluation finale transmis à l'OEMM",
        data={"livret_evaluation_state": {"from": previous, "to": target}},
    )
    publish_on_commit(NotificationKind.LIVRET_EVALUATION_RECEIVED, by=by, dossier=dossier.pk)
    return livret


@transaction.atomic
def mark_formation_ready_for_jury(dossier, *, by, comment="") -> Dossier:
    """OEMM declares the formative dossier ready for the jury, once the livret d'évaluation is transmitted and
    complete (parcours hours followed, évaluations formatives signed: ``build_file(...).missing``; then the
    dossier's own transition ``mark_ready_for_jury``)."""
    check_formation(dossier)
    require(is_oemm(by), "Seul l'OEMM déclare un dossier prêt pour le jury.")
    locked = lock_dossier(dossier)
    check_livret_evaluation(
        LivretEvaluation.objects.select_for_update().filter(dossier=locked).first(), "mark_ready_for_jury"
    )
    missing = build_file(locked).missing
    if missing:
        raise FormationIncomplete(missing, "Le dossier ne peut pas être déclaré prêt pour le jury, il manque")
    return dossier_workflow.mark_ready_for_jury(
        dossier, by=by, comment=comment or "Livret d'évaluation finale en entreprise reçu."
    )


@transaction.atomic
def reopen_livret_evaluation_for_units(dossier, *, by, unit_numbers: list[int]) -> LivretEvaluation | None:
    """After a validation partielle the dossier goes back before a jury: a new evaluation of the missing units. The
    livret is reopened; the assessments of those units and every signature of the livret (candidate's part, fiche de
    synthèse) are to be given again; the units already acquired keep their signed assessment. None: no livret."""
    livret = LivretEvaluation.objects.select_for_update().filter(dossier_id=dossier.pk).first()
    if livret is None:
        return None
    previous, target = livret.state, check_livret_evaluation(livret, "reopen_for_units")
    numbers = sorted(unit_numbers)
    livret.state = target
    livret.reopened_units = numbers
    livret.candidate_signed_at = None
    livret.evaluator1_signed_at = livret.evaluator2_signed_at = None
    livret.evaluator1_signed_by = livret.evaluator2_signed_by = None
    livret.transmitted_at = None
    livret.transmitted_by = None
    livret.save()
    for assessment in livret.assessments.filter(unit__number__in=numbers):
        assessment.signed_at = None
        assessment.signed_by = None
        assessment.save(update_fields=["signed_at", "signed_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="livret_evaluation_reopen",
        label="Livret d'évaluation finale rouvert : nouvelle évaluation de "
        + ", ".join(f"{dossier.certification.unit_label} {n}" for n in numbers),
        data={"units": numbers, "livret_evaluation_state": {"from": previous, "to": target}},
    )
    return livret
