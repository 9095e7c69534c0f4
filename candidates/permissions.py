"""Who may do what on a dossier (django-rules predicates)."""

import rules

from cqp.enums import Role
from cqp.permissions import is_candidat, is_entreprise, is_oemm


@rules.predicate
def is_dossier_candidate(user, dossier):
    return dossier is not None and dossier.candidate_id == user.pk


@rules.predicate
def is_dossier_organisme(user, dossier):
    return dossier is not None and dossier.organisme_id is not None and user.roles.filter(
        role=Role.ORGANISME, organisme_id=dossier.organisme_id
    ).exists()


@rules.predicate
def is_dossier_entreprise(user, dossier):
    return dossier is not None and dossier.entreprise_id is not None and user.roles.filter(
        role=Role.ENTREPRISE, entreprise_id=dossier.entreprise_id
    ).exists()


@rules.predicate
def is_dossier_jury(user, dossier):
    """A member of a jury session the dossier is in."""
    return dossier is not None and user.roles.filter(role=Role.JURY).exists() and dossier.jury_passages.filter(
        session__members__user=user
    ).exists()


can_view_dossier = is_oemm | is_dossier_candidate | is_dossier_organisme | is_dossier_entreprise | is_dossier_jury

rules.add_perm("candidates.register_vae", is_candidat)
rules.add_perm("candidates.register_employee", is_entreprise)
rules.add_perm("candidates.view_dossier", can_view_dossier)
rules.add_perm("candidates.close_dossier", is_oemm)
rules.add_perm("candidates.list_dossiers", is_oemm)


# Entretien d'accueil et d'orientation (candidates/entretien.py).
# Conducted by the dossier's organisme; on the voie formative also by its entreprise.
# OEMM and everyone who sees the dossier read it; the candidate validates it.


@rules.predicate
def is_formation_dossier(user, dossier):
    return dossier is not None and dossier.path == "formation"


can_conduct_entretien = is_dossier_organisme | (is_formation_dossier & is_dossier_entreprise)

rules.add_perm("candidates.view_entretien", can_view_dossier)
rules.add_perm("candidates.conduct_entretien", can_conduct_entretien)
rules.add_perm("candidates.validate_entretien_as_candidate", is_dossier_candidate)
