"""Voie formative: the livret d'évaluation finale (candidate's part, evaluators' assessments, fiche de synthèse,
signatures, transmission, ready for the jury)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cqp import autosave
from cqp.autosave import Versioned
from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page as _login_required

from ..enums import SWORN_STATEMENT
from ..formation_file import build_file
from ..formation_forms import (
    CandidatePartForm,
    SynthesisForm,
    UnitAssessmentForm,
)
from ..formation_recap import candidate_recap
from ..formation_rules import assessment_missing, candidate_missing, evaluator_sign_missing
from ..models import (
    LivretEvaluation,
    UnitAssessment,
)
from ..workflow import livret_evaluation as evaluation_workflow
from .common import _autosave, _check_slot, _confirm, _context, _fetch, _unit_file, _url

# --- livret d'évaluation finale ---------------------------------------------------------------------------------


@_login_required
def formation_livret(request, number):
    dossier = _fetch(request, number)
    return render(
        request, "candidates/formation_livret.html", _context(request, dossier, sworn_statement=SWORN_STATEMENT)
    )


@autosave.login_required
def formation_candidate(request, number):
    dossier = _fetch(request, number, "candidates.write_livret_evaluation_candidate")
    file = build_file(dossier)
    form = CandidatePartForm(request.POST if request.method == "POST" else None, file=file)
    return _autosave(
        request,
        dossier=dossier,
        form=form,
        check=lambda: evaluation_workflow.check_candidate_part_editable(dossier, file.livret),
        save=lambda data: evaluation_workflow.save_candidate_part(dossier, by=request.user, **data),
        template="candidates/formation_candidate_edit.html",
        context={"dossier": dossier, "file": file},
        self_url=_url("formation_candidate", dossier),
        back_url=_url("formation_livret", dossier),
        sign_url=_url("formation_candidate_sign", dossier),
        versioned=Versioned(LivretEvaluation, {"dossier": dossier}),
    )


@_login_required
def formation_candidate_sign(request, number):
    dossier = _fetch(request, number, "candidates.write_livret_evaluation_candidate")
    file = build_file(dossier)
    missing = candidate_missing(
        activities=file.livret.candidate_activities if file.livret else "",
        units=[(u.label, u.unit.final_questions, u.answer, [a for _, a in u.question_answers]) for u in file.units],
    )
    return _confirm(
        request,
        dossier=dossier,
        title="Signer ma partie du livret d'évaluation finale",
        action=lambda: evaluation_workflow.sign_candidate_part(dossier, by=request.user),
        success="Votre partie du livret est signée.",
        back_url=_url("formation_livret", dossier),
        missing=missing,
        confirm_label="J'ai rempli seul(e) les parties me concernant et je les signe. Elles ne seront plus "
        "modifiables.",
        submit_label="Signer ma partie",
        extra={"recap": candidate_recap(file), "edit_url": _url("formation_candidate", dossier)},
    )


@autosave.login_required
def formation_assessment(request, number, unit_id, slot):
    dossier = _fetch(request, number)
    _check_slot(request, dossier, slot)
    file = build_file(dossier)
    u = _unit_file(file, unit_id)
    form = UnitAssessmentForm(request.POST if request.method == "POST" else None, unit_file=u, slot=slot)
    return _autosave(
        request,
        dossier=dossier,
        form=form,
        check=lambda: evaluation_workflow.check_assessment_editable(dossier, u.assessments[slot - 1].assessment),
        save=lambda data: evaluation_workflow.save_unit_assessment(dossier, u.unit, slot, by=request.user, data=data),
        template="candidates/formation_assessment_edit.html",
        context={"dossier": dossier, "file": file, "u": u, "slot": slot},
        self_url=_url("formation_assessment", dossier, unit_id=unit_id, slot=slot),
        back_url=_url("formation_livret", dossier),
        sign_url=_url("formation_assessment_sign", dossier, unit_id=unit_id, slot=slot),
        versioned=Versioned(UnitAssessment, {"livret__dossier": dossier, "unit": u.unit, "slot": slot}),
    )


@_login_required
def formation_assessment_sign(request, number, unit_id, slot):
    dossier = _fetch(request, number)
    _check_slot(request, dossier, slot)
    u = _unit_file(build_file(dossier), unit_id)
    view = u.assessments[slot - 1]
    a = view.assessment
    missing = (
        assessment_missing(
            evaluated_on=a.evaluated_on,
            mastery=a.mastery,
            criteria=u.final_criteria,
            ratings={c.pk: v for c, v, _ in view.lines},
        )
        if a
        else [evaluation_workflow.ASSESSMENT_NOT_STARTED]
    )
    return _confirm(
        request,
        dossier=dossier,
        title=f"Signer mon évaluation (évaluateur {slot}) — {u.label}",
        action=lambda: evaluation_workflow.sign_unit_assessment(dossier, u.unit, slot, by=request.user),
        success="Votre évaluation est signée.",
        back_url=_url("formation_livret", dossier),
        missing=missing,
        confirm_label="Je signe mon évaluation de cette unité. Elle ne sera plus modifiable.",
        submit_label="Signer mon évaluation",
    )


@autosave.login_required
def formation_synthesis(request, number):
    dossier = _fetch(request, number, "candidates.assess_as_evaluator")
    file = build_file(dossier)
    form = SynthesisForm(request.POST if request.method == "POST" else None, file=file)
    return _autosave(
        request,
        dossier=dossier,
        form=form,
        check=lambda: evaluation_workflow.check_synthesis_editable(dossier, file.livret),
        save=lambda data: evaluation_workflow.save_synthesis(dossier, by=request.user, lines=data),
        template="candidates/formation_synthesis_edit.html",
        context={"dossier": dossier, "file": file},
        self_url=_url("formation_synthesis", dossier),
        back_url=_url("formation_livret", dossier),
        versioned=Versioned(LivretEvaluation, {"dossier": dossier}, "synthesis_version"),
    )


@_login_required
def formation_evaluator_sign(request, number, slot):
    dossier = _fetch(request, number)
    _check_slot(request, dossier, slot)
    file = build_file(dossier)
    units = [(u.unit.pk, u.label) for u in file.units]
    missing = evaluator_sign_missing(
        slot=slot,
        units=units,
        signed_units={u.unit.pk for u in file.units if u.assessments[slot - 1].signed},
        complete_lines={u.unit.pk for u in file.units if u.synthesis_complete},
    )
    name = request.user.get_full_name() or request.user.email
    return _confirm(
        request,
        dossier=dossier,
        title=f"Signer la fiche de synthèse et l'attestation (évaluateur {slot})",
        action=lambda: evaluation_workflow.sign_as_evaluator(dossier, slot, by=request.user),
        success="Fiche de synthèse et attestation signées.",
        back_url=_url("formation_livret", dossier),
        missing=missing,
        intro="Votre signature vaut pour toutes les lignes de la fiche de synthèse ; après la première signature d'un "
        "évaluateur, la fiche n'est plus modifiable.",
        statement=f"Je soussigné(e) {name}, évaluateur {slot}, {SWORN_STATEMENT[0].lower()}{SWORN_STATEMENT[1:]}",
        confirm_label="Je signe la fiche de synthèse et l'attestation sur l'honneur ci-dessus.",
        submit_label="Signer",
    )


@_login_required
def formation_transmit(request, number):
    dossier = _fetch(request, number, "candidates.transmit_livret_evaluation")
    file = build_file(dossier)
    return _confirm(
        request,
        dossier=dossier,
        title="Transmettre le livret d'évaluation finale à l'OEMM",
        action=lambda: evaluation_workflow.transmit_livret_evaluation(dossier, by=request.user),
        success="Livret d'évaluation finale transmis à l'OEMM.",
        back_url=_url("formation", dossier),
        missing=file.missing,
        intro=(
            f"Évaluations formatives signées : {file.formative_signed_count} sur {len(file.units)} ; "
            f"{file.intermediate_count} évaluation{'s' if file.intermediate_count > 1 else ''} "
            f"intermédiaire{'s' if file.intermediate_count > 1 else ''} et {len(file.reviews)} "
            f"point{'s' if len(file.reviews) > 1 else ''} d'étape du tuteur. "
            "Les résultats ont-ils été présentés et commentés au candidat ? Après transmission, plus rien n'est "
            "modifiable."
        ),
        confirm_label="Je confirme la transmission du livret complet à l'OEMM.",
        submit_label="Transmettre à l'OEMM",
    )


@_login_required
@require_POST
def formation_ready(request, number):
    dossier = _fetch(request, number, "candidates.mark_formation_ready_for_jury")
    try:
        evaluation_workflow.mark_formation_ready_for_jury(dossier, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Dossier {dossier.number} prêt pour le jury.")
    return redirect(dossier)
