"""The printable livrets of the voie formative (livret d'évaluation finale, livret de suivi): official documents of
the certifier (PDF/A-3b, tagged, metadata), every field in their text, reachable by those who read the dossier."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from candidates import workflow
from candidates.formation_pdf import build_livret_evaluation_pdf, build_livret_suivi_pdf
from cqp.enums import Role
from referentiels.enums import CriterionKind

from ..factories import user_with_role
from .formation_support import PARIS, criteria, fill_livret_evaluation, units_of


def read_pdf(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    return reader, text, xmp


def assert_official(reader, xmp, *, title, author):
    assert reader.metadata.title.startswith(title), reader.metadata.title
    assert reader.metadata.author == author
    assert reader.metadata.subject
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp  # PDF/A-3b
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged for accessibility
    assert root["/Lang"] == "fr"


@pytest.fixture
def evaluated(designated, candidat, manager, evaluator2):
    with time_machine.travel(dt.datetime(2027, 5, 21, 10, tzinfo=PARIS)):
        fill_livret_evaluation(designated, candidate=candidat, evaluator1=manager, evaluator2=evaluator2)
    return designated


@pytest.fixture
def followed(designated, organisme_staff, tutor):
    units = units_of(designated)
    with time_machine.travel(dt.datetime(2027, 2, 15, 10, tzinfo=PARIS)):
        workflow.save_livret_suivi(
            designated,
            by=organisme_staff,
            training_manager="Paul Formateur",
            modules=[
                {
                    "unit_id": u.pk,
                    "title": f"Module de l'unité {u.number}",
                    "hours": 40,
                    "start_on": dt.date(2027, 1, 10),
                    "end_on": dt.date(2027, 1, 20),
                    "content": "Cours et études de cas",
                }
                for u in units
            ],
        )
        first = units[0]
        workflow.save_evaluation_formative(
            designated,
            first,
            by=organisme_staff,
            data={
                "held_on": dt.date(2027, 2, 15),
                "result": "atteint",
                "trainer_name": "Claire Martin",
                "progress_objectives": "Consolider l'analyse des contrats collectifs",
                "ratings": {c.pk: "acquis" for c in criteria(first, CriterionKind.FORMATIVE)},
            },
        )
        workflow.save_intermediate_evaluation(
            designated,
            first,
            by=tutor,
            data={"held_on": dt.date(2027, 2, 10), "progress_objectives": "Gagner en autonomie au téléphone"},
        )
        workflow.save_tutor_review(
            designated,
            by=tutor,
            data={
                "held_on": dt.date(2027, 2, 12),
                "with_whom": "le candidat et son manager",
                "strengths": "Écoute des adhérents",
                "progress_objectives": "Rédaction des courriers",
            },
        )
    return designated


def test_the_livret_d_evaluation_finale_pdf_has_every_field(evaluated, manager, evaluator2):
    dossier = evaluated
    reader, text, xmp = read_pdf(build_livret_evaluation_pdf(dossier))
    assert_official(reader, xmp, title="Livret d'évaluation finale en entreprise", author="CPNEFP Mutualité (OEMM)")
    expected = [
        "CPNEFP Mutualité",  # letterhead of the certifier
        "Livret d'évaluation finale en entreprise",
        dossier.number,
        dossier.candidate.last_name.upper(),
        dossier.candidate.first_name,
        "Mutuelle Solidaire",
        "Spécialiste prestations santé-prévoyance",
        "Attestation des évaluateurs",
        "déclare conformes et sincères les renseignements apportés dans ce dossier",
        str(manager),
        "Responsable du service prestations",
        str(evaluator2),
        "Formatrice interne",
        "Traitement de dossiers complexes.",  # the candidate's activities
        "Partie du candidat signée électroniquement le 21 mai 2027",
        "Fiche de synthèse",
        "Observation",
        "Le domaine est maîtrisé",
        "10 mai 2027",
        "OUI",
    ]
    for unit in units_of(dossier):
        expected += [f"Réponse pour l'unité {unit.number}", unit.title[:30]]
    assert text.count("signé électroniquement par") == 2 * len(units_of(dossier))  # each evaluator, each unit
    missing = [e for e in expected if e not in text]
    assert not missing, (missing, text)


def test_the_livret_de_suivi_pdf_has_every_field(followed, tutor):
    dossier = followed
    reader, text, xmp = read_pdf(build_livret_suivi_pdf(dossier))
    assert_official(reader, xmp, title="Livret de suivi de la formation", author="CPNEFP Mutualité (OEMM)")
    units = units_of(dossier)
    expected = [
        "Livret de suivi de la formation",
        dossier.number,
        dossier.candidate.last_name.upper(),
        "Institut de Formation Mutualiste",
        "Paul Formateur",
        str(tutor),
        "Module de l'unité 1",
        "Cours et études de cas",
        "10 janvier 2027",
        f"{40 * len(units)}",  # total hours
        "Objectif atteint",
        "Claire Martin",
        "Consolider l'analyse des contrats collectifs",
        "Évaluation intermédiaire du tuteur du 10 février 2027",
        "Gagner en autonomie au téléphone",
        "Bilan du 12 février 2027 avec le candidat et son manager",
        "Écoute des adhérents",
        "Rédaction des courriers",
    ]
    missing = [e for e in expected if e not in text]
    assert not missing, (missing, text)


@pytest.mark.parametrize("name", ["candidates:formation_livret_pdf", "candidates:formation_suivi_pdf"])
def test_readers_of_the_dossier_download_it_and_outsiders_get_a_404(
    client, designated, name, candidat, other_candidat, rh, tutor, evaluator2, organisme_staff, oemm
):
    url = reverse(name, args=[designated.number])
    for person in (candidat, rh, tutor, evaluator2, organisme_staff, oemm):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    for outsider in (other_candidat, user_with_role(Role.ORGANISME), user_with_role(Role.JURY)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_jury_of_the_candidate_s_session_reads_the_livrets(client, evaluated, rh, oemm, members):
    from jury.models import SessionCandidate

    from ..jury.conftest import planned_session

    with time_machine.travel(dt.datetime(2027, 5, 22, 10, tzinfo=PARIS)):
        workflow.transmit_livret_evaluation(evaluated, by=rh)
        workflow.mark_formation_ready_for_jury(evaluated, by=oemm)
        planned_session(by=oemm, codes={"spsp"}, day=dt.date(2027, 9, 20), members=members, dossiers=[evaluated])
    assert SessionCandidate.objects.filter(dossier=evaluated).exists()
    client.force_login(members["sal1"])
    for name in ("candidates:formation_livret_pdf", "candidates:formation_suivi_pdf"):
        assert client.get(reverse(name, args=[evaluated.number])).status_code == 200
