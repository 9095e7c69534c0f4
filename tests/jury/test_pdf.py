"""The fiche de décision and the certificate: their PDF content, idempotent building, visible failures."""

import pytest
from django.core import mail
from django.urls import reverse

from jury import documents, workflow
from jury.enums import PdfStatus
from jury.models import Certificate, FicheDecision
from jury.tasks import task_build_fiche

from .conftest import all_units, at, pdf_text


def _sign(candidate, members, decisions, on_commit, **prescriptions):
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=decisions, **prescriptions)
    with at(2026, 11, 23, 11), on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    return fiche


def test_partial_fiche_pdf_contains_every_field(open_session_with, members, approved_centre, on_commit):
    session, (candidate,) = open_session_with(("spsp", "sante"))
    dossier = candidate.dossier
    fiche = _sign(
        candidate,
        members,
        all_units(candidate, except_numbers=[3]),
        on_commit,
        experience_to_deepen="Traiter des dossiers complexes en prévoyance",
        modules_to_follow="Module réglementation",
    )
    with fiche.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    expected = [
        "CPNEFP Mutualité",  # certifier header
        "Fiche de décision du jury",
        dossier.candidate.last_name.upper(),
        dossier.candidate.first_name,
        dossier.candidate.email,
        dossier.number,
        "Spécialiste prestations santé-prévoyance",
        "Santé",  # CQP and mention
        "version 1",  # référentiel version
        "23 novembre 2026",
        "255 rue de Vaugirard",  # session date and place
        "Présidence",
        "Fiche de décision du jury paritaire",
        "Représentant de l'UGEM (collège employeur)",
        "Représentant des syndicats de salariés",
        "CFDT",
        "CGT",
        "Validé",
        "Non validé",
        "Validation partielle",
        "23 novembre 2031",  # end of validity of validated units (5 years)
        "Traiter des dossiers complexes en prévoyance",
        "Module réglementation",
        "Institut de Formation Mutualiste",  # approved centre with a valid agrément
        "Le président du jury",
        "Signé électroniquement le 23 novembre 2026",
    ]
    for m in members.values():
        expected.append(m.last_name)
    missing = [e for e in expected if e not in text]
    assert not missing, (missing, text)
    assert "agrément échu" not in text
    assert fiche.pdf_status == PdfStatus.READY and fiche.pdf.name.endswith(f"fiche-decision-{dossier.number}-v1.pdf")


def test_gpac_units_are_valid_indefinitely(open_session_with, members, on_commit):
    session, (gpac,) = open_session_with(("gpac", None))
    fiche = _sign(gpac, members, all_units(gpac, except_numbers=[5]), on_commit, modules_to_follow="Bloc 5")
    with fiche.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "durée indéfinie" in text and "Gestionnaire parcours adhérents/clients" in text


def test_the_ucanss_fiche_has_its_header_jury_and_colleges(open_session_with, members, on_commit):
    session, (cos,) = open_session_with(("cos", None))
    fiche = _sign(cos, members, all_units(cos), on_commit)
    with fiche.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Ucanss" in text and "Validation totale" in text and "Conseiller offres de services" in text
    assert "jury professionnel" in text and "Représentant des employeurs" in text
    for mutualite_word in ("CPNEFP", "paritaire", "décret n° 2002-615"):
        assert mutualite_word not in text, mutualite_word


def test_validation_totale_makes_a_verifiable_certificate(open_session_with, members, on_commit, client):
    session, (candidate,) = open_session_with(("cmi", None))
    mail.outbox.clear()
    fiche = _sign(candidate, members, all_units(candidate), on_commit)
    certificate = Certificate.objects.get(fiche=fiche)
    with certificate.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    name = candidate.dossier.candidate.get_full_name()
    assert name in text and "Conseiller(ère) mutualiste individuels" in text and certificate.code in text
    assert "23 novembre 2026" in text
    # The candidate receives the fiche and the certificate.
    assert len(mail.outbox) == 1
    assert {a[0] for a in mail.outbox[0].attachments} == {
        fiche.pdf_filename,
        f"certificat-{candidate.dossier.number}.pdf",
    }
    # Public verification page: name, CQP and date only.
    client.logout()
    response = client.get(f"/verifier/{certificate.code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert name in body and "Conseiller(ère) mutualiste individuels" in body and "23 novembre 2026" in body
    assert candidate.dossier.candidate.email not in body and candidate.dossier.number not in body
    assert client.get("/verifier/code-inconnu/").status_code == 404


def test_building_twice_gives_one_document_and_one_mail(open_session_with, members, on_commit, settings, tmp_path):
    session, (candidate,) = open_session_with(("cos", None))
    fiche = _sign(candidate, members, all_units(candidate, except_numbers=[1]), on_commit, modules_to_follow="Module 1")
    name = fiche.pdf.name
    mail.outbox.clear()
    with on_commit():
        task_build_fiche.delay(fiche_id=fiche.pk)
        task_build_fiche.delay(fiche_id=fiche.pk)
    fiche.refresh_from_db()
    assert fiche.pdf.name == name
    folder = tmp_path / "private" / "jury" / "fiches"
    assert [p.name for p in folder.iterdir()] == [name.rsplit("/", 1)[-1]]
    assert mail.outbox == []  # already mailed once at signature
    assert task_build_fiche(fiche_id=987654) is None  # a vanished fiche: nothing, quietly


def test_a_failure_is_visible_to_oemm_and_can_be_retried(
    open_session_with, members, oemm, on_commit, client, monkeypatch
):
    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))

    def broken(_fiche):
        raise OSError("police introuvable")

    monkeypatch.setattr("jury.pdf.build_fiche_pdf", broken)
    with on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])  # the enqueue failure does not undo the signature
    fiche.refresh_from_db()
    assert fiche.state == "signee" and fiche.pdf_status == PdfStatus.FAILED and "police introuvable" in fiche.pdf_error
    with pytest.raises(OSError):
        documents.deliver_fiche(fiche.pk)
    client.force_login(oemm)
    page = client.get(candidate.get_absolute_url()).content.decode()
    assert "échec de fabrication" in page and "police introuvable" in page
    monkeypatch.undo()
    with on_commit():
        client.post(reverse("jury:fiche_rebuild", kwargs={"pk": fiche.pk}))
    fiche.refresh_from_db()
    assert fiche.pdf_status == PdfStatus.READY and fiche.pdf and fiche.pdf_error == ""
    assert FicheDecision.objects.filter(session_candidate=candidate).count() == 1
