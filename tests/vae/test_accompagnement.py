"""Accompagnement VAE: an approved centre, a convention with its terms, accepted by both (timestamped, audited)."""

import datetime as dt

import pytest
from django.urls import reverse

from cqp.exceptions import WorkflowError
from vae.enums import ConventionState
from vae.models import ConventionAccompagnement
from vae.selectors import approved_centres
from vae.workflow import accompagnement

from ..factories import OrganismeFactory
from .livret2_support import accept_convention, approved_centre


def test_only_centres_approved_for_the_cqp_with_a_valid_agrement(recevable_dossier, centre):
    expired = approved_centre()
    expired.agrement_to = dt.date(2020, 12, 31)
    expired.save()
    other_cqp = approved_centre("gpac")
    unlisted = OrganismeFactory()
    centres = list(approved_centres(recevable_dossier.certification))
    assert centre in centres and expired not in centres and other_cqp not in centres and unlisted not in centres
    for organisme in (expired, other_cqp, unlisted):
        with pytest.raises(WorkflowError, match="agréé"):
            accompagnement.request_accompagnement(
                recevable_dossier, by=recevable_dossier.candidate, organisme=organisme
            )


def test_terms_are_needed_before_acceptance_and_changing_them_resets_it(
    recevable_dossier, candidat, accompagnateur, centre
):
    convention = accompagnement.request_accompagnement(recevable_dossier, by=candidat, organisme=centre)
    with pytest.raises(WorkflowError, match="nature"):
        accompagnement.accept_convention(convention, by=candidat, party="candidate")
    accompagnement.set_terms(
        convention,
        by=accompagnateur,
        nature="telephone",
        sessions_count=6,
        session_hours=2,
        planned_dates=[dt.date(2026, 9, 2)],
    )
    convention = accompagnement.accept_convention(convention, by=candidat, party="candidate")
    assert convention.candidate_accepted_at and convention.state == ConventionState.PROPOSEE
    convention = accompagnement.set_terms(
        convention,
        by=accompagnateur,
        nature="face_a_face",
        sessions_count=4,
        session_hours=3,
        start_on=dt.date(2026, 9, 1),
        end_on=dt.date(2026, 10, 1),
    )
    assert convention.candidate_accepted_at is None
    with pytest.raises(WorkflowError, match="fin"):
        accompagnement.set_terms(
            convention,
            by=accompagnateur,
            nature="mixte",
            sessions_count=1,
            session_hours=1,
            start_on=dt.date(2026, 9, 1),
            end_on=dt.date(2026, 8, 1),
        )


def test_one_open_convention_per_dossier_and_comments_only_once_accepted(
    recevable_dossier, candidat, accompagnateur, centre
):
    convention = accompagnement.request_accompagnement(recevable_dossier, by=candidat, organisme=centre)
    with pytest.raises(WorkflowError, match="déjà"):
        accompagnement.request_accompagnement(recevable_dossier, by=candidat, organisme=approved_centre())
    with pytest.raises(WorkflowError, match="acceptée"):
        accompagnement.add_comment(convention, by=accompagnateur, livret="livret1", text="Bien.")
    accompagnement.cancel_convention(convention, by=candidat)
    convention = accept_convention(recevable_dossier, candidat, accompagnateur)
    assert ConventionAccompagnement.objects.filter(dossier=recevable_dossier).count() == 2
    comment = accompagnement.add_comment(convention, by=accompagnateur, livret="livret1", text=" Bien. ")
    assert comment.text == "Bien."
    with pytest.raises(WorkflowError):
        accompagnement.cancel_convention(convention, by=candidat)


PAGE_ACCESS = {
    "candidat": 200,
    "oemm": 200,
    "accompagnateur": 200,
    "other_centre_user": 404,
    "other_candidat": 404,
    "entreprise_rh": 404,
}


@pytest.mark.parametrize("role, status", PAGE_ACCESS.items())
def test_who_sees_the_convention(client, request, recevable_dossier, candidat, accompagnateur, role, status):
    accept_convention(recevable_dossier, candidat, accompagnateur)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("vae:accompagnement", args=[recevable_dossier.number])).status_code == status


def test_only_the_centre_sets_terms_and_only_the_parties_accept(
    client, recevable_dossier, candidat, accompagnateur, centre, oemm
):
    accompagnement.request_accompagnement(recevable_dossier, by=candidat, organisme=centre)
    number = recevable_dossier.number
    terms = {
        "nature": "mixte",
        "sessions_count": "6",
        "session_hours": "2",
        "start_on": "2026-09-01",
        "end_on": "2026-11-30",
    }
    for user in (candidat, oemm):
        client.force_login(user)
        assert client.post(reverse("vae:accompagnement_terms", args=[number]), terms).status_code == 403
    client.force_login(oemm)
    assert client.post(reverse("vae:accompagnement_accept", args=[number])).status_code == 403
    client.force_login(accompagnateur)
    response = client.post(
        reverse("vae:accompagnement_terms", args=[number]), {**terms, "end_on": "", "planned_dates": ""}
    )
    assert response.status_code == 200 and "Indiquez le début et la fin" in response.content.decode()


def test_the_candidate_sees_the_empty_state_and_the_centres(client, recevable_dossier, candidat, centre):
    client.force_login(candidat)
    text = client.get(reverse("vae:accompagnement", args=[recevable_dossier.number])).content.decode()
    assert "Choisir un organisme accompagnateur" in text and centre.name in text
    client.get(reverse("vae:accompagnements"))  # candidates have no centre list
    assert client.get(reverse("vae:accompagnements")).status_code == 403


def test_the_convention_machine_refuses_moves_its_table_does_not_allow(
    recevable_dossier, candidat, accompagnateur, centre
):
    """CONVENTION_TRANSITIONS through the workflow: once accepted, terms, acceptance and cancelling are refused with the
    convention's state; once cancelled, nothing but a new request."""
    accepted = accept_convention(recevable_dossier, candidat, accompagnateur)
    assert accepted.state == ConventionState.ACCEPTEE
    refused = "Action impossible : la convention est « Acceptée par le candidat et l'organisme »."
    for move in (
        lambda: accompagnement.set_terms(
            accepted, by=accompagnateur, nature="mixte", sessions_count=1, session_hours=1
        ),
        lambda: accompagnement.accept_convention(accepted, by=candidat, party="candidate"),
        lambda: accompagnement.cancel_convention(accepted, by=candidat),
    ):
        with pytest.raises(WorkflowError) as exc:
            move()
        assert str(exc.value) == refused
    event = recevable_dossier.events.get(action="accompagnement_accept_candidate")
    assert (event.from_state, event.to_state) == (ConventionState.PROPOSEE, ConventionState.ACCEPTEE)

    ConventionAccompagnement.objects.filter(pk=accepted.pk).update(state=ConventionState.ANNULEE)
    with pytest.raises(WorkflowError) as exc:
        accompagnement.accept_convention(accepted, by=accompagnateur, party="organisme")
    assert str(exc.value) == "Action impossible : la convention est « Annulée »."
    with pytest.raises(WorkflowError) as exc:
        accompagnement.add_comment(accepted, by=accompagnateur, livret="livret1", text="Bien.")
    assert str(exc.value) == "Les commentaires sont possibles une fois la convention acceptée par les deux parties."
