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


def lock_dossier(dossier) -> None:
    """Lock the dossier's row (inside a transaction), as the transitions do: an autosave of an object not created yet
    (entretien, livrets of the voie formative) takes it first, so that two first saves cannot both pass."""
    Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).first()
