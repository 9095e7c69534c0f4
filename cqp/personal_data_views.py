"""« Mes données » (export, deletion request) for candidates; deletion requests, retention and statistics for the OEMM."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import personal_data as service
from .exceptions import WorkflowError
from .models import DeletionRequest, DeletionRequestState, User
from .permissions import require_perm

CANDIDATE_PERM = "cqp.view_candidat_dashboard"
OEMM_PERM = "cqp.manage_accounts"


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Motif (facultatif)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : « Je ne souhaite plus utiliser la plateforme ».",
    )


class TreatForm(forms.Form):
    answer = forms.CharField(label="Message au candidat", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    answer = forms.CharField(label="Motif du refus (envoyé au candidat)", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


# ------------------------------------------------------------------------------------------------ candidate


@require_perm(CANDIDATE_PERM)
def my_data(request):
    requests_ = DeletionRequest.objects.filter(candidate=request.user)
    return render(request, "cqp/personal_data/my_data.html", {
        "pending": requests_.filter(state=DeletionRequestState.DEMANDEE).first(),
        "requests": requests_,
        "form": DeletionRequestForm(),
        "in_progress": service.dossiers_in_progress(request.user),
    })


@require_perm(CANDIDATE_PERM)
@require_POST
def my_data_export(request):
    response = FileResponse(service.export_zip_file(request.user), as_attachment=True,
                            filename=service.export_filename(), content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm(CANDIDATE_PERM)
@require_POST
def my_deletion_request(request):
    form = DeletionRequestForm(request.POST)
    if form.is_valid():
        try:
            service.request_deletion(request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Votre demande d'effacement est enregistrée : l'OEMM la traite et vous répond par e-mail.")
    else:
        messages.error(request, "Le motif est trop long (2 000 caractères au plus).")
    return redirect("my_data")


# ------------------------------------------------------------------------------------------------ OEMM


@require_perm(OEMM_PERM)
def deletion_requests(request):
    state = request.GET.get("state", DeletionRequestState.DEMANDEE)
    items = DeletionRequest.objects.select_related("candidate", "treated_by")
    if state in DeletionRequestState.values:
        items = items.filter(state=state)
    return render(request, "cqp/personal_data/requests.html", {
        "page": Paginator(items, 25).get_page(request.GET.get("page")), "state": state,
        "states": DeletionRequestState.choices,
    })


@require_perm(OEMM_PERM)
def deletion_request_detail(request, pk):
    deletion_request = get_object_or_404(DeletionRequest.objects.select_related("candidate", "treated_by"), pk=pk)
    candidate = deletion_request.candidate
    return render(request, "cqp/personal_data/request_detail.html", {
        "deletion_request": deletion_request, "candidate": candidate,
        "refusal": service.anonymise_refusal(candidate) if deletion_request.is_pending else "",
        "dossiers": candidate.dossiers.select_related("certification").order_by("created_at"),
        "treat_form": TreatForm(), "refuse_form": RefuseForm(),
    })


@require_perm(OEMM_PERM)
@require_POST
def deletion_request_treat(request, pk, decision):
    deletion_request = get_object_or_404(DeletionRequest, pk=pk)
    form = (TreatForm if decision == "anonymiser" else RefuseForm)(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif du refus : il est envoyé au candidat.")
        return redirect("oemm_deletion_request", pk=pk)
    try:
        if decision == "anonymiser":
            service.accept_deletion(deletion_request, by=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, "Les données du candidat sont anonymisées ; il en est informé par e-mail.")
        else:
            service.refuse_deletion(deletion_request, by=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, "Demande refusée ; le candidat en est informé par e-mail.")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("oemm_deletion_request", pk=pk)


@require_perm(OEMM_PERM)
def retention(request):
    today = timezone.localdate()
    return render(request, "cqp/personal_data/retention.html", {
        "page": Paginator(service.past_retention(today), 25).get_page(request.GET.get("page")),
        "cutoff": service.retention_cutoff(today), "years": settings.RETENTION_YEARS,
    })


@require_perm(OEMM_PERM)
@require_POST
def retention_anonymise(request, pk):
    today = timezone.localdate()
    user = get_object_or_404(service.past_retention(today), pk=pk)
    try:
        service.anonymise_candidate(user, by=request.user,
                                    reason=f"Durée de conservation ({settings.RETENTION_YEARS} ans) échue")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Compte n° {user.pk} anonymisé.")
    return redirect("oemm_retention")


@require_perm(OEMM_PERM)
def statistics(request):
    from candidates.enums import DossierState, Path
    from jury.enums import Outcome

    from .statistics import dossier_statistics

    rows = dossier_statistics()
    for row in rows:
        row["path_label"] = Path(row["path"]).label if row["path"] in Path.values else row["path"]
        row["state_label"] = DossierState(row["state"]).label if row["state"] in DossierState.values else row["state"]
        row["outcome_label"] = Outcome(row["outcome"]).label if row["outcome"] in Outcome.values else "—"
    return render(request, "cqp/personal_data/statistics.html", {
        "rows": rows, "total": sum(r["count"] for r in rows),
        "anonymised": User.objects.filter(anonymised_at__isnull=False).count(),
    })
