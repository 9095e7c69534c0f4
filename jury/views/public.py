"""The candidate's own jury page and the public check of a certificate."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cqp.permissions import login_required_page

from .. import sealing
from ..enums import FicheState
from ..models import Certificate, SessionCandidate, ValidatedUnit

# ------------------------------------------------------------------ the candidate's page and the public check


@login_required_page
def my_jury(request):
    passages = (
        SessionCandidate.objects.filter(dossier__candidate=request.user)
        .select_related("session", "dossier__certification")
        .prefetch_related("convocations", "fiches")
        .order_by("-session__date")
    )
    rows = []
    for passage in passages:
        fiches = [f for f in passage.fiches.all() if f.state != FicheState.BROUILLON]
        rows.append(
            {
                "p": passage,
                "convocation": passage.last_convocation,
                "fiche": max(fiches, key=lambda f: f.version) if fiches else None,
            }
        )
    certificates = Certificate.objects.filter(dossier__candidate=request.user, revoked_at__isnull=True).select_related(
        "dossier__certification"
    )
    units = ValidatedUnit.objects.filter(candidate=request.user).select_related("unit", "certification", "session")
    return render(
        request,
        "jury/my_jury.html",
        {"rows": rows, "certificates": certificates, "units": units, "today": timezone.localdate()},
    )


def verify(request, code):
    certificate = (
        Certificate.objects.select_related("dossier__candidate", "dossier__certification", "dossier__mention")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        raise Http404("Code inconnu.")
    return render(request, "jury/verify.html", {"certificate": certificate})


MAX_CHECKED_PDF = 10 * 1024 * 1024


class SealedDocumentForm(forms.Form):
    document = forms.FileField(
        label="Document PDF à vérifier (fiche de décision ou certificat)",
        help_text="Le fichier reçu de la plateforme, 10 Mo au plus. Il n'est pas conservé.",
    )

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_CHECKED_PDF:
            raise forms.ValidationError("Le fichier dépasse 10 Mo.")
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("Ce fichier n'est pas un PDF.")
        return document


def verify_document(request):
    """Public check of a PDF issued by the platform: does it carry the platform's seal, intact since?"""
    form = SealedDocumentForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = sealing.check_sealed_pdf(form.cleaned_data["document"].read())
    return render(request, "jury/verify_document.html", {"form": form, "result": result})
