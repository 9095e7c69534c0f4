"""Reads of livrets 1 and pieces, scoped to the person asking (outsiders get a 404)."""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from candidates.selectors import get_dossier_for

from .models import Livret1, Piece


def get_dossier_with_livret_access(user, number):
    """The VAE dossier if the person may see its livret 1 (candidate, OEMM, the dossier's organisme), else 404."""
    dossier = get_dossier_for(user, number)
    if not rules.has_perm("vae.view_livret1", user, dossier):
        raise Http404("Livret introuvable.")
    return dossier


def livrets_of(dossier):
    return Livret1.objects.filter(dossier=dossier).select_related("referentiel", "decided_by", "dossier")


def active_livret(dossier) -> Livret1 | None:
    livret = livrets_of(dossier).filter(is_active=True).first()
    if livret is not None:
        livret.dossier = dossier
    return livret


def get_livret_for(user, number, pk=None) -> Livret1:
    dossier = get_dossier_with_livret_access(user, number)
    if pk is None:
        livret = active_livret(dossier)
        if livret is None:
            raise Http404("Le livret 1 n'est pas commencé.")
        return livret
    livret = get_object_or_404(livrets_of(dossier), pk=pk)
    livret.dossier = dossier
    return livret


def get_piece_for(user, number, pk) -> Piece:
    dossier = get_dossier_with_livret_access(user, number)
    piece = get_object_or_404(Piece.objects.select_related("livret1", "uploaded_by"), dossier=dossier, pk=pk)
    piece.dossier = dossier
    if piece.livret1 is not None:
        piece.livret1.dossier = dossier
    return piece


def queue(certification_code=""):
    """Submitted livrets 1 awaiting a decision, the closest deadline first."""
    livrets = Livret1.objects.awaiting_decision().filter(is_active=True).select_related(
        "dossier__candidate", "dossier__certification", "dossier__mention", "referentiel"
    ).order_by("instruction_deadline", "received_on")
    if certification_code:
        livrets = livrets.filter(dossier__certification__code=certification_code)
    return livrets
