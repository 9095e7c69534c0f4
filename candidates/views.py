from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.permissions import require_perm
from referentiels.models import Certification

from . import workflow
from .enums import DossierState, Path
from .forms import CloseDossierForm, EmployeeInscriptionForm, ExtendFirstJuryForm, VaeInscriptionForm
from .selectors import dossiers_for, get_dossier_for


@require_perm("candidates.register_vae")
def inscription_vae(request):
    initial = {}
    if request.GET.get("cqp"):
        initial["certification"] = Certification.objects.filter(code=request.GET["cqp"]).first()
    form = VaeInscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = workflow.register_vae(
                candidate=request.user, certification=form.cleaned_data["certification"],
                mention=form.cleaned_data["mention"], organisme=form.cleaned_data["organisme"],
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
                by=request.user, entreprise=membership.entreprise, email=data["email"], first_name=data["first_name"],
                last_name=data["last_name"], certification=data["certification"], mention=data["mention"],
                organisme=data["organisme"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{dossier.candidate} est inscrit(e) : dossier n° {dossier.number}. Un e-mail l'invite à activer son compte.")
            return redirect(dossier)
    return render(request, "candidates/inscription.html", {
        "form": form, "title": f"Inscrire un salarié de {membership.entreprise} (voie formative)",
    })


def dossier_detail(request, number):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    dossier = get_dossier_for(request.user, number)
    events = dossier.events.select_related("actor")
    return render(request, "candidates/dossier.html", {
        "dossier": dossier, "events": events, "close_form": CloseDossierForm() if request.user.has_perm("candidates.close_dossier") and dossier.is_open else None,
    })


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
    dossiers = dossiers_for(request.user).order_by("-created_at")
    q = request.GET.get("q", "").strip()
    filters = {k: request.GET.get(k, "") for k in ("cqp", "path", "state")}
    if q:
        dossiers = dossiers.filter(
            Q(number__icontains=q) | Q(candidate__last_name__icontains=q) | Q(candidate__email__icontains=q)
        )
    if filters["cqp"]:
        dossiers = dossiers.filter(certification__code=filters["cqp"])
    if filters["path"] in Path.values:
        dossiers = dossiers.filter(path=filters["path"])
    if filters["state"] in DossierState.values:
        dossiers = dossiers.filter(state=filters["state"])
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    return render(request, "candidates/dossier_list.html", {
        "page": page, "q": q, "filters": filters, "certifications": Certification.objects.all(),
        "paths": Path.choices, "states": DossierState.choices,
    })


@require_perm("candidates.close_dossier")
def dossier_extend(request, number):
    dossier = get_dossier_for(request.user, number)
    form = ExtendFirstJuryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.extend_first_jury(dossier, by=request.user, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Délai prolongé jusqu'au {dossier.first_jury_deadline:%d/%m/%Y}.")
            return redirect(dossier)
    return render(request, "cqp/form_page.html", {
        "form": form, "title": f"Prolonger le délai de première présentation — dossier {dossier.number}",
        "intro": f"Échéance actuelle : {dossier.first_jury_deadline:%d/%m/%Y}. Le motif est conservé dans l'historique du dossier.",
    })
