"""Accompagnement VAE: the convention with an approved centre (request, terms, acceptance by both) and the comments.

The centre helps the candidate bring out their experience; it never writes in the livrets (seed 001 L550-551).
"""

from django.db import transaction
from django.utils import timezone

from candidates.audit import record_event
from candidates.enums import Path
from cqp.exceptions import WorkflowError
from cqp.models import OrganismeFormation

from . import emails, livret2_rules
from .enums import CommentTarget, ConventionState
from .models import AccompagnementComment, ConventionAccompagnement

TERM_FIELDS = ["nature", "sessions_count", "session_hours", "start_on", "end_on", "planned_dates", "jury_preparation", "details"]


def approved_centres(certification, today=None):
    """Training centres approved for this CQP with an agrément valid today."""
    from django.db.models import Q

    today = today or timezone.localdate()
    return OrganismeFormation.objects.filter(certifications=certification).filter(
        Q(agrement_from__isnull=True) | Q(agrement_from__lte=today), Q(agrement_to__isnull=True) | Q(agrement_to__gte=today),
    ).order_by("name")


def _audit(convention, *, by, name, label, from_state="", to_state="", comment="", data=None):
    record_event(convention.dossier, actor=by, action=f"accompagnement_{name}", label=label, from_state=from_state,
                 to_state=to_state, comment=comment, data={"convention": convention.pk, "organisme": convention.organisme_id,
                                                           **(data or {})})


def _lock(convention) -> ConventionAccompagnement:
    return ConventionAccompagnement.objects.select_for_update(of=("self",)).select_related("dossier", "organisme").get(pk=convention.pk)


def _check_proposed(locked):
    if locked.state != ConventionState.PROPOSEE:
        raise WorkflowError(f"Action impossible : la convention est « {locked.get_state_display()} ».")


@transaction.atomic
def request_accompagnement(dossier, *, by, organisme) -> ConventionAccompagnement:
    """The candidate chooses an approved centre: a convention is proposed to it."""
    from candidates.models import Dossier

    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.path != Path.VAE or not locked.is_open:
        raise WorkflowError("L'accompagnement VAE concerne les dossiers VAE en cours.")
    if not approved_centres(locked.certification).filter(pk=organisme.pk).exists():
        raise WorkflowError("Cet organisme n'est pas agréé pour ce CQP (ou son agrément n'est plus valable).")
    if ConventionAccompagnement.objects.open().filter(dossier=locked).exists():
        raise WorkflowError("Une convention d'accompagnement est déjà en cours pour ce dossier.")
    convention = ConventionAccompagnement.objects.create(dossier=locked, organisme=organisme, requested_by=by)
    _audit(convention, by=by, name="request", label=f"Accompagnement VAE demandé à {organisme}", to_state=convention.state)
    emails.send_accompagnement_requested(convention)
    return convention


@transaction.atomic
def set_terms(convention, *, by, nature, sessions_count, session_hours, start_on=None, end_on=None, planned_dates=(),
              jury_preparation=False, details="") -> ConventionAccompagnement:
    """The terms of the convention (nature, sessions, dates); changing them asks both parties to accept again."""
    locked = _lock(convention)
    _check_proposed(locked)
    if start_on and end_on and end_on < start_on:
        raise WorkflowError("La date de fin doit suivre la date de début.")
    locked.nature, locked.sessions_count, locked.session_hours = nature, sessions_count, session_hours
    locked.start_on, locked.end_on = start_on, end_on
    locked.planned_dates = [d.isoformat() for d in planned_dates]
    locked.jury_preparation, locked.details = jury_preparation, details
    locked.candidate_accepted_at = locked.organisme_accepted_at = None
    locked.organisme_accepted_by = None
    locked.save()
    _audit(locked, by=by, name="terms", label="Modalités de la convention d'accompagnement renseignées",
           data={"nature": nature, "sessions_count": sessions_count, "session_hours": str(session_hours)})
    return locked


def missing_terms(convention) -> list[str]:
    return livret2_rules.convention_missing_terms(
        nature=convention.nature, sessions_count=convention.sessions_count, session_hours=convention.session_hours,
        start_on=convention.start_on, end_on=convention.end_on, planned_dates=convention.planned_dates,
    )


@transaction.atomic
def accept_convention(convention, *, by, party: str) -> ConventionAccompagnement:
    """One party accepts (party = "candidate" or "organisme"), timestamped; accepted by both, it takes effect."""
    locked = _lock(convention)
    _check_proposed(locked)
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
        locked.state = ConventionState.ACCEPTEE
    locked.save()
    _audit(locked, by=by, name=f"accept_{party}", label=label, from_state=previous, to_state=locked.state,
           data={"at": now.isoformat()})
    if locked.state == ConventionState.ACCEPTEE:
        emails.send_accompagnement_accepted(locked)
    return locked


@transaction.atomic
def cancel_convention(convention, *, by, reason="") -> ConventionAccompagnement:
    """Withdraw a convention not yet accepted by both (the candidate may then choose another centre)."""
    locked = _lock(convention)
    _check_proposed(locked)
    previous = locked.state
    locked.state = ConventionState.ANNULEE
    locked.save()
    _audit(locked, by=by, name="cancel", label="Convention d'accompagnement annulée", from_state=previous,
           to_state=locked.state, comment=reason)
    return locked


@transaction.atomic
def add_comment(convention, *, by, livret, text, unit=None) -> AccompagnementComment:
    """The accompagnateur comments a livret (general or one unit); the candidate reads it. Never a write in the livret."""
    locked = _lock(convention)
    if not locked.is_accepted:
        raise WorkflowError("Les commentaires sont possibles une fois la convention acceptée par les deux parties.")
    if livret not in CommentTarget.values:
        raise WorkflowError("Livret inconnu.")
    if not (text or "").strip():
        raise WorkflowError("Écrivez votre commentaire.")
    if unit is not None and (livret != CommentTarget.LIVRET2 or unit.version_id != locked.dossier.version_id):
        raise WorkflowError("Unité inconnue pour ce livret.")
    return AccompagnementComment.objects.create(convention=locked, livret=livret, unit=unit, text=text.strip(), author=by)
