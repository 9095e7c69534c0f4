"""Submitting the livret 1: refused with the list of what is missing, else received, deadline, acknowledgement."""

import datetime as dt
import html

import time_machine
from django.core import mail
from django.urls import reverse

from vae.enums import Livret1State

from .conftest import complete


def submit_url(livret):
    return reverse("vae:livret1_submit", args=[livret.dossier.number])


def test_submission_is_refused_with_the_missing_items_per_section(client, livret, candidat):
    client.force_login(candidat)
    page = html.unescape(client.get(submit_url(livret)).content.decode())
    assert "ne peut pas encore être envoyé" in page
    for expected in (
        "3. État civil",
        "Indiquez la date de naissance.",
        "4. Situation actuelle",
        "6. Expériences en rapport direct avec le CQP",
        "7. Déclaration sur l'honneur",
        "Cochez la déclaration sur l'honneur.",
        "8. Pièces justificatives",
        "Joignez une pièce d'identité.",
    ):
        assert expected in page
    assert "Nom de naissance" not in page or "Indiquez le nom de naissance." not in page  # prefilled from the account
    response = client.post(submit_url(livret), {"confirm": "on"})
    assert "Indiquez la date de naissance." in html.unescape(response.content.decode())
    livret.refresh_from_db()
    assert livret.state == Livret1State.BROUILLON


def test_submission_needs_the_confirmation(client, complete_livret, candidat):
    client.force_login(candidat)
    response = client.post(submit_url(complete_livret), {})
    assert "Cochez la case pour confirmer l'envoi." in html.unescape(response.content.decode())
    complete_livret.refresh_from_db()
    assert complete_livret.state == Livret1State.BROUILLON


@time_machine.travel(dt.datetime(2026, 12, 31, 10, 0), tick=False)
def test_submission_sets_received_date_deadline_and_sends_the_acknowledgement(
    client, complete_livret, candidat, on_commit
):
    client.force_login(candidat)
    with on_commit():
        response = client.post(submit_url(complete_livret), {"confirm": "on"})
    assert response.status_code == 302 and response.url == complete_livret.dossier.get_absolute_url()
    complete_livret.refresh_from_db()
    assert complete_livret.state == Livret1State.SOUMIS
    assert complete_livret.received_on == dt.date(2026, 12, 31)
    assert complete_livret.instruction_deadline == dt.date(2027, 2, 28)  # 2 months, month end clamped
    message = mail.outbox[-1]
    assert message.to == [candidat.email] and "Accusé de réception" in message.subject
    assert (
        "2 mois" in message.body and "28 février 2027" in message.body and "vaut décision d'acceptation" in message.body
    )
    event = complete_livret.dossier.events.last()
    assert (event.actor, event.from_state, event.to_state, event.label) == (
        candidat,
        "brouillon",
        "soumis",
        "Livret 1 envoyé",
    )
    # Read-only for the candidate afterwards, and the dossier page shows the deadline.
    page = html.unescape(client.get(reverse("vae:livret1", args=[complete_livret.dossier.number])).content.decode())
    assert 'id="livret1-form"' not in page and "Soumis, en cours d'instruction" in page
    page = html.unescape(client.get(complete_livret.dossier.get_absolute_url()).content.decode())
    assert "28 février 2027" in page and "Livret 1 envoyé" in page
    assert client.get(submit_url(complete_livret)).status_code == 403


def test_experience_below_the_minimum_is_warned_but_not_blocking(client, livret, candidat):
    from vae import workflow

    livret = complete(livret, candidat)
    exp = livret.experiences.get()
    exp.start = dt.date.today() - dt.timedelta(days=60)
    exp.save()
    client.force_login(candidat)
    page = html.unescape(client.get(submit_url(livret)).content.decode())
    assert "Il manque" in page and "risque d'être jugée non recevable" in page
    workflow.submit_livret1(livret, by=candidat)
