"""Livret 1 (demande de recevabilité VAE, cerfa 12818*02), its experiences, and the pieces of a dossier."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from referentiels.expected_documents import LIVRET1, expected_documents

from .. import rules
from ..enums import (
    AWAITING_DECISION_STATES,
    EDITABLE_STATES,
    TO_REPLACE,
    DemandNature,
    ExperienceStatus,
    Livret1State,
    PieceKind,
    PieceSection,
    PieceVerdict,
    Sex,
    Situation,
)

# Fields of the livret the candidate fills in (the autosaved form).
CANDIDATE_FIELDS = [
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "address",
    "phone",
    "email",
    "situation",
    "situation_detail",
    "last_class",
    "highest_diploma",
    "certifications_held",
    "declaration_accepted",
    "declaration_place",
    "declaration_date",
]


class Livret1QuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def awaiting_decision(self):
        return self.filter(state__in=AWAITING_DECISION_STATES)

    def due_for_tacit_acceptance(self, today):
        """Submitted livrets whose instruction delay is over, for CQPs where silence means acceptance."""
        return self.awaiting_decision().filter(referentiel__silence_is_acceptance=True, instruction_deadline__lt=today)


class Livret1(models.Model):
    """One demande de recevabilité. A dossier may hold several (renouvellement, prorogation); one is active."""

    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="livrets1", verbose_name="dossier"
    )
    referentiel = models.ForeignKey(
        "referentiels.ReferentielVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="version du référentiel visée",
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="demande précédente"
    )
    is_active = models.BooleanField("demande en cours", default=True)
    nature = models.CharField(
        "nature de la demande", max_length=20, choices=DemandNature.choices, default=DemandNature.PREMIERE
    )
    state = models.CharField("état", max_length=20, choices=Livret1State.choices, default=Livret1State.BROUILLON)
    version = models.PositiveIntegerField("version (enregistrements)", default=1)

    # État civil
    birth_name = models.CharField("nom de naissance", max_length=150, blank=True)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_names = models.CharField("prénoms", max_length=200, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    birth_place = models.CharField("lieu de naissance (commune, pays)", max_length=200, blank=True)
    nationality = models.CharField("nationalité", max_length=100, blank=True)
    address = models.TextField("adresse", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    # Situation actuelle
    situation = models.CharField("situation actuelle", max_length=20, choices=Situation.choices, blank=True)
    situation_detail = models.CharField("précisions sur la situation", max_length=300, blank=True)
    # Niveau de formation
    last_class = models.CharField("dernière classe suivie", max_length=200, blank=True)
    highest_diploma = models.CharField("diplôme le plus élevé obtenu", max_length=200, blank=True)
    certifications_held = models.TextField("autres certifications obtenues (diplômes, titres, CQP)", blank=True)
    # Déclaration sur l'honneur
    declaration_accepted = models.BooleanField("déclaration sur l'honneur acceptée", default=False)
    declaration_place = models.CharField("fait à", max_length=150, blank=True)
    declaration_date = models.DateField("le", null=True, blank=True)
    # Values typed but not valid (kept so that nothing typed is lost), field name -> raw text.
    unsaved_input = models.JSONField("saisies non valides conservées", default=dict, blank=True)

    # Instruction
    submitted_at = models.DateTimeField("soumis le", null=True, blank=True)
    received_on = models.DateField("reçu le", null=True, blank=True)
    instruction_deadline = models.DateField("date limite d'instruction", null=True, blank=True)
    decided_on = models.DateField("décision du", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision prise par",
    )
    tacit = models.BooleanField("recevabilité tacite (silence)", default=False)
    gap_analysis = models.TextField("analyse des écarts avec le référentiel", blank=True)
    recommended_training = models.TextField("formations complémentaires recommandées", blank=True)
    decision_comment = models.TextField("motif ou éléments manquants", blank=True)
    valid_until = models.DateField("recevabilité valable jusqu'au", null=True, blank=True)

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = Livret1QuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "livret 1 (demande de recevabilité)"
        verbose_name_plural = "livrets 1 (demandes de recevabilité)"
        ordering = ["dossier", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(is_active=True), name="one_active_livret1_per_dossier"
            ),
        ]
        indexes = [models.Index(fields=["state", "instruction_deadline"])]

    def __str__(self):
        return f"Livret 1 du dossier {self.dossier.number} ({self.get_nature_display()})"

    def get_absolute_url(self):
        return reverse("vae:livret1", kwargs={"number": self.dossier.number})

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_submitted(self) -> bool:
        return self.state in AWAITING_DECISION_STATES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_submitted and self.instruction_deadline is not None and self.instruction_deadline < today

    def is_expired(self, today=None) -> bool:
        return self.state == Livret1State.RECEVABLE and rules.is_expired(
            self.valid_until, today or timezone.localdate()
        )

    # Plain values for the rules
    def field_values(self) -> dict:
        values = {name: getattr(self, name) for name in CANDIDATE_FIELDS}
        values["nature"] = self.nature
        return values

    def missing(self) -> dict[str, list[str]]:
        return rules.missing_items(
            fields=self.field_values(),
            experiences=list(self.experiences.all()),
            piece_kinds=list(self.pieces.values_list("kind", flat=True)),
            today=timezone.localdate(),
            expected=self.expected_documents(LIVRET1),
        )

    def expected_documents(self, when=None) -> list[dict]:
        return expected_documents(self.referentiel.certification.code, self.dossier.path, when)

    def experience_check(self, today=None):
        return rules.experience_total(
            self.experiences.all(),
            required_months=self.referentiel.min_experience_months,
            window_years=self.referentiel.experience_window_years,
            today=today or timezone.localdate(),
        )


class Experience(models.Model):
    """One experience in direct relation with the CQP (cerfa 12818*02, section « expériences »)."""

    livret = models.ForeignKey(Livret1, on_delete=models.CASCADE, related_name="experiences")
    position = models.PositiveIntegerField("ordre", default=0)
    function = models.CharField("emploi ou fonction occupé(e)", max_length=200, blank=True)
    organisation = models.CharField("organisation (entreprise, association, syndicat...)", max_length=200, blank=True)
    status = models.CharField("statut", max_length=20, choices=ExperienceStatus.choices, blank=True)
    start = models.DateField("du", null=True, blank=True)
    end = models.DateField("au", null=True, blank=True, help_text="Vide : en cours.")
    hours_per_week = models.DecimalField("heures par semaine", max_digits=4, decimal_places=1, null=True, blank=True)
    activities = models.TextField("activités réalisées", blank=True)

    class Meta:
        verbose_name = "expérience"
        ordering = ["livret", "position", "id"]

    def __str__(self):
        return f"{self.function} — {self.organisation}"


def piece_upload_to(instance, filename):
    """A random name: the original name is kept only for display."""
    ext = os.path.splitext(filename)[1].lower()
    return f"pieces/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Piece(models.Model):
    """A pièce justificative attached to a dossier (and to the livret it was given with)."""

    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="pieces", verbose_name="dossier"
    )
    section = models.CharField("livret", max_length=20, choices=PieceSection.choices, default=PieceSection.LIVRET1)
    livret1 = models.ForeignKey(
        Livret1, on_delete=models.CASCADE, null=True, blank=True, related_name="pieces", verbose_name="livret 1"
    )
    kind = models.CharField("nature de la pièce", max_length=30, choices=PieceKind.choices)
    file = models.FileField("fichier", upload_to=piece_upload_to, max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=200)
    size = models.PositiveIntegerField("taille (octets)")
    content_type = models.CharField("type de contenu", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="déposée par"
    )
    uploaded_at = models.DateTimeField("déposée le", auto_now_add=True)
    # Livret 2 evidence: attached to the livret, optionally to one unit or one situation.
    livret2 = models.ForeignKey(
        "vae.Livret2", on_delete=models.CASCADE, null=True, blank=True, related_name="pieces", verbose_name="livret 2"
    )
    unit = models.ForeignKey(
        "referentiels.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="unité"
    )
    situation = models.ForeignKey(
        "vae.Livret2Situation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pieces",
        verbose_name="situation",
    )
    employer_owned = models.BooleanField("document appartenant à l'employeur", default=False)
    employer_consent = models.BooleanField("accord de l'employeur obtenu", default=False)
    # The OEMM's verdict while instructing the livret 1 (empty: not yet examined).
    verdict = models.CharField("avis sur la pièce", max_length=20, choices=PieceVerdict.choices, blank=True)
    verdict_reason = models.TextField("motif de l'avis", blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="avis donné par",
    )
    verdict_at = models.DateTimeField("avis donné le", null=True, blank=True)
    replaced_count = models.PositiveIntegerField("nombre de remplacements", default=0)
    thumbnail = models.FileField("aperçu", upload_to="apercus/", max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce justificative"
        verbose_name_plural = "pièces justificatives"
        ordering = ["dossier", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer_owned=False) | Q(employer_consent=True), name="employer_document_needs_consent"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"

    def get_absolute_url(self):
        return reverse("vae:piece_download", kwargs={"number": self.dossier.number, "pk": self.pk})

    @property
    def to_replace(self) -> bool:
        return self.verdict in TO_REPLACE
