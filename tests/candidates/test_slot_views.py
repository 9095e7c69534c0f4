"""The pages of the créneaux (centre and candidate), outsiders refused with a 404; the reminder of the day before;
the next actions on both dashboards."""

import datetime as dt

from django.urls import reverse

from candidates.enums import SlotState
from candidates.models import EntretienSlot
from candidates.workflow import slots as service
from cqp.enums import ReminderKind, Role
from cqp.models import Reminder
from cqp.outbox_models import OutboundEmail
from pilotage import next_actions
from pilotage.reminders import send_reminders

from ..factories import OrganismeFactory, user_with_role
from .slot_support import PARIS, SLOT_AT


def test_centre_publishes_several_slots(client, slot_now, slot_staff, slot_centre):
    client.force_login(slot_staff)
    page = client.get(reverse("candidates:slots")).content.decode()
    assert "Créneaux d'entretien" in page and "Aucun créneau à venir" in page
    response = client.post(
        reverse("candidates:slots"),
        {"day": "2026-11-23", "times": "10:00, 14 h 30", "duration_minutes": "45", "place": "12 rue de la Paix"},
        follow=True,
    )
    page = response.content.decode()
    assert "2 créneaux publiés." in page
    assert "23 novembre 2026 à 10 h 00" in page and "23 novembre 2026 à 14 h 30" in page
    assert EntretienSlot.objects.filter(organisme=slot_centre).count() == 2


def test_bad_publish_input_gives_french_messages_and_keeps_what_was_typed(client, slot_now, slot_staff):
    client.force_login(slot_staff)
    response = client.post(
        reverse("candidates:slots"),
        {"day": "2026-11-23", "times": "10:00, midi", "duration_minutes": "45", "note": "Apportez un CV"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "« midi » n&#x27;est pas une heure" in page or "« midi » n'est pas une heure" in page
    assert (
        "Indiquez le lieu de l&#x27;entretien ou un lien" in page
        or "Indiquez le lieu de l'entretien ou un lien" in page
    )
    assert "Apportez un CV" in page and "10:00, midi" in page
    assert not EntretienSlot.objects.exists()


def test_centre_moves_and_cancels_with_confirmation(client, free_slot, slot_dossier, candidat, slot_staff):
    service.book(free_slot, slot_dossier, by=candidat)
    client.force_login(slot_staff)
    url = reverse("candidates:slot_move", args=[free_slot.pk])
    page = client.get(url).content.decode()
    assert "Message au candidat" in page
    response = client.post(url, {"day": "2026-11-24", "time": "11:00", "message": ""})
    assert "Écrivez un message au candidat" in response.content.decode()
    response = client.post(url, {"day": "2026-11-24", "time": "11:00", "message": "Salle fermée"})
    assert response.status_code == 302
    free_slot.refresh_from_db()
    assert free_slot.starts_at == dt.datetime(2026, 11, 24, 11, 0, tzinfo=PARIS) and free_slot.sequence == 1
    url = reverse("candidates:slot_cancel", args=[free_slot.pk])
    response = client.post(url, {"message": "Formateur absent"})
    assert "Cochez la case pour confirmer l&#x27;annulation" in response.content.decode()
    client.post(url, {"message": "Formateur absent", "confirm": "on"})
    free_slot.refresh_from_db()
    assert free_slot.state == SlotState.ANNULE


def test_other_centre_gets_404(client, free_slot):
    other = OrganismeFactory()
    client.force_login(user_with_role(Role.ORGANISME, organisme=other))
    assert client.get(reverse("candidates:slot_move", args=[free_slot.pk])).status_code == 404
    assert client.post(reverse("candidates:slot_cancel", args=[free_slot.pk]), {"confirm": "on"}).status_code == 404
    assert "12 rue de la Paix" not in client.get(reverse("candidates:slots")).content.decode()


def test_candidate_books_from_the_page(client, free_slot, slot_dossier, candidat):
    client.force_login(candidat)
    page = client.get(reverse("candidates:slot_booking")).content.decode()
    assert "Réserver mon entretien" in page and "23 novembre 2026 à 10 h 00" in page
    url = reverse("candidates:slot_book", args=[slot_dossier.number, free_slot.pk])
    assert "Confirmer la réservation" in client.get(url).content.decode()
    response = client.post(url, {})
    assert "Cochez la case pour confirmer la réservation." in response.content.decode()
    page = client.post(url, {"confirm": "on"}, follow=True).content.decode()
    assert "Votre entretien est réservé" in page and "Annuler ma réservation" in page
    assert OutboundEmail.objects.filter(key__startswith="entretien_slot_booked").count() == 2


def test_a_slot_taken_meanwhile_gives_a_french_message(client, free_slot, slot_dossier, candidat, other_candidat):
    from candidates import workflow
    from referentiels.models import Certification

    other = workflow.register_vae(
        candidate=other_candidat, certification=Certification.objects.get(code="gpac"), organisme=free_slot.organisme
    )
    service.book(free_slot, other, by=other_candidat)
    client.force_login(candidat)
    url = reverse("candidates:slot_book", args=[slot_dossier.number, free_slot.pk])
    page = client.post(url, {"confirm": "on"}, follow=True).content.decode()
    assert "vient d&#x27;être réservé par un autre candidat" in page


def test_outsiders_get_404(client, free_slot, slot_dossier, candidat, other_candidat):
    service.book(free_slot, slot_dossier, by=candidat)
    client.force_login(other_candidat)  # someone else's dossier
    for name in ("candidates:slot_book", "candidates:slot_booking_cancel"):
        url = reverse(name, args=[slot_dossier.number, free_slot.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "on"}).status_code == 404
    assert "12 rue de la Paix" not in client.get(reverse("candidates:slot_booking")).content.decode()
    # the candidate, on a slot of a centre that does not follow the dossier
    other_centre = OrganismeFactory()
    (elsewhere,) = service.publish(
        other_centre, by=user_with_role(Role.ORGANISME, organisme=other_centre), starts=[SLOT_AT], place="Là"
    )
    client.force_login(candidat)
    assert client.get(reverse("candidates:slot_book", args=[slot_dossier.number, elsewhere.pk])).status_code == 404


def test_roles(client, slot_now, candidat, slot_staff):
    client.force_login(candidat)
    assert client.get(reverse("candidates:slots")).status_code == 403
    client.force_login(slot_staff)
    assert client.get(reverse("candidates:slot_booking")).status_code == 403
    client.logout()
    assert client.get(reverse("candidates:slot_booking")).status_code == 302


def test_candidate_cancels_from_the_page(client, free_slot, slot_dossier, candidat):
    service.book(free_slot, slot_dossier, by=candidat)
    client.force_login(candidat)
    url = reverse("candidates:slot_booking_cancel", args=[slot_dossier.number, free_slot.pk])
    assert "Je confirme l&#x27;annulation de mon entretien" in client.get(url).content.decode()
    client.post(url, {"confirm": "on"})
    free_slot.refresh_from_db()
    assert free_slot.state == SlotState.LIBRE


def test_reminder_the_day_before_for_both_rearmed_by_a_move(free_slot, slot_dossier, candidat, slot_staff, slot_now):
    service.book(free_slot, slot_dossier, by=candidat)
    slot_now.move_to(dt.datetime(2026, 11, 21, 7, 0, tzinfo=PARIS))
    send_reminders()
    assert not Reminder.objects.filter(kind=ReminderKind.ENTRETIEN_SLOT).exists()  # two days before: nothing
    slot_now.move_to(dt.datetime(2026, 11, 22, 7, 0, tzinfo=PARIS))
    send_reminders()
    send_reminders()  # twice: once
    reminders = Reminder.objects.filter(kind=ReminderKind.ENTRETIEN_SLOT)
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([candidat.pk, slot_staff.pk])
    rows = OutboundEmail.objects.filter(key__startswith="reminder:entretien_slot")
    assert rows.count() == 2
    assert all("demain à 10 h" in r.subject for r in rows)
    assert "23 novembre 2026 à 10 h 00" in rows.get(to=[candidat.email]).text_body
    # moved to the 25th: reminded again on the 24th
    service.move(free_slot, by=slot_staff, starts_at=dt.datetime(2026, 11, 25, 9, 0, tzinfo=PARIS), message="Décalé")
    slot_now.move_to(dt.datetime(2026, 11, 24, 7, 0, tzinfo=PARIS))
    send_reminders()
    assert reminders.count() == 4
    assert set(reminders.values_list("due_date", flat=True)) == {dt.date(2026, 11, 23), dt.date(2026, 11, 25)}


def test_next_actions_on_both_dashboards(free_slot, slot_dossier, candidat, slot_centre, slot_staff):
    today = dt.date(2026, 11, 20)
    labels = [a.label for a in next_actions.candidate_dashboard(candidat, today)["actions"]]
    assert "Réservez votre entretien d'accueil" in labels
    service.book(free_slot, slot_dossier, by=candidat)
    labels = [a.label for a in next_actions.candidate_dashboard(candidat, today)["actions"]]
    assert "Entretien le 23 novembre 2026 à 10 h" in labels
    assert "Réservez votre entretien d'accueil" not in labels
    centre = [a.label for a in next_actions.centre_dashboard(slot_centre.pk, today)["actions"]]
    assert f"Entretien le 23 novembre 2026 à 10 h avec {candidat}" in centre


def test_a_cancelled_slot_is_refused_with_the_reason_and_stays_cancelled(client, free_slot, slot_staff):
    service.cancel(free_slot, by=slot_staff, message="")
    client.force_login(slot_staff)
    move = client.post(
        reverse("candidates:slot_move", args=[free_slot.pk]), {"day": "2026-11-25", "time": "9:00", "message": "x"}
    )
    cancel = client.post(reverse("candidates:slot_cancel", args=[free_slot.pk]), {"message": "x", "confirm": "on"})
    assert move.status_code == cancel.status_code == 200  # the form again, with the refusal: nothing changed
    assert "Un créneau annulé ne peut plus être déplacé." in move.content.decode()
    assert "Ce créneau est déjà annulé." in cancel.content.decode()
    free_slot.refresh_from_db()
    assert free_slot.state == SlotState.ANNULE and free_slot.starts_at == SLOT_AT
