"""Booking the entretien d'accueil in a real browser: the centre publishes a créneau, the candidate (own browser
context) books it; both invitation e-mails carry the .ics. Screenshots of both pages at 1366 and 390 px."""

import datetime as dt
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from candidates import workflow
from cqp.enums import Role
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role


def _ics(message):
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    name, content, mimetype = attachment
    data = content if isinstance(content, bytes) else content.encode()
    return mimetype, Calendar.from_ical(data)


def test_centre_publishes_and_candidate_books(site, referentiels, actor, shot, axe):
    centre = OrganismeFactory(name="Centre Mutualité Sud", contact_email="contact@sud.example.org")
    centre.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=centre)
    candidat = user_with_role(Role.CANDIDAT)
    candidat.first_name, candidat.last_name = "Camille", "Martin"
    candidat.save()
    dossier = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=centre
    )
    day = timezone.localdate() + dt.timedelta(days=10)

    centre_page = actor(staff.email)
    centre_page.goto(reverse("candidates:slots"))
    centre_page.get_by_text("Aucun créneau à venir").wait_for()
    centre_page.get_by_label("Jour").fill(day.isoformat())
    centre_page.get_by_label("Heures de début").fill("10:00, 14:30")
    centre_page.get_by_label("Lieu (adresse)").fill("8 rue des Lilas, 13001 Marseille")
    centre_page.get_by_role("button", name="Publier les créneaux").click()
    centre_page.get_by_text("2 créneaux publiés.").wait_for()
    assert centre_page.locator("article.slot-card").count() == 2
    shot(centre_page, "creneaux-01-centre")
    axe(centre_page)

    candidate = actor(candidat.email)
    candidate.get_by_text("Réservez votre entretien d'accueil").wait_for()  # the dashboard's next action
    candidate.goto(reverse("candidates:slot_booking"))
    cards = candidate.locator("article.slot-card")
    cards.first.wait_for()
    assert cards.count() == 2
    shot(candidate, "creneaux-02-candidat")
    axe(candidate)
    cards.first.get_by_role("link", name=re.compile("Réserver")).click()
    candidate.get_by_label("Je réserve ce créneau pour mon entretien d'accueil").check()
    candidate.get_by_role("button", name="Confirmer la réservation").click()
    candidate.get_by_text("Votre entretien est réservé").wait_for()
    candidate.locator("article.booking-card").get_by_text("à 10 h 00").wait_for()
    shot(candidate, "creneaux-03-candidat-reserve")

    invitations = [m for m in mail.outbox if "entretien d'accueil le" in m.subject]
    assert sorted(m.to[0] for m in invitations) == sorted([candidat.email, staff.email])
    for message in invitations:
        mimetype, calendar = _ics(message)
        assert mimetype.startswith("text/calendar")
        assert calendar["method"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("dtstart").date() == day and event.decoded("dtstart").hour == 10
        assert str(event["location"]) == "8 rue des Lilas, 13001 Marseille"

    centre_page.reload()
    centre_page.get_by_text(f"Réservé par {candidat}").wait_for()
    centre_page.goto(reverse("dashboard_organisme"))
    centre_page.get_by_text(re.compile(r"Entretien le .* à 10 h avec Camille Martin")).wait_for()
    assert dossier.entretien_slots.count() == 1
