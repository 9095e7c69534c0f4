"""Who may book which créneau of the entretien d'accueil (plain functions, table-tested in
tests/candidates/test_slot_rules.py). The workflow (``candidates/workflow/slots.py``) and the pages ask them.

Decision: a dossier books with its own centre (``dossier.organisme``); a dossier without a centre books with any
centre agreed for its CQP (agreement valid on the day of the slot). Booking is open while the dossier is « inscrit »
and its entretien not validated by the interviewer; one active booking per dossier.
"""

import datetime

BOOKABLE_DOSSIER_STATES = ("inscrit",)
BOOKABLE_ENTRETIEN_STATES = ("", "en_cours")

NOT_BOOKABLE = "Votre dossier n'attend plus d'entretien d'accueil : la réservation est fermée."
ALREADY_BOOKED = "Vous avez déjà un entretien réservé : annulez-le avant d'en réserver un autre."
PAST = "Ce créneau est passé : choisissez-en un autre."
OTHER_CENTRE = "Ce créneau est celui d'un organisme qui ne suit pas votre dossier."
TOO_LATE_TO_CANCEL = (
    "L'entretien a commencé ou est passé : il ne peut plus être annulé en ligne, contactez l'organisme."
)
PLACE_OR_VIDEO = "Indiquez le lieu de l'entretien ou un lien de visioconférence."
VIDEO_HTTPS = "Le lien de visioconférence doit commencer par https://."
IN_THE_PAST = "La date et l'heure doivent être à venir."
MESSAGE_REQUIRED = "Écrivez un message au candidat : il le reçoit avec le changement."


def booking_refusal(
    *,
    dossier_state: str,
    entretien_state: str,
    has_active_booking: bool,
    slot_starts_at: datetime.datetime,
    slot_organisme_id: int,
    allowed_organisme_ids,
    now: datetime.datetime,
) -> str:
    """Why this dossier may not book this slot ("" : it may). The slot's own state is the transition table's."""
    if dossier_state not in BOOKABLE_DOSSIER_STATES or entretien_state not in BOOKABLE_ENTRETIEN_STATES:
        return NOT_BOOKABLE
    if has_active_booking:
        return ALREADY_BOOKED
    if slot_organisme_id not in set(allowed_organisme_ids):
        return OTHER_CENTRE
    if slot_starts_at <= now:
        return PAST
    return ""


def may_book(dossier_state: str, entretien_state: str) -> bool:
    """Whether the dossier is at the step where an entretien is booked (the page and the next action)."""
    return dossier_state in BOOKABLE_DOSSIER_STATES and entretien_state in BOOKABLE_ENTRETIEN_STATES


def cancel_refusal(*, slot_starts_at: datetime.datetime, now: datetime.datetime) -> str:
    """The candidate cancels their booking before the slot only."""
    return TOO_LATE_TO_CANCEL if slot_starts_at <= now else ""


def place_refusal(place: str, video_url: str) -> str:
    """A slot takes place somewhere: a place, or a video link (https)."""
    if not (place or "").strip() and not (video_url or "").strip():
        return PLACE_OR_VIDEO
    if video_url and not video_url.startswith("https://"):
        return VIDEO_HTTPS
    return ""


def change_refusal(*, booked: bool, message: str) -> str:
    """The centre moves or cancels a booked slot with a message to the candidate."""
    return MESSAGE_REQUIRED if booked and not (message or "").strip() else ""
