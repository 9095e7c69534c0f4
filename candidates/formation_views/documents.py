"""Voie formative: the printable livrets (PDF), for everyone who reads the formative dossier (candidate, company
roles, training centre, the certifier's staff, the jury of the candidate's session); outsiders get a 404."""

from django.http import HttpResponse

from cqp.permissions import login_required_page

from .. import formation_pdf
from .common import _fetch


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required_page
def formation_livret_pdf(request, number):
    dossier = _fetch(request, number, "candidates.view_formation")
    return _pdf(formation_pdf.build_livret_evaluation_pdf(dossier), f"livret-evaluation-finale-{dossier.number}.pdf")


@login_required_page
def formation_suivi_pdf(request, number):
    dossier = _fetch(request, number, "candidates.view_formation")
    return _pdf(formation_pdf.build_livret_suivi_pdf(dossier), f"livret-suivi-{dossier.number}.pdf")
