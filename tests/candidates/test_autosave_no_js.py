"""Every autosaved page of the candidates app without JavaScript: two browsers load the page, one saves, the other
posts its stale version with the « Enregistrer » button. The whole page comes back (409) with what was typed and the
French conflict message; nothing is saved (cqp/autosave.py). Pages: entretien d'accueil, livret de suivi, évaluation
formative, candidate's part and evaluator's assessment of the livret d'évaluation, fiche de synthèse, tutor's
grille intermédiaire and point d'étape."""

import html
import re

import pytest
from django.urls import reverse

from candidates.models import (
    Entretien,
    EvaluationFormative,
    IntermediateEvaluation,
    LivretEvaluation,
    LivretSuivi,
    TutorReview,
    UnitAssessment,
)
from referentiels.enums import CriterionKind

from .formation_support import assessment_post, criteria, formative_post, synthesis_post, units_of
from .test_entretien_workflow import entretien_data

TYPED = "Tapé dans l'onglet périmé"


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_version(response) -> str:
    return re.search(r'name="version"(?: id="livret-version")? value="(-?\d+)"', text(response)).group(1)


def stale_save(client, url, post, *, saved_status=302):
    """Two tabs load ``url``; the first saves ``post(first text)``; the second posts ``post(TYPED)`` with the same
    version, without htmx. Returns the second answer."""
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200, text(first)
    version = page_version(first)
    assert page_version(second) == version
    saved = client.post(url, {**post("Premier onglet"), "version": version})
    assert saved.status_code == saved_status, text(saved)
    stale = client.post(url, {**post(TYPED), "version": version})
    assert stale.status_code == 409
    content = text(stale)
    assert "<html" in content  # the whole page, never a bare fragment
    assert TYPED in content
    assert "Non enregistré" in content and "version plus récente" in content
    assert "Recharger la version la plus récente" in content
    assert page_version(stale) == version  # still stale: saving again from this page is refused
    return stale


def test_entretien(client, setup):
    dossier = setup["dossier"]
    client.force_login(setup["organisme_staff"])
    url = reverse("candidates:entretien_edit", args=[dossier.number])
    stale_save(client, url, lambda typed: {**entretien_data(dossier), "synthesis": typed})
    assert Entretien.objects.get(dossier=dossier).synthesis == "Premier onglet"


def test_livret_de_suivi(client, designated, organisme_staff):
    client.force_login(organisme_staff)
    url = reverse("candidates:formation_suivi_edit", args=[designated.number])
    stale_save(
        client,
        url,
        lambda typed: {"training_manager": typed, "modules-TOTAL_FORMS": "0", "modules-INITIAL_FORMS": "0"},
    )
    assert LivretSuivi.objects.get(dossier=designated).training_manager == "Premier onglet"


def test_evaluation_formative(client, designated, organisme_staff):
    unit = units_of(designated)[0]
    client.force_login(organisme_staff)
    url = reverse("candidates:formation_formative", args=[designated.number, unit.pk])
    stale_save(client, url, lambda typed: formative_post(unit, trainer_name=typed))
    assert EvaluationFormative.objects.get(livret__dossier=designated, unit=unit).trainer_name == "Premier onglet"


def test_candidate_part_of_the_livret_d_evaluation(client, designated, candidat):
    client.force_login(candidat)
    url = reverse("candidates:formation_candidate", args=[designated.number])
    stale_save(client, url, lambda typed: {"activities": typed})
    assert LivretEvaluation.objects.get(dossier=designated).candidate_activities == "Premier onglet"


def test_unit_assessment(client, designated, manager):
    unit = units_of(designated)[0]
    client.force_login(manager)
    url = reverse("candidates:formation_assessment", args=[designated.number, unit.pk, 1])
    stale_save(client, url, lambda typed: assessment_post(unit, comments=typed))
    assert UnitAssessment.objects.get(livret__dossier=designated, unit=unit, slot=1).comments == "Premier onglet"


def test_fiche_de_synthese(client, designated, manager):
    units = units_of(designated)
    client.force_login(manager)
    url = reverse("candidates:formation_synthesis", args=[designated.number])

    def post(typed):
        return {**synthesis_post(units), f"conditions_{units[0].pk}": typed}

    stale_save(client, url, post)
    line = LivretEvaluation.objects.get(dossier=designated).synthesis_lines.get(unit=units[0])
    assert line.conditions == "Premier onglet"


def test_tutor_point_d_etape(client, designated, tutor):
    client.force_login(tutor)
    new = reverse("candidates:formation_review_new", args=[designated.number])
    assert client.post(new, {"held_on": "2026-11-02", "with_whom": "La candidate"}).status_code == 302
    review = TutorReview.objects.get(dossier=designated)
    url = reverse("candidates:formation_review", args=[designated.number, review.pk])
    stale_save(client, url, lambda typed: {"held_on": "2026-11-02", "with_whom": "La candidate", "strengths": typed})
    review.refresh_from_db()
    assert review.strengths == "Premier onglet"


@pytest.mark.parametrize("kind", [CriterionKind.INTERMEDIATE])
def test_tutor_grille_intermediaire(client, designated, tutor, kind):
    unit = units_of(designated)[0]
    client.force_login(tutor)
    ratings = {f"crit_{c.pk}": "acquis" for c in criteria(unit, kind)}
    new = reverse("candidates:formation_intermediate_new", args=[designated.number, unit.pk])
    created = client.post(new, {"held_on": "2026-11-02", **ratings})
    assert created.status_code == 302, text(created)
    evaluation = IntermediateEvaluation.objects.get(dossier=designated, unit=unit)
    url = reverse("candidates:formation_intermediate", args=[designated.number, unit.pk, evaluation.pk])
    stale_save(client, url, lambda typed: {"held_on": "2026-11-02", "progress_objectives": typed, **ratings})
    evaluation.refresh_from_db()
    assert evaluation.progress_objectives == "Premier onglet"
