"""Views of the accompagnement VAE: choosing a centre, the convention (terms, acceptance by both), comments."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cqp.exceptions import WorkflowError
from referentiels.models import Unit

from . import workflow
from .enums import CommentTarget
from .livret2_forms import CommentForm, ConventionRequestForm, ConventionTermsForm
from .livret2_structure import unit_label, units_of
from .models import AccompagnementComment, ConventionAccompagnement, Livret2
from .selectors import approved_centres, conventions_of_centre, get_vae_dossier_for, missing_terms, open_convention
from .views import _check, login_required_page


def _dossier(request, number):
    return get_vae_dossier_for(request.user, number, "vae.view_accompagnement")


def _convention(request, number):
    dossier = _dossier(request, number)
    convention = open_convention(dossier)
    if convention is None:
        raise PermissionDenied("Aucune convention d'accompagnement en cours pour ce dossier.")
    return dossier, convention


def _comment_targets(dossier):
    targets = [
        (CommentTarget.LIVRET1.value, "Livret 1 (commentaire général)"),
        (CommentTarget.LIVRET2.value, "Livret 2 (commentaire général)"),
    ]
    livret = Livret2.objects.filter(dossier=dossier).first()
    if livret is not None:
        targets += [
            (f"livret2-{u.pk}", f"Livret 2 — {unit_label(dossier, u)}")
            for u in units_of(livret.referentiel, dossier.mention_id)
        ]
    return targets


def _terms_initial(convention):
    return {
        "nature": convention.nature,
        "sessions_count": convention.sessions_count,
        "session_hours": convention.session_hours,
        "start_on": convention.start_on,
        "end_on": convention.end_on,
        "jury_preparation": convention.jury_preparation,
        "details": convention.details,
        "planned_dates": ", ".join(f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d in convention.planned_dates),
    }


@login_required_page
def accompagnement(request, number, terms_form=None, comment_form=None):
    dossier = _dossier(request, number)
    user = request.user
    convention = open_convention(dossier)
    context = {
        "dossier": dossier,
        "convention": convention,
        "can_request": rules.has_perm("vae.request_accompagnement", user, dossier),
        "past": ConventionAccompagnement.objects.filter(dossier=dossier)
        .exclude(pk=convention.pk if convention else None)
        .select_related("organisme"),
    }
    if context["can_request"]:
        centres = approved_centres(dossier.certification)
        context.update({"centres": centres, "request_form": ConventionRequestForm(centres=centres)})
    if convention is not None:
        context.update(
            {
                "missing_terms": missing_terms(convention),
                "can_set_terms": rules.has_perm("vae.set_convention_terms", user, convention),
                "can_accept_candidate": rules.has_perm("vae.accept_convention_as_candidate", user, convention),
                "can_accept_organisme": rules.has_perm("vae.accept_convention_as_organisme", user, convention),
                "can_cancel": rules.has_perm("vae.cancel_convention", user, convention),
                "can_comment": rules.has_perm("vae.comment_livrets", user, convention),
                "can_read_livrets": convention.is_accepted and (rules.has_perm("vae.view_livret1", user, dossier)),
                "has_livret2": Livret2.objects.filter(dossier=dossier).exists(),
                "comments": AccompagnementComment.objects.filter(convention=convention).select_related(
                    "author", "unit"
                ),
            }
        )
        if context["can_set_terms"]:
            context["terms_form"] = terms_form or ConventionTermsForm(initial=_terms_initial(convention))
        if context["can_comment"]:
            context["comment_form"] = comment_form or CommentForm(targets=_comment_targets(dossier))
    return render(request, "vae/accompagnement.html", context)


@require_POST
@login_required_page
def accompagnement_request(request, number):
    dossier = _dossier(request, number)
    _check("vae.request_accompagnement", request.user, dossier)
    form = ConventionRequestForm(request.POST, centres=approved_centres(dossier.certification))
    if not form.is_valid():
        messages.error(request, "Choisissez un organisme de formation agréé pour ce CQP.")
        return redirect("vae:accompagnement", number=number)
    try:
        convention = workflow.request_accompagnement(dossier, by=request.user, organisme=form.cleaned_data["organisme"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Demande envoyée à {convention.organisme} : l'organisme va renseigner les modalités de la convention.",
        )
    return redirect("vae:accompagnement", number=number)


@require_POST
@login_required_page
def accompagnement_terms(request, number):
    dossier, convention = _convention(request, number)
    _check("vae.set_convention_terms", request.user, convention)
    form = ConventionTermsForm(request.POST)
    if not form.is_valid():
        return accompagnement(request, number, terms_form=form)
    try:
        workflow.set_terms(convention, by=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Modalités enregistrées. La convention doit maintenant être acceptée par les deux parties."
        )
    return redirect("vae:accompagnement", number=number)


@require_POST
@login_required_page
def accompagnement_accept(request, number):
    dossier, convention = _convention(request, number)
    if rules.has_perm("vae.accept_convention_as_candidate", request.user, convention):
        party = "candidate"
    elif rules.has_perm("vae.accept_convention_as_organisme", request.user, convention):
        party = "organisme"
    else:
        raise PermissionDenied("Vous ne pouvez pas accepter cette convention.")
    try:
        convention = workflow.accept_convention(convention, by=request.user, party=party)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Convention acceptée par les deux parties : l'accompagnement commence."
            if convention.is_accepted
            else "Convention acceptée ; en attente de l'autre partie.",
        )
    return redirect("vae:accompagnement", number=number)


@require_POST
@login_required_page
def accompagnement_cancel(request, number):
    dossier, convention = _convention(request, number)
    _check("vae.cancel_convention", request.user, convention)
    try:
        workflow.cancel_convention(convention, by=request.user, reason=request.POST.get("reason", ""))
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Convention annulée.")
    return redirect("vae:accompagnement", number=number)


@require_POST
@login_required_page
def accompagnement_comment(request, number):
    dossier, convention = _convention(request, number)
    _check("vae.comment_livrets", request.user, convention)
    form = CommentForm(request.POST, targets=_comment_targets(dossier))
    if not form.is_valid():
        return accompagnement(request, number, comment_form=form)
    target, unit = form.cleaned_data["target"], None
    if target.startswith("livret2-"):
        unit = Unit.objects.get(pk=int(target.split("-", 1)[1]))
        target = CommentTarget.LIVRET2
    try:
        workflow.add_comment(convention, by=request.user, livret=target, unit=unit, text=form.cleaned_data["text"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Commentaire publié : le candidat le voit dans son espace.")
    return redirect("vae:accompagnement", number=number)


@login_required_page
def accompagnements(request):
    """The centre's conventions (requests to answer, candidates accompanied)."""
    if not rules.has_perm("vae.list_accompagnements", request.user):
        raise PermissionDenied("Réservé aux organismes de formation.")
    return render(request, "vae/accompagnements.html", {"conventions": conventions_of_centre(request.user)})
