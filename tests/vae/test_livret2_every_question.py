"""Every question of every référentiel's livret 2 has an answer field, and the jury's PDF prints it with its answer.

Walks the livret 2 of each certification (issue 17): motivation questions, questions asked once per bloc, questions
asked per situation. Instructions are guidance only; a « joindre » item is a requested document, never a question.
"""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from referentiels.models import Certification
from vae import workflow
from vae.models import Livret2
from vae.pdf import build_livret2_pdf
from vae.workflow import livret2 as livret2_workflow

from ..factories import user_with_role
from .conftest import complete
from .livret2_support import register

CODES = ["cmi", "cos", "gpac", "spsp"]


def flat(text: str) -> str:
    """Words only: the PDF wraps lines, and the HTML escapes apostrophes."""
    return " ".join(re.sub(r"[^\w?]+", " ", text).split())


def open_livret2(code, oemm):
    from cqp.enums import Role

    candidate = user_with_role(Role.CANDIDAT)
    dossier = register(candidate, code)
    livret1 = complete(workflow.start_livret1(dossier, by=candidate), candidate)
    workflow.submit_livret1(livret1, by=candidate)
    workflow.declare_recevable(livret1, by=oemm)
    dossier.refresh_from_db()
    return candidate, livret2_workflow.start_livret2(dossier, by=candidate)


def test_every_certification_is_walked(referentiels):
    assert sorted(c.code.lower() for c in Certification.objects.all()) == CODES


@pytest.mark.parametrize("code", CODES)
def test_every_question_has_a_field_and_is_printed_with_its_answer(referentiels, oemm, client, code):
    candidate, livret = open_livret2(code, oemm)
    number = livret.dossier.number
    client.force_login(candidate)
    form = client.get(reverse("vae:livret2", args=[number])).context["form"]
    version = livret.referentiel
    data = {"version": str(livret.version), "context": "Contexte."}
    expected = []  # (question, answer) pairs the jury must read
    for i, question in enumerate(version.livret2_motivation or ["Votre projet et votre motivation"]):
        assert form.fields[f"motivation-{i}"].label == question
        data[f"motivation-{i}"] = f"Motivation{i}"
        expected.append((question, f"Motivation{i}"))
    for unit in version.units.all():
        for i, question in enumerate(unit.livret2_bloc_questions):
            field = f"b-{unit.number}-{i}"
            assert form.fields[field].label == question, f"{code} unité {unit.number} : pas de champ pour {question}"
            data[field] = f"Bloc{unit.number}x{i}"
            expected.append((question, f"Bloc{unit.number}x{i}"))
    for situation in livret.situations.select_related("unit"):
        unit, pk = situation.unit, situation.pk
        questions = [q.text for q in unit.livret2_questions.all()]
        if f"s-{pk}-free" in form.fields:  # one free text guided by the questions: each is printed above the answer
            data[f"s-{pk}-free"] = f"Libre{pk}"
            expected += [(q, f"Libre{pk}") for q in questions] or [("", f"Libre{pk}")]
            continue
        for i, question in enumerate(questions):
            assert form.fields[f"s-{pk}-q-{i}"].label == question
            data[f"s-{pk}-q-{i}"] = f"Situation{pk}x{i}"
            expected.append((question, f"Situation{pk}x{i}"))
    response = client.post(reverse("vae:livret2_save", args=[number]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200

    livret = Livret2.objects.get(pk=livret.pk)
    reader = PdfReader(io.BytesIO(build_livret2_pdf(livret)))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for question, answer in expected:
        assert flat(question) in text, f"{code} : question absente du PDF : {question}"
        assert flat(answer) in text, f"{code} : réponse absente du PDF : {answer}"
        assert text.index(flat(answer)) > text.index(flat(question)), f"{code} : {answer} avant {question}"


def test_a_joindre_item_is_a_requested_document_not_a_question(referentiels):
    version = Certification.objects.get(code__iexact="cos").current_version
    assert "Vous pouvez joindre un curriculum vitae." in version.livret2_documents
    assert not [q for q in version.livret2_motivation if "joindre" in q.lower()]


def test_gpac_asks_its_twelve_bloc_questions_once_per_bloc(referentiels):
    version = Certification.objects.get(code__iexact="gpac").current_version
    questions = [q for unit in version.units.all() for q in unit.livret2_bloc_questions]
    assert len(questions) == 12
    assert (
        "Quelle expérience avez-vous de différentes situations d'accueil ? (Accueil physique, téléphonique, ...)"
        in questions
    )
    assert all("?" not in unit.livret2_instructions for unit in version.units.all())
