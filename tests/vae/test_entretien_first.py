"""The entretien d'accueil before the livret 1, per certification (``rules.entretien_before_livret1``, contradictions 9
and 10): Mutualité CQPs (seeds 001, 002, 003) ask the entretien validated first; Ucanss (seed 004) does not."""

import html

import pytest
from django.urls import reverse

from candidates import workflow as dossier_workflow
from candidates.entretien_forms import EntretienForm
from candidates.entretien_sheet import build_sheet
from cqp.exceptions import WorkflowError
from referentiels.models import Certification
from vae import rules, workflow
from vae.enums import Livret1State

from ..candidates.test_entretien_workflow import entretien_data
from ..factories import validated_entretien
from .conftest import complete, cqp, mention_for


def page(response) -> str:
    return html.unescape(response.content.decode())


def bare_dossier(candidate, code, organisme=None):
    """A VAE dossier just registered: no entretien yet."""
    return dossier_workflow.register_vae(
        candidate=candidate, certification=cqp(code), mention=mention_for(code), organisme=organisme
    )


@pytest.mark.parametrize("code, expected", [("spsp", True), ("cmi", True), ("gpac", True), ("cos", False)])
def test_the_rule_is_data_of_each_certification(referentiels, code, expected):
    assert Certification.objects.get(code=code).current_version.entretien_before_livret1 is expected


@pytest.mark.parametrize("code", ["spsp", "cmi", "gpac"])
def test_mutualite_livret1_is_refused_until_the_entretien_is_validated(referentiels, candidat, code):
    dossier = bare_dossier(candidat, code)
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat)
    with pytest.raises(WorkflowError) as exc:
        workflow.submit_livret1(livret, by=candidat)
    assert str(exc.value) == rules.ENTRETIEN_TO_BOOK
    livret.refresh_from_db()
    assert livret.state == Livret1State.BROUILLON
    validated_entretien(dossier)
    assert workflow.submit_livret1(livret, by=candidat).state == Livret1State.SOUMIS


def test_ucanss_livret1_needs_no_entretien(referentiels, candidat):
    dossier = bare_dossier(candidat, "cos")
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat)
    assert workflow.submit_livret1(livret, by=candidat).state == Livret1State.SOUMIS


def test_an_entretien_under_way_or_awaiting_the_candidate_still_blocks(
    referentiels, candidat, organisme, organisme_staff
):
    dossier = bare_dossier(candidat, "gpac", organisme)
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat)
    form = EntretienForm(entretien_data(dossier, orientation="vae"), sheet=build_sheet(dossier), user=organisme_staff)
    assert form.is_valid(), form.error_lines()
    entretien = dossier_workflow.save_entretien(dossier, by=organisme_staff, data=form.get_data())
    assert workflow.entretien_first_reason(livret) == rules.ENTRETIEN_TO_BOOK
    dossier_workflow.validate_as_interviewer(entretien, by=organisme_staff)
    with pytest.raises(WorkflowError, match="Relisez et validez votre entretien"):
        workflow.submit_livret1(livret, by=candidat)
    dossier_workflow.validate_as_candidate(entretien, by=candidat)
    assert workflow.submit_livret1(livret, by=candidat).state == Livret1State.SOUMIS


def test_the_send_page_says_it_and_offers_no_sending(client, referentiels, candidat):
    dossier = bare_dossier(candidat, "spsp")
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat)
    client.force_login(candidat)
    url = reverse("vae:livret1_submit", args=[dossier.number])
    content = page(client.get(url))
    assert rules.ENTRETIEN_TO_BOOK in content
    assert 'name="confirm"' not in content
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert rules.ENTRETIEN_TO_BOOK in page(response)
    livret.refresh_from_db()
    assert livret.state == Livret1State.BROUILLON


def test_the_candidate_is_told_to_book_the_entretien_first(client, referentiels, candidat):
    dossier = bare_dossier(candidat, "spsp")
    client.force_login(candidat)
    content = page(client.get(dossier.get_absolute_url()))
    assert "Prenez rendez-vous pour votre entretien d'accueil" in content
    assert "Remplir et envoyer votre livret 1" not in content
    validated_entretien(dossier)
    content = page(client.get(dossier.get_absolute_url()))
    assert "Remplir et envoyer votre livret 1" in content
