"""When a dossier's livret 2 reached the OEMM: the date checked against the CQP's delay before a session."""

import datetime

from django.utils import timezone


def livret2_received_on(dossier) -> datetime.date | None:
    """The date the livret 2 (or livret d'évaluation finale) of a dossier was received.

    - If the dossier exposes a ``livret2_received_on`` attribute or field (the vae app will add a Livret2
      with its submission date and expose it there), that value is used as is (a date, or None when the
      livret 2 has not arrived).
    - Otherwise, the date the dossier entered the « prêt pour le jury » state, read from its audit trail
      (the latest DossierEvent with action "mark_ready_for_jury"), because marking a dossier ready is what
      acknowledges receipt of the livret today.
    - None when neither is known.
    """
    if hasattr(dossier, "livret2_received_on"):
        value = dossier.livret2_received_on
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value
    event = dossier.events.filter(action="mark_ready_for_jury").order_by("-at", "-id").first()
    if event is None:
        return None
    return timezone.localtime(event.at).date()
