"""Accompagnement VAE: the convention with an approved centre (request, terms, acceptance by both) and the comments.

The centre helps the candidate bring out their experience; it never writes in the livrets (seed 001 L550-551).

Life of a convention (``ConventionState``, table ``CONVENTION_TRANSITIONS`` in ``vae/enums.py``)::

    (none) --request_accompagnement--> proposee --set_terms, accept_convention (one party)--> proposee
    proposee --accept_convention (the second party)--> acceptee --add_comment--> acceptee
    proposee --cancel_convention--> annulee
"""

from django.db import transaction
from django.utils import timezone

from candidates.audit import record_event
from candidates.enums import Path
from candidates.models import Dossier
from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit
from cqp.transitions import check_transition

from .. import emails
from ..enums import CONVENTION_TRANSITIONS, CommentTarget
from ..models import AccompagnementComment, ConventionAccompagnement
from ..selectors import approved_centres, missing_terms

DATES_REVERSED = "La date de fin doit suivre la date de début."


def _audit(convention, *, by, name, label, from_state="", to_state="", comment="", data=None):
    record_event(
        convention.dossier,
        actor=by,
        action=f"accompagnement_{name}",
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data={"convention": convention.pk, "organisme": convention.organisme_id, **(data or {})},
    )


def _lock(convention) -> ConventionAccompagnement:
    return (
        ConventionAccompagnement.objects.select_for_update(of=("self",))
        .select_related("dossier", "organisme")
        .get(pk=convention.pk)
    )


def check_convention(convention, name) -> str:
    """The convention's table says whether ``name`` is allowed in its state."""
    return check_transition(
        CONVENTION_TRANSITIONS, name, convention.state, what="la convention", state_label=convention.get_state_display()
    )


@transaction.atomic
def request_accompagnement(dossier, *, by, organisme) -> ConventionAccompagnement:
    """The candidate chooses an approved centre: a convention is proposed to it."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.path != Path.VAE or not locked.is_open:
        raise WorkflowError("L'accompagnement VAE concerne les dossiers VAE en cours.")
    if not approved_centres(locked.certification).filter(pk=organisme.pk).exists():
        raise WorkflowError("Cet organisme n'est pas agréé pour ce CQP (ou son agrément n'est plus valable).")
    if ConventionAccompagnement.objects.open().filter(dossier=locked).exists():
        raise WorkflowError("Une convention d'accompagnement est déjà en cours pour ce dossier.")
    convention = ConventionAccompagnement.objects.create(dossier=locked, organisme=organisme, requested_by=by)
    _audit(
        convention, by=by, name="request", label=f"Accompagnement VAE demandé à {organisme}", to_state=convention.state
    )
    # The centre is told by its notification (in the app, and by e-mail at once or in its digest): notifications/.
    publish_on_commit(NotificationKind.ACCOMPAGNEMENT_REQUESTED, by=by, convention=convention.pk)
    return convention


@transaction.atomic
def set_terms(
    convention,
    *,
    by,
    nature,
    sessions_count,
    session_hours,
    start_on=None,
    end_on=None,
    planned_dates=(),
    jury_preparation=False,
    details="",
) -> ConventionAccompagnement:
    """The terms of the convention (nature, sessions, dates); changing them asks both parties to accept again."""
    locked = _lock(convention)
    check_convention(locked, "set_terms")
    if start_on and end_on and end_on < start_on:
        raise WorkflowError(DATES_REVERSED)
    locked.nature, locked.sessions_count, locked.session_hours = nature, sessions_count, session_hours
    locked.start_on, locked.end_on = start_on, end_on
    locked.planned_dates = [d.isoformat() for d in planned_dates]
    locked.jury_preparation, locked.details = jury_preparation, details
    locked.candidate_accepted_at = locked.organisme_accepted_at = None
    locked.organisme_accepted_by = None
    locked.save()
    _audit(
        locked,
        by=by,
        name="terms",
        label="Modalités de la convention d'accompagnement renseignées",
        data={"nature": nature, "sessions_count": sessions_count, "session_hours": str(session_hours)},
    )
    return locked


@transaction.atomic
def accept_convention(convention, *, by, party: str) -> ConventionAccompagnement:
    """One party accepts (party = "candidate" or "organisme"), timestamped; accepted by both, it takes effect."""
    locked = _lock(convention)
    target = check_convention(locked, "accept")
    missing = missing_terms(locked)
    if missing:
        raise WorkflowError("La convention ne peut pas encore être acceptée : indiquez " + ", ".join(missing) + ".")
    now = timezone.now()
    if party == "candidate":
        if locked.candidate_accepted_at:
            raise WorkflowError("Vous avez déjà accepté cette convention.")
        locked.candidate_accepted_at = now
        label = "Convention d'accompagnement acceptée par le candidat"
    elif party == "organisme":
        if locked.organisme_accepted_at:
            raise WorkflowError("L'organisme a déjà accepté cette convention.")
        locked.organisme_accepted_at, locked.organisme_accepted_by = now, by
        label = f"Convention d'accompagnement acceptée par l'organisme ({locked.organisme})"
    else:
        raise WorkflowError("Partie inconnue.")
    previous = locked.state
    if locked.candidate_accepted_at and locked.organisme_accepted_at:
        locked.state = target
    locked.save()
    _audit(
        locked,
        by=by,
        name=f"accept_{party}",
        label=label,
        from_state=previous,
        to_state=locked.state,
        data={"at": now.isoformat()},
    )
    if locked.state == target:
        emails.send_accompagnement_accepted(locked)
    return locked


@transaction.atomic
def cancel_convention(convention, *, by, reason="") -> ConventionAccompagnement:
    """Withdraw a convention not yet accepted by both (the candidate may then choose another centre)."""
    locked = _lock(convention)
    target = check_convention(locked, "cancel")
    previous = locked.state
    locked.state = target
    locked.save()
    _audit(
        locked,
        by=by,
        name="cancel",
        label="Convention d'accompagnement annulée",
        from_state=previous,
        to_state=locked.state,
        comment=reason,
    )
    return locked


@transaction.atomic
def add_comment(convention, *, by, livret, text, unit=None) -> AccompagnementComment:
    """The accompagnateur comments a livret (general or one unit); the candidate reads it. Never a write in the
    livret.
    """
    locked = _lock(convention)
    check_convention(locked, "comment")
    if livret not in CommentTarget.values:
        raise WorkflowError("Livret inconnu.")
    if not (text or "").strip():
        raise WorkflowError("Écrivez votre commentaire.")
    if unit is not None and (livret != CommentTarget.LIVRET2 or unit.version_id != locked.dossier.version_id):
        raise WorkflowError("Unité inconnue pour ce livret.")
    return AccompagnementComment.objects.create(
        convention=locked, livret=livret, unit=unit, text=text.strip(), author=by
    )
