"""Who may do what with a livret 1 and the pieces (django-rules predicates).

Access to the dossier itself first goes through candidates.selectors.get_dossier_for
(outsiders get a 404); these predicates refine it.
"""

import rules

from candidates.enums import DossierState, Path
from candidates.permissions import is_dossier_candidate, is_dossier_organisme
from cqp.permissions import is_oemm


def _dossier(obj):
    return getattr(obj, "dossier", obj)


@rules.predicate
def is_vae_dossier(user, obj):
    return obj is not None and _dossier(obj).path == Path.VAE


@rules.predicate
def is_candidate_of(user, obj):
    return obj is not None and is_dossier_candidate(user, _dossier(obj))


@rules.predicate
def is_organisme_of(user, obj):
    return obj is not None and is_dossier_organisme(user, _dossier(obj))


@rules.predicate
def livret_is_editable(user, livret):
    return livret is not None and livret.is_active and livret.is_editable and livret.dossier.is_open


@rules.predicate
def livret_awaits_decision(user, livret):
    return livret is not None and livret.is_active and livret.is_submitted


@rules.predicate
def livret_is_expired(user, livret):
    return livret is not None and livret.is_active and livret.is_expired() and livret.dossier.is_open


@rules.predicate
def dossier_can_start_livret1(user, dossier):
    return dossier.path == Path.VAE and dossier.state in (DossierState.INSCRIT, DossierState.ORIENTE) and not (
        dossier.livrets1.filter(is_active=True).exists()
    )


@rules.predicate
def piece_is_deletable(user, piece):
    return piece.livret1 is not None and livret_is_editable(user, piece.livret1)


# Seeing the livret 1 and its pieces: the candidate, OEMM, the dossier's organisme (read-only).
can_view_livret = is_vae_dossier & (is_oemm | is_candidate_of | is_organisme_of)
can_start_livret = is_candidate_of & dossier_can_start_livret1
can_edit_livret = is_candidate_of & livret_is_editable
can_decide = is_oemm & livret_awaits_decision
can_renew = is_candidate_of & livret_is_expired
can_delete_piece = is_candidate_of & piece_is_deletable

rules.add_perm("vae.view_livret1", can_view_livret)
rules.add_perm("vae.start_livret1", can_start_livret)
rules.add_perm("vae.edit_livret1", can_edit_livret)
rules.add_perm("vae.decide_livret1", can_decide)
rules.add_perm("vae.renew_livret1", can_renew)
rules.add_perm("vae.delete_piece", can_delete_piece)
rules.add_perm("vae.view_queue", is_oemm)
