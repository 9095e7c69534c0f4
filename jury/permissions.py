"""Who may do what with jury sessions (django-rules predicates).

Access to a session goes through ``JurySession.objects.visible_to(user)`` (outsiders get a 404);
these predicates decide what a person may do once they see it.
"""

import rules

from candidates.permissions import can_conduct_entretien
from cqp.exceptions import WorkflowError
from cqp.permissions import is_jury, is_oemm
from cqp.transitions import allows

from .enums import FICHE_TRANSITIONS, SESSION_TRANSITIONS, FicheState


@rules.predicate
def is_session_member(user, session):
    return session is not None and session.members.filter(user=user).exists()


@rules.predicate
def is_session_planned(user, session):
    return session is not None and allows(SESSION_TRANSITIONS, "plan", session.state)


@rules.predicate
def is_session_open(user, session):
    return session is not None and allows(SESSION_TRANSITIONS, "close_session", session.state)


@rules.predicate
def is_candidate_member(user, session_candidate):
    return session_candidate is not None and is_session_member(user, session_candidate.session)


@rules.predicate
def has_conflict(user, session_candidate):
    return session_candidate is not None and user.pk in session_candidate.conflicted_user_ids()


@rules.predicate
def may_deliberate(user, session_candidate):
    """The workflow's own rule (session in séance, member, no conflict, not absent, fiche not signed)."""
    from .workflow import check_may_deliberate

    if session_candidate is None:
        return False
    try:
        check_may_deliberate(session_candidate.session, session_candidate, user)
    except WorkflowError:
        return False
    return True


@rules.predicate
def candidate_fiche_open(user, session_candidate):
    fiche = session_candidate.current_fiche if session_candidate is not None else None
    return session_candidate is not None and (
        fiche is None or allows(FICHE_TRANSITIONS, "declare_conflict", fiche.state)
    )


@rules.predicate
def is_fiche_signatory(user, fiche):
    from .workflow import signatory_problem

    return (
        fiche is not None
        and allows(FICHE_TRANSITIONS, "sign_fiche", fiche.state)
        and signatory_problem(fiche, user) is None
    )


@rules.predicate
def is_fiche_candidate(user, fiche):
    return (
        fiche is not None
        and fiche.session_candidate.dossier.candidate_id == user.pk
        and fiche.state != FicheState.BROUILLON
    )


@rules.predicate
def is_fiche_jury(user, fiche):
    return fiche is not None and is_session_member(user, fiche.session_candidate.session)


@rules.predicate
def is_fiche_signed(user, fiche):
    return fiche is not None and allows(FICHE_TRANSITIONS, "correct_fiche", fiche.state)


rules.add_perm("jury.list_sessions", is_oemm | is_jury)
rules.add_perm("jury.manage_sessions", is_oemm)
rules.add_perm("jury.view_session", is_oemm | is_session_member)
rules.add_perm("jury.edit_session", is_oemm & is_session_planned)
rules.add_perm("jury.open_session", is_oemm & is_session_planned)
rules.add_perm("jury.close_session", is_oemm & is_session_open)
rules.add_perm("jury.declare_conflict", is_candidate_member & ~has_conflict & candidate_fiche_open)
rules.add_perm("jury.deliberate", may_deliberate)
rules.add_perm("jury.sign_fiche", is_fiche_signatory)
rules.add_perm("jury.correct_fiche", is_oemm & is_fiche_signed)
rules.add_perm("jury.download_fiche", is_oemm | is_fiche_jury | is_fiche_candidate)
rules.add_perm("jury.view_my_jury", rules.is_authenticated)
rules.add_perm("jury.present_missing_units", is_oemm)


# Target units of a dossier (issue 17): the OEMM, and the centre that conducts the entretien d'accueil (the dossier's
# organisme; on the voie formative also its entreprise). Whether they still may is jury.targets.lock_reason's.
rules.add_perm("jury.choose_targets", is_oemm | can_conduct_entretien)
