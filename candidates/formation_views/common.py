"""What the voie formative views share: fetching the dossier and a unit, the abilities shown in the pages, the
autosaved form pages and the confirmation page before a signature or a transmission."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from cqp import autosave
from cqp.exceptions import WorkflowError

from ..entretien_forms import ConfirmForm
from ..enums import Path
from ..formation_file import build_file
from ..formation_rules import SLOTS
from ..permissions import is_evaluator
from ..selectors import get_dossier_for, lock_dossier
from ..workflow import formation as formation_workflow


def _fetch(request, number, perm=None):
    """The formative dossier; 404 for outsiders (and for a VAE dossier), 403 without ``perm``."""
    dossier = get_dossier_for(request.user, number)
    if dossier.path != Path.FORMATION:
        raise Http404(formation_workflow.NOT_FORMATIVE)
    if perm and not rules.has_perm(perm, request.user, dossier):
        raise PermissionDenied("Vous ne pouvez pas faire cette action sur ce dossier.")
    return dossier


def _unit_file(file, unit_id):
    unit = next((u for u in file.units if u.unit.pk == unit_id), None)
    if unit is None:
        raise Http404("Unité inconnue.")
    return unit


def _check_slot(request, dossier, slot):
    if slot not in SLOTS:
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
    abilities["my_slot"] = next((slot for slot in SLOTS if is_evaluator(user, dossier, slot)), None)
    return abilities


def _context(request, dossier, **extra):
    return {"dossier": dossier, "file": build_file(dossier), **_abilities(request.user, dossier), **extra}


def _autosave(request, *, dossier, form, check, save, template, context, self_url, back_url, versioned, sign_url=None):
    """An edit page: htmx posts the form on every change (autosave); without JS the button saves it. The version
    check and the answers are cqp/autosave.py's."""
    try:
        check()
    except WorkflowError as exc:
        return autosave.refuse(request, str(exc), back_url=back_url, status=200)
    if request.method != "POST":
        return render(request, template, {**context, "form": form, "edit_version": versioned.current()})
    valid = form.is_valid()
    return autosave.autosave(
        request,
        versioned=versioned,
        lock=lambda: lock_dossier(dossier),
        save=lambda: save(form.get_data()),
        errors=[] if valid else form.error_lines(),
        page_url=self_url,
        success_url=sign_url if sign_url and "then_sign" in request.POST else None,
        render_page=lambda extra, status: render(request, template, {**context, "form": form, **extra}, status=status),
    )


def _confirm(
    request,
    *,
    dossier,
    title,
    action,
    success,
    back_url,
    missing,
    confirm_label,
    submit_label,
    intro="",
    statement="",
    extra=None,
):
    """A confirmation page before an irreversible signature or transmission; refused with the list of what is
    missing.
    """
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, confirm_label=confirm_label, submit_label=submit_label
    )
    if request.method == "POST" and form.is_valid():
        try:
            action()
        except formation_workflow.FormationIncomplete as exc:
            missing = exc.missing
            messages.error(request, "Refusé : " + str(exc))
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(back_url)
        else:
            messages.success(request, success)
            return redirect(back_url)
    return render(
        request,
        "candidates/formation_confirm.html",
        {
            "dossier": dossier,
            "title": title,
            "form": form,
            "missing": missing,
            "intro": intro,
            "statement": statement,
            "back_url": back_url,
            **(extra or {}),
        },
    )
