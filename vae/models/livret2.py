"""Livret 2 (dossier VAE / dossier de validation) and its situations."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..enums import LIVRET2_EDITABLE_STATES, LIVRET2_SUBMITTED_STATES, Livret2State


class Livret2(models.Model):
    """The dossier de validation of a VAE dossier, generated from the dossier's référentiel version (one per
    dossier).
    """

    dossier = models.OneToOneField(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="livret2", verbose_name="dossier"
    )
    referentiel = models.ForeignKey(
        "referentiels.ReferentielVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="version du référentiel",
    )
    state = models.CharField("état", max_length=20, choices=Livret2State.choices, default=Livret2State.BROUILLON)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)
    # Answers to version.livret2_motivation, in the same order (one free answer when the version asks no question).
    motivation = models.JSONField("votre projet et votre motivation", default=list, blank=True)
    context = models.TextField("contexte professionnel (organisme, service, public)", blank=True)
    bloc_answers = models.JSONField(
        "réponses aux questions posées une fois par bloc",
        default=dict,
        blank=True,
        help_text="{numéro d'unité: [réponses]}",
    )
    submitted_at = models.DateTimeField("envoyé le", null=True, blank=True)
    received_on = models.DateField("reçu par l'OEMM le", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réception enregistrée par",
    )
    # After a validation partielle: the units (numbers) to complete for the next jury; empty: the whole livret.
    reopened_units = models.JSONField(
        "unités à compléter pour une nouvelle présentation au jury", default=list, blank=True
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "livret 2 (dossier VAE)"
        verbose_name_plural = "livrets 2 (dossiers VAE)"

    def __str__(self):
        return f"Livret 2 du dossier {self.dossier.number}"

    def get_absolute_url(self):
        return reverse("vae:livret2", kwargs={"number": self.dossier.number})

    @property
    def is_editable(self) -> bool:
        return self.state in LIVRET2_EDITABLE_STATES

    def unit_is_open(self, unit) -> bool:
        """The candidate may write this unit's situations (all of them, unless reopened for some units only)."""
        return not self.reopened_units or unit.number in self.reopened_units

    @property
    def is_submitted(self) -> bool:
        return self.state in LIVRET2_SUBMITTED_STATES


class Livret2Situation(models.Model):
    """One situation asked by a unit (unit.livret2_situations; 0 = one free answer for the unit)."""

    livret = models.ForeignKey(Livret2, on_delete=models.CASCADE, related_name="situations")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    position = models.PositiveIntegerField("situation n°")
    title = models.CharField("intitulé de la situation", max_length=300, blank=True)
    # Answers to unit.livret2_questions, in the same order.
    answers = models.JSONField("réponses", default=list, blank=True)
    free_answer = models.TextField("réponse", blank=True)
    competences = models.ManyToManyField(
        "referentiels.Competence", blank=True, related_name="+", verbose_name="compétences abordées"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "situation du livret 2"
        ordering = ["livret", "unit__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["livret", "unit", "position"], name="one_livret2_situation_per_position")
        ]

    def __str__(self):
        return f"Situation {self.position} — {self.unit}"
