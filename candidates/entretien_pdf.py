"""The entretien d'accueil as a PDF: a Django template rendered by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def build_entretien_pdf(entretien) -> bytes:
    from weasyprint import HTML

    from .entretien import build_sheet

    dossier = entretien.dossier
    html = render_to_string("candidates/entretien_pdf.html", {
        "dossier": dossier, "entretien": entretien, "sheet": build_sheet(dossier, entretien),
        "generated_at": timezone.localtime(),
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
