"""Voie formative: the dossier's overview and the designations (tutor, evaluators, training manager)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page as _login_required

from ..formation_file import build_file, entreprise_members
from ..formation_forms import (
    DesignationForm,
    InviteForm,
)
from ..workflow import formation as formation_workflow
from .common import _context, _fetch, _url

# --- overview and designations ----------------------------------------------------------------------------


@_login_required
def formation_detail(request, number):
    """The voie formative of a dossier: who is who, progress per unit, the three livrets."""
    dossier = _fetch(request, number)
    return render(request, "candidates/formation_detail.html", _context(request, dossier))


@_login_required
def formation_designations(request, number):
    dossier = _fetch(request, number, "candidates.designate_formation_actors")
    file = build_file(dossier)
    d = file.designation
    initial = (
        {
            "tutor": d.tutor_id,
            "evaluator1": d.evaluator1_id,
            "evaluator1_function": d.evaluator1_function,
            "evaluator2": d.evaluator2_id,
            "evaluator2_function": d.evaluator2_function,
        }
        if d
        else {}
    )
    members = entreprise_members(dossier)
    post = request.POST if request.method == "POST" else None
    form = DesignationForm(post if post and "designate" in post else None, members=members, initial=initial)
    invite_form = InviteForm(post if post and "invite" in post else None)
    if post and "invite" in post and invite_form.is_valid():
        c = invite_form.cleaned_data
        try:
            person = formation_workflow.invite_member(
                dossier,
                by=request.user,
                email=c["email"],
                first_name=c["first_name"],
                last_name=c["last_name"],
                function=c["function"],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{person} fait partie des membres de l'entreprise : vous pouvez le désigner ci-dessous."
            )
            return redirect(_url("formation_designations", dossier))
    elif post and "designate" in post and form.is_valid():
        c = form.cleaned_data
        try:
            formation_workflow.designate(
                dossier,
                by=request.user,
                tutor=c["tutor"],
                evaluator1=c["evaluator1"],
                evaluator1_function=c["evaluator1_function"],
                evaluator2=c["evaluator2"],
                evaluator2_function=c["evaluator2_function"],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Désignations enregistrées. Les personnes désignées sont prévenues par e-mail.")
            return redirect(_url("formation", dossier))
    return render(
        request,
        "candidates/formation_designations.html",
        {
            "dossier": dossier,
            "file": file,
            "form": form,
            "invite_form": invite_form,
            "members": members,
        },
    )
