"""Who may do what on a dossier (django-rules predicates)."""

import rules

from cqp.enums import EntrepriseFunction, Role
from cqp.permissions import is_candidat, is_entreprise_rh, is_oemm, is_organisme


@rules.predicate
def is_dossier_candidate(user, dossier):
    return dossier is not None and dossier.candidate_id == user.pk


def _roles(user):
    """The person's role rows, read once per request (prefetched by ``User.role_set``)."""
    if not user.is_authenticated:
        return []
    user.role_set  # noqa: B018  (prefetches the rows)
    return user.roles.all()


@rules.predicate
def is_dossier_organisme(user, dossier):
    return (
        dossier is not None
        and dossier.organisme_id is not None
        and any(r.role == Role.ORGANISME and r.organisme_id == dossier.organisme_id for r in _roles(user))
    )


@rules.predicate
def is_dossier_entreprise(user, dossier):
    return (
        dossier is not None
        and dossier.entreprise_id is not None
        and any(r.role == Role.ENTREPRISE and r.entreprise_id == dossier.entreprise_id for r in _roles(user))
    )


@rules.predicate
def is_dossier_jury(user, dossier):
    """A member of a jury session the dossier is in."""
    return (
        dossier is not None
        and any(r.role == Role.JURY for r in _roles(user))
        and dossier.jury_passages.filter(session__members__user=user).exists()
    )


can_view_dossier = is_oemm | is_dossier_candidate | is_dossier_organisme | is_dossier_entreprise | is_dossier_jury

rules.add_perm("candidates.register_vae", is_candidat)
rules.add_perm("candidates.register_employee", is_entreprise_rh)
rules.add_perm("candidates.view_dossier", can_view_dossier)
rules.add_perm("candidates.close_dossier", is_oemm)
rules.add_perm("candidates.list_dossiers", is_oemm)


# Entretien d'accueil et d'orientation (candidates/workflow/entretien.py).
# Conducted by the dossier's organisme; on the voie formative also by its entreprise.
# OEMM and everyone who sees the dossier read it; the candidate validates it.


@rules.predicate
def is_formation_dossier(user, dossier):
    return dossier is not None and dossier.path == "formation"


can_conduct_entretien = is_dossier_organisme | (is_formation_dossier & is_dossier_entreprise)

rules.add_perm("candidates.view_entretien", can_view_dossier)
rules.add_perm("candidates.conduct_entretien", can_conduct_entretien)
rules.add_perm("candidates.validate_entretien_as_candidate", is_dossier_candidate)


# Voie formative (candidates/workflow/formation.py, livret_evaluation.py): designations, livret de suivi, tutorat,
# livret d'évaluation finale.
# Everyone who sees a formative dossier reads all of it; each actor writes only their own part.


def _designation(dossier):
    from .models import FormationDesignation

    return FormationDesignation.objects.filter(dossier=dossier).only("tutor", "evaluator1", "evaluator2").first()


@rules.predicate
def is_dossier_rh(user, dossier):
    """The company's RH for this dossier: a member of its entreprise whose function is RH (or not specified)."""
    return (
        dossier is not None
        and dossier.entreprise_id is not None
        and user.roles.filter(
            role=Role.ENTREPRISE,
            entreprise_id=dossier.entreprise_id,
            entreprise_function__in=[EntrepriseFunction.RH, ""],
        ).exists()
    )


@rules.predicate
def is_dossier_tutor(user, dossier):
    designation = _designation(dossier) if dossier is not None else None
    return designation is not None and designation.tutor_id == user.pk


@rules.predicate
def is_dossier_evaluator1(user, dossier):
    designation = _designation(dossier) if dossier is not None else None
    return designation is not None and designation.evaluator1_id == user.pk


@rules.predicate
def is_dossier_evaluator2(user, dossier):
    designation = _designation(dossier) if dossier is not None else None
    return designation is not None and designation.evaluator2_id == user.pk


@rules.predicate
def keeps_livret_suivi(user, dossier):
    """The training centre keeps the livret de suivi; without an organisme, the company's RH does."""
    if dossier is None:
        return False
    if dossier.organisme_id:
        return is_dossier_organisme(user, dossier)
    return is_dossier_rh(user, dossier)


def is_evaluator(user, dossier, slot) -> bool:
    """Whether ``user`` is evaluator ``slot`` (1 or 2) of the dossier."""
    return bool(
        is_formation_dossier(user, dossier)
        and (is_dossier_evaluator1(user, dossier) if int(slot) == 1 else is_dossier_evaluator2(user, dossier))
    )


is_dossier_evaluator = is_dossier_evaluator1 | is_dossier_evaluator2
can_view_formation = is_formation_dossier & can_view_dossier

rules.add_perm("candidates.view_formation", can_view_formation)
rules.add_perm("candidates.designate_formation_actors", is_formation_dossier & is_dossier_rh)
rules.add_perm("candidates.keep_livret_suivi", is_formation_dossier & keeps_livret_suivi)
rules.add_perm("candidates.write_tutor_entries", is_formation_dossier & is_dossier_tutor)
rules.add_perm("candidates.write_livret_evaluation_candidate", is_formation_dossier & is_dossier_candidate)
rules.add_perm("candidates.assess_as_evaluator", is_formation_dossier & is_dossier_evaluator)
rules.add_perm("candidates.transmit_livret_evaluation", is_formation_dossier & is_dossier_rh)
rules.add_perm("candidates.mark_formation_ready_for_jury", is_formation_dossier & is_oemm)


# Créneaux of the entretien d'accueil (candidates/workflow/slots.py): the centre publishes, moves and cancels its own;
# the candidate books for their own dossier (which centres: candidates/slot_rules.py).


@rules.predicate
def is_slot_organisme(user, slot):
    return slot is not None and user.roles.filter(role=Role.ORGANISME, organisme_id=slot.organisme_id).exists()


rules.add_perm("candidates.manage_entretien_slots", is_organisme)
rules.add_perm("candidates.change_entretien_slot", is_slot_organisme)
rules.add_perm("candidates.book_entretien", is_candidat)
