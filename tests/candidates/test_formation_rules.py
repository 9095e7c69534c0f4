"""Voie formative: the rules on the way to « prêt pour le jury » (who writes and signs what, when, what is refused)."""

import datetime as dt

import pytest

from candidates import workflow
from candidates.entretien_sheet import unit_label
from candidates.enums import LivretEvaluationState
from candidates.formation_file import build_file
from candidates.formation_rules import CANDIDATE_FIRST
from candidates.models import (
    EvaluationFormative,
    FormationDesignation,
    IntermediateEvaluation,
    LivretEvaluation,
    TutorReview,
    UnitAssessment,
)
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from referentiels.enums import CriterionKind
from referentiels.models import Certification

from ..autosave_support import post_as_page
from ..factories import user_with_role
from .formation_support import (
    HTMX,
    assessment_post,
    candidate_post,
    criteria,
    fill_livret_evaluation,
    formative_post,
    orient,
    page,
    units_of,
    url,
)


def test_evaluator_1_cannot_write_or_sign_the_part_of_evaluator_2(client, designated, manager, evaluator2):
    dossier = designated
    unit = units_of(dossier)[0]
    workflow.save_unit_assessment(
        dossier,
        unit,
        2,
        by=evaluator2,
        data={
            "evaluated_on": dt.date(2027, 5, 10),
            "mastery": "maitrise",
            "ratings": {c.pk: "oui" for c in criteria(unit, CriterionKind.FINAL)},
        },
    )
    client.force_login(manager)
    assert client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=2)).status_code == 403
    assert (
        post_as_page(
            client,
            url("formation_assessment", dossier, unit_id=unit.pk, slot=2),
            assessment_post(unit, mastery="non_totalement"),
            headers=HTMX,
        ).status_code
        == 403
    )
    assert (
        client.post(url("formation_assessment_sign", dossier, unit_id=unit.pk, slot=2), {"confirm": "on"}).status_code
        == 403
    )
    assert client.post(url("formation_evaluator_sign", dossier, slot=2), {"confirm": "on"}).status_code == 403
    with pytest.raises(WorkflowError, match="pas l'évaluateur 2"):
        workflow.sign_unit_assessment(dossier, unit, 2, by=manager)
    with pytest.raises(WorkflowError, match="pas l'évaluateur 2"):
        workflow.sign_as_evaluator(dossier, 2, by=manager)
    assessment = UnitAssessment.objects.get(slot=2)
    assert assessment.signed_at is None and assessment.mastery == "maitrise"
    # Evaluator 1's own part works.
    assert client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=1)).status_code == 200


def test_transmission_is_refused_with_the_list_of_what_is_missing(
    client, designated, rh, candidat, manager, evaluator2
):
    dossier = designated
    units = units_of(dossier)
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.transmit_livret_evaluation(dossier, by=rh)
    assert "la partie du candidat, remplie et signée par le candidat" in exc.value.missing
    fill_livret_evaluation(
        dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2, sign_evaluators=False
    )
    workflow.sign_as_evaluator(dossier, 1, by=manager)
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.transmit_livret_evaluation(dossier, by=rh)
    assert exc.value.missing == ["la signature de la fiche de synthèse et de l'attestation par l'évaluateur 2"]
    client.force_login(rh)
    content = page(client.get(url("formation_transmit", dossier)))
    assert "La signature de la fiche de synthèse et de l'attestation par l'évaluateur 2" in content
    response = client.post(url("formation_transmit", dossier), {"confirm": "on"})
    assert response.status_code == 200 and "Refusé" in page(response) and "évaluateur 2" in page(response)
    assert LivretEvaluation.objects.get().state == LivretEvaluationState.EN_COURS
    # A unit not assessed by one evaluator is named.
    UnitAssessment.objects.filter(slot=2, unit=units[0]).update(signed_at=None)
    missing = build_file(dossier).missing
    assert f"l'évaluation signée de l'évaluateur 2 pour : {unit_label(dossier, units[0])}" in missing
    # OEMM cannot mark it ready before the transmission.
    with pytest.raises(WorkflowError, match="pas encore transmis"):
        workflow.mark_formation_ready_for_jury(dossier, by=user_with_role(Role.OEMM))


def test_editing_after_signature_is_refused(client, designated, candidat, manager, organisme_staff):
    dossier = designated
    unit = units_of(dossier)[0]
    # The candidate's part.
    client.force_login(candidat)
    data = candidate_post(units_of(dossier), text=lambda u: "Réponse")
    post_as_page(client, url("formation_candidate", dossier), data, headers=HTMX)
    workflow.sign_candidate_part(dossier, by=candidat)
    data["activities"] = "Réécrit après la signature"
    assert "n'est plus modifiable" in page(
        post_as_page(client, url("formation_candidate", dossier), data, headers=HTMX)
    )
    assert "n'est plus modifiable" in page(client.get(url("formation_candidate", dossier), follow=True))
    assert LivretEvaluation.objects.get().candidate_activities == "Mes activités."
    with pytest.raises(WorkflowError, match="plus modifiable"):
        workflow.save_candidate_part(dossier, by=candidat, activities="x", answers={})
    # An evaluator's signed unit.
    client.force_login(manager)
    post_as_page(
        client, url("formation_assessment", dossier, unit_id=unit.pk, slot=1), assessment_post(unit), headers=HTMX
    )
    workflow.sign_unit_assessment(dossier, unit, 1, by=manager)
    response = post_as_page(
        client,
        url("formation_assessment", dossier, unit_id=unit.pk, slot=1),
        assessment_post(unit, mastery="non_totalement"),
        headers=HTMX,
    )
    assert "n'est plus modifiable" in page(response)
    assert UnitAssessment.objects.get().mastery == "maitrise"
    # A signed formative evaluation.
    client.force_login(organisme_staff)
    post_as_page(client, url("formation_formative", dossier, unit_id=unit.pk), formative_post(unit), headers=HTMX)
    workflow.sign_evaluation_formative(dossier, unit, by=organisme_staff)
    response = post_as_page(
        client,
        url("formation_formative", dossier, unit_id=unit.pk),
        formative_post(unit, result="non_atteint"),
        headers=HTMX,
    )
    assert "n'est plus modifiable" in page(response)
    assert EvaluationFormative.objects.get().result == "atteint"


def test_the_fiche_de_synthese_is_locked_by_the_first_evaluator_signature(designated, candidat, manager, evaluator2):
    dossier = designated
    fill_livret_evaluation(
        dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2, sign_evaluators=False
    )
    workflow.sign_as_evaluator(dossier, 1, by=manager)
    with pytest.raises(WorkflowError, match="fiche de synthèse a été signée"):
        workflow.save_synthesis(dossier, by=evaluator2, lines={})
    with pytest.raises(WorkflowError, match="déjà signé"):
        workflow.sign_as_evaluator(dossier, 1, by=manager)


def test_signatures_are_refused_with_what_is_missing(designated, candidat, manager, organisme_staff):
    dossier = designated
    unit = units_of(dossier)[0]
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.sign_candidate_part(dossier, by=candidat)
    missing = exc.value.missing
    assert missing[0] == "le descriptif des activités réalisées en entreprise"
    # One line per question of the livret d'évaluation finale (seed 001 asks 3 to 5 per domaine).
    assert len(missing) == 1 + sum(len(u.final_questions) or 1 for u in units_of(dossier))
    assert f"votre réponse à la question 1 (« {unit.final_questions[0]} ») pour : " in missing[1]
    workflow.save_unit_assessment(
        dossier, unit, 1, by=manager, data={"evaluated_on": None, "mastery": "", "ratings": {}}
    )
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.sign_unit_assessment(dossier, unit, 1, by=manager)
    # The candidate has not signed their part: the evaluator signs after it (named first).
    assert exc.value.missing[0] == CANDIDATE_FIRST
    assert "la date de l'évaluation" in exc.value.missing and len(exc.value.missing) == 3 + len(
        criteria(unit, CriterionKind.FINAL)
    )
    workflow.save_evaluation_formative(dossier, unit, by=organisme_staff, data={"ratings": {}})
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.sign_evaluation_formative(dossier, unit, by=organisme_staff)
    assert "le nom du formateur ayant procédé à l'évaluation" in exc.value.missing


def test_designations_take_members_of_the_entreprise_only(dossier, rh, manager, tutor, candidat):
    stranger = user_with_role(Role.ENTREPRISE)  # another entreprise
    with pytest.raises(WorkflowError, match="n'est pas membre"):
        workflow.designate(dossier, by=rh, evaluator1=stranger)
    with pytest.raises(WorkflowError, match="deux personnes différentes"):
        workflow.designate(dossier, by=rh, evaluator1=manager, evaluator2=manager)
    with pytest.raises(WorkflowError, match="propre"):
        workflow.designate(dossier, by=rh, tutor=candidat)
    with pytest.raises(WorkflowError, match="responsable RH"):
        workflow.designate(dossier, by=tutor, tutor=tutor)
    with pytest.raises(WorkflowError, match="autre entreprise"):
        workflow.invite_member(dossier, by=rh, email=stranger.email, first_name="A", last_name="B", function="tuteur")


def test_an_evaluator_who_signed_cannot_be_replaced(designated, rh, manager, evaluator2, tutor, candidat):
    dossier = designated
    unit = units_of(dossier)[0]
    workflow.save_candidate_part(
        dossier, by=candidat, activities="Mes activités.", answers={u.pk: "Réponse" for u in units_of(dossier)}
    )
    workflow.sign_candidate_part(dossier, by=candidat)
    workflow.save_unit_assessment(
        dossier,
        unit,
        1,
        by=manager,
        data={
            "evaluated_on": dt.date(2027, 5, 10),
            "mastery": "maitrise",
            "ratings": {c.pk: "oui" for c in criteria(unit, CriterionKind.FINAL)},
        },
    )
    workflow.sign_unit_assessment(dossier, unit, 1, by=manager)
    with pytest.raises(WorkflowError, match="ne peut plus être remplacé"):
        workflow.designate(dossier, by=rh, tutor=tutor, evaluator1=tutor, evaluator2=evaluator2)
    # Changing the tutor is still possible.
    workflow.designate(dossier, by=rh, tutor=evaluator2, evaluator1=manager, evaluator2=tutor)
    assert FormationDesignation.objects.get().tutor == evaluator2


def test_nothing_is_written_before_the_entretien_is_validated(
    client, candidat, rh, entreprise, organisme, organisme_staff, tutor
):
    dossier = workflow.register_employee(
        by=rh,
        entreprise=entreprise,
        email=candidat.email,
        first_name="x",
        last_name="y",
        certification=Certification.objects.get(code="gpac"),
        organisme=organisme,
    )
    # Designations are possible from the inscription.
    workflow.designate(dossier, by=rh, tutor=tutor)
    client.force_login(organisme_staff)
    response = client.get(url("formation_suivi_edit", dossier), follow=True)
    assert "L'entretien d'accueil et d'orientation doit d'abord être validé" in page(response)
    with pytest.raises(WorkflowError, match="doit d'abord être validé"):
        workflow.save_tutor_review(dossier, by=tutor, data={"held_on": dt.date(2027, 1, 1), "with_whom": "x"})
    # A CQP without grids: the pages say so.
    orient(dossier, organisme_staff)
    content = page(client.get(url("formation_suivi", dossier)))
    assert "ne définit pas de grille d'évaluation formative" in content


def test_after_transmission_the_tutor_and_the_centre_write_nothing(
    client, designated, rh, candidat, manager, evaluator2, tutor, organisme_staff
):
    dossier = designated
    fill_livret_evaluation(dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2)
    workflow.transmit_livret_evaluation(dossier, by=rh)
    with pytest.raises(WorkflowError, match="transmis"):
        workflow.save_tutor_review(dossier, by=tutor, data={"held_on": dt.date(2027, 1, 1), "with_whom": "x"})
    with pytest.raises(WorkflowError, match="transmis"):
        workflow.save_livret_suivi(dossier, by=organisme_staff, training_manager="x", modules=[])
    with pytest.raises(WorkflowError, match="transmis"):
        workflow.designate(dossier, by=rh, tutor=manager)
    with pytest.raises(WorkflowError, match="Transmission impossible"):
        workflow.transmit_livret_evaluation(dossier, by=rh)
    client.force_login(tutor)
    assert "Nouveau point" not in page(client.get(url("formation_tutorat", dossier)))


def test_without_organisme_the_rh_keeps_the_livret_de_suivi(client, candidat, rh, entreprise, organisme_staff, tutor):
    dossier = workflow.register_employee(
        by=rh,
        entreprise=entreprise,
        email=candidat.email,
        first_name="x",
        last_name="y",
        certification=Certification.objects.get(code="gpac"),
    )
    orient(dossier, rh)
    client.force_login(rh)
    assert client.get(url("formation_suivi_edit", dossier)).status_code == 200
    client.force_login(tutor)
    assert client.get(url("formation_suivi_edit", dossier)).status_code == 403


def test_a_vae_dossier_has_no_voie_formative_pages(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme
    )
    client.force_login(candidat)
    assert client.get(url("formation", dossier)).status_code == 404
    assert "Voie formative : suivi" not in page(client.get(dossier.get_absolute_url()))


def test_the_tutor_corrects_and_deletes_their_entries(client, designated, tutor):
    dossier = designated
    unit = units_of(dossier)[0]
    review = workflow.save_tutor_review(
        dossier, by=tutor, data={"held_on": dt.date(2027, 2, 2), "with_whom": "La candidate"}
    )
    evaluation = workflow.save_intermediate_evaluation(dossier, unit, by=tutor, data={"held_on": dt.date(2027, 2, 1)})
    client.force_login(tutor)
    response = post_as_page(
        client,
        url("formation_review", dossier, pk=review.pk),
        {"held_on": "2026-11-03", "with_whom": "La candidate et le manager", "strengths": "Écoute"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.held_on == dt.date(2026, 11, 3) and review.strengths == "Écoute"
    # A review without date nor « avec » is refused in French.
    content = page(client.post(url("formation_review_new", dossier), {"held_on": "", "with_whom": ""}))
    assert "Indiquez la date du bilan." in content and "Indiquez avec qui le point a été fait." in content
    assert client.post(url("formation_tutor_delete", dossier, kind="grille", pk=evaluation.pk)).status_code == 302
    assert client.post(url("formation_tutor_delete", dossier, kind="point", pk=review.pk)).status_code == 302
    assert not TutorReview.objects.exists() and not IntermediateEvaluation.objects.exists()
