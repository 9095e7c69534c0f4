"""Deliberations: fiches de décision, unit decisions, the ledger of validated units, certificates and the
session's events."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cqp.enums import Role

from .. import rules
from ..enums import (
    FicheState,
    Outcome,
    PdfStatus,
)
from .sessions import JurySession, SessionCandidate


class FicheDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: their certifier's; the session's jury: their sessions' fiches; the candidate: their signed fiches."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.OEMM) or user.has_role(Role.ADMIN):
            scope = user.staff_certifier_ids()
            return self if scope is None else self.filter(session_candidate__session__certifier_id__in=scope)
        query = Q(session_candidate__dossier__candidate=user, state__in=[FicheState.SIGNEE, FicheState.REMPLACEE])
        if user.has_role(Role.JURY):
            query |= Q(session_candidate__session__members__user=user)
        return self.filter(query).distinct()


class FicheDecision(models.Model):
    """The fiche de décision of one candidate at one session. Signed = locked; corrections make a new version."""

    session_candidate = models.ForeignKey(
        SessionCandidate, on_delete=models.PROTECT, related_name="fiches", verbose_name="candidat"
    )
    version = models.PositiveIntegerField("version", default=1)
    state = models.CharField("état", max_length=20, choices=FicheState.choices, default=FicheState.BROUILLON)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome.choices, blank=True)
    experience_to_deepen = models.TextField("expérience professionnelle à approfondir en entreprise", blank=True)
    modules_to_follow = models.TextField("modules de formation pouvant être suivis", blank=True)
    deliberated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signée par",
    )
    signed_at = models.DateTimeField("signée le", null=True, blank=True)
    signed_for_president = models.BooleanField("signée pour le président (conflit d'intérêts)", default=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name="version rectifiée",
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rectifiée par",
    )
    correction_reason = models.TextField("motif de la rectification (erreur matérielle)", blank=True)
    pdf = models.FileField("fiche de décision (PDF)", upload_to="jury/fiches/", blank=True)
    pdf_status = models.CharField(
        "état du PDF", max_length=20, choices=PdfStatus.choices, blank=True, default=PdfStatus.NONE
    )
    pdf_error = models.TextField("erreur de fabrication du PDF", blank=True)
    pdf_built_at = models.DateTimeField("PDF fabriqué le", null=True, blank=True)
    mailed_at = models.DateTimeField("envoyée au candidat le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = FicheDecisionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fiche de décision"
        verbose_name_plural = "fiches de décision"
        ordering = ["session_candidate", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["session_candidate", "version"], name="one_fiche_per_version"),
            models.UniqueConstraint(
                fields=["session_candidate"], condition=~Q(state="remplacee"), name="one_current_fiche_per_candidate"
            ),
        ]

    def __str__(self):
        return f"Fiche de décision v{self.version} — {self.session_candidate.dossier.candidate}"

    def get_absolute_url(self):
        return self.session_candidate.get_absolute_url()

    @property
    def is_locked(self) -> bool:
        return self.state != FicheState.BROUILLON

    @property
    def dossier(self):
        return self.session_candidate.dossier

    @property
    def session(self):
        return self.session_candidate.session

    @property
    def pdf_filename(self) -> str:
        return f"fiche-decision-{self.dossier.number}-v{self.version}.pdf"


class UnitDecision(models.Model):
    """The jury's decision on one unit (validé / non validé), or a unit carried over, still valid, from an earlier
    jury.
    """

    fiche = models.ForeignKey(FicheDecision, on_delete=models.CASCADE, related_name="unit_decisions")
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    validated = models.BooleanField("validé")
    carried_from = models.ForeignKey(
        "ValidatedUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="acquis lors d'un jury précédent",
    )
    carried_validated_on = models.DateField("acquis le", null=True, blank=True)
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision par unité"
        verbose_name_plural = "décisions par unité"
        ordering = ["fiche", "unit__number"]
        constraints = [models.UniqueConstraint(fields=["fiche", "unit"], name="one_decision_per_unit_and_fiche")]

    def __str__(self):
        return f"{self.unit} : {'validée' if self.validated else 'non validée'}"

    @property
    def is_carried(self) -> bool:
        return self.carried_validated_on is not None


class ValidatedUnitQuerySet(models.QuerySet):
    def of(self, candidate, certification):
        return self.filter(candidate=candidate, certification=certification).select_related("unit", "session")

    def valid_on(self, day):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class ValidatedUnit(models.Model):
    """A unit a candidate holds for a CQP, across attempts; it counts while still valid.

    Units of different référentiel versions are matched by their number (a new version keeps the numbering).
    """

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="validated_units", verbose_name="candidat"
    )
    certification = models.ForeignKey(
        "referentiels.Certification", on_delete=models.PROTECT, related_name="+", verbose_name="CQP"
    )
    unit = models.ForeignKey("referentiels.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="unité")
    unit_number = models.PositiveIntegerField("numéro de l'unité")
    validated_on = models.DateField("validée le")
    valid_until = models.DateField("valable jusqu'au", null=True, blank=True, help_text="Vide : durée indéfinie.")
    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="+", verbose_name="session")
    fiche = models.ForeignKey(
        FicheDecision, on_delete=models.CASCADE, related_name="validated_units", verbose_name="fiche de décision"
    )

    objects = ValidatedUnitQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "unité acquise"
        verbose_name_plural = "unités acquises"
        ordering = ["certification", "unit_number", "-validated_on"]
        constraints = [models.UniqueConstraint(fields=["fiche", "unit"], name="one_validated_unit_per_fiche")]

    def __str__(self):
        return f"{self.candidate} — {self.unit}"

    def is_valid_on(self, day) -> bool:
        return rules.is_unit_valid(self.valid_until, day)


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    """The CQP certificate of a validation totale, with a public verification code."""

    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="certificates", verbose_name="dossier"
    )
    fiche = models.ForeignKey(
        FicheDecision, on_delete=models.PROTECT, related_name="certificates", verbose_name="fiche de décision"
    )
    code = models.CharField("code de vérification", max_length=40, unique=True, default=new_verification_code)
    issued_on = models.DateField("délivré le")
    revoked_at = models.DateTimeField("annulé le", null=True, blank=True)
    revoked_reason = models.TextField("motif de l'annulation", blank=True)
    pdf = models.FileField("certificat (PDF)", upload_to="jury/certificats/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "certificat"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(revoked_at__isnull=True), name="one_valid_certificate_per_dossier"
            ),
        ]

    def __str__(self):
        return f"Certificat {self.dossier.certification} — {self.dossier.candidate}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def get_verification_url(self):
        return reverse("verification:verify", kwargs={"code": self.code})


class SessionEvent(models.Model):
    """Audit trail of a session: who did what, when, from which state to which, and why."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="events")
    session_candidate = models.ForeignKey(
        SessionCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField("le", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="par"
    )
    action = models.CharField("action", max_length=60)
    label = models.CharField("libellé", max_length=300)
    from_state = models.CharField("de", max_length=30, blank=True)
    to_state = models.CharField("vers", max_length=30, blank=True)
    comment = models.TextField("motif ou commentaire", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "événement de session"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.session} — {self.label}"
