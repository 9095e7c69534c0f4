"""Référentiels: a CQP, its published versions, units and texts.

A published ``ReferentielVersion`` is immutable: loading a changed file makes a
new version, and a dossier keeps a foreign key to the version it started on.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .certifiers import Certifier
from .enums import CriterionKind, DirectEvaluation, EntretienScale, UnitKind


class CertificationQuerySet(models.QuerySet):
    def with_current_version(self):
        return self.filter(versions__is_current=True).distinct()

    def of_certifiers(self, certifier_ids):
        """The CQPs of these certifiers (``None``: every certifier)."""
        return self if certifier_ids is None else self.filter(certifier_id__in=certifier_ids)


class Certification(models.Model):
    """A CQP, whatever its version."""

    code = models.SlugField("code", max_length=30, unique=True)
    title = models.CharField("intitulé", max_length=200)
    certifier = models.ForeignKey(
        Certifier, on_delete=models.PROTECT, related_name="certifications", verbose_name="certificateur"
    )
    rncp = models.CharField("numéro RNCP", max_length=20, blank=True)
    unit_kind = models.CharField("nature des unités", max_length=20, choices=UnitKind.choices)
    history = HistoricalRecords()

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = "CQP"
        verbose_name_plural = "CQP"
        ordering = ["title"]

    def __str__(self):
        return f"CQP {self.title}"

    def get_absolute_url(self):
        return reverse("referentiels:detail", kwargs={"code": self.code})

    @property
    def current_version(self):
        cached = getattr(self, "_current_version", None)
        if cached is None:
            cached = self.versions.filter(is_current=True).first()
            self._current_version = cached
        return cached

    @property
    def unit_label_plural(self) -> str:
        return {
            UnitKind.BLOC: "blocs de compétences",
            UnitKind.DOMAINE: "domaines de compétences",
            UnitKind.ACTIVITE: "activités",
        }[self.unit_kind]

    @property
    def unit_label(self) -> str:
        return {UnitKind.BLOC: "bloc", UnitKind.DOMAINE: "domaine", UnitKind.ACTIVITE: "activité"}[self.unit_kind]


class ReferentielVersion(models.Model):
    """One published version of a CQP's référentiel, with its rules as data."""

    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("version")
    is_current = models.BooleanField("version en vigueur", default=True)
    published_on = models.DateField("date de publication")
    loaded_at = models.DateTimeField("chargée le", auto_now_add=True)
    content_hash = models.CharField("empreinte du fichier", max_length=64)
    source_file = models.CharField("fichier source", max_length=200)
    sources = models.JSONField("sources", default=list, blank=True)
    summary = models.TextField("le métier", blank=True)

    # Rules that differ between CQPs (see shared/domain/rules.md, "Contradictions").
    min_experience_months = models.PositiveIntegerField("expérience minimale (mois)")
    experience_window_years = models.PositiveIntegerField(
        "fenêtre de l'expérience (années)", null=True, blank=True, help_text="Vide : pas de fenêtre."
    )
    experience_sector = models.TextField("secteur de l'expérience", blank=True)
    first_jury_window_years = models.PositiveIntegerField("délai inscription → premier jury (années)")
    partial_validity_years = models.PositiveIntegerField(
        "validité des unités acquises (années)", null=True, blank=True, help_text="Vide : durée indéfinie."
    )
    recevabilite_validity_months = models.PositiveIntegerField(
        "validité de la recevabilité (mois)", null=True, blank=True, help_text="Vide : non limitée."
    )
    instruction_delay_months = models.PositiveIntegerField("délai d'instruction de la recevabilité (mois)")
    silence_is_acceptance = models.BooleanField("le silence vaut acceptation", default=False)
    entretien_before_livret1 = models.BooleanField(
        "VAE : entretien d'accueil validé avant l'envoi du livret 1",
        default=False,
        help_text="Vrai : l'envoi du livret 1 est refusé tant que l'entretien d'accueil n'est pas validé.",
    )
    livret2_due_months_before_session = models.PositiveIntegerField("livret 2 dû avant la session (mois)")
    jury_presentation_minutes = models.PositiveIntegerField("présentation devant le jury (minutes)")
    jury_interview_minutes = models.PositiveIntegerField("entretien avec le jury (minutes)")
    jury_presentation_topics = models.JSONField(
        "ce que la présentation devant le jury doit couvrir",
        default=list,
        blank=True,
        help_text="Liste de phrases lues dans la convocation ; vide quand l'épreuve est un entretien seul.",
    )
    training_hours_min = models.PositiveIntegerField("parcours de formation : heures minimum", null=True, blank=True)
    training_hours_max = models.PositiveIntegerField("parcours de formation : heures maximum", null=True, blank=True)
    direct_evaluation = models.CharField(
        "évaluation directe (sans formation) permise",
        max_length=30,
        choices=DirectEvaluation.choices,
        default=DirectEvaluation.UNIT_ACQUIRED,
    )

    entretien_scale = models.CharField("échelle du guide d'entretien", max_length=50, choices=EntretienScale.choices)
    entretien_introduction = models.TextField("introduction du guide d'entretien", blank=True)
    livret2_introduction = models.TextField("introduction du livret 2", blank=True)
    livret2_guidance = models.JSONField("consignes du livret 2", default=list, blank=True)
    livret2_motivation = models.JSONField("questions de motivation du livret 2", default=list, blank=True)
    livret2_platform_note = models.TextField("note : questions du livret 2 rédigées pour la plateforme", blank=True)
    livret2_documents = models.JSONField(
        "documents demandés dans le livret 2",
        default=list,
        blank=True,
        help_text="« Joindre … » : une pièce à déposer.",
    )
    target_rules = models.JSONField(
        "unités visées et commission paritaire",
        default=dict,
        blank=True,
        help_text="Vide : le parcours vise le CQP entier et passe devant le jury (referentiels/targets.py).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "version de référentiel"
        verbose_name_plural = "versions de référentiel"
        ordering = ["certification", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "number"], name="one_number_per_version"),
            models.UniqueConstraint(
                fields=["certification"], condition=models.Q(is_current=True), name="one_current_version"
            ),
        ]

    def __str__(self):
        return f"{self.certification.title} — version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(
                "Une version publiée de référentiel ne se modifie pas : chargez une nouvelle version."
            )
        super().save(*args, **kwargs)

    @property
    def jury_format(self) -> str:
        if self.jury_presentation_minutes:
            return (
                f"{self.jury_presentation_minutes} min de présentation, "
                f"{self.jury_interview_minutes} min d'entretien, puis délibération"
            )
        return f"Entretien de {self.jury_interview_minutes} min environ, puis délibération"


class Mention(models.Model):
    version = models.ForeignKey(ReferentielVersion, on_delete=models.CASCADE, related_name="mentions")
    code = models.SlugField("code", max_length=30)
    label = models.CharField("mention", max_length=100)

    class Meta:
        ordering = ["version", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_mention_code_per_version")]

    def __str__(self):
        return self.label


class Prerequisite(models.Model):
    """A prerequisite checked at the entretien d'accueil (Oui / Non)."""

    version = models.ForeignKey(ReferentielVersion, on_delete=models.CASCADE, related_name="prerequisites")
    position = models.PositiveIntegerField()
    text = models.TextField("prérequis")

    class Meta:
        ordering = ["version", "position"]

    def __str__(self):
        return self.text


class Unit(models.Model):
    """A bloc, domaine or activité: the part of a CQP validated on its own."""

    version = models.ForeignKey(ReferentielVersion, on_delete=models.CASCADE, related_name="units")
    number = models.PositiveIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, null=True, blank=True, related_name="units")
    description = models.TextField("description", blank=True)
    activities = models.JSONField("activités", default=list, blank=True)
    evaluation_modality = models.TextField("modalité d'évaluation", blank=True)
    livret2_instructions = models.TextField("consignes du livret 2", blank=True)
    livret2_bloc_questions = models.JSONField(
        "questions du livret 2 posées une fois pour le bloc", default=list, blank=True
    )
    livret2_situations = models.PositiveIntegerField("nombre de situations demandées", default=0)
    livret2_min_competences = models.PositiveIntegerField("compétences à aborder au minimum", null=True, blank=True)
    # Livret d'évaluation finale en entreprise (voie formative): « Activités réalisées par le candidat ».
    final_questions = models.JSONField(
        "questions posées au candidat (livret d'évaluation finale)", default=list, blank=True
    )
    final_candidate_comment = models.BooleanField(
        "commentaire du candidat sur l'évaluation (livret d'évaluation finale)", default=False
    )

    class Meta:
        verbose_name = "unité"
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="one_unit_number_per_version")]

    def __str__(self):
        kind = self.version.certification.unit_label if hasattr(self, "version") else "unité"
        return f"{kind.capitalize()} {self.number} : {self.title}"


class Competence(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="competences")
    position = models.PositiveIntegerField()
    activity = models.CharField("activité", max_length=300, blank=True)
    text = models.TextField("compétence (savoir-faire)")
    questions = models.JSONField("exemples de questions (guide d'entretien)", default=list, blank=True)

    class Meta:
        verbose_name = "compétence"
        ordering = ["unit", "position"]

    def __str__(self):
        return self.text


class Knowledge(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="knowledge")
    position = models.PositiveIntegerField()
    text = models.TextField("savoir")

    class Meta:
        verbose_name = "savoir"
        ordering = ["unit", "position"]

    def __str__(self):
        return self.text


class Criterion(models.Model):
    """A critère d'évaluation, in one of the grids of the référentiel."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField("grille", max_length=20, choices=CriterionKind.choices)
    position = models.PositiveIntegerField()
    group = models.CharField("rubrique", max_length=300, blank=True)
    text = models.TextField("critère")

    class Meta:
        verbose_name = "critère d'évaluation"
        verbose_name_plural = "critères d'évaluation"
        ordering = ["unit", "kind", "position"]

    def __str__(self):
        return self.text


class Livret2Question(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="livret2_questions")
    position = models.PositiveIntegerField()
    text = models.TextField("question")

    class Meta:
        verbose_name = "question du livret 2"
        verbose_name_plural = "questions du livret 2"
        ordering = ["unit", "position"]

    def __str__(self):
        return self.text
