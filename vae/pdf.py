"""PDFs of the livret 1: the notification of the recevabilité decision (WeasyPrint, from a Django template)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def build_notification_pdf(livret) -> bytes:
    from weasyprint import HTML

    html = render_to_string("vae/notification_pdf.html", {
        "livret": livret, "dossier": livret.dossier, "version": livret.referentiel,
        "experience": livret.experience_check(livret.decided_on or timezone.localdate()),
        "today": timezone.localdate(), "site_url": settings.SITE_URL,
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
