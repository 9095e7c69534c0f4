"""Filters and sort (django-filter, cqp/filtering.py) of pilotage's own OEMM lists, shared with their exports:
« Échéances » (one FilterSet per kind of deadline), the deletion requests, the candidates past retention, the
e-mails not delivered and the register of certified holders.

A page's default (the horizon of 3 months, the pending requests, the failed e-mails) is put in the data when the
parameter is missing, so the page and its export apply the same rows; an invalid value is left out by django-filter
(the page shows as without it), except the horizon, which then falls back to its default: a deadline list is never
unbounded.
"""

import datetime

import django_filters
from django.conf import settings
from django.utils import timezone

from candidates.models import Dossier
from cqp.enums import DeletionRequestState, ReminderKind
from cqp.filtering import CertificationFilter, ListFilterSet, StableOrderingFilter
from cqp.models import DeletionRequest, OrganismeFormation, OutboundEmail, User
from vae.models import Livret1

from .deadline_overview import HORIZONS
from .models import HolderRecord, RegisterState

DEFAULT_HORIZON = 90
EMAIL_VIEWS = {"echec": "En échec", "retard": "En attente, en retard"}


class DefaultsFilterSet(ListFilterSet):
    """Always bound; ``defaults`` fill the parameters that are missing (or empty)."""

    defaults: dict = {}

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        for name, value in self.defaults.items():
            if not data.get(name):
                data[name] = value
        super().__init__(data, *args, **kwargs)

    def cleaned(self, name):
        """A field's clean value, None when missing or invalid (the other fields may be invalid too)."""
        self.form.is_valid()
        return self.form.cleaned_data.get(name)


class DeadlineFilter(DefaultsFilterSet):
    """One kind of deadline; subclasses name the date field, the CQP field and the sort keys."""

    date_field = ""
    defaults = {"horizon": str(DEFAULT_HORIZON)}
    horizon = django_filters.ChoiceFilter(
        label="Horizon", choices=[(str(d), label) for d, label in HORIZONS], method="keep", empty_label=None
    )

    def keep(self, queryset, name, value):
        return queryset  # applied in filter_queryset, with its default when the value is invalid

    def horizon_days(self) -> int:
        value = self.cleaned("horizon")
        return int(value) if value else DEFAULT_HORIZON

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        limit = timezone.localdate() + datetime.timedelta(days=self.horizon_days())
        return queryset.filter(**{f"{self.date_field}__lte": limit})


class FirstJuryDeadlineFilter(DeadlineFilter):
    date_field = "first_jury_deadline"
    cqp = CertificationFilter(label="CQP", field_name="certification_id", empty_label="Tous les CQP")
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("first_jury_deadline", "date"),
            ("number", "objet"),
            ("candidate__last_name", "candidat"),
            ("certification__title", "cqp"),
        ),
    )

    class Meta:
        model = Dossier
        fields = []


class _LivretDeadlineFilter(DeadlineFilter):
    cqp = CertificationFilter(label="CQP", field_name="dossier__certification_id", empty_label="Tous les CQP")

    class Meta:
        model = Livret1
        fields = []


class InstructionDeadlineFilter(_LivretDeadlineFilter):
    date_field = "instruction_deadline"
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("instruction_deadline", "date"),
            ("dossier__number", "objet"),
            ("dossier__candidate__last_name", "candidat"),
            ("dossier__certification__title", "cqp"),
        ),
    )


class ValidityDeadlineFilter(_LivretDeadlineFilter):
    date_field = "valid_until"
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("valid_until", "date"),
            ("dossier__number", "objet"),
            ("dossier__candidate__last_name", "candidat"),
            ("dossier__certification__title", "cqp"),
        ),
    )


class AgrementDeadlineFilter(DeadlineFilter):
    date_field = "agrement_to"
    cqp = CertificationFilter(label="CQP", field_name="certifications", empty_label="Tous les CQP", distinct=True)
    tri = StableOrderingFilter(label="Trier par", fields=(("agrement_to", "date"), ("name", "objet")))

    class Meta:
        model = OrganismeFormation
        fields = []


DEADLINE_FILTERS = {
    ReminderKind.FIRST_JURY: FirstJuryDeadlineFilter,
    ReminderKind.INSTRUCTION: InstructionDeadlineFilter,
    ReminderKind.RECEVABILITE_VALIDITY: ValidityDeadlineFilter,
    ReminderKind.AGREMENT: AgrementDeadlineFilter,
}


class DeletionRequestFilter(DefaultsFilterSet):
    defaults = {"state": DeletionRequestState.DEMANDEE}
    state = django_filters.ChoiceFilter(label="État", choices=DeletionRequestState.choices, empty_label=None)
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("pk", "numero"),
            ("requested_at", "demandee"),
            ("candidate__last_name", "candidat"),
            ("state", "etat"),
            ("treated_at", "traitee"),
        ),
    )

    class Meta:
        model = DeletionRequest
        fields = []


class RetentionFilter(ListFilterSet):
    tri = StableOrderingFilter(
        label="Trier par", fields=(("pk", "compte"), ("last_name", "candidat"), ("ended_at", "fin"))
    )

    class Meta:
        model = User
        fields = []


class OutboundEmailFilter(DefaultsFilterSet):
    """``vue``: the failed e-mails, or the pending ones whose attempt is late (OUTBOX_LATE_SECONDS)."""

    defaults = {"vue": "echec"}
    vue = django_filters.ChoiceFilter(
        label="E-mails", choices=list(EMAIL_VIEWS.items()), method="by_view", empty_label=None
    )
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("pk", "numero"),
            ("subject", "objet"),
            ("attempts", "tentatives"),
            ("failed_at", "echec"),
            ("next_attempt_at", "prevue"),
        ),
    )

    class Meta:
        model = OutboundEmail
        fields = []

    @property
    def view(self) -> str:
        value = self.cleaned("vue")
        return value if value in EMAIL_VIEWS else "echec"

    def by_view(self, queryset, name, value):
        return queryset  # applied in filter_queryset, with its default when the value is invalid

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sorted_ = bool(self.cleaned("tri"))
        if self.view == "retard":
            late = datetime.timedelta(seconds=settings.OUTBOX_LATE_SECONDS)
            queryset = queryset.late(timezone.now(), late)
            return queryset if sorted_ else queryset.order_by("next_attempt_at", "pk")
        queryset = queryset.failed()
        return queryset if sorted_ else queryset.order_by("-failed_at", "-pk")


class RegisterFilter(ListFilterSet):
    etat = django_filters.ChoiceFilter(
        label="État", field_name="state", choices=RegisterState.choices, empty_label="Tous"
    )
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("dossier__number", "dossier"),
            ("dossier__candidate__last_name", "titulaire"),
            ("dossier__certification__title", "cqp"),
            ("obtained_on", "obtenu"),
            ("due_on", "echeance"),
            ("state", "etat"),
        ),
    )

    class Meta:
        model = HolderRecord
        fields = []
