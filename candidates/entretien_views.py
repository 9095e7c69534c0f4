"""Pages of the entretien d'accueil et d'orientation (thin: fetch, check, call candidates.workflow.entretien, answer).

Access: anonymous → login; cannot see the dossier → 404 (``get_dossier_for``);
sees the dossier but may not do this → 403; wrong state → a French message.
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cqp import autosave
from cqp.autosave import Versioned
from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page as _login_required

from .entretien_forms import ConfirmForm, EntretienForm
from .entretien_pdf import build_entretien_pdf
from .entretien_sheet import build_sheet
from .models import Entretien
from .selectors import get_dossier_for, lock_dossier
from .workflow import entretien as service


def _fetch(request, number, perm=None):
    """(dossier, entretien or None); 404 for outsiders, 403 without ``perm`` on the dossier."""
    dossier = get_dossier_for(request.user, number)
    if perm and not rules.has_perm(perm, request.user, dossier):
        raise PermissionDenied("Vous ne pouvez pas faire cette action sur l'entretien d'accueil.")
    return dossier, Entretien.objects.select_related("interviewer", "interviewer_validated_by").filter(
        dossier=dossier
    ).first()


def _detail_url(dossier):
    return reverse("candidates:entretien", kwargs={"number": dossier.number})


def _abilities(user, dossier):
    return {
        "can_conduct": rules.has_perm("candidates.conduct_entretien", user, dossier),
        "can_validate_as_candidate": rules.has_perm("candidates.validate_entretien_as_candidate", user, dossier),
    }


@_login_required
def entretien_detail(request, number):
    """The entretien, read-only, for everyone who sees the dossier."""
    dossier, entretien = _fetch(request, number)
    sheet = build_sheet(dossier, entretien)
    return render(
        request,
        "candidates/entretien_detail.html",
        {
            "dossier": dossier,
            "entretien": entretien,
            "sheet": sheet,
            **_abilities(request.user, dossier),
        },
    )


@autosave.login_required
def entretien_edit(request, number):
    """The guide to fill in. htmx posts it on every change (autosave); without JS the button saves it. The version
    check and the answers are cqp/autosave.py's."""
    dossier, entretien = _fetch(request, number, "candidates.conduct_entretien")
    try:
        service.check_can_edit(dossier, entretien)
    except WorkflowError as exc:
        return autosave.refuse(request, str(exc), back_url=_detail_url(dossier), status=200)
    sheet = build_sheet(dossier, entretien)
    versioned = Versioned(Entretien, {"dossier": dossier})
    form = EntretienForm(request.POST if request.method == "POST" else None, sheet=sheet, user=request.user)
    page = {"dossier": dossier, "entretien": entretien, "sheet": sheet, "form": form}
    if request.method != "POST":
        saved_at = entretien.updated_at if entretien else None
        return render(
            request,
            "candidates/entretien_edit.html",
            {**page, "saved_at": saved_at, "edit_version": versioned.current()},
        )
    valid = form.is_valid()
    return autosave.autosave(
        request,
        versioned=versioned,
        lock=lambda: lock_dossier(dossier),
        save=lambda: service.save_entretien(dossier, by=request.user, data=form.get_data()),
        errors=[] if valid else form.error_lines(),
        page_url=request.path,
        status_context=lambda saved: {
            "saved_at": saved.updated_at,
            "sheet": build_sheet(dossier, saved),
            "oob_template": "candidates/entretien_status_oob.html",
        },
        success_url=_url("candidates:entretien_validate", dossier) if "then_validate" in request.POST else None,
        render_page=lambda extra, status: render(
            request, "candidates/entretien_edit.html", {**page, **extra}, status=status
        ),
    )


def _url(name, dossier):
    return reverse(name, kwargs={"number": dossier.number})


@_login_required
def entretien_validate(request, number):
    """The interviewer side validates (confirmation page listing what is missing)."""
    dossier, entretien = _fetch(request, number, "candidates.conduct_entretien")
    try:
        service.check_can_validate_as_interviewer(dossier, entretien)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(dossier))
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        submit_label="Valider l'entretien",
        confirm_label="Je confirme que l'entretien est complet. Après validation il ne sera plus modifiable.",
    )
    sheet = build_sheet(dossier, entretien)
    missing = sheet.missing
    if request.method == "POST" and form.is_valid():
        try:
            service.validate_as_interviewer(entretien, by=request.user)
        except service.EntretienIncomplete as exc:
            missing = exc.missing
            messages.error(request, "Validation refusée : l'entretien est incomplet.")
        except service.OrientationRefused:
            messages.error(request, "Validation refusée : une orientation n'est pas permise par le CQP.")
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(dossier))
        else:
            messages.success(
                request, "Entretien validé. Le candidat est invité à le relire et à le valider à son tour."
            )
            return redirect(_detail_url(dossier))
    return render(
        request,
        "candidates/entretien_confirm.html",
        {
            "dossier": dossier,
            "entretien": entretien,
            "sheet": sheet,
            "form": form,
            "missing": missing,
            "title": "Valider l'entretien d'accueil (intervieweur)",
            "side": "interviewer",
        },
    )


@_login_required
@require_POST
def entretien_reopen(request, number):
    dossier, entretien = _fetch(request, number, "candidates.conduct_entretien")
    if entretien is None:
        raise Http404("Pas d'entretien.")
    try:
        service.reopen_entretien(entretien, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(dossier))
    messages.success(request, "L'entretien est rouvert : vous pouvez le corriger puis le valider de nouveau.")
    return redirect("candidates:entretien_edit", number=dossier.number)


@_login_required
def entretien_validate_candidate(request, number):
    """The candidate reads and validates the entretien (after the interviewer)."""
    dossier, entretien = _fetch(request, number, "candidates.validate_entretien_as_candidate")
    try:
        service.check_can_validate_as_candidate(entretien)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(dossier))
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        with_comment=True,
        submit_label="Valider mon entretien",
        confirm_label="J'ai lu le compte rendu de l'entretien et je le valide. Cette validation est définitive.",
    )
    sheet = build_sheet(dossier, entretien)
    if request.method == "POST" and form.is_valid():
        try:
            service.validate_as_candidate(entretien, by=request.user, comment=form.cleaned_data.get("comment", ""))
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            if sheet.failed_prerequisites:
                messages.warning(
                    request, "Entretien validé. Un prérequis n'étant pas maîtrisé, le dossier est clos (réorientation)."
                )
            else:
                messages.success(request, "Entretien validé : votre dossier passe à l'étape suivante.")
        return redirect(_detail_url(dossier))
    return render(
        request,
        "candidates/entretien_confirm.html",
        {
            "dossier": dossier,
            "entretien": entretien,
            "sheet": sheet,
            "form": form,
            "missing": [],
            "title": "Valider mon entretien d'accueil",
            "side": "candidate",
        },
    )


@_login_required
def entretien_pdf(request, number):
    dossier, entretien = _fetch(request, number)
    if entretien is None:
        raise Http404(service.NOT_STARTED)
    response = HttpResponse(build_entretien_pdf(entretien), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="entretien-accueil-{dossier.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
