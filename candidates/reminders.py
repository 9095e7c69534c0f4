"""The reminder collector of the dossier's own deadline: the first presentation to the jury (registered in apps.py)."""

import datetime

from cqp.enums import ReminderKind
from cqp.reminder_registry import Due, oemm_ids, register_reminder_collector

from .enums import Path
from .models import Dossier


def first_jury(today: datetime.date, until: datetime.date):
    """Inscription + the CQP's window (or its extension): candidate, OEMM, and the company for the voie formative."""
    oemm = oemm_ids()
    dossiers = (
        Dossier.objects.awaiting_first_jury()
        .filter(first_jury_deadline__gte=today, first_jury_deadline__lte=until)
        .select_related("certification", "candidate")
        .only(
            "pk",
            "number",
            "first_jury_deadline",
            "path",
            "registered_by_id",
            "candidate_id",
            "certification__title",
            "certification__certifier_id",
            "candidate__first_name",
            "candidate__last_name",
            "candidate__email",
        )
    )
    for dossier in dossiers.iterator(chunk_size=2000):
        recipients = [dossier.candidate_id, *oemm]
        if dossier.path == Path.FORMATION and dossier.registered_by_id:
            recipients.append(dossier.registered_by_id)
        yield Due(
            kind=ReminderKind.FIRST_JURY,
            subject_key=f"dossier:{dossier.pk}",
            due_date=dossier.first_jury_deadline,
            label=f"{dossier.number} — {dossier.candidate} ({dossier.certification.title})",
            url=dossier.get_absolute_url(),
            recipient_ids=recipients,
            context={"dossier": dossier},
            certifier_id=dossier.certification.certifier_id,
        )


register_reminder_collector(ReminderKind.FIRST_JURY, first_jury)
