"""Voie formative: designations, livret de suivi de la formation, tutorat, livret d'évaluation finale en entreprise.

These models keep only what people write; the grids (criteria per unit and kind,
evaluation modality) come from the dossier's référentiel version.

States, scales and transitions: ``candidates/enums.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..enums import (
    LIVRET_EVALUATION_EDITABLE_STATES,
    EvaluatorSlot,
    FinalAnswer,
    FormativeRating,
    FormativeResult,
    IntermediateRatingChoice,
    LivretEvaluationState,
    Mastery,
)

# --- designations -----------------------------------------------------------------------------------


class FormationDesignation(models.Model):
    """The tutor and the two evaluators of a formative dossier, named by the company's RH."""

    dossier = models.OneToOneField(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="formation_designation", verbose_name="dossier"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tuteur",
    )
    evaluator1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="évaluateur 1 (responsable hiérarchique)",
    )
    evaluator1_function = models.CharField("fonction de l'évaluateur 1", max_length=150, blank=True)
    evaluator2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="évaluateur 2",
    )
    evaluator2_function = models.CharField("fonction de l'évaluateur 2", max_length=150, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifié par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "désignation du tuteur et des évaluateurs"
        verbose_name_plural = "désignations du tuteur et des évaluateurs"
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluator1__isnull=True) | Q(evaluator2__isnull=True) | ~Q(evaluator1=F("evaluator2")),
                name="formation_evaluators_differ",
            )
        ]

    def __str__(self):
        return f"Désignations — dossier {self.dossier.number}"

    def evaluator(self, slot):
        return self.evaluator1 if int(slot) == 1 else self.evaluator2

    def evaluator_id(self, slot):
        return self.evaluator1_id if int(slot) == 1 else self.evaluator2_id

    def evaluator_function(self, slot):
        return self.evaluator1_function if int(slot) == 1 else self.evaluator2_function


# --- livret de suivi de la formation (kept by the training centre) -----------------------------------


class LivretSuivi(models.Model):
    dossier = models.OneToOneField("candidates.Dossier", on_delete=models.CASCADE, related_name="livret_suivi")
    training_manager = models.CharField("responsable de formation", max_length=150, blank=True)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)
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
        verbose_name = "livret de suivi de la formation"
        verbose_name_plural = "livrets de suivi de la formation"

    def __str__(self):
        return f"Livret de suivi — dossier {self.dossier.number}"


class SuiviModule(models.Model):
    """One module followed by the candidate (« Mon parcours de formation : fiche de synthèse »)."""

    livret = models.ForeignKey(LivretSuivi, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveIntegerField()
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    title = models.CharField("intitulé de la formation suivie", max_length=300)
    hours = models.PositiveIntegerField("nombre d'heures")
    start_on = models.DateField("début", null=True, blank=True)
    end_on = models.DateField("fin", null=True, blank=True)
    content = models.TextField("contenu détaillé et méthode pédagogique", blank=True)

    class Meta:
        verbose_name = "module suivi"
        ordering = ["livret", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="suivi_module_dates_ordered",
            )
        ]

    def __str__(self):
        return f"Formation suivie {self.position} : {self.title} ({self.hours} h)"


class EvaluationFormative(models.Model):
    """The évaluation formative of one unit, organised by the training centre at the end of its module(s)."""

    livret = models.ForeignKey(LivretSuivi, on_delete=models.CASCADE, related_name="evaluations")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    held_on = models.DateField("date de l'évaluation formative", null=True, blank=True)
    result = models.CharField("résultat", max_length=20, choices=FormativeResult.choices, blank=True)
    trainer_name = models.CharField("nom du formateur ayant procédé à l'évaluation", max_length=150, blank=True)
    progress_objectives = models.TextField("objectifs de progression", blank=True)
    signed_at = models.DateTimeField("signée le", null=True, blank=True)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signée par",
    )
    updated_at = models.DateTimeField("enregistrée le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation formative"
        verbose_name_plural = "évaluations formatives"
        constraints = [
            models.UniqueConstraint(fields=["livret", "unit"], name="one_evaluation_formative_per_unit"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | (Q(held_on__isnull=False) & ~Q(result="")),
                name="evaluation_formative_signed_is_complete",
            ),
        ]

    def __str__(self):
        return f"Évaluation formative — {self.unit}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class EvaluationFormativeRating(models.Model):
    evaluation = models.ForeignKey(EvaluationFormative, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey("referentiels.Criterion", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField("évaluation", max_length=20, choices=FormativeRating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_formative_rating_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion} : {self.get_rating_display()}"


# --- tutorat ------------------------------------------------------------------------------------------


class IntermediateEvaluation(models.Model):
    """One evaluation by the tutor on the grille intermédiaire of a unit (optional, may be repeated)."""

    dossier = models.ForeignKey("candidates.Dossier", on_delete=models.CASCADE, related_name="intermediate_evaluations")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    held_on = models.DateField("date de l'évaluation")
    progress_objectives = models.TextField("objectifs de progression", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="tuteur"
    )
    created_at = models.DateTimeField("saisie le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation intermédiaire"
        verbose_name_plural = "évaluations intermédiaires"
        ordering = ["dossier", "unit__number", "held_on", "id"]

    def __str__(self):
        return f"Évaluation intermédiaire du {self.held_on:%d/%m/%Y} — {self.unit}"


class IntermediateRating(models.Model):
    evaluation = models.ForeignKey(IntermediateEvaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey("referentiels.Criterion", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField("évaluation", max_length=20, choices=IntermediateRatingChoice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_intermediate_rating_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion} : {self.get_rating_display()}"


class TutorReview(models.Model):
    """« Pour faire le point régulièrement » : one review of the candidate's progress by the tutor."""

    dossier = models.ForeignKey("candidates.Dossier", on_delete=models.CASCADE, related_name="tutor_reviews")
    held_on = models.DateField("bilan effectué le")
    with_whom = models.CharField("avec", max_length=200)
    strengths = models.TextField("points forts", blank=True)
    progress_objectives = models.TextField("objectifs de progression", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="tuteur"
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "point d'étape du tuteur"
        verbose_name_plural = "points d'étape du tuteur"
        ordering = ["dossier", "held_on", "id"]

    def __str__(self):
        return f"Point d'étape du tuteur du {self.held_on:%d/%m/%Y}"


# --- livret d'évaluation finale en entreprise -------------------------------------------------------------


class LivretEvaluation(models.Model):
    """The livret d'évaluation finale en entreprise of a formative dossier (one per dossier)."""

    dossier = models.OneToOneField("candidates.Dossier", on_delete=models.CASCADE, related_name="livret_evaluation")
    state = models.CharField(
        "état", max_length=20, choices=LivretEvaluationState.choices, default=LivretEvaluationState.EN_COURS
    )
    candidate_activities = models.TextField(
        "activités réalisées en entreprise au cours des périodes de mise en pratique", blank=True
    )
    version = models.PositiveIntegerField("version de la partie du candidat (enregistrements)", default=1)
    synthesis_version = models.PositiveIntegerField("version de la fiche de synthèse (enregistrements)", default=1)
    candidate_signed_at = models.DateTimeField("partie du candidat signée le", null=True, blank=True)
    evaluator1_signed_at = models.DateTimeField(
        "fiche de synthèse et attestation signées par l'évaluateur 1 le", null=True, blank=True
    )
    evaluator1_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signé par (évaluateur 1)",
    )
    evaluator2_signed_at = models.DateTimeField(
        "fiche de synthèse et attestation signées par l'évaluateur 2 le", null=True, blank=True
    )
    evaluator2_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signé par (évaluateur 2)",
    )
    transmitted_at = models.DateTimeField("transmis à l'OEMM le", null=True, blank=True)
    transmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="transmis par",
    )
    # After a validation partielle: the units (numbers) evaluated again for the next jury; empty: every unit.
    reopened_units = models.JSONField(
        "unités à évaluer de nouveau pour une nouvelle présentation au jury", default=list, blank=True
    )
    created_at = models.DateTimeField("commencé le", auto_now_add=True)
    updated_at = models.DateTimeField("enregistré le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "livret d'évaluation finale en entreprise"
        verbose_name_plural = "livrets d'évaluation finale en entreprise"
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="transmis")
                | Q(
                    transmitted_at__isnull=False,
                    candidate_signed_at__isnull=False,
                    evaluator1_signed_at__isnull=False,
                    evaluator2_signed_at__isnull=False,
                ),
                name="livret_evaluation_transmitted_is_signed",
            )
        ]

    def __str__(self):
        return f"Livret d'évaluation finale — dossier {self.dossier.number}"

    @property
    def is_editable(self) -> bool:
        return self.state in LIVRET_EVALUATION_EDITABLE_STATES

    @property
    def is_transmitted(self) -> bool:
        return self.state == LivretEvaluationState.TRANSMIS

    @property
    def synthesis_locked(self) -> bool:
        """The fiche de synthèse is read-only once an evaluator signed it."""
        return bool(self.evaluator1_signed_at or self.evaluator2_signed_at) or not self.is_editable

    def signed_at(self, slot):
        return self.evaluator1_signed_at if int(slot) == 1 else self.evaluator2_signed_at

    def signed_by(self, slot):
        return self.evaluator1_signed_by if int(slot) == 1 else self.evaluator2_signed_by


class LivretEvaluationAnswer(models.Model):
    """The candidate's answers for one unit (« Activités réalisées par le candidat »).

    When the unit carries the seed's questions (``Unit.final_questions``), one answer per question in
    ``question_answers`` (same order); otherwise one free answer in ``text``. A ``text`` written before the unit had
    questions stays readable (shown as « réponse d'ensemble »)."""

    livret = models.ForeignKey(LivretEvaluation, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    text = models.TextField("réponse d'ensemble du candidat", blank=True)
    question_answers = models.JSONField("réponses du candidat aux questions de l'unité", default=list, blank=True)
    candidate_comment = models.TextField("commentaire du candidat", blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["livret", "unit"], name="one_candidate_answer_per_unit")]

    def __str__(self):
        return f"Réponse du candidat — {self.unit}"


class SynthesisLine(models.Model):
    """One line of the fiche de synthèse: the results of the evaluation in the entreprise for one unit."""

    livret = models.ForeignKey(LivretEvaluation, on_delete=models.CASCADE, related_name="synthesis_lines")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    activities_exercised = models.BooleanField(
        "le candidat a exercé les activités liées à l'unité", null=True, blank=True
    )
    evaluated_from = models.DateField("évaluation en entreprise le (ou du)", null=True, blank=True)
    evaluated_to = models.DateField("au", null=True, blank=True)
    conditions = models.TextField(
        "conditions de l'évaluation (observation, entretien ou bilan d'activité…)", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["livret", "unit"], name="one_synthesis_line_per_unit"),
            models.CheckConstraint(
                condition=Q(evaluated_from__isnull=True)
                | Q(evaluated_to__isnull=True)
                | Q(evaluated_to__gte=F("evaluated_from")),
                name="synthesis_line_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"Fiche de synthèse — {self.unit}"


class UnitAssessment(models.Model):
    """One evaluator's final assessment of one unit, on the grid of the référentiel; signed by that evaluator."""

    livret = models.ForeignKey(LivretEvaluation, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    slot = models.PositiveSmallIntegerField("évaluateur", choices=EvaluatorSlot.choices)
    evaluated_on = models.DateField("date de l'évaluation", null=True, blank=True)
    modality_used = models.TextField("modalité d'évaluation mise en œuvre", blank=True)
    mastery = models.CharField("avis sur la maîtrise", max_length=20, choices=Mastery.choices, blank=True)
    comments = models.TextField("commentaires de l'évaluateur", blank=True)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)
    signed_at = models.DateTimeField("signée le", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signée par",
    )
    updated_at = models.DateTimeField("enregistrée le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation finale d'une unité"
        verbose_name_plural = "évaluations finales des unités"
        ordering = ["livret", "unit__number", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["livret", "unit", "slot"], name="one_assessment_per_unit_and_evaluator"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | (~Q(mastery="") & Q(evaluated_on__isnull=False)),
                name="unit_assessment_signed_is_complete",
            ),
        ]

    def __str__(self):
        return f"Évaluation finale de l'évaluateur {self.slot} — {self.unit}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class FinalRating(models.Model):
    assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey("referentiels.Criterion", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField("évaluation", max_length=3, choices=FinalAnswer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_final_rating_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion} : {self.get_answer_display()}"
