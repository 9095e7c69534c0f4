"""Transitions of the créneaux of the entretien d'accueil (issue 21): publish, book, move, cancel, cancel a booking.

Life of a slot (``SlotState``, table ``SLOT_TRANSITIONS`` in ``candidates/enums.py``)::

    (none) --publish--> libre --book--> reserve --cancel_booking (candidate, before the slot)--> libre
    libre | reserve --move (centre: new time, message to the candidate)--> same state, SEQUENCE + 1
    libre | reserve --cancel (centre, message to the candidate)--> annule

Race-safety: ``book`` locks the dossier's row first (one active booking per dossier), then the slot's row
(``select_for_update``): two candidates on one slot, the second waits, then finds it « réservé » and gets a French
message. The unique constraint ``slot_one_active_booking_per_dossier`` backs the dossier's lock.

Audit: each change is a history row of the slot (simple-history: who, when, the reason « de … vers … : message ») and,
when a dossier is concerned, a row of the dossier's audit trail (``DossierEvent``: who, when, from, to, why).
E-mails with their .ics are outbox rows written in the same transaction (``candidates/slot_emails.py``).
"""

import uuid

from django.db import transaction
from django.utils import timezone

from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit
from cqp.templatetags.french import datetime_fr
from cqp.transitions import check_transition

from .. import slot_emails
from .. import slot_rules as R
from ..audit import record_event
from ..enums import SLOT_TRANSITIONS, SlotState
from ..models import Dossier, Entretien, EntretienSlot

MAX_SLOTS_AT_ONCE = 20


def _check(slot, name) -> str:
    return check_transition(SLOT_TRANSITIONS, name, slot.state, what="ce créneau", state_label=slot.get_state_display())


def allowed_organisme_ids(dossier) -> list[int]:
    """The centres the dossier books with (``slot_rules`` decision): its own, or those agreed for its CQP."""
    if dossier.organisme_id:
        return [dossier.organisme_id]
    return list(dossier.certification.organismes.values_list("pk", flat=True))


def active_booking(dossier):
    return EntretienSlot.objects.filter(booked_by=dossier, state=SlotState.RESERVE).select_related("organisme").first()


def entretien_state(dossier) -> str:
    return Entretien.objects.filter(dossier=dossier).values_list("state", flat=True).first() or ""


def _save(slot, *, by, reason, fields):
    slot._history_user = by
    slot._change_reason = reason[:100]
    slot.save(update_fields=fields)


def _audit(dossier, slot, *, by, action, label, from_state, to_state, comment="", data=None):
    record_event(
        dossier,
        actor=by,
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data={"slot": slot.pk, "starts_at": slot.starts_at.isoformat(), **(data or {})},
    )


def _check_place(place, video_url):
    refusal = R.place_refusal(place, video_url)
    if refusal:
        raise WorkflowError(refusal)


@transaction.atomic
def publish(organisme, *, by, starts, duration_minutes=60, place="", video_url="", note="", now=None):
    """One slot per start (at most MAX_SLOTS_AT_ONCE), all in the future, each with a place or a video link."""
    now = now or timezone.now()
    starts = sorted(set(starts))
    if not starts:
        raise WorkflowError("Indiquez au moins une date et une heure.")
    if len(starts) > MAX_SLOTS_AT_ONCE:
        raise WorkflowError(f"Publiez au plus {MAX_SLOTS_AT_ONCE} créneaux à la fois.")
    if any(start <= now for start in starts):
        raise WorkflowError(R.IN_THE_PAST)
    _check_place(place, video_url)
    slots = []
    for start in starts:
        slot = EntretienSlot(
            organisme=organisme,
            starts_at=start,
            duration_minutes=duration_minutes,
            place=place.strip(),
            video_url=video_url.strip(),
            note=note.strip(),
            created_by=by,
        )
        slot._history_user = by
        slot._change_reason = f"publié : {datetime_fr(start)}"[:100]
        slot.save()
        slots.append(slot)
    return slots


@transaction.atomic
def book(slot, dossier, *, by, now=None) -> EntretienSlot:
    """The candidate books ``slot`` for ``dossier`` (race-safe: the dossier, then the slot, locked)."""
    now = now or timezone.now()
    if dossier.candidate_id != by.pk:
        raise WorkflowError("Seul le candidat réserve son entretien d'accueil.")
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).select_related("certification", "candidate").get(pk=dossier.pk)
    )
    slot = EntretienSlot.objects.select_for_update(of=("self",)).select_related("organisme").get(pk=slot.pk)
    from_state = slot.state
    target = _check(slot, "book")
    refusal = R.booking_refusal(
        dossier_state=dossier.state,
        entretien_state=entretien_state(dossier),
        has_active_booking=active_booking(dossier) is not None,
        slot_starts_at=slot.starts_at,
        slot_organisme_id=slot.organisme_id,
        allowed_organisme_ids=allowed_organisme_ids(dossier),
        now=now,
    )
    if refusal:
        raise WorkflowError(refusal)
    slot.state, slot.booked_by, slot.booked_at = target, dossier, now
    slot.uid, slot.sequence, slot.message = f"entretien-{slot.pk}-{uuid.uuid4().hex[:12]}@cqp-mutualite", 0, ""
    _save(
        slot,
        by=by,
        reason=f"réservé pour le dossier {dossier.number}",
        fields=["state", "booked_by", "booked_at", "uid", "sequence", "message"],
    )
    if dossier.organisme_id is None:
        # The centre the candidate chose runs the entretien: it becomes the dossier's centre (it may then open the
        # dossier and conduct the entretien), recorded in the dossier's history.
        dossier.organisme = slot.organisme
        dossier.save(update_fields=["organisme"])
        record_event(
            dossier,
            actor=by,
            action="choose_organisme",
            label=f"Organisme de formation choisi en réservant l'entretien : {slot.organisme}",
            data={"organisme": slot.organisme_id},
        )
    _audit(
        dossier,
        slot,
        by=by,
        action="book_entretien",
        label=f"Entretien d'accueil réservé le {datetime_fr(slot.starts_at)} ({slot.organisme})",
        from_state=from_state,
        to_state=target,
    )
    slot_emails.send_booked(slot, dossier)
    publish_on_commit(NotificationKind.ENTRETIEN_BOOKED, by=by, slot=slot.pk, dossier=dossier.pk)
    return slot


def _lock_slot(slot):
    return (
        EntretienSlot.objects.select_for_update(of=("self",))
        .select_related("organisme", "booked_by__candidate", "booked_by__certification")
        .get(pk=slot.pk)
    )


@transaction.atomic
def move(slot, *, by, starts_at, message="", now=None) -> EntretienSlot:
    """The centre moves a slot to ``starts_at``; booked: a message to the candidate, and the .ics again (same UID,
    SEQUENCE + 1)."""
    now = now or timezone.now()
    slot = _lock_slot(slot)
    _check(slot, "move")
    dossier = slot.booked_by if slot.state == SlotState.RESERVE else None
    refusal = R.change_refusal(booked=dossier is not None, message=message)
    if refusal:
        raise WorkflowError(refusal)
    if starts_at <= now:
        raise WorkflowError(R.IN_THE_PAST)
    if starts_at == slot.starts_at:
        raise WorkflowError("Choisissez une autre date ou une autre heure que celle du créneau.")
    previous = slot.starts_at
    slot.starts_at, slot.message = starts_at, message.strip()
    slot.sequence += 1
    reason = f"déplacé du {datetime_fr(previous)} au {datetime_fr(starts_at)}"
    _save(slot, by=by, reason=reason, fields=["starts_at", "message", "sequence"])
    if dossier is not None:
        _audit(
            dossier,
            slot,
            by=by,
            action="move_entretien",
            label=f"Entretien d'accueil {reason}",
            from_state=slot.state,
            to_state=slot.state,
            comment=slot.message,
            data={"previous": previous.isoformat()},
        )
        slot_emails.send_moved(slot, dossier, previous_start=previous)
    return slot


@transaction.atomic
def cancel(slot, *, by, message="") -> EntretienSlot:
    """The centre cancels a slot (for good); booked: a message to the candidate and the METHOD:CANCEL .ics."""
    slot = _lock_slot(slot)
    from_state = slot.state
    target = _check(slot, "cancel")
    dossier = slot.booked_by if slot.state == SlotState.RESERVE else None
    refusal = R.change_refusal(booked=dossier is not None, message=message)
    if refusal:
        raise WorkflowError(refusal)
    slot.state, slot.message = target, message.strip()
    slot.sequence += 1
    _save(slot, by=by, reason="annulé par l'organisme", fields=["state", "message", "sequence"])
    if dossier is not None:
        _audit(
            dossier,
            slot,
            by=by,
            action="cancel_entretien",
            label=f"Entretien d'accueil du {datetime_fr(slot.starts_at)} annulé par l'organisme",
            from_state=from_state,
            to_state=target,
            comment=slot.message,
        )
        slot_emails.send_cancelled(slot, dossier, by_candidate=False)
    return slot


@transaction.atomic
def cancel_booking(slot, *, by, now=None) -> EntretienSlot:
    """The candidate cancels their booking before the slot: the slot is free again; the METHOD:CANCEL .ics to both."""
    now = now or timezone.now()
    slot = _lock_slot(slot)
    dossier = slot.booked_by
    if dossier is None or dossier.candidate_id != by.pk:
        raise WorkflowError("Vous n'avez pas de réservation sur ce créneau.")
    from_state = slot.state
    target = _check(slot, "cancel_booking")
    refusal = R.cancel_refusal(slot_starts_at=slot.starts_at, now=now)
    if refusal:
        raise WorkflowError(refusal)
    slot.sequence += 1
    slot_emails.send_cancelled(slot, dossier, by_candidate=True)  # the .ics names the booking (its UID) before reset
    slot.state, slot.booked_by, slot.booked_at, slot.message = target, None, None, ""
    _save(
        slot,
        by=by,
        reason=f"réservation du dossier {dossier.number} annulée par le candidat",
        fields=["state", "booked_by", "booked_at", "message", "sequence"],
    )
    _audit(
        dossier,
        slot,
        by=by,
        action="cancel_entretien_booking",
        label=f"Réservation de l'entretien d'accueil du {datetime_fr(slot.starts_at)} annulée par le candidat",
        from_state=from_state,
        to_state=target,
    )
    publish_on_commit(NotificationKind.ENTRETIEN_BOOKED, by=by, slot=slot.pk, dossier=dossier.pk)
    return slot
