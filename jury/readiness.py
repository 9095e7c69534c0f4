"""When a dossier's livret 2 reached the OEMM: the date checked against the CQP's delay before a session."""

import datetime

from django.utils import timezone


def livret2_received_on(dossier) -> datetime.date | None:
    """The date the livret 2 (or livret d'évaluation finale) of a dossier was received.

    - If the dossier exposes a ``livret2_received_on`` attribute, that value is used as is (a date, or None).
    - Otherwise, when the dossier has a livret 2 (vae.Livret2) whose receipt the OEMM acknowledged, its
      ``received_on`` date (« livret 2 reçu le ... »).
    - Otherwise, the date the dossier entered the « prêt pour le jury » state, read from its audit trail
      (the latest DossierEvent with action "mark_ready_for_jury"), because marking a dossier ready is what
      acknowledges receipt of the livret on the voie formative and for dossiers without an online livret 2.
    - None when neither is known.
    """
    if hasattr(dossier, "livret2_received_on"):
        value = dossier.livret2_received_on
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value
    from vae.models import Livret2

    received = (
        Livret2.objects.filter(dossier_id=dossier.pk, received_on__isnull=False)
        .values_list("received_on", flat=True)
        .first()
    )
    if received is not None:
        return received
    event = dossier.events.filter(action="mark_ready_for_jury").order_by("-at", "-id").first()
    if event is None:
        return None
    return timezone.localtime(event.at).date()


def livret2_received_on_many(dossiers) -> dict:
    """``livret2_received_on`` for many dossiers at once (dossier id -> date or None), in two queries.

    Same rules as ``livret2_received_on``; used by the pages listing many dossiers.
    """
    result, pending = {}, []
    for dossier in dossiers:
        if hasattr(dossier, "livret2_received_on"):
            result[dossier.pk] = livret2_received_on(dossier)
        else:
            pending.append(dossier.pk)
    if not pending:
        return result
    from candidates.models import DossierEvent
    from vae.models import Livret2

    result.update(
        Livret2.objects.filter(dossier_id__in=pending, received_on__isnull=False).values_list(
            "dossier_id", "received_on"
        )
    )
    rest = [pk for pk in pending if pk not in result]
    if rest:
        events = (
            DossierEvent.objects.filter(dossier_id__in=rest, action="mark_ready_for_jury")
            .order_by("dossier_id", "-at", "-id")
            .values_list("dossier_id", "at")
        )
        for dossier_id, at in events:
            result.setdefault(dossier_id, timezone.localtime(at).date())
    for pk in pending:
        result.setdefault(pk, None)
    return result
