"""Entretien d'accueil et d'orientation: the guide filled in for one dossier.

The guide's contents (units, compétences, questions, prerequisites) come from
the dossier's référentiel version; these models keep only the answers.

The states live here rather than in ``enums.py`` because this feature owns
this module only; they follow the same habit (TextChoices + named groups).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from referentiels.enums import EntretienScale

__all__ = [
    "EntretienState", "EDITABLE_STATES", "VALIDATED_STATES", "UnitOrientation", "ExperienceStatus",
    "SCALE_CHOICES", "PREREQUISITE_CHOICES", "scale_choices", "Entretien", "EntretienPrerequisite",
    "EntretienCompetence", "EntretienUnit", "ParcoursModule", "ExperiencePeriod",
]


class EntretienState(models.TextChoices):
    EN_COURS = "en_cours", "En cours de saisie"
    VALIDE_INTERVIEWER = "valide_interviewer", "Validé par l'intervieweur, en attente du candidat"
    VALIDE = "valide", "Validé par l'intervieweur et le candidat"


EDITABLE_STATES = [EntretienState.EN_COURS]
VALIDATED_STATES = [EntretienState.VALIDE_INTERVIEWER, EntretienState.VALIDE]

# Allowed transitions of an entretien, written once (from -> to).
ENTRETIEN_TRANSITIONS = {
    "validate_as_interviewer": ([EntretienState.EN_COURS], EntretienState.VALIDE_INTERVIEWER),
    "reopen": ([EntretienState.VALIDE_INTERVIEWER], EntretienState.EN_COURS),
    "validate_as_candidate": ([EntretienState.VALIDE_INTERVIEWER], EntretienState.VALIDE),
}
__all__.append("ENTRETIEN_TRANSITIONS")


class UnitOrientation(models.TextChoices):
    VAE = "vae", "VAE"
    EVALUATION_DIRECTE = "evaluation_directe", "Évaluation directe (sans formation)"
    FORMATION = "formation", "Formation"


class ExperienceStatus(models.TextChoices):
    SALARIE = "salarie", "Salarié"
    NON_SALARIE = "non_salarie", "Non salarié"
    BENEVOLE = "benevole", "Bénévole"
    FORMATION = "formation", "Formation (non comptée)"
    STAGE = "stage", "Stage (non compté)"


# The assessment scale of each guide d'entretien (rules.md §16).
SCALE_CHOICES = {
    EntretienScale.OUI_NON_PARTIELLEMENT: [("oui", "Oui"), ("partiellement", "Partiellement"), ("non", "Non")],
    EntretienScale.PAS_DU_TOUT_EN_TOTALITE: [
        ("pas_du_tout", "Pas du tout"), ("partiellement", "Partiellement"), ("en_totalite", "En totalité"),
    ],
}
PREREQUISITE_CHOICES = [("oui", "Oui"), ("non", "Non")]


def scale_choices(scale: str) -> list[tuple[str, str]]:
    return SCALE_CHOICES[scale]


class Entretien(models.Model):
    """The entretien d'accueil et d'orientation of one dossier (one per dossier)."""

    dossier = models.OneToOneField("candidates.Dossier", on_delete=models.CASCADE, related_name="entretien", verbose_name="dossier")
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

    interviewer_validated_at = models.DateTimeField("validé par l'intervieweur le", null=True, blank=True)
    interviewer_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="validé par (intervieweur)",
    )
    candidate_validated_at = models.DateTimeField("validé par le candidat le", null=True, blank=True)

    created_at = models.DateTimeField("commencé le", auto_now_add=True)
    updated_at = models.DateTimeField("enregistré le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="enregistré par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entretien d'accueil et d'orientation"
        verbose_name_plural = "entretiens d'accueil et d'orientation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="valide") | Q(candidate_validated_at__isnull=False, interviewer_validated_at__isnull=False),
                name="entretien_valide_has_both_validations",
            ),
        ]

    def __str__(self):
        return f"Entretien d'accueil — dossier {self.dossier.number}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_validated(self) -> bool:
        return self.state == EntretienState.VALIDE


class EntretienPrerequisite(models.Model):
    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="prerequisite_answers")
    prerequisite = models.ForeignKey("referentiels.Prerequisite", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField("réponse", max_length=5, choices=PREREQUISITE_CHOICES, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entretien", "prerequisite"], name="one_answer_per_prerequisite")]


class EntretienCompetence(models.Model):
    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="competence_answers")
    competence = models.ForeignKey("referentiels.Competence", on_delete=models.PROTECT, related_name="+")
    assessment = models.CharField("appréciation", max_length=20, blank=True)
    training_wanted = models.BooleanField("complément de formation souhaité", default=False)
    training_note = models.CharField("précisions sur le complément de formation", max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entretien", "competence"], name="one_answer_per_competence")]


class EntretienUnit(models.Model):
    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="unit_orientations")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+")
    orientation = models.CharField("orientation", max_length=20, choices=UnitOrientation.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entretien", "unit"], name="one_orientation_per_unit")]


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


class ExperiencePeriod(models.Model):
    """A period of experience declared by the candidate at the entretien."""

    entretien = models.ForeignKey(Entretien, on_delete=models.CASCADE, related_name="experience_periods")
    position = models.PositiveIntegerField()
    start_on = models.DateField("du")
    end_on = models.DateField("au")
    status = models.CharField("statut", max_length=20, choices=ExperienceStatus.choices, default=ExperienceStatus.SALARIE)
    description = models.CharField("emploi, employeur", max_length=300, blank=True)

    class Meta:
        ordering = ["entretien", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="experience_period_dates_ordered")
        ]
