"""The sessions list's filters and sort (django-filter), shared by the page and its exports (pilotage)."""

import django_filters
from django import forms

from cqp.filtering import ListFilterSet, StableOrderingFilter
from referentiels.models import Certification

from .models import JurySession


class YearFilter(django_filters.Filter):
    """A year between 1900 and 2999: « ² » or a 20-digit number fails the field and the filter is left out."""

    field_class = forms.IntegerField


class SessionFilter(ListFilterSet):
    # choices read once per request (one query whether a CQP is chosen or not: constant query count)
    cqp = django_filters.ChoiceFilter(
        label="CQP",
        field_name="certifications__code",
        choices=lambda: list(Certification.objects.order_by("title").values_list("code", "title")),
        empty_label="Tous les CQP",
        distinct=True,
    )
    annee = YearFilter(label="Année", field_name="date__year", min_value=1900, max_value=2999)
    # « cqp » sorts by the first title of the session's CQPs (annotated by the list's queryset: first_cqp)
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(
            ("date", "date"),
            ("first_cqp", "cqp"),
            ("place", "lieu"),
            ("candidate_count", "candidats"),
            ("state", "etat"),
        ),
    )

    class Meta:
        model = JurySession
        fields = []
