"""The printable livret 1 (cerfa 12818*02): an official act of the dossier's certifier (PDF/A-3b, tagged, metadata)
with every field the candidate declared, the sworn statement with the certifier's texts and the record of the
electronic signature; its readers download it (the access matrix has every persona)."""

import datetime as dt
import io

import time_machine
from django.urls import reverse
from pypdf import PdfReader

from vae import workflow
from vae.pdf import build_livret1_pdf

from ..candidates.test_formation_pdf import assert_official, read_pdf
from .conftest import complete, make_dossier


def test_the_submitted_livret1_pdf_has_every_field(complete_livret, candidat):
    with time_machine.travel(dt.datetime(2026, 11, 20, 14, 5)):
        livret = workflow.submit_livret1(complete_livret, by=candidat)
    reader, text, xmp = read_pdf(build_livret1_pdf(livret))
    assert_official(reader, xmp, title="Livret 1 (cerfa 12818*02)", author="Ucanss")
    expected = [
        "Ucanss",
        "formation@ucanss.fr",  # the certifier's letterhead
        "Cerfa n° 12818*02",
        "Livret 1 — Demande de recevabilité",
        livret.dossier.number,
        "Première demande",
        "CQP Conseiller offres de services",
        "RNCP35543",
        "Martin",
        "Claire Anne",
        "Femme",
        "12 avril 1985",
        "Lyon (France)",
        "française",
        "3 rue des Lilas",
        "69003 Lyon",
        "06 12 34 56 78",
        "claire@exemple.fr",
        "En emploi salarié",
        "Conseillère, CPAM du Rhône",
        "Terminale",
        "BTS Assurance",
        "Conseillère offres de services",
        "CPAM du Rhône",
        "du 1er janvier 2020 à ce jour",
        "Accueil, information et orientation des assurés.",
        "Pièce d'identité",
        "cni.pdf",
        "attestation.pdf",
        # the sworn statement, with the Ucanss's own texts
        "Déclare sur l'honneur que les informations fournies sont exactes",
        "décret n° 2019-1119 du 31 octobre 2019",
        "arrêté du 29 janvier 2018",
        "Déclaration acceptée — fait à Lyon, le 20 novembre 2026",
        # the electronic signature record
        "Enregistrement de la signature électronique",
        candidat.get_full_name(),
        candidat.email,
        "20 novembre 2026 à",
        "décision attendue au plus tard le",
        "SHA-256",
    ]
    missing = [e for e in expected if e not in text]
    assert not missing, (missing, text)
    assert "2002-615" not in text and "CPNEFP" not in text


def test_a_mutualite_livret1_cites_the_mutualite_decree_and_a_draft_is_not_signed(referentiels, candidat, organisme):
    dossier = make_dossier(candidat, "spsp", organisme)
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat)
    reader, text, xmp = read_pdf(build_livret1_pdf(livret))
    assert reader.metadata.author == "CPNEFP Mutualité (OEMM)"
    assert "décret n° 2002-615 du 26 avril 2002" in text and "brouillon non envoyé" in text
    assert "pas encore été signé" in text and "SHA-256" not in text


def test_the_dossier_pages_link_the_printable_livret1(client, complete_livret, candidat):
    client.force_login(candidat)
    url = reverse("vae:livret1_pdf", args=[complete_livret.dossier.number, complete_livret.pk])
    assert url in client.get(complete_livret.dossier.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert PdfReader(io.BytesIO(response.content)).metadata.title.startswith("Livret 1")
