"""The livret 2's rules: structure from the référentiel, completeness, the « a minima deux compétences » rule."""

import datetime as dt

import pytest
from django.urls import reverse

from jury.readiness import livret2_received_on
from vae.livret2_rules import SituationValues, UnitSpec, missing_items, parse_dates, situation_count
from vae.workflow import livret2

from .livret2_support import fill, register

ACTIVITE_2 = UnitSpec(key="unite-2", label="Activité 2", situations=1, questions=2, min_competences=2, competences=5)


@pytest.mark.parametrize("ticked, complete", [(0, False), (1, False), (2, True), (5, True)])
def test_a_minima_two_of_the_five_competences(ticked, complete):
    values = SituationValues(
        unit_key="unite-2", position=1, title="Un signalement", answers=["a", "b"], competences=ticked
    )
    missing = missing_items(motivation_questions=1, motivation=["m"], units=[ACTIVITE_2], situations=[values])
    assert ("unite-2" not in missing) is complete
    if not complete:
        assert "au moins 2 des 5 compétences" in missing["unite-2"][0]


def test_missing_items_lists_every_gap():
    free = UnitSpec(key="unite-9", label="Bloc 9", situations=0, questions=3)
    missing = missing_items(motivation_questions=2, motivation=["oui"], units=[ACTIVITE_2, free], situations=[])
    assert missing["motivation"] == ["Répondez à la question n° 2 de « Votre projet »."]
    assert len(missing["unite-2"]) == 4  # title, two answers, compétences
    assert missing["unite-9"] == ["Bloc 9 : rédigez votre réponse."]
    assert missing_items(motivation_questions=0, motivation=[], units=[], situations=[]) == {
        "motivation": ["Présentez votre projet et votre motivation."]
    }


@pytest.mark.parametrize("asked, blocks", [(0, 1), (1, 1), (3, 3)])
def test_situation_count(asked, blocks):
    assert situation_count(asked) == blocks


def test_parse_dates():
    assert parse_dates("02/09/2026; 2026-09-16\n02/09/2026") == ([dt.date(2026, 9, 2), dt.date(2026, 9, 16)], [])
    assert parse_dates("demain, 31/02/2026")[1] == ["demain", "31/02/2026"]


@pytest.mark.parametrize("code, situations", [("cos", [2, 1, 2, 1]), ("gpac", [3, 2, 2, 2, 3])])
def test_structure_comes_from_the_referentiel(referentiels, candidat, oemm, code, situations):
    from candidates import workflow as dossier_workflow

    dossier = register(candidat, code)
    dossier_workflow.declare_recevable(dossier, by=oemm)
    livret = livret2.start_livret2(dossier, by=candidat)
    counts = {}
    for situation in livret.situations.select_related("unit"):
        counts[situation.unit.number] = counts.get(situation.unit.number, 0) + 1
    assert [counts[n] for n in sorted(counts)] == situations


def test_cos_activite_2_needs_two_competences_to_be_sent(recevable_dossier, candidat):
    livret = fill(livret2.start_livret2(recevable_dossier, by=candidat), candidat, competences=1)
    with pytest.raises(livret2.IncompleteLivret2Error) as refusal:
        livret2.submit_livret2(livret, by=candidat)
    assert list(refusal.value.missing) == ["unite-2"]
    assert "cochez au moins 2 des 5 compétences" in refusal.value.missing["unite-2"][0]
    livret = fill(livret, candidat, competences=2)
    assert livret2.submit_livret2(livret, by=candidat).state == "soumis"


def test_submission_refused_with_the_list_of_what_is_missing(client, recevable_dossier, candidat):
    livret = livret2.start_livret2(recevable_dossier, by=candidat)
    client.force_login(candidat)
    response = client.post(reverse("vae:livret2_submit", args=[recevable_dossier.number]), {"confirm": "on"})
    text = response.content.decode()
    assert response.status_code == 200 and "ne peut pas encore être envoyé" in text
    assert "Votre projet et votre motivation" in text and "Activité 2" in text and "donnez un intitulé" in text
    livret.refresh_from_db()
    assert livret.state == "brouillon"


def test_acknowledge_only_a_submitted_livret_and_not_in_the_future(recevable_dossier, candidat, oemm):
    from cqp.exceptions import WorkflowError

    livret = fill(livret2.start_livret2(recevable_dossier, by=candidat), candidat)
    with pytest.raises(WorkflowError):
        livret2.acknowledge_livret2(livret, by=oemm)
    livret2.submit_livret2(livret, by=candidat)
    with pytest.raises(WorkflowError, match="futur"):
        livret2.acknowledge_livret2(livret, by=oemm, received_on=dt.date.today() + dt.timedelta(days=2))


def test_readiness_keeps_its_fallback_without_a_received_livret2(recevable_dossier, candidat, oemm):
    from candidates import workflow as dossier_workflow

    livret2.start_livret2(recevable_dossier, by=candidat)
    assert livret2_received_on(recevable_dossier) is None
    dossier_workflow.mark_ready_for_jury(recevable_dossier, by=oemm)
    assert livret2_received_on(recevable_dossier) == dt.date.today()


def test_gpac_edit_page_shows_three_accueil_situations_and_the_guidance(client, referentiels, candidat, oemm):
    from candidates import workflow as dossier_workflow

    dossier = register(candidat, "gpac")
    dossier_workflow.declare_recevable(dossier, by=oemm)
    livret2.start_livret2(dossier, by=candidat)
    client.force_login(candidat)
    text = client.get(reverse("vae:livret2", args=[dossier.number])).content.decode()
    assert "3 situations sont demandées" in text and "Situation n° 3" in text
    assert "Utilisez la 1ère personne du singulier" in text and "demander son accord" in text


@pytest.mark.parametrize(
    "given, missing",
    [
        (None, ["Bloc 1 : répondez à la question générale n° 1.", "Bloc 1 : répondez à la question générale n° 2."]),
        (["Oui", ""], ["Bloc 1 : répondez à la question générale n° 2."]),
        (["Oui", "  "], ["Bloc 1 : répondez à la question générale n° 2."]),
        (["Oui", "Non"], []),
    ],
)
def test_a_question_asked_once_for_the_bloc_must_be_answered(given, missing):
    spec = UnitSpec(key="unite-1", label="Bloc 1", situations=0, questions=0, bloc_questions=2)
    result = missing_items(
        motivation_questions=1,
        motivation=["Ma motivation"],
        units=[spec],
        situations=[SituationValues(unit_key="unite-1", position=1, free_answer="Texte")],
        bloc_answers={"unite-1": given},
    )
    assert result.get("unite-1", []) == missing
