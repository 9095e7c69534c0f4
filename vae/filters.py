"""Filters and sort (django-filter) of the recevabilité list (livrets 1 awaiting a decision), shared with its export."""

from cqp.filtering import CertificationFilter, ListFilterSet, SearchFilter, StableOrderingFilter

from .models import Livret1


class RecevabiliteFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("dossier__number", "dossier__candidate__last_name"))
    cqp = CertificationFilter(label="CQP", field_name="dossier__certification_id", empty_label="Tous les CQP")
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
