"""Voie formative: the livret de suivi (modules, évaluations formatives) and the tutorat (intermediate evaluations,
reviews)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cqp import autosave
from cqp.autosave import Versioned
from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page as _login_required
from referentiels.enums import CriterionKind

from ..entretien_sheet import unit_label
from ..formation_file import build_file, get_unit, unit_criteria
from ..formation_forms import (
    EvaluationFormativeForm,
    IntermediateEvaluationForm,
    LivretSuiviForm,
    TutorReviewForm,
)
from ..formation_rules import formative_missing
from ..models import (
    EvaluationFormative,
    IntermediateEvaluation,
    LivretSuivi,
    TutorReview,
)
from ..selectors import lock_dossier
from ..workflow import formation as formation_workflow
from .common import _autosave, _confirm, _context, _fetch, _unit_file, _url

# --- livret de suivi -------------------------------------------------------------------------------------


@_login_required
def formation_suivi(request, number):
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_suivi.html", _context(request, dossier))


@autosave.login_required
def formation_suivi_edit(request, number):
    dossier = _fetch(request, number, "candidates.keep_livret_suivi")
    file = build_file(dossier)
    form = LivretSuiviForm(request.POST if request.method == "POST" else None, file=file)
    return _autosave(
        request,
        dossier=dossier,
        form=form,
        check=lambda: formation_workflow.check_open_for_work(dossier),
        save=lambda data: formation_workflow.save_livret_suivi(dossier, by=request.user, **data),
        template="candidates/formation_suivi_edit.html",
        context={"dossier": dossier, "file": file},
        self_url=_url("formation_suivi_edit", dossier),
        back_url=_url("formation_suivi", dossier),
        versioned=Versioned(LivretSuivi, {"dossier": dossier}),
    )


@autosave.login_required
def formation_formative(request, number, unit_id):
    dossier = _fetch(request, number, "candidates.keep_livret_suivi")
    file = build_file(dossier)
    unit_file = _unit_file(file, unit_id)
    form = EvaluationFormativeForm(request.POST if request.method == "POST" else None, unit_file=unit_file)
    return _autosave(
        request,
        dossier=dossier,
        form=form,
        check=lambda: formation_workflow.check_formative_editable(dossier, unit_file.formative),
        save=lambda data: formation_workflow.save_evaluation_formative(
            dossier, unit_file.unit, by=request.user, data=data
        ),
        template="candidates/formation_formative_edit.html",
        context={"dossier": dossier, "file": file, "u": unit_file},
        self_url=_url("formation_formative", dossier, unit_id=unit_id),
        back_url=_url("formation_suivi", dossier),
        sign_url=_url("formation_formative_sign", dossier, unit_id=unit_id),
        versioned=Versioned(EvaluationFormative, {"livret__dossier": dossier, "unit": unit_file.unit}),
    )


@_login_required
def formation_formative_sign(request, number, unit_id):
    dossier = _fetch(request, number, "candidates.keep_livret_suivi")
    u = _unit_file(build_file(dossier), unit_id)
    ratings = {c.pk: value for c, value, _ in u.formative_lines}
    e = u.formative
    missing = (
        formative_missing(
            held_on=e.held_on,
            result=e.result,
            trainer_name=e.trainer_name,
            criteria=u.formative_criteria,
            ratings=ratings,
        )
        if e
        else ["l'évaluation formative (elle n'a pas commencé)"]
    )
    return _confirm(
        request,
        dossier=dossier,
        title=f"Signer l'évaluation formative — {u.label}",
        action=lambda: formation_workflow.sign_evaluation_formative(dossier, u.unit, by=request.user),
        success="Évaluation formative signée.",
        back_url=_url("formation_suivi", dossier),
        missing=missing,
        confirm_label="Je confirme les résultats de cette évaluation formative. Après signature, elle ne sera plus "
        "modifiable.",
        submit_label="Signer l'évaluation formative",
    )


# --- tutorat ---------------------------------------------------------------------------------------------------


@_login_required
def formation_tutorat(request, number):
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_tutorat.html", _context(request, dossier))


def _tutor_form_page(request, dossier, *, form, save, template, context, versioned=None):
    """A tutor's grille or point d'étape (a plain form, no htmx). Editing an existing one goes through
    cqp/autosave.py like the autosaved pages: a save made from an older version (another tab, the other tutor's page)
    is refused and what was typed stays in the form. A new entry has nothing to conflict with."""
    back = _url("formation_tutorat", dossier)
    try:
        formation_workflow.check_open_for_work(dossier)
    except WorkflowError as exc:
        return autosave.refuse(request, str(exc), back_url=back, status=200)
    page_context = {"dossier": dossier, "form": form, **context}
    if request.method != "POST":
        return render(request, template, {**page_context, "edit_version": versioned.current() if versioned else None})
    if not form.is_valid():
        edit_version = autosave.posted_version(request) if versioned else None
        return render(request, template, {**page_context, "edit_version": edit_version})
    if versioned is None:
        try:
            save(form.get_data())
        except WorkflowError as exc:
            return render(request, template, {**page_context, "errors": [str(exc)]})
        messages.success(request, "Enregistré.")
        return redirect(back)
    return autosave.autosave(
        request,
        versioned=versioned,
        lock=lambda: lock_dossier(dossier),
        save=lambda: save(form.get_data()),
        page_url=request.path,
        success_url=back,
        success_message="Enregistré.",
        render_page=lambda extra, status: render(request, template, {**page_context, **extra}, status=status),
    )


@_login_required
def formation_intermediate(request, number, unit_id, pk=None):
    dossier = _fetch(request, number, "candidates.write_tutor_entries")
    unit = get_unit(dossier, unit_id)
    if unit is None:
        raise Http404("Unité inconnue.")
    evaluation = get_object_or_404(IntermediateEvaluation, pk=pk, dossier=dossier, unit=unit) if pk else None
    ratings = {r.criterion_id: r.rating for r in evaluation.ratings.all()} if evaluation else {}
    criteria = unit_criteria(unit, CriterionKind.INTERMEDIATE)
    form = IntermediateEvaluationForm(
        request.POST if request.method == "POST" else None, criteria=criteria, evaluation=evaluation, ratings=ratings
    )
    return _tutor_form_page(
        request,
        dossier,
        form=form,
        template="candidates/formation_intermediate_edit.html",
        save=lambda data: formation_workflow.save_intermediate_evaluation(
            dossier, unit, by=request.user, data=data, evaluation=evaluation
        ),
        context={"unit": unit, "label": unit_label(dossier, unit), "evaluation": evaluation},
        versioned=Versioned(IntermediateEvaluation, {"pk": evaluation.pk}) if evaluation else None,
    )


@_login_required
def formation_review(request, number, pk=None):
    dossier = _fetch(request, number, "candidates.write_tutor_entries")
    review = get_object_or_404(TutorReview, pk=pk, dossier=dossier) if pk else None
    initial = (
        {n: getattr(review, n) for n in ("held_on", "with_whom", "strengths", "progress_objectives")}
        if review
        else {"with_whom": str(dossier.candidate)}
    )
    form = TutorReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    return _tutor_form_page(
        request,
        dossier,
        form=form,
        template="candidates/formation_review_edit.html",
        save=lambda data: formation_workflow.save_tutor_review(dossier, by=request.user, data=data, review=review),
        context={"review": review},
        versioned=Versioned(TutorReview, {"pk": review.pk}) if review else None,
    )


@_login_required
@require_POST
def formation_tutor_delete(request, number, kind, pk):
    dossier = _fetch(request, number, "candidates.write_tutor_entries")
    model = {"grille": IntermediateEvaluation, "point": TutorReview}.get(kind)
    if model is None:
        raise Http404("Saisie inconnue.")
    entry = get_object_or_404(model, pk=pk, dossier=dossier)
    try:
        formation_workflow.delete_tutor_entry(dossier, entry, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Saisie supprimée.")
    return redirect(_url("formation_tutorat", dossier))
