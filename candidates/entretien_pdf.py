"""The entretien d'accueil as a PDF: a Django template rendered by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .entretien_sheet import build_sheet


def build_entretien_pdf(entretien) -> bytes:
    from weasyprint import HTML

    dossier = entretien.dossier
    html = render_to_string(
        "candidates/entretien_pdf.html",
        {
            "dossier": dossier,
            "entretien": entretien,
            "sheet": build_sheet(dossier, entretien),
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
