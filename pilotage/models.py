"""What pilotage records itself: the exports of the OEMM's lists (they carry personal data), the register of certified
holders, and the CPNEFP's statistics as last computed."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from simple_history.models import HistoricalRecords


class ExportRecord(models.Model):
    """Who exported which list, with which filter, in which format, when, and how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="exporté par"
    )
    at = models.DateTimeField("le", auto_now_add=True)
    list_key = models.CharField("liste", max_length=40)
    format = models.CharField("format", max_length=10)
    filters = models.JSONField("filtres et tri", default=dict, blank=True)
    rows = models.PositiveIntegerField("lignes")

    class Meta:
        verbose_name = "export d'une liste"
        verbose_name_plural = "exports des listes"
        ordering = ["-at"]

    def __str__(self):
        return f"Export {self.list_key} ({self.format}) du {self.at:%d/%m/%Y %H:%M}"


class RegisterState(models.TextChoices):
    A_TRANSMETTRE = "a_transmettre", "À transmettre"
    EXPORTE = "exporte", "Exporté, transmission à confirmer"
    TRANSMIS = "transmis", "Transmis"
    ANNULE = "annule", "Annulé (fiche rectifiée)"


class AccessRoute(models.TextChoices):
    VAE = "vae", "VAE"
    FORMATION = "formation_continue", "Formation continue"


class TransmissionBatch(models.Model):
    """One export of the register for the Caisse des Dépôts, then marked transmitted (audited)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="exporté par"
    )
    created_at = models.DateTimeField("exporté le", auto_now_add=True)
    format = models.CharField("format", max_length=10, choices=[("csv", "CSV"), ("xml", "XML")])
    count = models.PositiveIntegerField("lignes")
    transmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="transmission confirmée par",
    )
    transmitted_at = models.DateTimeField("transmis le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lot transmis à la Caisse des Dépôts"
        verbose_name_plural = "lots transmis à la Caisse des Dépôts"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Lot n° {self.pk} du {self.created_at:%d/%m/%Y}"


class HolderRecord(models.Model):
    """A line of the register of certified holders: one total validation (signed fiche de décision), due to the
    Caisse des Dépôts within three months of the decision. The holder's identity is read from the dossier at export
    (livret 1, account), not copied here."""

    dossier = models.OneToOneField(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="holder_record", verbose_name="dossier"
    )
    fiche = models.ForeignKey(
        "jury.FicheDecision", on_delete=models.PROTECT, related_name="+", verbose_name="fiche de décision"
    )
    obtained_on = models.DateField("date d'obtention")
    due_on = models.DateField("à transmettre avant le")
    valid_until = models.DateField("fin de validité", null=True, blank=True)
    access_route = models.CharField("voie d'accès", max_length=20, choices=AccessRoute.choices)
    state = models.CharField("état", max_length=20, choices=RegisterState.choices, default=RegisterState.A_TRANSMETTRE)
    batch = models.ForeignKey(
        TransmissionBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="records", verbose_name="lot"
    )
    note = models.CharField("remarque", max_length=300, blank=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "titulaire certifié (accrochage)"
        verbose_name_plural = "registre des titulaires certifiés"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Titulaire {self.dossier.number}"


class StatisticsSnapshot(models.Model):
    """The CPNEFP's figures for one choice of filters (CQP, period), as computed from the live data at ``computed_at``
    (pilotage/cockpit/statistics_summary.py): read by the statistics page while fresh, recomputed when stale, the
    unfiltered ones and each CQP's by the daily job. Counts and rates only, never a person."""

    key = models.CharField("filtres", max_length=60, unique=True)
    certification = models.ForeignKey(
        "referentiels.Certification", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    start = models.DateField("du", null=True, blank=True)
    end = models.DateField("au", null=True, blank=True)
    computed_for = models.DateField("jour de référence")
    computed_at = models.DateTimeField("calculé le")
    figures = models.JSONField("chiffres", encoder=DjangoJSONEncoder, default=list)
    detail = models.JSONField("détail des dossiers", encoder=DjangoJSONEncoder, default=list)
    anonymised = models.PositiveIntegerField("comptes anonymisés", default=0)

    class Meta:
        verbose_name = "statistiques calculées"
        verbose_name_plural = "statistiques calculées"

    def __str__(self):
        return f"Statistiques {self.key or 'toutes'} du {self.computed_at:%d/%m/%Y %H:%M}"
