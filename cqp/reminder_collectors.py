"""The reminder collector of the core's own deadline: the end of a training centre's agrément (registered in
apps.py)."""

import datetime

from django.urls import reverse

from .enums import ReminderKind
from .models import OrganismeFormation
from .reminder_registry import Due, oemm_ids, register_reminder_collector


def agrement(today: datetime.date, until: datetime.date):
    """End of an organisme's agrément: the OEMM."""
    organismes = OrganismeFormation.objects.filter(agrement_to__gte=today, agrement_to__lte=until).prefetch_related(
        "certifications"
    )
    oemm = oemm_ids()
    for organisme in organismes:
        yield Due(
            kind=ReminderKind.AGREMENT,
            subject_key=f"organisme:{organisme.pk}",
            due_date=organisme.agrement_to,
            label=f"Agrément de {organisme.name}",
            url=reverse("oemm_organisme_edit", args=[organisme.pk]),
            recipient_ids=oemm,
            context={"organisme": organisme},
        )


register_reminder_collector(ReminderKind.AGREMENT, agrement)
