"""Créneaux of the entretien d'accueil et d'orientation (issue 21): published by a training centre, booked by a
candidate for one dossier. Transitions: ``candidates/workflow/slots.py``; who books where: ``candidates/slot_rules.py``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..enums import SlotState


class EntretienSlotQuerySet(models.QuerySet):
    def upcoming(self, now):
        return self.filter(starts_at__gte=now)

    def free(self, now):
        return self.upcoming(now).filter(state=SlotState.LIBRE)


class EntretienSlot(models.Model):
    """One créneau of one centre; booked by at most one dossier, a dossier holding at most one active booking."""

    organisme = models.ForeignKey(
        "cqp.OrganismeFormation",
        on_delete=models.CASCADE,
        related_name="entretien_slots",
        verbose_name="organisme de formation",
    )
    starts_at = models.DateTimeField("début", db_index=True)
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=60)
    place = models.CharField("lieu", max_length=300, blank=True)
    video_url = models.URLField("lien de visioconférence", max_length=500, blank=True)
    note = models.CharField("note pour le candidat", max_length=500, blank=True)
    state = models.CharField("état", max_length=20, choices=SlotState.choices, default=SlotState.LIBRE)
    booked_by = models.ForeignKey(
        "candidates.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entretien_slots",
        verbose_name="réservé pour le dossier",
    )
    booked_at = models.DateTimeField("réservé le", null=True, blank=True)
    uid = models.CharField("identifiant de l'invitation (iCalendar)", max_length=120, blank=True)
    sequence = models.PositiveIntegerField("version de l'invitation (iCalendar)", default=0)
    message = models.TextField("dernier message de l'organisme", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="publié par"
    )
    created_at = models.DateTimeField("publié le", auto_now_add=True)
    history = HistoricalRecords()

    objects = EntretienSlotQuerySet.as_manager()

    class Meta:
        verbose_name = "créneau d'entretien d'accueil"
        verbose_name_plural = "créneaux d'entretien d'accueil"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_url=""), name="slot_place_or_video"),
            models.CheckConstraint(
                condition=Q(state="reserve", booked_by__isnull=False)
                | Q(state="libre", booked_by__isnull=True)
                | Q(state="annule"),
                name="slot_booked_iff_reserve",
            ),
            models.UniqueConstraint(
                fields=["booked_by"], condition=Q(state="reserve"), name="slot_one_active_booking_per_dossier"
            ),
        ]

    def __str__(self):
        return f"Créneau du {self.starts_at:%d/%m/%Y %H:%M} — {self.organisme}"

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)

    @property
    def ends_at(self):
        return self.starts_at + self.duration

    @property
    def is_video(self) -> bool:
        return bool(self.video_url) and not self.place
