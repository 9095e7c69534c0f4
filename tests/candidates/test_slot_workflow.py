"""Créneaux of the entretien d'accueil: publish, book (race-safe), move, cancel; the e-mails and their .ics (parsed
with icalendar); the audit trail."""

import base64
import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from icalendar import Calendar

from candidates import workflow
from candidates.enums import SlotState
from candidates.models import DossierEvent, EntretienSlot
from candidates.workflow import slots as service
from cqp.enums import NotificationKind, Role
from cqp.exceptions import WorkflowError
from cqp.outbox import deliver
from cqp.outbox_models import OutboundEmail
from notifications.models import Notification
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role
from .slot_support import NOW, PARIS, SLOT_AT


def _rows(name):
    return list(OutboundEmail.objects.filter(key__startswith=name).order_by("pk"))


def _ics(row):
    (attachment,) = row.attachments
    calendar = Calendar.from_ical(base64.b64decode(attachment["content"]))
    (event,) = calendar.walk("VEVENT")
    return attachment, calendar, event


def test_publish_refuses_past_times_and_a_slot_without_place(slot_now, slot_centre, slot_staff):
    with pytest.raises(WorkflowError, match="à venir"):
        service.publish(slot_centre, by=slot_staff, starts=[NOW - dt.timedelta(hours=1)], place="Ici")
    with pytest.raises(WorkflowError, match="lieu de l'entretien ou un lien"):
        service.publish(slot_centre, by=slot_staff, starts=[SLOT_AT])
    slots = service.publish(
        slot_centre,
        by=slot_staff,
        starts=[SLOT_AT, SLOT_AT + dt.timedelta(hours=2)],
        video_url="https://visio.example.org/x",
    )
    assert [s.state for s in slots] == [SlotState.LIBRE, SlotState.LIBRE]
    assert slots[0].history.first().history_user == slot_staff


def test_booking_writes_both_invitations_with_the_ics(free_slot, slot_dossier, candidat, slot_staff, on_commit):
    with on_commit():
        service.book(free_slot, slot_dossier, by=candidat)
    free_slot.refresh_from_db()
    assert free_slot.state == SlotState.RESERVE and free_slot.booked_by == slot_dossier
    candidate_row, centre_row = _rows("entretien_slot_booked")
    assert candidate_row.to == [candidat.email]
    assert centre_row.to == [slot_staff.email]
    assert "23 novembre 2026 à 10 h 00" in candidate_row.subject
    attachment, calendar, event = _ics(candidate_row)
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == free_slot.uid and int(event["sequence"]) == 0
    assert event.decoded("dtstart") == SLOT_AT
    assert str(event["location"]) == "12 rue de la Paix, 75002 Paris"
    assert str(event["attendee"]) == f"mailto:{candidat.email}"
    # the audit: the dossier's trail and the slot's history (who, when, from, to)
    event_row = DossierEvent.objects.get(dossier=slot_dossier, action="book_entretien")
    assert (event_row.actor, event_row.from_state, event_row.to_state) == (candidat, "libre", "reserve")
    assert "23 novembre 2026 à 10 h 00" in event_row.label
    assert free_slot.history.first().history_user == candidat
    # the centre is notified
    assert Notification.objects.filter(kind=NotificationKind.ENTRETIEN_BOOKED, recipient=slot_staff).exists()


def test_the_sent_email_carries_a_text_calendar_part(free_slot, slot_dossier, candidat, on_commit):
    service.book(free_slot, slot_dossier, by=candidat)
    row = _rows("entretien_slot_booked")[0]
    assert deliver(row.pk, early=True) == "sent"
    message = mail.outbox[-1].message()
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "REQUEST"


def test_second_booking_of_the_same_slot_is_refused_in_french(free_slot, slot_dossier, candidat, other_candidat):
    service.book(free_slot, slot_dossier, by=candidat)
    other = workflow.register_vae(
        candidate=other_candidat,
        certification=Certification.objects.get(code="gpac"),
        organisme=free_slot.organisme,
    )
    with pytest.raises(WorkflowError, match="vient d'être réservé par un autre candidat"):
        service.book(free_slot, other, by=other_candidat)


def test_one_active_booking_per_dossier(free_slot, slot_dossier, candidat, slot_centre, slot_staff):
    (second,) = service.publish(slot_centre, by=slot_staff, starts=[SLOT_AT + dt.timedelta(days=1)], place="Ici")
    service.book(free_slot, slot_dossier, by=candidat)
    with pytest.raises(WorkflowError, match="déjà un entretien réservé"):
        service.book(second, slot_dossier, by=candidat)


def test_refusals(free_slot, slot_dossier, candidat, other_candidat, slot_now):
    with pytest.raises(WorkflowError, match="Seul le candidat"):
        service.book(free_slot, slot_dossier, by=other_candidat)
    other_centre = OrganismeFactory()
    (elsewhere,) = service.publish(
        other_centre, by=user_with_role(Role.ORGANISME, organisme=other_centre), starts=[SLOT_AT], place="Là"
    )
    with pytest.raises(WorkflowError, match="organisme qui ne suit pas votre dossier"):
        service.book(elsewhere, slot_dossier, by=candidat)
    slot_now.move_to(SLOT_AT + dt.timedelta(minutes=5))
    with pytest.raises(WorkflowError, match="Ce créneau est passé"):
        service.book(free_slot, slot_dossier, by=candidat)


def test_a_dossier_without_centre_books_with_a_centre_of_its_cqp(free_slot, slot_now, other_candidat):
    dossier = workflow.register_vae(candidate=other_candidat, certification=Certification.objects.get(code="gpac"))
    assert free_slot.organisme_id in service.allowed_organisme_ids(dossier)
    service.book(free_slot, dossier, by=other_candidat)
    dossier.refresh_from_db()
    assert dossier.organisme_id == free_slot.organisme_id  # the chosen centre runs the entretien
    assert dossier.events.filter(action="choose_organisme").count() == 1
    stranger = OrganismeFactory()  # agreed for no CQP
    assert stranger.pk not in service.allowed_organisme_ids(dossier)


def test_move_sends_the_same_uid_with_sequence_plus_one(free_slot, slot_dossier, candidat, slot_staff):
    service.book(free_slot, slot_dossier, by=candidat)
    with pytest.raises(WorkflowError, match="Écrivez un message au candidat"):
        service.move(free_slot, by=slot_staff, starts_at=SLOT_AT + dt.timedelta(days=1))
    later = dt.datetime(2026, 11, 24, 14, 30, tzinfo=PARIS)
    service.move(free_slot, by=slot_staff, starts_at=later, message="Salle indisponible le 23.")
    free_slot.refresh_from_db()
    first = _ics(_rows("entretien_slot_booked")[0])[2]
    candidate_row, centre_row = _rows("entretien_slot_moved")
    _, calendar, moved = _ics(candidate_row)
    assert calendar["method"] == "REQUEST"
    assert moved["uid"] == first["uid"] and int(moved["sequence"]) == 1
    assert moved.decoded("dtstart") == later
    assert "Salle indisponible le 23." in candidate_row.text_body
    assert (
        "23 novembre 2026 à 10 h 00" in candidate_row.text_body
        and "24 novembre 2026 à 14 h 30" in candidate_row.text_body
    )
    event = DossierEvent.objects.get(dossier=slot_dossier, action="move_entretien")
    assert event.actor == slot_staff and event.comment == "Salle indisponible le 23."
    assert event.data["previous"].startswith("2026-11-23T")


def test_centre_cancel_sends_method_cancel(free_slot, slot_dossier, candidat, slot_staff):
    service.book(free_slot, slot_dossier, by=candidat)
    with pytest.raises(WorkflowError, match="Écrivez un message"):
        service.cancel(free_slot, by=slot_staff)
    service.cancel(free_slot, by=slot_staff, message="Formateur absent.")
    free_slot.refresh_from_db()
    assert free_slot.state == SlotState.ANNULE
    candidate_row, _ = _rows("entretien_slot_cancelled")
    attachment, calendar, event = _ics(candidate_row)
    assert attachment["mimetype"] == "text/calendar; method=CANCEL"
    assert calendar["method"] == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == free_slot.uid and int(event["sequence"]) == 1
    assert "Formateur absent." in candidate_row.text_body
    with pytest.raises(WorkflowError, match="déjà annulé"):
        service.cancel(free_slot, by=slot_staff, message="encore")
    with pytest.raises(WorkflowError, match="annulé ne peut plus être déplacé"):
        service.move(free_slot, by=slot_staff, starts_at=SLOT_AT + dt.timedelta(days=2), message="x")


def test_a_free_slot_is_moved_or_cancelled_without_message_nor_mail(free_slot, slot_staff):
    service.move(free_slot, by=slot_staff, starts_at=SLOT_AT + dt.timedelta(hours=1))
    service.cancel(free_slot, by=slot_staff)
    assert not OutboundEmail.objects.filter(key__startswith="entretien_slot").exists()


def test_candidate_cancels_before_the_slot_and_the_slot_is_free_again(
    free_slot, slot_dossier, candidat, other_candidat, slot_now
):
    service.book(free_slot, slot_dossier, by=candidat)
    with pytest.raises(WorkflowError, match="pas de réservation"):
        service.cancel_booking(free_slot, by=other_candidat)
    service.cancel_booking(free_slot, by=candidat)
    free_slot.refresh_from_db()
    assert (free_slot.state, free_slot.booked_by) == (SlotState.LIBRE, None)
    rows = _rows("entretien_slot_cancelled")
    assert len(rows) == 2 and _ics(rows[0])[1]["method"] == "CANCEL"
    assert DossierEvent.objects.filter(dossier=slot_dossier, action="cancel_entretien_booking").exists()
    # booked again, then too late to cancel online
    service.book(free_slot, slot_dossier, by=candidat)
    slot_now.move_to(SLOT_AT)
    with pytest.raises(WorkflowError, match="ne peut plus être annulé en ligne"):
        service.cancel_booking(free_slot, by=candidat)


@pytest.mark.django_db(transaction=True)
def test_two_candidates_racing_for_one_slot_one_wins(referentiels, candidat, other_candidat):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL")
    centre = OrganismeFactory()
    centre.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=centre)
    gpac = Certification.objects.get(code="gpac")
    dossiers = [
        workflow.register_vae(candidate=c, certification=gpac, organisme=centre) for c in (candidat, other_candidat)
    ]
    (slot,) = service.publish(centre, by=staff, starts=[dt.datetime(2099, 1, 5, 10, 0, tzinfo=PARIS)], place="Ici")
    barrier = threading.Barrier(2)
    outcomes = []

    def run(dossier):
        from django.db import connections

        try:
            barrier.wait()
            service.book(slot, dossier, by=dossier.candidate)
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(d,)) for d in dossiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [
        "Ce créneau vient d'être réservé par un autre candidat : choisissez-en un autre.",
        "ok",
    ]
    assert EntretienSlot.objects.get(pk=slot.pk).state == SlotState.RESERVE
