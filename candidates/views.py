from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString

from cqp import query_params
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.pagination import count_label
from cqp.permissions import has_page_perm, require_perm
from referentiels.models import Certification

from . import workflow
from .filters import DossierFilter
from .forms import CloseDossierForm, EmployeeInscriptionForm, ExtendFirstJuryForm, VaeInscriptionForm
from .selectors import (
    dossier_list_rows,
    get_dossier_for,
    get_dossier_page_for,
    history_rows,
    list_paginator,
    visible_dossiers,
)


@require_perm("candidates.register_vae")
def inscription_vae(request):
    initial = {}
    if request.GET.get("cqp"):
        initial["certification"] = Certification.objects.filter(code=request.GET["cqp"]).first()
    form = VaeInscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = workflow.register_vae(
                candidate=request.user,
                certification=form.cleaned_data["certification"],
                mention=form.cleaned_data["mention"],
                organisme=form.cleaned_data["organisme"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Inscription enregistrée : dossier n° {dossier.number}.")
            return redirect(dossier)
    return render(request, "candidates/inscription.html", {"form": form, "title": "M'inscrire à un CQP par la VAE"})


@require_perm("candidates.register_employee")
def inscription_salarie(request):
    membership = request.user.roles.select_related("entreprise").get(role=Role.ENTREPRISE)
    form = EmployeeInscriptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = workflow.register_employee(
                by=request.user,
                entreprise=membership.entreprise,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                certification=data["certification"],
                mention=data["mention"],
                organisme=data["organisme"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{dossier.candidate} est inscrit(e) : dossier n° {dossier.number}. Un e-mail l'invite à activer son "
                "compte.",
            )
            return redirect(dossier)
    return render(
        request,
        "candidates/inscription.html",
        {
            "form": form,
            "title": f"Inscrire un salarié de {membership.entreprise} (voie formative)",
        },
    )


def dossier_detail(request, number):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    dossier = get_dossier_page_for(request.user, number)
    events = history_rows(dossier)
    return render(
        request,
        "candidates/dossier.html",
        {
            "dossier": dossier,
            "events": events,
            "close_form": CloseDossierForm()
            if request.user.has_perm("candidates.close_dossier") and dossier.is_open
            else None,
        },
    )


@require_perm("candidates.close_dossier")
def dossier_close(request, number):
    dossier = get_dossier_for(request.user, number)
    form = CloseDossierForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.close(dossier, by=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Dossier {dossier.number} clos.")
        return redirect(dossier)
    return render(request, "cqp/form_page.html", {"form": form, "title": f"Clore le dossier {dossier.number}"})


@require_perm("candidates.list_dossiers")
def dossier_list(request):
    """Filtered and sorted by django-filter (candidates/filters.py): an invalid parameter is left out. The rows are
    read as the columns shown; the whole list is counted by PostgreSQL's estimate when large (cqp/pagination.py)."""
    dossiers = DossierFilter(
        request.GET or None, queryset=visible_dossiers(request.user).order_by("-created_at", "-pk")
    )
    paginator = list_paginator(request.user, dossiers)
    page = paginator.get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))
    rows = dossier_list_rows(page.object_list)
    return render(
        request,
        "candidates/dossier_list.html",
        {
            "page": page,
            "rows": rows,
            # the table's body: the rows' HTML one after another (the template loops no more)
            "rows_html": SafeString("".join(row["html"] for row in rows)),
            "total": count_label(paginator.count, paginator.estimated, "dossier", "dossiers"),
            "filter": dossiers,
            "can_export": has_page_perm(request.user, "cqp.view_oemm_dashboard"),
            "query": query_params.without_page(request.GET),
        },
    )


@require_perm("candidates.close_dossier")
def dossier_extend(request, number):
    dossier = get_dossier_for(request.user, number)
    form = ExtendFirstJuryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.extend_first_jury(
                dossier, by=request.user, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Délai prolongé jusqu'au {dossier.first_jury_deadline:%d/%m/%Y}.")
            return redirect(dossier)
    return render(
        request,
        "cqp/form_page.html",
        {
            "form": form,
            "title": f"Prolonger le délai de première présentation — dossier {dossier.number}",
            "intro": (
                f"Échéance actuelle : {dossier.first_jury_deadline:%d/%m/%Y}. Le motif est conservé dans "
                "l'historique du dossier."
            ),
        },
    )
