"""Filters and sort (django-filter) of the OEMM's lists of accounts and organisations, shared with their exports."""

import django_filters

from .enums import Role
from .filtering import ListFilterSet, SearchFilter, StableOrderingFilter
from .models import Entreprise, OrganismeFormation, User


class AccountFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("email", "first_name", "last_name"))
    role = django_filters.ChoiceFilter(
        label="Rôle", field_name="roles__role", choices=Role.choices, empty_label="Tous les rôles", distinct=True
    )
    tri = StableOrderingFilter(
        label="Trier par",
        fields=(("last_name", "nom"), ("email", "email"), ("is_active", "etat"), ("date_joined", "creation")),
    )

    class Meta:
        model = User
        fields = []


class OrganismeFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("name", "siret"))
    tri = StableOrderingFilter(
        label="Trier par", fields=(("name", "nom"), ("siret", "siret"), ("agrement_to", "agrement"))
    )

    class Meta:
        model = OrganismeFormation
        fields = []


class EntrepriseFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher", fields=("name", "siret"))
    tri = StableOrderingFilter(label="Trier par", fields=(("name", "nom"), ("siret", "siret")))

    class Meta:
        model = Entreprise
        fields = []
