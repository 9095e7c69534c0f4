"""Filters and sort (django-filter) of the recevabilité list (livrets 1 awaiting a decision), shared with its export."""

import django_filters

from cqp.filtering import ListFilterSet, SearchFilter, StableOrderingFilter
from referentiels.models import Certification

from .models import Livret1


class RecevabiliteFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("dossier__number", "dossier__candidate__last_name"))
    # choices read once per request (one query whether a CQP is chosen or not: constant query count)
    cqp = django_filters.ChoiceFilter(
        label="CQP",
        field_name="dossier__certification__code",
        choices=lambda: list(Certification.objects.order_by("title").values_list("code", "title")),
        empty_label="Tous les CQP",
    )
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("dossier__number", "dossier"),
            ("dossier__candidate__last_name", "candidat"),
            ("dossier__certification__title", "cqp"),
            ("nature", "nature"),
            ("received_on", "recu"),
            ("instruction_deadline", "limite"),
        ),
    )

    class Meta:
        model = Livret1
        fields = []
