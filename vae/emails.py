"""One function per e-mail about the livret 1."""

import base64

from django.conf import settings

from cqp.mail import queue_mail

from . import pdf


def _context(livret):
    dossier = livret.dossier
    return {
        "livret": livret, "dossier": dossier, "version": livret.referentiel,
        "url": settings.SITE_URL + livret.get_absolute_url(), "dossier_url": settings.SITE_URL + dossier.get_absolute_url(),
    }


def send_livret1_received(livret):
    """Accusé de réception: the instruction delay and the deadline (seed 004 L21)."""
    queue_mail("livret1_received", _context(livret), [livret.dossier.candidate.email])


def send_recevabilite_decision(livret):
    """The notification of the decision, with the PDF attached (seed 004 L25)."""
    content = pdf.build_notification_pdf(livret)
    filename = f"notification-recevabilite-{livret.dossier.number}.pdf"
    queue_mail(
        "recevabilite_decision", _context(livret), [livret.dossier.candidate.email],
        attachments=[(filename, base64.b64encode(content).decode("ascii"), "application/pdf")],
    )
