"""Every question of every référentiel's livret d'évaluation finale has an answer field, the evaluators read the
answers beside their grid, and the printable livret prints each question with its answer (issue 17).

Seed 001 asks the candidate 3 to 5 questions per domaine (« Activités réalisées par le candidat ») and has a
« Commentaire du candidat » in domaine 4; a unit whose seed asks no question keeps one free answer.
"""

import re

import pytest

from candidates import workflow
from candidates.formation_pdf import build_livret_evaluation_pdf
from candidates.models import LivretEvaluationAnswer
from referentiels.models import Certification

from ..autosave_support import post_as_page
from .formation_support import HTMX, candidate_post, orient, page, units_of, url
from .test_formation_pdf import read_pdf

CODES = ["cmi", "cos", "gpac", "spsp"]


def flat(text: str) -> str:
    """Words only: the PDF wraps lines, and the HTML escapes apostrophes."""
    return " ".join(re.sub(r"[^\w?]+", " ", text).split())


def formative_dossier(code, *, candidat, rh, entreprise, organisme, organisme_staff, tutor, manager, evaluator2):
    certification = Certification.objects.get(code=code)
    dossier = workflow.register_employee(
        by=rh,
        entreprise=entreprise,
        email=candidat.email,
        first_name=candidat.first_name,
        last_name=candidat.last_name,
        certification=certification,
        organisme=organisme,
        mention=certification.current_version.mentions.first(),
    )
    orient(dossier, organisme_staff)
    workflow.designate(
        dossier,
        by=rh,
        tutor=tutor,
        evaluator1=manager,
        evaluator1_function="Responsable",
        evaluator2=evaluator2,
        evaluator2_function="Formatrice interne",
    )
    return dossier


def test_the_spsp_livret_asks_the_seed_s_questions_and_the_comment_in_domaine_4(referentiels):
    units = {u.number: u for u in Certification.objects.get(code="spsp").current_version.units.all()}
    assert [len(units[n].final_questions) for n in range(1, 6)] == [4, 4, 3, 5, 4]
    assert units[1].final_questions[0].startswith("Quels sont les dossiers que vous avez eu l'occasion de traiter")
    assert [n for n, u in units.items() if u.final_candidate_comment] == [4]
    # The VAE livret 2 asks questions of its own, written for the platform, and says so.
    for unit in units.values():
        livret2 = {q.text for q in unit.livret2_questions.all()}
        assert livret2 and not livret2 & set(unit.final_questions)
    assert "rédigées pour la plateforme" in units[1].version.livret2_platform_note


@pytest.mark.parametrize("code", CODES)
def test_every_question_has_a_field_and_is_printed_with_its_answer(
    client, referentiels, code, candidat, rh, entreprise, organisme, organisme_staff, tutor, manager, evaluator2
):
    dossier = formative_dossier(
        code,
        candidat=candidat,
        rh=rh,
        entreprise=entreprise,
        organisme=organisme,
        organisme_staff=organisme_staff,
        tutor=tutor,
        manager=manager,
        evaluator2=evaluator2,
    )
    units = units_of(dossier)
    client.force_login(candidat)
    form = client.get(url("formation_candidate", dossier)).context["form"]
    data = candidate_post(units, text=lambda u: f"Unite{u.number}")
    expected = []
    for unit in units:
        for i, question in enumerate(unit.final_questions):
            assert form.fields[f"answer_{unit.pk}_{i}"].label == question, f"{code} : pas de champ pour {question}"
            expected.append((question, data[f"answer_{unit.pk}_{i}"]))
        if not unit.final_questions:
            assert f"answer_{unit.pk}" in form.fields
            expected.append(("", data[f"answer_{unit.pk}"]))
        if unit.final_candidate_comment:
            expected.append(("Commentaire du candidat", data[f"comment_{unit.pk}"]))
    assert "Enregistré à" in page(post_as_page(client, url("formation_candidate", dossier), data, headers=HTMX))
    response = client.post(url("formation_candidate_sign", dossier), {"confirm": "on"})
    assert response.status_code == 302, page(response)
    # The evaluators read the answers beside their grid.
    client.force_login(manager)
    for unit in units:
        grid = page(client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=1)))
        for question, answer in expected:
            if answer.startswith(f"Unite{unit.number} "):
                assert answer in grid and flat(question) in flat(grid)
    _, text, _ = read_pdf(build_livret_evaluation_pdf(dossier))
    for question, answer in expected:
        assert flat(question) in flat(text), f"{code} : question absente du PDF : {question}"
        assert flat(f"{question} {answer}") in flat(text), f"{code} : réponse absente après {question}"


def test_an_answer_written_before_the_questions_stays_readable(client, designated, candidat, manager, organisme_staff):
    """A livret started when the unit had one free answer: the text is kept, shown and printed, and counts."""
    dossier = designated
    unit = units_of(dossier)[0]
    workflow.save_candidate_part(
        dossier, by=candidat, activities="Mes activités.", answers={unit.pk: "Ancienne réponse."}
    )
    stored = LivretEvaluationAnswer.objects.get(unit=unit)
    assert stored.text == "Ancienne réponse." and stored.question_answers == []
    client.force_login(candidat)
    edit = page(client.get(url("formation_candidate", dossier)))
    assert "Ancienne réponse." in edit and "Votre réponse d'ensemble" in edit
    # Saving the questions keeps it.
    workflow.save_candidate_part(
        dossier, by=candidat, activities="Mes activités.", answers={unit.pk: {"questions": ["Q1"]}}
    )
    stored.refresh_from_db()
    assert stored.text == "Ancienne réponse." and stored.question_answers == ["Q1"]
    _, text, _ = read_pdf(build_livret_evaluation_pdf(dossier))
    assert "Ancienne réponse." in text and "Réponse d'ensemble" in text
