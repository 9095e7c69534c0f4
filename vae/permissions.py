"""Who may do what with a livret 1 and the pieces (django-rules predicates).

Access to the dossier itself first goes through candidates.selectors.get_dossier_for
(outsiders get a 404); these predicates refine it.
"""

import rules

from candidates.enums import TRANSITIONS as DOSSIER_TRANSITIONS
from candidates.enums import Path
from candidates.permissions import is_dossier_candidate, is_dossier_organisme
from cqp.enums import Role
from cqp.permissions import is_oemm, is_organisme
from cqp.transitions import allows

from .enums import CONVENTION_TRANSITIONS, LIVRET2_TRANSITIONS, TRANSITIONS
from .page_cache import ACTIVE_LIVRETS1, OPEN_CONVENTIONS, prefetched


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
    return (
        livret is not None
        and livret.is_active
        and allows(TRANSITIONS, "save_draft", livret.state)
        and livret.dossier.is_open
    )


@rules.predicate
def livret_awaits_decision(user, livret):
    return livret is not None and livret.is_active and allows(TRANSITIONS, "declare_recevable", livret.state)


@rules.predicate
def livret_is_expired(user, livret):
    return livret is not None and livret.is_active and livret.is_expired() and livret.dossier.is_open


@rules.predicate
def dossier_can_start_livret1(user, dossier):
    return (
        dossier.path == Path.VAE
        and allows(DOSSIER_TRANSITIONS, "start_livret1", dossier.state)
        and not _has_active_livret1(dossier)
    )


def _has_active_livret1(dossier) -> bool:
    """From the livrets the dossier page read already (vae/page_cache.py), else one query."""
    cached = prefetched(dossier, ACTIVE_LIVRETS1)
    return bool(cached) if cached is not None else dossier.livrets1.filter(is_active=True).exists()


@rules.predicate
def piece_is_deletable(user, piece):
    return piece.livret1 is not None and livret_is_editable(user, piece.livret1)


@rules.predicate
def piece_is_to_replace(user, piece):
    return piece.livret1 is not None and piece.to_replace and livret_awaits_decision(user, piece.livret1)


@rules.predicate
def piece_awaits_verdict(user, piece):
    return piece.livret1 is not None and livret_awaits_decision(user, piece.livret1)


@rules.predicate
def is_accompagnateur_of(user, obj):
    """A member of the centre of the dossier's accepted convention d'accompagnement (reads and comments, never
    writes).
    """
    from .models import ConventionAccompagnement

    return (
        obj is not None
        and ConventionAccompagnement.objects.accepted().of_organisme_member(user).filter(dossier=_dossier(obj)).exists()
    )


@rules.predicate
def is_session_member_of(user, obj):
    """A member of a jury session the dossier is placed in: read through the dossier's jury passages (a relation the
    jury app declares), so that vae does not import jury, the app above it."""
    return obj is not None and _dossier(obj).jury_passages.filter(session__members__user=user).exists()


# Seeing the livret 1 and its pieces: the candidate, OEMM, the dossier's organisme, the accompagnateur (read-only).
can_view_livret = is_vae_dossier & (is_oemm | is_candidate_of | is_organisme_of | is_accompagnateur_of)
can_start_livret = is_candidate_of & dossier_can_start_livret1
can_edit_livret = is_candidate_of & livret_is_editable
can_decide = is_oemm & livret_awaits_decision
can_renew = is_candidate_of & livret_is_expired
can_delete_piece = is_candidate_of & piece_is_deletable

rules.add_perm("vae.view_livret1", can_view_livret)
# The printed livret 1 (the cerfa the candidate signed): its readers, and the jury of the candidate's session.
rules.add_perm("vae.print_livret1", can_view_livret | (is_vae_dossier & is_session_member_of))
rules.add_perm("vae.start_livret1", can_start_livret)
rules.add_perm("vae.edit_livret1", can_edit_livret)
rules.add_perm("vae.decide_livret1", can_decide)
rules.add_perm("vae.renew_livret1", can_renew)
rules.add_perm("vae.delete_piece", can_delete_piece)
rules.add_perm("vae.judge_piece", is_oemm & piece_awaits_verdict)
rules.add_perm("vae.replace_piece", is_candidate_of & piece_is_to_replace)
rules.add_perm("vae.view_queue", is_oemm)
rules.add_perm("vae.list_accompagnements", is_organisme)  # the centre's conventions page


# ---------------------------------------------------------------- livret 2 (dossier VAE)


def _livret2(obj):
    from .models import Livret2

    if isinstance(obj, Livret2):
        return obj
    return Livret2.objects.filter(dossier=_dossier(obj)).first() if obj is not None else None


@rules.predicate
def livret2_is_submitted(user, obj):
    livret = _livret2(obj)
    return livret is not None and livret.is_submitted


@rules.predicate
def livret2_is_editable(user, livret):
    return livret is not None and allows(LIVRET2_TRANSITIONS, "save_draft", livret.state) and livret.dossier.is_open


@rules.predicate
def livret2_awaits_receipt(user, livret):
    return livret is not None and allows(LIVRET2_TRANSITIONS, "acknowledge", livret.state)


@rules.predicate
def dossier_can_start_livret2(user, dossier):
    from .livret2_structure import can_start

    return can_start(dossier)


# Confidential (seed 000 L139): the candidate, OEMM, the accompagnateur, and once sent the members of the
# candidate's jury session. Not the employer, not other centres, not other juries.
can_view_livret2 = is_vae_dossier & (
    is_oemm | is_candidate_of | is_accompagnateur_of | (livret2_is_submitted & is_session_member_of)
)
can_start_livret2 = is_candidate_of & dossier_can_start_livret2
can_edit_livret2 = is_candidate_of & livret2_is_editable
can_acknowledge_livret2 = is_oemm & livret2_awaits_receipt

rules.add_perm("vae.view_livret2", can_view_livret2)
rules.add_perm("vae.start_livret2", can_start_livret2)
rules.add_perm("vae.edit_livret2", can_edit_livret2)
rules.add_perm("vae.acknowledge_livret2", can_acknowledge_livret2)


# ---------------------------------------------------------------- accompagnement VAE


@rules.predicate
def is_centre_of_convention(user, convention):
    return (
        convention is not None and user.roles.filter(role=Role.ORGANISME, organisme_id=convention.organisme_id).exists()
    )


@rules.predicate
def is_centre_of_open_convention(user, dossier):
    from .models import ConventionAccompagnement

    if dossier is None:
        return False
    dossier = _dossier(dossier)
    cached = prefetched(dossier, OPEN_CONVENTIONS)  # the dossier page's (with the person's roles, read with them)
    if cached is not None:
        centres = {r.organisme_id for r in user.roles.all() if r.role == Role.ORGANISME}
        return any(convention.organisme_id in centres for convention in cached)
    return ConventionAccompagnement.objects.open().of_organisme_member(user).filter(dossier=dossier).exists()


@rules.predicate
def convention_is_proposed(user, convention):
    return (
        convention is not None
        and allows(CONVENTION_TRANSITIONS, "set_terms", convention.state)
        and convention.dossier.is_open
    )


@rules.predicate
def convention_is_accepted(user, convention):
    return convention is not None and allows(CONVENTION_TRANSITIONS, "comment", convention.state)


@rules.predicate
def candidate_has_not_accepted(user, convention):
    return convention is not None and convention.candidate_accepted_at is None


@rules.predicate
def organisme_has_not_accepted(user, convention):
    return convention is not None and convention.organisme_accepted_at is None


@rules.predicate
def dossier_can_request_accompagnement(user, dossier):
    return dossier.path == Path.VAE and dossier.is_open and not _has_open_convention(dossier)


def _has_open_convention(dossier) -> bool:
    """From the open conventions the dossier page read already (vae/page_cache.py), else one query."""
    from .models import ConventionAccompagnement

    cached = prefetched(dossier, OPEN_CONVENTIONS)
    return (
        bool(cached) if cached is not None else ConventionAccompagnement.objects.open().filter(dossier=dossier).exists()
    )


can_view_accompagnement = is_vae_dossier & (is_oemm | is_candidate_of | is_centre_of_open_convention)

rules.add_perm("vae.view_accompagnement", can_view_accompagnement)
rules.add_perm("vae.request_accompagnement", is_candidate_of & dossier_can_request_accompagnement)
rules.add_perm("vae.set_convention_terms", is_centre_of_convention & convention_is_proposed)
rules.add_perm(
    "vae.accept_convention_as_candidate", is_candidate_of & convention_is_proposed & candidate_has_not_accepted
)
rules.add_perm(
    "vae.accept_convention_as_organisme", is_centre_of_convention & convention_is_proposed & organisme_has_not_accepted
)
rules.add_perm("vae.cancel_convention", (is_candidate_of | is_centre_of_convention) & convention_is_proposed)
rules.add_perm("vae.comment_livrets", is_centre_of_convention & convention_is_accepted)
