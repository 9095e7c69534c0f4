"""The dossiers list's filters and sort (django-filter), shared by the page and its exports (pilotage)."""

import django_filters

from cqp.filtering import ListFilterSet, SearchFilter, StableOrderingFilter
from referentiels.models import Certification

from .enums import DossierState, Path
from .models import Dossier


class DossierFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("number", "candidate__last_name", "candidate__email"))
    # choices read once per request (one query whether a CQP is chosen or not: constant query count)
    cqp = django_filters.ChoiceFilter(
        label="CQP",
        field_name="certification__code",
        choices=lambda: list(Certification.objects.order_by("title").values_list("code", "title")),
        empty_label="Tous les CQP",
    )
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
