"""The candidate's own jury page and the public check of a certificate."""

import re

from django import forms
from django.shortcuts import redirect, render
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


CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


class VerificationCodeForm(forms.Form):
    """The code printed under a certificate's QR code, typed by hand (or its whole address, pasted)."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=200,
        help_text="Le code imprimé sous le QR code du certificat, par exemple « Xy3_kP9aQw2LmN8vT4rZbC1d ». "
        "Vous pouvez aussi coller l'adresse complète.",
        error_messages={"required": "Saisissez le code de vérification."},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().rstrip("/").rsplit("/", 1)[-1]
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                "Ce code n'a pas le bon format : de 8 à 40 caractères, lettres sans accent, chiffres, « - » ou « _ »."
            )
        return code


def _unknown_code(request, code):
    """An unknown code: a 404, but the site's own page telling what to do (not the generic « page introuvable »)."""
    form = VerificationCodeForm(initial={"code": code})
    return render(request, "jury/verify_unknown.html", {"code": code, "code_form": form}, status=404)


def verify(request, code):
    certificate = (
        Certificate.objects.select_related("dossier__candidate", "dossier__certification", "dossier__mention")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return _unknown_code(request, code)
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
    """Public check of a PDF issued by the platform (does it carry the platform's seal, intact since?), or of a
    certificate by its code typed in the second form (POST with ``code``: counted per IP like the PDF check)."""
    is_code = request.method == "POST" and "code" in request.POST
    form = SealedDocumentForm(request.POST if request.method == "POST" and not is_code else None, request.FILES or None)
    code_form = VerificationCodeForm(request.POST if is_code else None)
    result = None
    if is_code and code_form.is_valid():
        code = code_form.cleaned_data["code"]
        if Certificate.objects.filter(code=code).exists():
            return redirect("verification:verify", code=code)
        return _unknown_code(request, code)
    if request.method == "POST" and not is_code and form.is_valid():
        result = sealing.check_sealed_pdf(form.cleaned_data["document"].read())
    return render(request, "jury/verify_document.html", {"form": form, "code_form": code_form, "result": result})
