"""The accompagnement VAE: the convention with an approved centre and the accompagnateur's comments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..enums import CONVENTION_OPEN_STATES, AccompagnementNature, CommentTarget, ConventionState


class ConventionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=CONVENTION_OPEN_STATES)

    def accepted(self):
        return self.filter(state=ConventionState.ACCEPTEE)

    def of_organisme_member(self, user):
        return self.filter(organisme__members__user=user, organisme__members__role="organisme")


class ConventionAccompagnement(models.Model):
    """The convention d'accompagnement VAE between the candidate and an approved centre (seed 001 L543-554)."""

    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="accompagnements", verbose_name="dossier"
    )
    organisme = models.ForeignKey(
        "cqp.OrganismeFormation",
        on_delete=models.PROTECT,
        related_name="accompagnements",
        verbose_name="organisme accompagnateur",
    )
    state = models.CharField("état", max_length=20, choices=ConventionState.choices, default=ConventionState.PROPOSEE)
    nature = models.CharField(
        "nature de l'accompagnement", max_length=20, choices=AccompagnementNature.choices, blank=True
    )
    sessions_count = models.PositiveIntegerField("nombre de séances", null=True, blank=True)
    session_hours = models.DecimalField(
        "durée d'une séance (heures)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    start_on = models.DateField("début", null=True, blank=True)
    end_on = models.DateField("fin", null=True, blank=True)
    planned_dates = models.JSONField("dates prévues", default=list, blank=True)
    jury_preparation = models.BooleanField("préparation de l'entretien avec le jury", default=False)
    details = models.TextField("organisation matérielle, précisions", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandée par"
    )
    candidate_accepted_at = models.DateTimeField("acceptée par le candidat le", null=True, blank=True)
    organisme_accepted_at = models.DateTimeField("acceptée par l'organisme le", null=True, blank=True)
    organisme_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="acceptée pour l'organisme par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConventionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention d'accompagnement VAE"
        verbose_name_plural = "conventions d'accompagnement VAE"
        ordering = ["dossier", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(state__in=["proposee", "acceptee"]),
                name="one_open_convention_per_dossier",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="convention_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"Convention d'accompagnement {self.dossier.number} — {self.organisme}"

    def get_absolute_url(self):
        return reverse("vae:accompagnement", kwargs={"number": self.dossier.number})

    @property
    def is_accepted(self) -> bool:
        return self.state == ConventionState.ACCEPTEE

    @property
    def planned_days(self) -> list:
        return [datetime.date.fromisoformat(d) for d in self.planned_dates]

    @property
    def total_hours(self):
        if self.sessions_count and self.session_hours:
            return self.sessions_count * self.session_hours
        return None


class AccompagnementComment(models.Model):
    """A comment of the accompagnateur on a livret (general or on one unit), read by the candidate."""

    convention = models.ForeignKey(ConventionAccompagnement, on_delete=models.CASCADE, related_name="comments")
    livret = models.CharField("livret", max_length=20, choices=CommentTarget.choices)
    unit = models.ForeignKey(
        "referentiels.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="unité (vide : commentaire général)",
    )
    text = models.TextField("commentaire")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire d'accompagnement"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Commentaire de {self.author} ({self.get_livret_display()})"
