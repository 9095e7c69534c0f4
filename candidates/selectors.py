"""Reads of dossiers, scoped to the person asking (outsiders get a 404)."""

from django.shortcuts import get_object_or_404

from .models import Dossier


def dossiers_for(user):
    return Dossier.objects.visible_to(user).select_related(
        "candidate", "certification", "version", "mention", "entreprise", "organisme"
    )


def get_dossier_for(user, number) -> Dossier:
    """The dossier if the person may see it, else Http404."""
    return get_object_or_404(dossiers_for(user), number=number)
