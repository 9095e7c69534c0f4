"""The reminder collectors of the livret 1's deadlines: instruction and validity of the recevabilité (registered in
apps.py)."""

import datetime

from cqp.enums import ReminderKind
from cqp.reminder_registry import Due, oemm_ids, register_reminder_collector

from .models import Livret1
from .rules import renewal_kind


def instruction(today: datetime.date, until: datetime.date):
    """Recevabilité instruction deadline: OEMM, at 2 weeks and 3 days."""
    oemm = oemm_ids()
    livrets = (
        Livret1.objects.active()
        .awaiting_decision()
        .filter(instruction_deadline__gte=today, instruction_deadline__lte=until)
        .select_related("dossier__candidate", "dossier__certification", "referentiel")
    )
    for livret in livrets.iterator(chunk_size=2000):
        dossier = livret.dossier
        yield Due(
            kind=ReminderKind.INSTRUCTION,
            subject_key=f"livret1:{livret.pk}",
            due_date=livret.instruction_deadline,
            label=f"{dossier.number} — {dossier.candidate} ({dossier.certification.title})",
            url=dossier.get_absolute_url(),
            recipient_ids=oemm,
            context={"dossier": dossier, "silence": livret.referentiel.silence_is_acceptance},
            certifier_id=dossier.certification.certifier_id,
        )


def recevabilite_validity(today: datetime.date, until: datetime.date):
    """End of a favourable recevabilité: the candidate, with the demand to make (prorogation or renouvellement)."""
    livrets = (
        Livret1.objects.active()
        .filter(
            state="recevable",
            valid_until__gte=today,
            valid_until__lte=until,
            dossier__state__in=["recevable", "oriente", "inscrit"],
        )
        .select_related("dossier__candidate", "dossier__certification", "referentiel")
    )
    current = {}
    for livret in livrets.iterator(chunk_size=2000):
        dossier = livret.dossier
        if dossier.certification_id not in current:
            current[dossier.certification_id] = dossier.certification.current_version
        yield Due(
            kind=ReminderKind.RECEVABILITE_VALIDITY,
            subject_key=f"livret1:{livret.pk}",
            due_date=livret.valid_until,
            label=f"{dossier.number} ({dossier.certification.title})",
            url=dossier.get_absolute_url(),
            recipient_ids=[dossier.candidate_id],
            context={
                "dossier": dossier,
                "renewal": renewal_kind(livret.referentiel, current[dossier.certification_id]),
            },
            certifier_id=dossier.certification.certifier_id,
        )


register_reminder_collector(ReminderKind.INSTRUCTION, instruction)
register_reminder_collector(ReminderKind.RECEVABILITE_VALIDITY, recevabilite_validity)
