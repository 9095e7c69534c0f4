"""The deletion request's transitions (RGPD art. 17): one function each; the table is DELETION_TRANSITIONS in
cqp/enums.py, checked by cqp.transitions.check_transition under a row lock."""

import logging

from django.db import transaction
from django.utils import timezone

from candidates.audit import record_event
from candidates.models import Dossier
from cqp.enums import DELETION_TRANSITIONS, Role
from cqp.exceptions import WorkflowError
from cqp.models import DeletionRequest, User
from cqp.transitions import check_transition

from .emails import send_deletion_refused, send_deletion_requested, send_deletion_treated
from .personal_data.anonymisation import anonymise_candidate, anonymise_refusal

logger = logging.getLogger(__name__)

ALREADY_PENDING = "Vous avez déjà une demande d'effacement en attente de traitement."


@transaction.atomic
def request_deletion(user, *, reason) -> DeletionRequest:
    """The candidate asks for the deletion of their data: one pending request at a time; OEMM is told."""
    User.objects.select_for_update().get(pk=user.pk)
    if not user.has_role(Role.CANDIDAT):
        raise WorkflowError("Seul un candidat peut demander l'effacement de ses données depuis cette page.")
    if DeletionRequest.objects.pending().filter(candidate=user).exists():
        raise WorkflowError(ALREADY_PENDING)
    request = DeletionRequest.objects.create(candidate=user, reason=(reason or "").strip())
    for dossier in Dossier.objects.filter(candidate=user):
        record_event(
            dossier,
            actor=user,
            action="deletion_requested",
            label="Demande d'effacement des données personnelles",
            from_state=dossier.state,
            to_state=dossier.state,
            data={"deletion_request": request.pk},
        )
    send_deletion_requested(request)
    logger.info("Demande d'effacement n° %s du compte %s", request.pk, user.pk)
    return request


def _lock(deletion_request, name) -> tuple[DeletionRequest, str]:
    """The request, locked, and the target of transition ``name`` (refused in French from another state)."""
    locked = DeletionRequest.objects.select_for_update().select_related("candidate").get(pk=deletion_request.pk)
    target = check_transition(
        DELETION_TRANSITIONS, name, locked.state, what="la demande", state_label=locked.get_state_display()
    )
    if locked.candidate.anonymised_at is not None:
        # Only for requests left pending before anonymisation closed them (anonymise_candidate): no mail to an
        # address that no longer exists, no refusal recorded after the erasure.
        raise WorkflowError("Les données de ce candidat sont déjà anonymisées : cette demande n'a plus d'objet.")
    return locked, target


@transaction.atomic
def accept_deletion(deletion_request, *, by, answer="") -> DeletionRequest:
    """OEMM anonymises the person now (refused with a French reason while a dossier is in progress)."""
    locked, target = _lock(deletion_request, "accept")
    candidate = locked.candidate
    refusal = anonymise_refusal(candidate)
    if refusal:
        raise WorkflowError(refusal)
    recipient = candidate.email  # read before anonymisation: the confirmation goes to the former address
    first_name = candidate.first_name
    anonymise_candidate(candidate, by=by, reason=f"Demande d'effacement n° {locked.pk}")
    locked.state, locked.treated_at, locked.treated_by = target, timezone.now(), by
    locked.answer = (answer or "").strip()
    locked.save(update_fields=["state", "treated_at", "treated_by", "answer"])
    send_deletion_treated(locked, recipient=recipient, first_name=first_name)
    return locked


@transaction.atomic
def refuse_deletion(deletion_request, *, by, answer) -> DeletionRequest:
    """OEMM refuses the request, with a reason given to the candidate (the state is checked first: a page left open
    while a colleague treated the request is refused for that)."""
    locked, target = _lock(deletion_request, "refuse")
    if not (answer or "").strip():
        raise WorkflowError("Indiquez le motif du refus : il est envoyé au candidat.")
    locked.state, locked.treated_at, locked.treated_by, locked.answer = target, timezone.now(), by, answer.strip()
    locked.save(update_fields=["state", "treated_at", "treated_by", "answer"])
    for dossier in Dossier.objects.filter(candidate=locked.candidate):
        record_event(
            dossier,
            actor=by,
            action="deletion_refused",
            label="Demande d'effacement refusée",
            from_state=dossier.state,
            to_state=dossier.state,
            comment=locked.answer,
            data={"deletion_request": locked.pk},
        )
    send_deletion_refused(locked)
    return locked
