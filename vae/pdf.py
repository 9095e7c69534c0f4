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


def build_livret2_pdf(livret) -> bytes:
    """The whole livret 2 for the jury: cover, contents, every answer, the list of attachments."""
    from weasyprint import HTML

    from .selectors import livret2_blocks

    version = livret.referentiel
    questions = list(version.livret2_motivation or []) or ["Votre projet et votre motivation"]
    answers = list(livret.motivation or [])
    html = render_to_string("vae/livret2_pdf.html", {
        "livret": livret, "dossier": livret.dossier, "version": version, "blocks": livret2_blocks(livret),
        "motivation": [(q, answers[i] if i < len(answers) else "") for i, q in enumerate(questions)],
        "pieces": livret.pieces.select_related("unit", "situation").order_by("uploaded_at", "id"),
        "today": timezone.localdate(), "site_url": settings.SITE_URL,
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
