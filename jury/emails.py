"""One function per jury e-mail."""

from django.conf import settings
from django.urls import reverse

from cqp.mail import queue_mail


def _space_url():
    return settings.SITE_URL + reverse("jury:my_jury")


def send_convocation(convocation, *, attachments, key=None):
    candidate = convocation.session_candidate
    queue_mail(
        "jury_convocation",
        {
            "convocation": convocation,
            "session": candidate.session,
            "dossier": candidate.dossier,
            "url": _space_url(),
        },
        [candidate.dossier.candidate.email],
        attachments=attachments,
        key=key,
    )


def send_fiche(fiche, *, attachments, key=None):
    name = "jury_decision_corrected" if fiche.previous_id else "jury_decision"
    candidate = fiche.session_candidate
    queue_mail(
        name,
        {
            "fiche": fiche,
            "session": candidate.session,
            "dossier": candidate.dossier,
            "url": _space_url(),
            "certificate": fiche.certificates.filter(revoked_at__isnull=True).first(),
        },
        [candidate.dossier.candidate.email],
        attachments=attachments,
        key=key,
    )
