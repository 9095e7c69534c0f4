"""The e-mails of a booked créneau (invitation, move, cancellation), each with its .ics (cqp/ics.py), to the candidate
and to the centre's members. Written to the outbox in the caller's transaction (cqp/mail.py)."""

import base64
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse

from cqp.enums import Role
from cqp.ics import METHOD_CANCEL, METHOD_REQUEST, Invitation, build_ics
from cqp.mail import queue_mail
from cqp.models import User

SUMMARY = "Entretien d'accueil et d'orientation"


def centre_emails(organisme) -> list[str]:
    """The active members of the centre, or its contact when it has none."""
    emails = list(
        User.objects.filter(is_active=True, roles__role=Role.ORGANISME, roles__organisme=organisme)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )
    return emails or [e for e in [organisme.contact_email] if e]


def invitation(slot, dossier) -> Invitation:
    organisme = slot.organisme
    candidate = dossier.candidate
    where = slot.place or slot.video_url
    return Invitation(
        uid=slot.uid,
        sequence=slot.sequence,
        start=slot.starts_at,
        duration=slot.duration,
        summary=f"{SUMMARY} — {organisme.name}",
        organizer_name=organisme.name,
        organizer_email=organisme.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        attendees=((str(candidate), candidate.email),),
        location=slot.place,
        url=slot.video_url,
        description=f"Dossier {dossier.number} ({dossier.certification.title}). {slot.note}".strip()
        + (f"\nLieu : {where}" if where else ""),
    )


def ics_attachment(slot, dossier, method=METHOD_REQUEST) -> tuple[str, str, str]:
    data = build_ics(invitation(slot, dossier), method=method)
    mimetype = f"text/calendar; method={method}"
    return ("entretien.ics" if method == METHOD_REQUEST else "annulation-entretien.ics", _b64(data), mimetype)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _send(name, slot, dossier, *, method, extra=None):
    attachment = ics_attachment(slot, dossier, method)
    base = {"slot": slot, "dossier": dossier, "organisme": slot.organisme, **(extra or {})}
    key = f"{name}:{slot.pk}:{slot.uid}:{slot.sequence}"
    booking_url = settings.SITE_URL + reverse("candidates:slot_booking")
    queue_mail(
        name,
        {**base, "for_centre": False, "url": booking_url},
        [dossier.candidate.email],
        [attachment],
        key=f"{key}:candidat",
    )
    queue_mail(
        name,
        {**base, "for_centre": True, "url": settings.SITE_URL + reverse("candidates:slots")},
        centre_emails(slot.organisme),
        [attachment],
        key=f"{key}:centre",
    )


def send_booked(slot, dossier):
    _send("entretien_slot_booked", slot, dossier, method=METHOD_REQUEST)


def send_moved(slot, dossier, *, previous_start):
    _send("entretien_slot_moved", slot, dossier, method=METHOD_REQUEST, extra={"previous_start": previous_start})


def send_cancelled(slot, dossier, *, by_candidate):
    _send("entretien_slot_cancelled", slot, dossier, method=METHOD_CANCEL, extra={"by_candidate": by_candidate})
