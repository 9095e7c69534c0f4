"""The public verification page: a certificate checked by its code, typed in a form or in the address."""

import datetime

import pytest
from django.urls import reverse

from jury.models import Certificate, FicheDecision

from .conftest import at, planned_session, ready_dossier

VERIFY = reverse("verification:verify_document")


@pytest.fixture
def certificate(referentiels, oemm):
    with at(2026, 9, 1):
        dossier = ready_dossier("cos", by=oemm)
        session = planned_session(by=oemm, codes=["cos"], dossiers=[dossier])
    fiche = FicheDecision.objects.create(session_candidate=session.candidates.get())
    return Certificate.objects.create(dossier=dossier, fiche=fiche, issued_on=datetime.date(2026, 11, 23))


def test_the_page_has_a_labelled_code_field(client, db):
    body = client.get(VERIFY).content.decode()
    assert 'for="id_code"' in body and "Code de vérification" in body
    assert 'name="document"' in body  # the PDF check is still there


def test_a_known_code_leads_to_the_certificate(client, certificate):
    response = client.post(VERIFY, {"code": f"  {certificate.code} "})
    assert response.status_code == 302 and response.url == certificate.get_verification_url()
    assert "Ce certificat est authentique" in client.get(response.url).content.decode()


def test_the_whole_address_pasted_is_accepted(client, certificate):
    response = client.post(VERIFY, {"code": f"https://cqp.example/verifier/{certificate.code}/"})
    assert response.status_code == 302 and response.url == certificate.get_verification_url()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez le code de vérification."),
        ("abc", "Ce code n&#x27;a pas le bon format"),
        ("code avec espaces é", "Ce code n&#x27;a pas le bon format"),
        ("<script>alert(1)</script>", "Ce code n&#x27;a pas le bon format"),
    ],
)
def test_a_malformed_code_is_refused_in_french(client, db, typed, message):
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "<script>alert" not in body


def test_an_unknown_typed_code_gets_the_sites_own_404(client, db):
    response = client.post(VERIFY, {"code": "InconnuInconnu123"})
    assert response.status_code == 404
    body = response.content.decode()
    assert "Aucun document ne correspond à ce code" in body and "Page introuvable" not in body
    assert 'name="code"' in body and "CQP Mutualité" in body  # a new try, in the site's layout


def test_an_unknown_code_in_the_address_gets_the_same_page(client, db):
    response = client.get(reverse("verification:verify", kwargs={"code": "code-devine"}))
    assert response.status_code == 404
    assert "Aucun document ne correspond à ce code" in response.content.decode()


def test_a_logged_in_person_sees_the_same_pages(client, certificate, candidat):
    client.force_login(candidat)
    assert client.post(VERIFY, {"code": certificate.code}).status_code == 302
    assert client.post(VERIFY, {"code": "InconnuInconnu123"}).status_code == 404
