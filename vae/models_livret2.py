"""Livret 2 (dossier VAE / dossier de validation), its situations, and the accompagnement VAE (convention, comments)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .enums import (
    CONVENTION_OPEN_STATES, LIVRET2_EDITABLE_STATES, LIVRET2_SUBMITTED_STATES, AccompagnementNature, CommentTarget,
    ConventionState, Livret2State,
)


class Livret2(models.Model):
    """The dossier de validation of a VAE dossier, generated from the dossier's référentiel version (one per dossier)."""

    dossier = models.OneToOneField("candidates.Dossier", on_delete=models.CASCADE, related_name="livret2", verbose_name="dossier")
    referentiel = models.ForeignKey("referentiels.ReferentielVersion", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="version du référentiel")
    state = models.CharField("état", max_length=20, choices=Livret2State.choices, default=Livret2State.BROUILLON)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)
    # Answers to version.livret2_motivation, in the same order (one free answer when the version asks no question).
    motivation = models.JSONField("votre projet et votre motivation", default=list, blank=True)
    context = models.TextField("contexte professionnel (organisme, service, public)", blank=True)
    submitted_at = models.DateTimeField("envoyé le", null=True, blank=True)
    received_on = models.DateField("reçu par l'OEMM le", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="réception enregistrée par")
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
    competences = models.ManyToManyField("referentiels.Competence", blank=True, related_name="+",
                                         verbose_name="compétences abordées")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "situation du livret 2"
        ordering = ["livret", "unit__number", "position"]
        constraints = [models.UniqueConstraint(fields=["livret", "unit", "position"], name="one_livret2_situation_per_position")]

    def __str__(self):
        return f"Situation {self.position} — {self.unit}"


class ConventionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=CONVENTION_OPEN_STATES)

    def accepted(self):
        return self.filter(state=ConventionState.ACCEPTEE)

    def of_organisme_member(self, user):
        return self.filter(organisme__members__user=user, organisme__members__role="organisme")


class ConventionAccompagnement(models.Model):
    """The convention d'accompagnement VAE between the candidate and an approved centre (seed 001 L543-554)."""

    dossier = models.ForeignKey("candidates.Dossier", on_delete=models.CASCADE, related_name="accompagnements",
                                verbose_name="dossier")
    organisme = models.ForeignKey("cqp.OrganismeFormation", on_delete=models.PROTECT, related_name="accompagnements",
                                  verbose_name="organisme accompagnateur")
    state = models.CharField("état", max_length=20, choices=ConventionState.choices, default=ConventionState.PROPOSEE)
    nature = models.CharField("nature de l'accompagnement", max_length=20, choices=AccompagnementNature.choices, blank=True)
    sessions_count = models.PositiveIntegerField("nombre de séances", null=True, blank=True)
    session_hours = models.DecimalField("durée d'une séance (heures)", max_digits=4, decimal_places=1, null=True, blank=True)
    start_on = models.DateField("début", null=True, blank=True)
    end_on = models.DateField("fin", null=True, blank=True)
    planned_dates = models.JSONField("dates prévues", default=list, blank=True)
    jury_preparation = models.BooleanField("préparation de l'entretien avec le jury", default=False)
    details = models.TextField("organisation matérielle, précisions", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="demandée par")
    candidate_accepted_at = models.DateTimeField("acceptée par le candidat le", null=True, blank=True)
    organisme_accepted_at = models.DateTimeField("acceptée par l'organisme le", null=True, blank=True)
    organisme_accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="+", verbose_name="acceptée pour l'organisme par")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ConventionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention d'accompagnement VAE"
        verbose_name_plural = "conventions d'accompagnement VAE"
        ordering = ["dossier", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=Q(state__in=["proposee", "acceptee"]),
                                    name="one_open_convention_per_dossier"),
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                   name="convention_dates_ordered"),
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
        import datetime

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
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="unité (vide : commentaire général)")
    text = models.TextField("commentaire")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur")
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire d'accompagnement"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Commentaire de {self.author} ({self.get_livret_display()})"
