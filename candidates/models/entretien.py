"""Entretien d'accueil et d'orientation: the guide filled in for one dossier.

The guide's contents (units, compétences, questions, prerequisites) come from
the dossier's référentiel version; these models keep only the answers. States and choices: ``candidates/enums.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..enums import PREREQUISITE_CHOICES, EntretienState, ExperienceStatus, UnitOrientation


class Entretien(models.Model):
    """The entretien d'accueil et d'orientation of one dossier (one per dossier)."""

    dossier = models.OneToOneField(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="entretien", verbose_name="dossier"
    )
    state = models.CharField("état", max_length=20, choices=EntretienState.choices, default=EntretienState.EN_COURS)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="intervieweur"
    )
    interviewer_function = models.CharField("fonction de l'intervieweur", max_length=150, blank=True)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    held_on = models.DateField("date de l'entretien", null=True, blank=True)
    synthesis = models.TextField("synthèse de l'entretien", blank=True)
    recommendations = models.TextField("recommandations", blank=True)
    declared_experience_months = models.PositiveIntegerField("expérience déclarée (mois)", null=True, blank=True)
    candidate_comment = models.TextField("observations du candidat", blank=True)
    knowledge_asked = models.BooleanField(
        "savoirs appréciés",
        default=True,
        help_text="Faux pour les entretiens validés avant que la grille n'apprécie les savoirs (issue 17).",
    )

    interviewer_validated_at = models.DateTimeField("validé par l'intervieweur le", null=True, blank=True)
    interviewer_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par (intervieweur)",
    )
    candidate_validated_at = models.DateTimeField("validé par le candidat le", null=True, blank=True)

    created_at = models.DateTimeField("commencé le", auto_now_add=True)
    updated_at = models.DateTimeField("enregistré le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entretien d'accueil et d'orientation"
        verbose_name_plural = "entretiens d'accueil et d'orientation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="valide")
                | Q(candidate_validated_at__isnull=False, interviewer_validated_at__isnull=False),
                name="entretien_valide_has_both_validations",
            ),
        ]

    def __str__(self):
        return f"Entretien d'accueil — dossier {self.dossier.number}"


class EntretienPrerequisite(models.Model):
    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="prerequisite_answers")
    prerequisite = models.ForeignKey("referentiels.Prerequisite", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField("réponse", max_length=5, choices=PREREQUISITE_CHOICES, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entretien", "prerequisite"], name="one_answer_per_prerequisite")
        ]

    def __str__(self):
        return f"{self.prerequisite} : {self.get_answer_display() or 'sans réponse'}"


class EntretienCompetence(models.Model):
    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="competence_answers")
    competence = models.ForeignKey("referentiels.Competence", on_delete=models.PROTECT, related_name="+")
    assessment = models.CharField("appréciation", max_length=20, blank=True)
    training_wanted = models.BooleanField("complément de formation souhaité", default=False)
    training_note = models.CharField("précisions sur le complément de formation", max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entretien", "competence"], name="one_answer_per_competence")]

    def __str__(self):
        return f"{self.competence} : {self.assessment or 'non appréciée'}"


class EntretienKnowledge(models.Model):
    """The appreciation of one savoir of the grid (seed 001: « savoir-faire et savoirs » per domaine)."""

    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="knowledge_answers")
    knowledge = models.ForeignKey("referentiels.Knowledge", on_delete=models.PROTECT, related_name="+")
    assessment = models.CharField("appréciation", max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entretien", "knowledge"], name="one_answer_per_knowledge")]

    def __str__(self):
        return f"{self.knowledge} : {self.assessment or 'non apprécié'}"


class EntretienUnit(models.Model):
    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="unit_orientations")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+")
    orientation = models.CharField("orientation", max_length=20, choices=UnitOrientation.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entretien", "unit"], name="one_orientation_per_unit")]

    def __str__(self):
        return f"{self.unit} : {self.get_orientation_display() or 'non orientée'}"


class ParcoursModule(models.Model):
    """One module of the parcours de formation individualisé."""

    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveIntegerField()
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    title = models.CharField("intitulé du module", max_length=300)
    hours = models.PositiveIntegerField("durée (heures)")
    start_on = models.DateField("début", null=True, blank=True)
    end_on = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "module du parcours"
        ordering = ["entretien", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="parcours_module_dates_ordered",
            )
        ]

    def __str__(self):
        return f"Module {self.position} : {self.title} ({self.hours} h)"


class ExperiencePeriod(models.Model):
    """A period of experience declared by the candidate at the entretien."""

    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="experience_periods")
    position = models.PositiveIntegerField()
    start_on = models.DateField("du")
    end_on = models.DateField("au")
    status = models.CharField(
        "statut", max_length=20, choices=ExperienceStatus.choices, default=ExperienceStatus.SALARIE
    )
    description = models.CharField("emploi, employeur", max_length=300, blank=True)

    class Meta:
        ordering = ["entretien", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="experience_period_dates_ordered"
            )
        ]

    def __str__(self):
        return f"Expérience du {self.start_on:%d/%m/%Y} au {self.end_on:%d/%m/%Y}"
