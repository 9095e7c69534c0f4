"""The register fills itself from the signed fiches de décision (daily job and register page), idempotently.

- a current signed fiche with a total validation and no line: a line « à transmettre », due three months after
  the decision;
- a line whose fiche was rectified: it follows the rectified version (still total: the line stays, and one already
  exported or transmitted is set back « à transmettre » to send the corrected data); no longer total: « annulé ».
"""

import datetime

from django.db import transaction
from django.utils import timezone

from candidates.deadlines import add_months
from candidates.enums import Path
from jury.enums import FicheState, Outcome
from jury.models import FicheDecision

from ..models import AccessRoute, HolderRecord, RegisterState

DUE_MONTHS = 3


def _current(fiche):
    """The version in force of a fiche (following its rectifications)."""
    while fiche.state == FicheState.REMPLACEE and hasattr(fiche, "correction"):
        fiche = fiche.correction
    return fiche


def _record(fiche) -> HolderRecord:
    dossier = fiche.session_candidate.dossier
    obtained = timezone.localtime(fiche.signed_at).date()
    return HolderRecord(
        dossier=dossier,
        fiche=fiche,
        obtained_on=obtained,
        due_on=add_months(obtained, DUE_MONTHS),
        access_route=AccessRoute.VAE if dossier.path == Path.VAE else AccessRoute.FORMATION,
    )


@transaction.atomic
def sync_register(today: datetime.date | None = None) -> dict:
    new = (
        FicheDecision.objects.filter(state=FicheState.SIGNEE, outcome=Outcome.TOTALE, signed_at__isnull=False)
        .filter(session_candidate__dossier__holder_record__isnull=True)
        .select_related("session_candidate__dossier")
    )
    created = HolderRecord.objects.bulk_create([_record(f) for f in new], ignore_conflicts=True)
    changed = 0
    stale = HolderRecord.objects.select_for_update().exclude(fiche__state=FicheState.SIGNEE).select_related("fiche")
    for record in stale:
        current = _current(record.fiche)
        if current.pk == record.fiche_id:
            continue
        record.fiche = current
        if current.state == FicheState.SIGNEE and current.outcome == Outcome.TOTALE:
            if record.state in (RegisterState.EXPORTE, RegisterState.TRANSMIS):
                record.state = RegisterState.A_TRANSMETTRE
                record.note = f"Fiche rectifiée (version {current.version}) : données à retransmettre."
        else:
            record.state = RegisterState.ANNULE
            record.note = f"Fiche rectifiée (version {current.version}) : plus de validation totale."
        record.save()
        changed += 1
    return {"created": len(created), "changed": changed}
