"""One function per e-mail about the livret 1."""

import base64

from django.conf import settings

from cqp.mail import queue_mail

from . import pdf


def _context(livret):
    dossier = livret.dossier
    return {
        "livret": livret,
        "dossier": dossier,
        "version": livret.referentiel,
        "url": settings.SITE_URL + livret.get_absolute_url(),
        "dossier_url": settings.SITE_URL + dossier.get_absolute_url(),
    }


def send_livret1_received(livret):
    """Accusé de réception: the instruction delay and the deadline (seed 004 L21)."""
    queue_mail("livret1_received", _context(livret), [livret.dossier.candidate.email])


def send_recevabilite_decision(livret):
    """The notification of the decision, with the PDF attached (seed 004 L25)."""
    content = pdf.build_notification_pdf(livret)
    filename = f"notification-recevabilite-{livret.dossier.number}.pdf"
    submitted = livret.submitted_at.isoformat() if livret.submitted_at else ""
    queue_mail(
        "recevabilite_decision",
        _context(livret),
        [livret.dossier.candidate.email],
        attachments=[(filename, base64.b64encode(content).decode("ascii"), "application/pdf")],
        # One notification per decision, even if the task runs twice (a resubmitted livret gets a new submitted_at).
        key=f"recevabilite_decision:livret1:{livret.pk}:{livret.state}:{submitted}",
    )


# ---------------------------------------------------------------- livret 2 and accompagnement


def _livret2_context(livret):
    dossier = livret.dossier
    return {
        "livret": livret,
        "dossier": dossier,
        "url": settings.SITE_URL + livret.get_absolute_url(),
        "dossier_url": settings.SITE_URL + dossier.get_absolute_url(),
    }


def _centre_emails(organisme) -> list[str]:
    from cqp.enums import Role

    emails = list(
        organisme.members.filter(role=Role.ORGANISME, user__is_active=True).values_list("user__email", flat=True)
    )
    if organisme.contact_email and organisme.contact_email not in emails:
        emails.append(organisme.contact_email)
    return emails


def send_livret2_submitted(livret):
    """Confirmation to the candidate that the livret 2 was sent to the OEMM."""
    queue_mail("livret2_submitted", _livret2_context(livret), [livret.dossier.candidate.email])


def send_livret2_received(livret):
    """« Livret 2 reçu le ... »: the OEMM acknowledged receipt; the dossier is ready for a jury session."""
    queue_mail("livret2_received", _livret2_context(livret), [livret.dossier.candidate.email])


def _convention_context(convention):
    dossier = convention.dossier
    return {
        "convention": convention,
        "dossier": dossier,
        "organisme": convention.organisme,
        "url": settings.SITE_URL + convention.get_absolute_url(),
    }


def send_accompagnement_accepted(convention):
    """To both parties: the convention is accepted and takes effect."""
    queue_mail(
        "accompagnement_accepted",
        _convention_context(convention),
        [convention.dossier.candidate.email, *_centre_emails(convention.organisme)],
    )


def send_piece_to_replace(piece):
    """A piece of the livret 1 is to be replaced: which one, why, where to replace it."""
    livret = piece.livret1
    context = {**_context(livret), "piece": piece}
    queue_mail("piece_to_replace", context, [livret.dossier.candidate.email])
