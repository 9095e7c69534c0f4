"""Personal data, wrong state: an action posted when the object is not in a state that allows it is refused with a
French message, nothing written (rows, audit events, e-mails), never a 500."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from cqp.models import DeletionRequest, DeletionRequestState
from pilotage import workflow as deletion_workflow

from ...jury.conftest import at
from .world import closed_dossier, messages_of, post_and_show, vae_dossier, written, zip_of

pytestmark = pytest.mark.django_db


def test_export_while_a_deletion_request_is_pending_writes_nothing(client, referentiels, candidat, on_commit):
    vae_dossier(candidat)
    deletion_workflow.request_deletion(candidat, reason="")
    client.force_login(candidat)  # (writes last_login)
    before = written()
    mail.outbox.clear()
    with on_commit():
        response = client.post(reverse("my_data_export"))
    assert (
        response.status_code == 200
        and json.loads(zip_of(response).read("donnees.json"))["deletion_requests"][0]["state"] == "demandee"
    )
    assert client.get(reverse("my_data_export")).status_code == 405
    assert written() == before and mail.outbox == []


def test_a_second_deletion_request_while_one_is_pending_is_refused(client, referentiels, candidat, oemm, on_commit):
    vae_dossier(candidat)
    deletion_workflow.request_deletion(candidat, reason="Première demande")
    before = written()
    mail.outbox.clear()
    client.force_login(candidat)
    for reason in ("Deuxième demande", "x" * 3000):  # the state refuses it, even with a reason the form would refuse
        with on_commit():
            response = post_and_show(client, reverse("my_deletion_request"), {"reason": reason})
        assert response.status_code == 302 and response["Location"] == reverse("my_data")
        assert messages_of(response) == ["Vous avez déjà une demande d'effacement en attente de traitement."]
    assert written() == before and mail.outbox == []
    assert "en attente de traitement" in client.get(reverse("my_data")).content.decode()


@pytest.mark.parametrize("first", ["accept", "refuse"])
def test_a_treated_request_cannot_be_accepted_or_refused_again(client, referentiels, candidat, oemm, on_commit, first):
    closed_dossier(candidat, oemm)
    request = deletion_workflow.request_deletion(candidat, reason="")
    if first == "accept":
        deletion_workflow.accept_deletion(request, by=oemm, answer="C'est fait.")
        label = "Traitée (données anonymisées)"
    else:
        deletion_workflow.refuse_deletion(request, by=oemm, answer="Contrôle en cours.")
        label = "Refusée"
    before = written()
    mail.outbox.clear()
    client.force_login(oemm)
    for name in ("oemm_deletion_request_accept", "oemm_deletion_request_refuse"):
        for data in (
            {"answer": "Encore"},
            {"answer": ""},
        ):  # an empty refusal is told the state, not « indiquez le motif »
            with on_commit():
                response = post_and_show(client, reverse(name, args=[request.pk]), data)
            assert response.status_code == 302 and response["Location"] == reverse(
                "oemm_deletion_request", args=[request.pk]
            )
            assert messages_of(response) == [f"Cette demande est déjà « {label} » : elle ne peut plus être traitée."]
    assert written() == before and mail.outbox == []
    page = client.get(reverse("oemm_deletion_request", args=[request.pk]))
    assert page.status_code == 200 and label in page.content.decode()


def test_accepting_while_a_dossier_is_open_writes_nothing(client, referentiels, candidat, oemm, on_commit):
    dossier = vae_dossier(candidat)
    request = deletion_workflow.request_deletion(candidat, reason="Je pars.")
    before = written()
    mail.outbox.clear()
    client.force_login(oemm)
    with on_commit():
        response = post_and_show(client, reverse("oemm_deletion_request_accept", args=[request.pk]), {"answer": "OK"})
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message.startswith("Anonymisation impossible tant qu'un dossier est en cours") and dossier.number in message
    assert written() == before and mail.outbox == []


def test_a_too_long_or_missing_answer_is_refused_with_the_right_message(
    client, referentiels, candidat, oemm, on_commit
):
    closed_dossier(candidat, oemm)
    request = deletion_workflow.request_deletion(candidat, reason="")
    before = written()
    mail.outbox.clear()
    client.force_login(oemm)
    cases = [
        (
            "oemm_deletion_request_accept",
            "x" * 2001,
            "Le message au candidat est trop long (2 000 caractères au plus).",
        ),
        (
            "oemm_deletion_request_refuse",
            "x" * 2001,
            "Le message au candidat est trop long (2 000 caractères au plus).",
        ),
        ("oemm_deletion_request_refuse", "   ", "Indiquez le motif du refus : il est envoyé au candidat."),
    ]
    for name, answer, expected in cases:
        with on_commit():
            response = post_and_show(client, reverse(name, args=[request.pk]), {"answer": answer})
        assert response.status_code == 302 and messages_of(response) == [expected]
    assert written() == before and mail.outbox == []


def test_an_unknown_deletion_request_is_a_404(client, db, oemm):
    client.force_login(oemm)
    for name in ("oemm_deletion_request", "oemm_deletion_request_accept", "oemm_deletion_request_refuse"):
        response = post_and_show(client, reverse(name, args=[999_999]), {"answer": "Non"})
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()
    assert not DeletionRequest.objects.exists() and mail.outbox == []


def test_anonymisation_at_retention_closes_the_pending_request(
    client, referentiels, candidat, oemm, settings, on_commit
):
    """Bug fixed: the request stayed « demandée » after the retention anonymisation; refusing it then mailed the
    erased address (anonyme-…@invalid) and recorded a refusal after the erasure."""
    settings.RETENTION_YEARS = 1
    with at(2025, 1, 10):
        closed_dossier(candidat, oemm)
        request = deletion_workflow.request_deletion(candidat, reason="Je pars.")
    with at(2026, 2, 1):
        client.force_login(oemm)
        response = post_and_show(client, reverse("oemm_retention_anonymise", args=[candidat.pk]))
        assert messages_of(response) == [f"Compte n° {candidat.pk} anonymisé."]
        request.refresh_from_db()
        assert request.state == DeletionRequestState.TRAITEE and request.treated_by == oemm and request.reason == ""
        assert request.answer == "Durée de conservation (1 ans) échue"
        before = written()
        mail.outbox.clear()
        with on_commit():
            response = post_and_show(
                client, reverse("oemm_deletion_request_refuse", args=[request.pk]), {"answer": "Non"}
            )
        assert messages_of(response) == [
            "Cette demande est déjà « Traitée (données anonymisées) » : elle ne peut plus être traitée."
        ]
        assert written() == before and mail.outbox == []
        # A request left pending by an earlier anonymisation is refused too, with no mail to the erased address.
        DeletionRequest.objects.filter(pk=request.pk).update(state=DeletionRequestState.DEMANDEE)
        before = written()
        for name in ("oemm_deletion_request_accept", "oemm_deletion_request_refuse"):
            with on_commit():
                response = post_and_show(client, reverse(name, args=[request.pk]), {"answer": "Non"})
            assert response.status_code == 302 and len(messages_of(response)) == 1
            assert "déjà anonymisées" in messages_of(response)[0]
        assert written() == before and mail.outbox == []


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymised", "Les données de cette personne sont déjà anonymisées."),
        (
            "recent",
            "La durée de conservation (1 ans) du compte n° {pk} n'est pas échue : il ne peut pas encore être "
            "anonymisé.",
        ),
        ("open", "Anonymisation impossible tant qu'un dossier est en cours"),
        ("jury_too", "Ce compte a aussi d'autres rôles (Membre de jury)"),
    ],
)
def test_retention_anonymise_refuses_a_candidate_not_due(client, retention_world, oemm, on_commit, who, expected):
    person = retention_world[who]
    before = written()
    mail.outbox.clear()
    client.force_login(oemm)
    with on_commit():
        response = post_and_show(client, reverse("oemm_retention_anonymise", args=[person.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("oemm_retention")
    (message,) = messages_of(response)
    assert message.startswith(expected.format(pk=person.pk))
    assert written() == before and mail.outbox == []


def test_retention_anonymise_of_an_unknown_or_non_candidate_account_is_a_404(
    client, retention_world, oemm, organisme_user
):
    before = written()
    client.force_login(oemm)
    for pk in (999_999, organisme_user.pk, oemm.pk):
        response = post_and_show(client, reverse("oemm_retention_anonymise", args=[pk]))
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()
    assert written() == before and mail.outbox == []
