"""Pages of the créneaux of the entretien d'accueil (thin: fetch, check, call candidates.workflow.slots, answer).

The centre: « Créneaux d'entretien » (its upcoming slots, publish, move, cancel). The candidate: « Réserver mon
entretien » (free future slots of the centres their dossier books with, book, see and cancel their booking).
Access: anonymous → login; without the role → 403; a slot of another centre, a dossier of someone else, a slot the
dossier may not book → 404.
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.permissions import require_perm

from . import slot_rules
from .enums import SlotState
from .models import Dossier, EntretienSlot
from .slot_forms import CancelForm, ConfirmBookingForm, MoveForm, PublishForm
from .workflow import slots as service


def _organisme(user):
    membership = user.roles.select_related("organisme").filter(role=Role.ORGANISME).first()
    if membership is None or membership.organisme is None:
        raise PermissionDenied("Vous n'avez pas accès à cette page.")
    return membership.organisme


def _centre_slot(request, pk):
    slot = get_object_or_404(EntretienSlot.objects.select_related("organisme", "booked_by__candidate"), pk=pk)
    if not rules.has_perm("candidates.change_entretien_slot", request.user, slot):
        raise Http404
    return slot


@require_perm("candidates.manage_entretien_slots")
def slots(request):
    """The centre's upcoming slots and the form to publish some."""
    organisme = _organisme(request.user)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            published = service.publish(
                organisme,
                by=request.user,
                starts=data["starts"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
                note=data["note"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            n = len(published)
            messages.success(request, f"{n} créneau{'x' if n > 1 else ''} publié{'s' if n > 1 else ''}.")
            return redirect("candidates:slots")
    upcoming = (
        EntretienSlot.objects.filter(organisme=organisme, starts_at__gte=timezone.now())
        .exclude(state=SlotState.ANNULE)
        .select_related("booked_by__candidate", "booked_by__certification")
    )
    return render(request, "candidates/slots.html", {"organisme": organisme, "form": form, "slots": upcoming})


@require_perm("candidates.manage_entretien_slots")
def slot_move(request, pk):
    slot = _centre_slot(request, pk)
    booked = slot.state == SlotState.RESERVE
    form = MoveForm(request.POST if request.method == "POST" else None, booked=booked)
    if request.method == "POST" and form.is_valid():
        try:
            service.move(
                slot, by=request.user, starts_at=form.cleaned_data["starts_at"], message=form.cleaned_data["message"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Créneau déplacé." + (" Le candidat en est informé." if booked else ""))
            return redirect("candidates:slots")
    return render(request, "candidates/slot_change.html", {"slot": slot, "form": form, "title": "Déplacer le créneau"})


@require_perm("candidates.manage_entretien_slots")
def slot_cancel(request, pk):
    slot = _centre_slot(request, pk)
    booked = slot.state == SlotState.RESERVE
    form = CancelForm(request.POST if request.method == "POST" else None, booked=booked)
    if request.method == "POST" and form.is_valid():
        try:
            service.cancel(slot, by=request.user, message=form.cleaned_data["message"])
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Créneau annulé." + (" Le candidat en est informé." if booked else ""))
            return redirect("candidates:slots")
    return render(request, "candidates/slot_change.html", {"slot": slot, "form": form, "title": "Annuler le créneau"})


# ------------------------------------------------------------------------------------------------ the candidate


def _own_dossier(request, number):
    return get_object_or_404(
        Dossier.objects.select_related("certification", "organisme"), number=number, candidate=request.user
    )


def booking_sections(user, now):
    """Per dossier of the candidate at the booking step (or holding a booking): its booking, or the free slots."""
    sections = []
    for dossier in Dossier.objects.filter(candidate=user).select_related("certification", "organisme"):
        booking = service.active_booking(dossier)
        if booking is None and not slot_rules.may_book(dossier.state, service.entretien_state(dossier)):
            continue
        free = []
        if booking is None:
            free = list(
                EntretienSlot.objects.free(now)
                .filter(organisme_id__in=service.allowed_organisme_ids(dossier))
                .select_related("organisme")[:60]
            )
        sections.append({"dossier": dossier, "booking": booking, "free": free})
    return sections


@require_perm("candidates.book_entretien")
def slot_booking(request):
    return render(request, "candidates/slot_booking.html", {"sections": booking_sections(request.user, timezone.now())})


@require_perm("candidates.book_entretien")
def slot_book(request, number, pk):
    """Confirmation, then the booking. A slot taken meanwhile: back to the list with a French message."""
    dossier = _own_dossier(request, number)
    slot = get_object_or_404(
        EntretienSlot.objects.select_related("organisme"),
        pk=pk,
        organisme_id__in=service.allowed_organisme_ids(dossier),
    )
    form = ConfirmBookingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service.book(slot, dossier, by=request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Votre entretien est réservé : l'invitation vous est envoyée par e-mail.")
        return redirect("candidates:slot_booking")
    return render(
        request,
        "candidates/slot_book.html",
        {"slot": slot, "dossier": dossier, "form": form, "title": "Réserver ce créneau", "cancel": False},
    )


@require_perm("candidates.book_entretien")
def slot_booking_cancel(request, number, pk):
    dossier = _own_dossier(request, number)
    slot = get_object_or_404(EntretienSlot.objects.select_related("organisme"), pk=pk, booked_by=dossier)
    form = ConfirmBookingForm(
        request.POST if request.method == "POST" else None,
        submit_label="Annuler ma réservation",
        confirm_label="Je confirme l'annulation de mon entretien",
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.cancel_booking(slot, by=request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Votre réservation est annulée : vous pouvez choisir un autre créneau.")
        return redirect("candidates:slot_booking")
    return render(
        request,
        "candidates/slot_book.html",
        {"slot": slot, "dossier": dossier, "form": form, "title": "Annuler ma réservation", "cancel": True},
    )
