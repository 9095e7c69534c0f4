"""The reminder collector of the dossier's own deadline: the first presentation to the jury (registered in apps.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cqp.enums import ReminderKind
from cqp.reminder_registry import Due, oemm_ids, register_reminder_collector

from .enums import Path, SlotState
from .models import Dossier, EntretienSlot


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


def entretien_slot(today: datetime.date, until: datetime.date):
    """A booked entretien d'accueil, the day before: the candidate and the centre's members. Keyed by the slot's date
    (the due date): a slot moved to another day is reminded again for its new day."""
    from cqp.enums import Role
    from cqp.models import UserRole

    slots = list(
        EntretienSlot.objects.filter(
            state=SlotState.RESERVE,
            starts_at__date__gte=today,
            starts_at__date__lte=until,
        ).select_related("organisme", "booked_by__candidate", "booked_by__certification")
    )
    members = {}
    for organisme_id, user_id in UserRole.objects.filter(
        role=Role.ORGANISME, user__is_active=True, organisme_id__in={s.organisme_id for s in slots}
    ).values_list("organisme_id", "user_id"):
        members.setdefault(organisme_id, []).append(user_id)
    for slot in slots:
        dossier = slot.booked_by
        yield Due(
            kind=ReminderKind.ENTRETIEN_SLOT,
            subject_key=f"slot:{slot.pk}:{slot.uid}",
            due_date=timezone.localtime(slot.starts_at).date(),
            label=f"Entretien d'accueil — {dossier.candidate} (dossier {dossier.number}), {slot.organisme}",
            url=reverse("candidates:slot_booking"),
            recipient_ids=[dossier.candidate_id, *members.get(slot.organisme_id, [])],
            context={"slot": slot, "dossier": dossier, "centre_path": reverse("candidates:slots")},
            certifier_id=dossier.certification.certifier_id,
        )


register_reminder_collector(ReminderKind.FIRST_JURY, first_jury)
register_reminder_collector(ReminderKind.ENTRETIEN_SLOT, entretien_slot)
