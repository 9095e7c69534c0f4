"""Pages of the voie formative (thin: fetch, check, call candidates.formation, answer).

Access: anonymous → login; cannot see the dossier (or it is not formative) → 404 (``get_dossier_for``);
sees the dossier but may not do this → 403; wrong state or signed → a French message.
"""


import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from cqp.permissions import login_required_page as _login_required

from cqp.exceptions import WorkflowError
from referentiels.enums import CriterionKind

from . import formation as service
from .autosave import StaleVersionError, Versioned, autosave_login_required, posted_version, refused, save_if_current
from .entretien_forms import ConfirmForm
from .formation_forms import (
    CandidatePartForm, DesignationForm, EvaluationFormativeForm, IntermediateEvaluationForm, InviteForm, LivretSuiviForm,
    SynthesisForm, TutorReviewForm, UnitAssessmentForm,
)
from .models import (
    SWORN_STATEMENT, EvaluationFormative, IntermediateEvaluation, LivretEvaluation, LivretSuivi, TutorReview, UnitAssessment,
)
from .permissions import is_evaluator
from .selectors import get_dossier_for




def _fetch(request, number, perm=None):
    """The formative dossier; 404 for outsiders (and for a VAE dossier), 403 without ``perm``."""
    dossier = get_dossier_for(request.user, number)
    if dossier.path != "formation":
        raise Http404("Ce dossier n'est pas sur la voie formative.")
    if perm and not rules.has_perm(perm, request.user, dossier):
        raise PermissionDenied("Vous ne pouvez pas faire cette action sur ce dossier.")
    return dossier


def _unit_file(file, unit_id):
    unit = next((u for u in file.units if u.unit.pk == unit_id), None)
    if unit is None:
        raise Http404("Unité inconnue.")
    return unit


def _check_slot(request, dossier, slot):
    if slot not in service.SLOTS:
        raise Http404("Évaluateur inconnu.")
    if not is_evaluator(request.user, dossier, slot):
        raise PermissionDenied(f"Seul l'évaluateur {slot} du dossier remplit et signe cette partie.")


def _url(name, dossier, **kwargs):
    return reverse(f"candidates:{name}", kwargs={"number": dossier.number, **kwargs})


def _abilities(user, dossier):
    perms = {
        "can_designate": "candidates.designate_formation_actors",
        "can_keep_suivi": "candidates.keep_livret_suivi",
        "is_tutor": "candidates.write_tutor_entries",
        "is_candidate": "candidates.write_livret_evaluation_candidate",
        "can_transmit": "candidates.transmit_livret_evaluation",
        "can_mark_ready": "candidates.mark_formation_ready_for_jury",
    }
    abilities = {key: rules.has_perm(perm, user, dossier) for key, perm in perms.items()}
    abilities["my_slot"] = next((slot for slot in service.SLOTS if is_evaluator(user, dossier, slot)), None)
    return abilities


def _context(request, dossier, **extra):
    return {"dossier": dossier, "file": service.build_file(dossier), **_abilities(request.user, dossier), **extra}


def _autosave(request, *, dossier, form, check, save, template, context, self_url, back_url, versioned, sign_url=None):
    """An edit page: htmx posts the form on every change (autosave); without JS the button saves it.

    A save made from an older version of the object is refused (409), nothing lost of what was typed.
    """
    try:
        check()
    except WorkflowError as exc:
        if request.htmx:
            return render(request, "candidates/formation_status.html", {"errors": [str(exc)]})
        messages.error(request, str(exc))
        return redirect(back_url)
    if request.method == "POST":
        expected = posted_version(request)
        errors = form.error_lines() if not form.is_valid() else []
        stale, new_version = False, None
        if not errors:
            try:
                new_version = save_if_current(dossier, versioned, expected=expected, save=lambda: save(form.get_data()))
            except StaleVersionError as exc:
                stale, errors = True, [str(exc)]
            except WorkflowError as exc:
                errors = [str(exc)]
        if stale and request.htmx:
            return refused(request, message=errors[0], page_url=self_url, form_id="")
        if request.htmx:
            return render(request, "candidates/formation_status.html", {
                "errors": errors, "saved_at": None if errors else timezone.now(), "new_version": new_version,
            })
        if not errors:
            messages.success(request, f"Enregistré à {timezone.localtime():%H:%M}.")
            if "then_sign" in request.POST and sign_url:
                return redirect(sign_url)
            return redirect(self_url)
        return render(request, template, {
            **context, "form": form, "errors": errors, "edit_version": versioned.current() if expected is None else expected, "stale": stale, "reload_url": self_url,
        }, status=409 if stale else 200)
    return render(request, template, {**context, "form": form, "edit_version": versioned.current()})


def _confirm(request, *, dossier, title, action, success, back_url, missing, confirm_label, submit_label, intro="", statement=""):
    """A confirmation page before an irreversible signature or transmission; refused with the list of what is missing."""
    form = ConfirmForm(request.POST if request.method == "POST" else None, confirm_label=confirm_label, submit_label=submit_label)
    if request.method == "POST" and form.is_valid():
        try:
            action()
        except service.FormationIncomplete as exc:
            missing = exc.missing
            messages.error(request, "Refusé : " + str(exc))
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(back_url)
        else:
            messages.success(request, success)
            return redirect(back_url)
    return render(request, "candidates/formation_confirm.html", {
        "dossier": dossier, "title": title, "form": form, "missing": missing, "intro": intro, "statement": statement,
        "back_url": back_url,
    })


# --- overview and designations ----------------------------------------------------------------------------


@_login_required
def formation_detail(request, number):
    """The voie formative of a dossier: who is who, progress per unit, the three livrets."""
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_detail.html", _context(request, dossier))


@_login_required
def formation_designations(request, number):
    dossier = _fetch(request, number, "candidates.designate_formation_actors")
    file = service.build_file(dossier)
    d = file.designation
    initial = {"tutor": d.tutor_id, "evaluator1": d.evaluator1_id, "evaluator1_function": d.evaluator1_function,
               "evaluator2": d.evaluator2_id, "evaluator2_function": d.evaluator2_function} if d else {}
    members = service.entreprise_members(dossier)
    post = request.POST if request.method == "POST" else None
    form = DesignationForm(post if post and "designate" in post else None, members=members, initial=initial)
    invite_form = InviteForm(post if post and "invite" in post else None)
    if post and "invite" in post and invite_form.is_valid():
        c = invite_form.cleaned_data
        try:
            person = service.invite_member(dossier, by=request.user, email=c["email"], first_name=c["first_name"],
                                           last_name=c["last_name"], function=c["function"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{person} fait partie des membres de l'entreprise : vous pouvez le désigner ci-dessous.")
            return redirect(_url("formation_designations", dossier))
    elif post and "designate" in post and form.is_valid():
        c = form.cleaned_data
        try:
            service.designate(dossier, by=request.user, tutor=c["tutor"], evaluator1=c["evaluator1"],
                              evaluator1_function=c["evaluator1_function"], evaluator2=c["evaluator2"],
                              evaluator2_function=c["evaluator2_function"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Désignations enregistrées. Les personnes désignées sont prévenues par e-mail.")
            return redirect(_url("formation", dossier))
    return render(request, "candidates/formation_designations.html", {
        "dossier": dossier, "file": file, "form": form, "invite_form": invite_form, "members": members,
    })


# --- livret de suivi -------------------------------------------------------------------------------------


@_login_required
def formation_suivi(request, number):
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_suivi.html", _context(request, dossier))


@autosave_login_required
def formation_suivi_edit(request, number):
    dossier = _fetch(request, number, "candidates.keep_livret_suivi")
    file = service.build_file(dossier)
    form = LivretSuiviForm(request.POST if request.method == "POST" else None, file=file)
    return _autosave(
        request, dossier=dossier, form=form, check=lambda: service.check_open_for_work(dossier),
        save=lambda data: service.save_livret_suivi(dossier, by=request.user, **data),
        template="candidates/formation_suivi_edit.html", context={"dossier": dossier, "file": file},
        self_url=_url("formation_suivi_edit", dossier), back_url=_url("formation_suivi", dossier),
        versioned=Versioned(LivretSuivi, {"dossier": dossier}),
    )


def _check_formative_editable(dossier, unit_file):
    service.check_open_for_work(dossier)
    if unit_file.formative_signed:
        raise WorkflowError("Cette évaluation formative est signée : elle n'est plus modifiable.")


@autosave_login_required
def formation_formative(request, number, unit_id):
    dossier = _fetch(request, number, "candidates.keep_livret_suivi")
    file = service.build_file(dossier)
    unit_file = _unit_file(file, unit_id)
    form = EvaluationFormativeForm(request.POST if request.method == "POST" else None, unit_file=unit_file)
    return _autosave(
        request, dossier=dossier, form=form, check=lambda: _check_formative_editable(dossier, unit_file),
        save=lambda data: service.save_evaluation_formative(dossier, unit_file.unit, by=request.user, data=data),
        template="candidates/formation_formative_edit.html", context={"dossier": dossier, "file": file, "u": unit_file},
        self_url=_url("formation_formative", dossier, unit_id=unit_id), back_url=_url("formation_suivi", dossier),
        sign_url=_url("formation_formative_sign", dossier, unit_id=unit_id),
        versioned=Versioned(EvaluationFormative, {"livret__dossier": dossier, "unit": unit_file.unit}),
    )


@_login_required
def formation_formative_sign(request, number, unit_id):
    dossier = _fetch(request, number, "candidates.keep_livret_suivi")
    u = _unit_file(service.build_file(dossier), unit_id)
    ratings = {c.pk: value for c, value, _ in u.formative_lines}
    e = u.formative
    missing = service.formative_missing(held_on=e.held_on, result=e.result, trainer_name=e.trainer_name,
                                        criteria=u.formative_criteria, ratings=ratings) if e else ["l'évaluation formative (elle n'a pas commencé)"]
    return _confirm(
        request, dossier=dossier, title=f"Signer l'évaluation formative — {u.label}",
        action=lambda: service.sign_evaluation_formative(dossier, u.unit, by=request.user),
        success="Évaluation formative signée.", back_url=_url("formation_suivi", dossier), missing=missing,
        confirm_label="Je confirme les résultats de cette évaluation formative. Après signature, elle ne sera plus modifiable.",
        submit_label="Signer l'évaluation formative",
    )


# --- tutorat ---------------------------------------------------------------------------------------------------


@_login_required
def formation_tutorat(request, number):
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_tutorat.html", _context(request, dossier))


def _tutor_form_page(request, dossier, *, form, save, template, context, versioned=None):
    """A tutor's grille or point d'étape. Editing an existing one is checked against its version: a save made from
    an older version (another tab, the other tutor's page) is refused and what was typed stays in the form."""
    back = _url("formation_tutorat", dossier)
    try:
        service.check_open_for_work(dossier)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    errors, stale = [], False
    edit_version = versioned.current() if versioned else None
    if request.method == "POST" and form.is_valid():
        expected = posted_version(request)
        try:
            if versioned is None:
                save(form.get_data())
            else:
                save_if_current(dossier, versioned, expected=expected, save=lambda: save(form.get_data()))
        except StaleVersionError as exc:
            stale, errors = True, [str(exc)]
            edit_version = expected
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Enregistré.")
            return redirect(back)
    return render(request, template, {
        "dossier": dossier, "form": form, "edit_version": edit_version, "errors": errors, "stale": stale,
        "reload_url": request.path, **context,
    }, status=409 if stale else 200)


@_login_required
def formation_intermediate(request, number, unit_id, pk=None):
    dossier = _fetch(request, number, "candidates.write_tutor_entries")
    unit = service.get_unit(dossier, unit_id)
    if unit is None:
        raise Http404("Unité inconnue.")
    evaluation = get_object_or_404(IntermediateEvaluation, pk=pk, dossier=dossier, unit=unit) if pk else None
    ratings = {r.criterion_id: r.rating for r in evaluation.ratings.all()} if evaluation else {}
    criteria = service.unit_criteria(unit, CriterionKind.INTERMEDIATE)
    form = IntermediateEvaluationForm(request.POST if request.method == "POST" else None, criteria=criteria,
                                      evaluation=evaluation, ratings=ratings)
    return _tutor_form_page(
        request, dossier, form=form, template="candidates/formation_intermediate_edit.html",
        save=lambda data: service.save_intermediate_evaluation(dossier, unit, by=request.user, data=data, evaluation=evaluation),
        context={"unit": unit, "label": service.unit_label(dossier, unit), "evaluation": evaluation},
        versioned=Versioned(IntermediateEvaluation, {"pk": evaluation.pk}) if evaluation else None,
    )


@_login_required
def formation_review(request, number, pk=None):
    dossier = _fetch(request, number, "candidates.write_tutor_entries")
    review = get_object_or_404(TutorReview, pk=pk, dossier=dossier) if pk else None
    initial = {n: getattr(review, n) for n in ("held_on", "with_whom", "strengths", "progress_objectives")} if review else {
        "with_whom": str(dossier.candidate)}
    form = TutorReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    return _tutor_form_page(
        request, dossier, form=form, template="candidates/formation_review_edit.html",
        save=lambda data: service.save_tutor_review(dossier, by=request.user, data=data, review=review),
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
        service.delete_tutor_entry(dossier, entry, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Saisie supprimée.")
    return redirect(_url("formation_tutorat", dossier))


# --- livret d'évaluation finale ---------------------------------------------------------------------------------


@_login_required
def formation_livret(request, number):
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_livret.html", _context(request, dossier, sworn_statement=SWORN_STATEMENT))


def _check_candidate_editable(dossier, file):
    service.check_open_for_work(dossier)
    if file.livret and file.livret.candidate_signed_at:
        raise WorkflowError("Vous avez signé votre partie du livret : elle n'est plus modifiable.")


@autosave_login_required
def formation_candidate(request, number):
    dossier = _fetch(request, number, "candidates.write_livret_evaluation_candidate")
    file = service.build_file(dossier)
    form = CandidatePartForm(request.POST if request.method == "POST" else None, file=file)
    return _autosave(
        request, dossier=dossier, form=form, check=lambda: _check_candidate_editable(dossier, file),
        save=lambda data: service.save_candidate_part(dossier, by=request.user, **data),
        template="candidates/formation_candidate_edit.html", context={"dossier": dossier, "file": file},
        self_url=_url("formation_candidate", dossier), back_url=_url("formation_livret", dossier),
        sign_url=_url("formation_candidate_sign", dossier),
        versioned=Versioned(LivretEvaluation, {"dossier": dossier}),
    )


@_login_required
def formation_candidate_sign(request, number):
    dossier = _fetch(request, number, "candidates.write_livret_evaluation_candidate")
    file = service.build_file(dossier)
    missing = service.candidate_missing(
        activities=file.livret.candidate_activities if file.livret else "", answers={u.unit.pk: u.answer for u in file.units},
        units=[(u.unit.pk, u.label) for u in file.units],
    )
    return _confirm(
        request, dossier=dossier, title="Signer ma partie du livret d'évaluation finale",
        action=lambda: service.sign_candidate_part(dossier, by=request.user),
        success="Votre partie du livret est signée.", back_url=_url("formation_livret", dossier), missing=missing,
        confirm_label="J'ai rempli seul(e) les parties me concernant et je les signe. Elles ne seront plus modifiables.",
        submit_label="Signer ma partie",
    )


def _check_assessment_editable(dossier, view):
    service.check_open_for_work(dossier)
    if view.signed:
        raise WorkflowError("Votre évaluation de cette unité est signée : elle n'est plus modifiable.")


@autosave_login_required
def formation_assessment(request, number, unit_id, slot):
    dossier = _fetch(request, number)
    _check_slot(request, dossier, slot)
    file = service.build_file(dossier)
    u = _unit_file(file, unit_id)
    form = UnitAssessmentForm(request.POST if request.method == "POST" else None, unit_file=u, slot=slot)
    return _autosave(
        request, dossier=dossier, form=form, check=lambda: _check_assessment_editable(dossier, u.assessments[slot - 1]),
        save=lambda data: service.save_unit_assessment(dossier, u.unit, slot, by=request.user, data=data),
        template="candidates/formation_assessment_edit.html", context={"dossier": dossier, "file": file, "u": u, "slot": slot},
        self_url=_url("formation_assessment", dossier, unit_id=unit_id, slot=slot), back_url=_url("formation_livret", dossier),
        sign_url=_url("formation_assessment_sign", dossier, unit_id=unit_id, slot=slot),
        versioned=Versioned(UnitAssessment, {"livret__dossier": dossier, "unit": u.unit, "slot": slot}),
    )


@_login_required
def formation_assessment_sign(request, number, unit_id, slot):
    dossier = _fetch(request, number)
    _check_slot(request, dossier, slot)
    u = _unit_file(service.build_file(dossier), unit_id)
    view = u.assessments[slot - 1]
    a = view.assessment
    missing = service.assessment_missing(
        evaluated_on=a.evaluated_on, mastery=a.mastery, criteria=u.final_criteria, ratings={c.pk: v for c, v, _ in view.lines},
    ) if a else ["votre évaluation de cette unité (elle n'a pas commencé)"]
    return _confirm(
        request, dossier=dossier, title=f"Signer mon évaluation (évaluateur {slot}) — {u.label}",
        action=lambda: service.sign_unit_assessment(dossier, u.unit, slot, by=request.user),
        success="Votre évaluation est signée.", back_url=_url("formation_livret", dossier), missing=missing,
        confirm_label="Je signe mon évaluation de cette unité. Elle ne sera plus modifiable.",
        submit_label="Signer mon évaluation",
    )


def _check_synthesis_editable(dossier, file):
    service.check_open_for_work(dossier)
    if file.livret and file.livret.synthesis_locked:
        raise WorkflowError("La fiche de synthèse a été signée : elle n'est plus modifiable.")


@autosave_login_required
def formation_synthesis(request, number):
    dossier = _fetch(request, number, "candidates.assess_as_evaluator")
    file = service.build_file(dossier)
    form = SynthesisForm(request.POST if request.method == "POST" else None, file=file)
    return _autosave(
        request, dossier=dossier, form=form, check=lambda: _check_synthesis_editable(dossier, file),
        save=lambda data: service.save_synthesis(dossier, by=request.user, lines=data),
        template="candidates/formation_synthesis_edit.html", context={"dossier": dossier, "file": file},
        self_url=_url("formation_synthesis", dossier), back_url=_url("formation_livret", dossier),
        versioned=Versioned(LivretEvaluation, {"dossier": dossier}, "synthesis_version"),
    )


@_login_required
def formation_evaluator_sign(request, number, slot):
    dossier = _fetch(request, number)
    _check_slot(request, dossier, slot)
    file = service.build_file(dossier)
    units = [(u.unit.pk, u.label) for u in file.units]
    missing = service.evaluator_sign_missing(
        slot=slot, units=units, signed_units={u.unit.pk for u in file.units if u.assessments[slot - 1].signed},
        complete_lines={u.unit.pk for u in file.units if u.synthesis_complete},
    )
    name = request.user.get_full_name() or request.user.email
    return _confirm(
        request, dossier=dossier, title=f"Signer la fiche de synthèse et l'attestation (évaluateur {slot})",
        action=lambda: service.sign_as_evaluator(dossier, slot, by=request.user),
        success="Fiche de synthèse et attestation signées.", back_url=_url("formation_livret", dossier), missing=missing,
        intro="Votre signature vaut pour toutes les lignes de la fiche de synthèse ; après la première signature d'un évaluateur, la fiche n'est plus modifiable.",
        statement=f"Je soussigné(e) {name}, évaluateur {slot}, {SWORN_STATEMENT[0].lower()}{SWORN_STATEMENT[1:]}",
        confirm_label="Je signe la fiche de synthèse et l'attestation sur l'honneur ci-dessus.",
        submit_label="Signer",
    )


@_login_required
def formation_transmit(request, number):
    dossier = _fetch(request, number, "candidates.transmit_livret_evaluation")
    file = service.build_file(dossier)
    return _confirm(
        request, dossier=dossier, title="Transmettre le livret d'évaluation finale à l'OEMM",
        action=lambda: service.transmit_livret_evaluation(dossier, by=request.user),
        success="Livret d'évaluation finale transmis à l'OEMM.", back_url=_url("formation", dossier), missing=file.missing,
        intro=(f"Évaluations formatives signées : {file.formative_signed_count} sur {len(file.units)} ; "
               f"{file.intermediate_count} évaluation(s) intermédiaire(s) et {len(file.reviews)} point(s) d'étape du tuteur. "
               "Les résultats ont-ils été présentés et commentés au candidat ? Après transmission, plus rien n'est modifiable."),
        confirm_label="Je confirme la transmission du livret complet à l'OEMM.",
        submit_label="Transmettre à l'OEMM",
    )


@_login_required
@require_POST
def formation_ready(request, number):
    dossier = _fetch(request, number, "candidates.mark_formation_ready_for_jury")
    try:
        service.mark_ready_for_jury(dossier, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Dossier {dossier.number} prêt pour le jury.")
    return redirect(dossier)
