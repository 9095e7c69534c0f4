"""« Mes données » (export, deletion request) for candidates; deletion requests and retention for the OEMM."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cqp import query_params
from cqp.enums import DeletionRequestState, Role
from cqp.exceptions import WorkflowError
from cqp.models import DeletionRequest, User
from cqp.permissions import require_perm

from . import personal_data as service
from . import workflow
from .filters import DeletionRequestFilter, RetentionFilter

CANDIDATE_PERM = "cqp.view_candidat_dashboard"
OEMM_PERM = "cqp.manage_accounts"


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Motif (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : « Je ne souhaite plus utiliser la plateforme ».",
    )


class TreatForm(forms.Form):
    answer = forms.CharField(
        label="Message au candidat", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(forms.Form):
    answer = forms.CharField(
        label="Motif du refus (envoyé au candidat)",
        required=False,  # refused without a reason by the workflow (pilotage.workflow.refuse_deletion)
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ------------------------------------------------------------------------------------------------ candidate


@require_perm(CANDIDATE_PERM)
def my_data(request):
    requests_ = DeletionRequest.objects.filter(candidate=request.user)
    return render(
        request,
        "pilotage/personal_data/my_data.html",
        {
            "pending": requests_.filter(state=DeletionRequestState.DEMANDEE).first(),
            "requests": requests_,
            "form": DeletionRequestForm(),
            "in_progress": service.dossiers_in_progress(request.user),
        },
    )


@require_perm(CANDIDATE_PERM)
@require_POST
def my_data_export(request):
    response = FileResponse(
        service.export_zip_file(request.user),
        as_attachment=True,
        filename=service.export_filename(),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm(CANDIDATE_PERM)
@require_POST
def my_deletion_request(request):
    if DeletionRequest.objects.pending().filter(candidate=request.user).exists():
        # Checked first: the state is what refuses the request, whatever was typed (re-checked under lock below).
        messages.error(request, workflow.ALREADY_PENDING)
        return redirect("my_data")
    form = DeletionRequestForm(request.POST)
    if form.is_valid():
        try:
            workflow.request_deletion(request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Votre demande d'effacement est enregistrée : l'OEMM la traite et vous répond par e-mail."
            )
    else:
        messages.error(request, "Le motif est trop long (2 000 caractères au plus).")
    return redirect("my_data")


# ------------------------------------------------------------------------------------------------ OEMM


def _page(request, queryset):
    return Paginator(queryset, 25).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))


@require_perm(OEMM_PERM)
def deletion_requests(request):
    """Filtered by state (tabs) and sorted by column (pilotage/filters.py, shared with the export)."""
    found = DeletionRequestFilter(
        request.GET, queryset=DeletionRequest.objects.select_related("candidate", "treated_by").order_by("-pk")
    )
    return render(
        request,
        "pilotage/personal_data/requests.html",
        {
            "page": _page(request, found.qs),
            "filter": found,
            "state": found.cleaned("state") or "",
            "states": DeletionRequestState.choices,
            "query": query_params.without_page(request.GET),
        },
    )


@require_perm(OEMM_PERM)
def deletion_request_detail(request, pk):
    deletion_request = get_object_or_404(DeletionRequest.objects.select_related("candidate", "treated_by"), pk=pk)
    candidate = deletion_request.candidate
    return render(
        request,
        "pilotage/personal_data/request_detail.html",
        {
            "deletion_request": deletion_request,
            "candidate": candidate,
            "refusal": service.anonymise_refusal(candidate) if deletion_request.is_pending else "",
            "dossiers": candidate.dossiers.select_related("certification").order_by("created_at"),
            "treat_form": TreatForm(),
            "refuse_form": RefuseForm(),
        },
    )


@require_perm(OEMM_PERM)
@require_POST
def deletion_request_treat(request, pk, decision):
    deletion_request = get_object_or_404(DeletionRequest, pk=pk)
    form = (TreatForm if decision == "anonymiser" else RefuseForm)(request.POST)
    if not form.is_valid():  # only the length is the form's: the state and the missing reason are the workflow's
        messages.error(request, "Le message au candidat est trop long (2 000 caractères au plus).")
        return redirect("oemm_deletion_request", pk=pk)
    try:
        if decision == "anonymiser":
            workflow.accept_deletion(deletion_request, by=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, "Les données du candidat sont anonymisées ; il en est informé par e-mail.")
        else:
            workflow.refuse_deletion(deletion_request, by=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, "Demande refusée ; le candidat en est informé par e-mail.")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("oemm_deletion_request", pk=pk)


@require_perm(OEMM_PERM)
def retention(request):
    today = timezone.localdate()
    found = RetentionFilter(request.GET or None, queryset=service.past_retention(today))
    return render(
        request,
        "pilotage/personal_data/retention.html",
        {
            "page": _page(request, found.qs),
            "filter": found,
            "query": query_params.without_page(request.GET),
            "cutoff": service.retention_cutoff(today),
            "years": settings.RETENTION_YEARS,
        },
    )


@require_perm(OEMM_PERM)
@require_POST
def retention_anonymise(request, pk):
    today = timezone.localdate()
    user = service.past_retention(today).filter(pk=pk).first()
    if user is None:
        # Not (or no longer) listed: a stale page, or a forged id. A candidate account gets the reason; anything
        # else is not for this page (404).
        candidate = get_object_or_404(User.objects.filter(roles__role=Role.CANDIDAT).distinct(), pk=pk)
        messages.error(
            request,
            service.anonymise_refusal(candidate)
            or (
                f"La durée de conservation ({settings.RETENTION_YEARS} ans) du compte n° {candidate.pk} n'est pas "
                "échue : "
                "il ne peut pas encore être anonymisé."
            ),
        )
        return redirect("oemm_retention")
    try:
        summary = service.anonymise_candidate(user, by=request.user, reason=service.retention_reason())
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if summary.get("already"):
            messages.error(request, "Les données de cette personne sont déjà anonymisées.")
        else:
            messages.success(request, f"Compte n° {user.pk} anonymisé.")
    return redirect("oemm_retention")
