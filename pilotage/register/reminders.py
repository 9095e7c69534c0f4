"""The register's reminder collector (registered by pilotage/apps.py): a certified holder not yet transmitted to the
Caisse des Dépôts (« à transmettre », or exported but its transmission not confirmed) before the three-month due
date; the OEMM reads it in their daily digest. The thresholds are in pilotage/reminder_rules.py."""

import datetime

from django.urls import reverse

from cqp.enums import ReminderKind
from cqp.reminder_registry import Due, oemm_ids, register_reminder_collector

from ..models import HolderRecord, RegisterState

NOT_TRANSMITTED = [RegisterState.A_TRANSMETTRE, RegisterState.EXPORTE]


def holder_transmission(today: datetime.date, until: datetime.date):
    """Holders not yet transmitted whose due date falls between today and ``until``: the OEMM."""
    records = HolderRecord.objects.filter(
        state__in=NOT_TRANSMITTED, due_on__gte=today, due_on__lte=until
    ).select_related("dossier__candidate", "dossier__certification")
    oemm = oemm_ids()
    url = reverse("oemm_register")
    for record in records:
        dossier = record.dossier
        state = RegisterState(record.state).label.lower()
        yield Due(
            kind=ReminderKind.HOLDER_TRANSMISSION,
            subject_key=f"titulaire:{record.pk}",
            due_date=record.due_on,
            label=f"Titulaire {dossier.candidate} ({dossier.certification.title}, dossier {dossier.number}) : {state}",
            url=f"{url}?etat={record.state}",
            recipient_ids=oemm,
            context={"record": record},
            certifier_id=dossier.certification.certifier_id,
        )


register_reminder_collector(ReminderKind.HOLDER_TRANSMISSION, holder_transmission)
