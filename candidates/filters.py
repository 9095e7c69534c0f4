"""The dossiers list's filters and sort (django-filter), shared by the page and its exports (pilotage)."""

import django_filters

from cqp.filtering import CertificationFilter, ListFilterSet, SearchFilter, StableOrderingFilter

from .enums import DossierState, Path
from .models import Dossier


class DossierFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("number", "candidate__last_name", "candidate__email"))
    cqp = CertificationFilter(label="CQP", field_name="certification_id", empty_label="Tous les CQP")
    path = django_filters.ChoiceFilter(label="Voie", choices=Path.choices, empty_label="Toutes les voies")
    state = django_filters.ChoiceFilter(label="État", choices=DossierState.choices, empty_label="Tous les états")
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("number", "number"),
            ("candidate__last_name", "candidat"),
            ("certification__title", "cqp"),
            ("path", "voie"),
            ("state", "etat"),
            ("inscription_date", "inscription"),
            ("first_jury_deadline", "premier_jury"),
        ),
    )

    class Meta:
        model = Dossier
        fields = []
