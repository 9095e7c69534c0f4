"""The dossier: one candidate, one CQP, one path, and its audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cqp.enums import Role

from ..enums import AWAITING_FIRST_JURY_STATES, OPEN_STATES, DossierState, Path


class DossierQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def awaiting_first_jury(self):
        return self.filter(state__in=AWAITING_FIRST_JURY_STATES)

    def visible_to(self, user):
        """Dossiers a person may see: their own, their organisation's, their certifier's for its staff (all for an
        administrator)."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.OEMM) or user.has_role(Role.ADMIN):
            scope = user.staff_certifier_ids()
            return self if scope is None else self.filter(certification__certifier_id__in=scope)
        query = Q(candidate=user)
        roles = {r.role: r for r in user.roles.all()}
        if Role.ORGANISME in roles:
            query |= Q(organisme_id=roles[Role.ORGANISME].organisme_id)
        if Role.ENTREPRISE in roles:
            query |= Q(entreprise_id=roles[Role.ENTREPRISE].entreprise_id)
        if Role.JURY in roles:
            # The jury of the candidate's session reads the dossier (livrets are confidential to it).
            query |= Q(pk__in=self.model.objects.filter(jury_passages__session__members__user=user).values("pk"))
        return self.filter(query)

    def visibility_key(self, user):
        """What ``visible_to(user)``'s SQL depends on, for the staff (all dossiers, or their certifiers'): the key
        under which the OEMM list's SQL is compiled once (cqp/compiled_lists.py). None for anyone else (their SQL
        holds their own ids: not compiled)."""
        if not user.is_authenticated or not (user.has_role(Role.OEMM) or user.has_role(Role.ADMIN)):
            return None
        scope = user.staff_certifier_ids()
        return ("staff", None if scope is None else frozenset(scope))


class Dossier(models.Model):
    """A candidate's inscription for one CQP on one path (VAE or voie formative)."""

    number = models.CharField("numéro de dossier", max_length=20, unique=True)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers", verbose_name="candidat"
    )
    certification = models.ForeignKey(
        "referentiels.Certification", on_delete=models.PROTECT, related_name="dossiers", verbose_name="CQP"
    )
    version = models.ForeignKey(
        "referentiels.ReferentielVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="version du référentiel",
    )
    mention = models.ForeignKey(
        "referentiels.Mention", on_delete=models.PROTECT, null=True, blank=True, verbose_name="mention"
    )
    path = models.CharField("voie d'accès", max_length=20, choices=Path.choices)
    state = models.CharField("état", max_length=20, choices=DossierState.choices, default=DossierState.INSCRIT)
    inscription_date = models.DateField("date d'inscription")
    first_jury_deadline = models.DateField(
        "première présentation au jury au plus tard",
        db_index=True,
        help_text="Inscription + délai du CQP (3 ans) ; prolongeable par l'OEMM avec un motif.",
    )
    entreprise = models.ForeignKey(
        "cqp.Entreprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name="entreprise",
    )
    organisme = models.ForeignKey(
        "cqp.OrganismeFormation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name="organisme de formation",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="inscrit par"
    )
    target_units = models.JSONField(
        "unités visées",
        default=list,
        blank=True,
        help_text="Numéros des unités visées par ce parcours ; vide : tout le CQP (referentiels/targets.py).",
    )
    validated_by = models.CharField(
        "validé par",
        max_length=20,
        default="jury",
        help_text="« jury » ou « commission » (commission paritaire, sur dossier), selon les unités visées.",
    )
    closed_reason = models.TextField("motif de clôture", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    history = HistoricalRecords()

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "certification"]),
            models.Index(fields=["candidate", "state"]),
            # The OEMM list is ordered newest first: without it PostgreSQL sorts every dossier (make bench).
            models.Index(fields=["-created_at"], name="dossier_created_desc"),
            # The list filtered by CQP and path (its count and its newest-first page), and the cockpit's queues of
            # dossiers by state ordered by their first-jury deadline (issue 20).
            models.Index(fields=["certification", "path", "-created_at"], name="dossier_cqp_path_created"),
            models.Index(fields=["state", "first_jury_deadline"], name="dossier_state_deadline"),
        ]

    def __str__(self):
        return f"Dossier {self.number}"

    def get_absolute_url(self):
        return reverse("candidates:dossier", kwargs={"number": self.number})

    @property
    def goes_to_commission(self) -> bool:
        return self.validated_by == "commission"

    @property
    def validator_label(self) -> str:
        return "la commission paritaire" if self.goes_to_commission else "le jury final"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def first_jury_overdue(self) -> bool:
        """Past the window to a first jury while still waiting for one: OEMM closes or extends."""
        from django.utils import timezone

        return self.state in AWAITING_FIRST_JURY_STATES and self.first_jury_deadline < timezone.localdate()


class DossierEvent(models.Model):
    """Audit trail of a dossier: who did what, when, from which state to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="par"
    )
    action = models.CharField("action", max_length=60)
    label = models.CharField("libellé", max_length=200)
    from_state = models.CharField("de", max_length=30, blank=True)
    to_state = models.CharField("vers", max_length=30, blank=True)
    comment = models.TextField("commentaire", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "événement du dossier"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.dossier.number} — {self.label}"
