"""Voie formative: from the company's inscription to « prêt pour le jury », and the rules on the way."""

import datetime as dt
import html
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from candidates import entretien as entretien_service
from candidates import formation as service
from candidates import workflow
from candidates.entretien_forms import EntretienForm
from candidates.enums import DossierState
from candidates.models import (
    DossierEvent, EvaluationFormative, FormationDesignation, IntermediateEvaluation, LivretEvaluation, LivretEvaluationState,
    SuiviModule, TutorReview, UnitAssessment,
)
from cqp.enums import EntrepriseFunction, Role
from cqp.exceptions import WorkflowError
from cqp.models import User
from referentiels.enums import CriterionKind
from referentiels.models import Certification

from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role
from .test_entretien_workflow import entretien_data

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HTMX = {"HX-Request": "true"}


def page(response) -> str:
    return html.unescape(response.content.decode())


def url(name, dossier, **kwargs):
    return reverse(f"candidates:{name}", kwargs={"number": dossier.number, **kwargs})


def spsp():
    return Certification.objects.get(code="spsp")


def criteria(unit, kind):
    return list(unit.criteria.filter(kind=kind))


# --- personas ----------------------------------------------------------------------------------------------


@pytest.fixture
def entreprise(referentiels):
    return EntrepriseFactory(name="Mutuelle Solidaire")


@pytest.fixture
def organisme(referentiels):
    organisme = OrganismeFactory(name="Institut de Formation Mutualiste")
    organisme.certifications.add(*Certification.objects.all())
    return organisme


@pytest.fixture
def organisme_staff(organisme):
    return user_with_role(Role.ORGANISME, organisme=organisme)


@pytest.fixture
def rh(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.RH)


@pytest.fixture
def manager(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.MANAGER)


@pytest.fixture
def tutor(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.TUTEUR)


@pytest.fixture
def evaluator2(entreprise):
    return user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR)


def orient(dossier, conductor):
    """The entretien d'accueil filled in (one module per unit), validated by both: the dossier is « oriente »."""
    form = EntretienForm(entretien_data(dossier), sheet=entretien_service.build_sheet(dossier), user=conductor)
    assert form.is_valid(), form.error_lines()
    entretien = entretien_service.save_entretien(dossier, by=conductor, data=form.get_data())
    entretien_service.validate_as_interviewer(entretien, by=conductor)
    entretien_service.validate_as_candidate(entretien, by=dossier.candidate)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ORIENTE
    return dossier


@pytest.fixture
def dossier(candidat, rh, entreprise, organisme, organisme_staff):
    """A formative SPSP dossier of ``candidat`` (entreprise + organisme), oriented."""
    certification = spsp()
    dossier = workflow.register_employee(
        by=rh, entreprise=entreprise, email=candidat.email, first_name=candidat.first_name, last_name=candidat.last_name,
        certification=certification, organisme=organisme, mention=certification.current_version.mentions.first(),
    )
    return orient(dossier, organisme_staff)


@pytest.fixture
def designated(dossier, rh, tutor, manager, evaluator2):
    service.designate(dossier, by=rh, tutor=tutor, evaluator1=manager, evaluator1_function="Responsable du service prestations",
                      evaluator2=evaluator2, evaluator2_function="Formatrice interne")
    return dossier


# --- form data -----------------------------------------------------------------------------------------------


def formative_post(unit, *, rating="acquis", **extra):
    data = {"held_on": "2027-02-15", "result": "atteint", "trainer_name": "Claire Martin",
            "progress_objectives": "Consolider l'analyse des contrats collectifs.", **extra}
    data.update({f"crit_{c.pk}": rating for c in criteria(unit, CriterionKind.FORMATIVE)})
    return data


def assessment_post(unit, *, answer="oui", mastery="maitrise", **extra):
    data = {"evaluated_on": "2027-05-10", "modality_used": "Entretien sur trois dossiers complexes.", "mastery": mastery,
            "comments": "Très bonne maîtrise.", **extra}
    data.update({f"crit_{c.pk}": answer for c in criteria(unit, CriterionKind.FINAL)})
    return data


def synthesis_post(units):
    data = {}
    for u in units:
        data.update({f"exercised_{u.pk}": "oui", f"from_{u.pk}": "2027-05-10", f"to_{u.pk}": "2027-05-20",
                     f"conditions_{u.pk}": "Observation et entretien sur dossiers"})
    return data


def units_of(dossier):
    return list(service.formation_units(dossier))


# --- service-level helpers to complete a livret (used by other test modules) ----------------------------------


def fill_livret_evaluation(dossier, *, candidate, evaluator1, evaluator2, sign_candidate=True, sign_evaluators=True):
    units = units_of(dossier)
    service.save_candidate_part(dossier, by=candidate, activities="Traitement de dossiers complexes.",
                                answers={u.pk: f"Réponse pour l'unité {u.number}" for u in units})
    if sign_candidate:
        service.sign_candidate_part(dossier, by=candidate)
    for slot, person in ((1, evaluator1), (2, evaluator2)):
        for u in units:
            service.save_unit_assessment(dossier, u, slot, by=person, data={
                "evaluated_on": dt.date(2027, 5, 10), "mastery": "maitrise", "modality_used": "Entretien", "comments": "",
                "ratings": {c.pk: "oui" for c in criteria(u, CriterionKind.FINAL)},
            })
            service.sign_unit_assessment(dossier, u, slot, by=person)
    service.save_synthesis(dossier, by=evaluator1, lines={u.pk: {
        "activities_exercised": True, "evaluated_from": dt.date(2027, 5, 10), "evaluated_to": None, "conditions": "Observation",
    } for u in units})
    if sign_evaluators:
        service.sign_as_evaluator(dossier, 1, by=evaluator1)
        service.sign_as_evaluator(dossier, 2, by=evaluator2)


# --- the whole journey --------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_a_formative_dossier_is_completed_by_its_actors_up_to_ready_for_jury(
    client, referentiels, candidat, entreprise, rh, manager, organisme, organisme_staff, oemm, on_commit,
):
    # The company registers its employee; the organisme conducts the entretien; the dossier is oriented.
    certification = spsp()
    dossier = workflow.register_employee(
        by=rh, entreprise=entreprise, email=candidat.email, first_name=candidat.first_name, last_name=candidat.last_name,
        certification=certification, organisme=organisme, mention=certification.current_version.mentions.first(),
    )
    client.force_login(rh)
    section = page(client.get(dossier.get_absolute_url()))
    assert "Voie formative" in section and "Désigner le tuteur et les évaluateurs" in section
    orient(dossier, organisme_staff)
    units = units_of(dossier)
    assert len(units) == 5

    # 1. The RH invites the tutor, then designates the tutor and the two evaluators.
    response = client.get(url("formation_designations", dossier))
    assert response.status_code == 200 and manager.email in page(response)
    with on_commit():
        response = client.post(url("formation_designations", dossier), {
            "invite": "1", "email": "nadia.roux@exemple.fr", "first_name": "Nadia", "last_name": "Roux", "function": "tuteur",
        })
    assert response.status_code == 302
    tutor = User.objects.get(email="nadia.roux@exemple.fr")
    assert tutor.roles.get(role=Role.ENTREPRISE).entreprise == entreprise
    assert any(m.to == [tutor.email] for m in mail.outbox)  # the invitation
    evaluator2 = user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR)
    # Evaluator 1 and evaluator 2 must be two people.
    response = client.post(url("formation_designations", dossier), {
        "designate": "1", "tutor": tutor.pk, "evaluator1": manager.pk, "evaluator2": manager.pk})
    assert response.status_code == 200 and "doit être une autre personne" in page(response)
    mail.outbox.clear()
    with on_commit():
        response = client.post(url("formation_designations", dossier), {
            "designate": "1", "tutor": tutor.pk, "evaluator1": manager.pk, "evaluator1_function": "Responsable prestations",
            "evaluator2": evaluator2.pk, "evaluator2_function": "Formatrice interne",
        })
    assert response.status_code == 302
    designation = FormationDesignation.objects.get(dossier=dossier)
    assert (designation.tutor, designation.evaluator1, designation.evaluator2) == (tutor, manager, evaluator2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([tutor.email, manager.email, evaluator2.email])

    # 2. The organisme keeps the livret de suivi: modules prefilled from the parcours, then formative evaluations.
    client.force_login(organisme_staff)
    response = client.get(url("formation_suivi_edit", dossier))
    assert response.status_code == 200 and 'value="Module 1"' in page(response) and 'hx-post="' in page(response)
    modules = {"modules-TOTAL_FORMS": "1", "modules-INITIAL_FORMS": "0", "modules-MIN_NUM_FORMS": "0", "modules-MAX_NUM_FORMS": "1000",
               "modules-0-unit": str(units[0].pk), "modules-0-title": "Processus santé approfondis", "modules-0-hours": "60",
               "modules-0-start_on": "2027-01-04", "modules-0-end_on": "2027-01-29",
               "modules-0-content": "Études de cas, méthode active.", "training_manager": "Claire Martin"}
    response = client.post(url("formation_suivi_edit", dossier), modules, headers=HTMX)
    assert "Enregistré à 10:00" in page(response)
    assert SuiviModule.objects.get().content == "Études de cas, méthode active."
    for unit in units:
        response = client.post(url("formation_formative", dossier, unit_id=unit.pk), formative_post(unit), headers=HTMX)
        assert "Enregistré à" in page(response), page(response)
        assert "Je confirme" in page(client.get(url("formation_formative_sign", dossier, unit_id=unit.pk)))
        response = client.post(url("formation_formative_sign", dossier, unit_id=unit.pk), {"confirm": "on"})
        assert response.status_code == 302
    assert EvaluationFormative.objects.filter(signed_at__isnull=False).count() == 5
    suivi_page = page(client.get(url("formation_suivi", dossier)))
    assert "Objectif atteint" in suivi_page and "15 février 2027" in suivi_page and "Processus santé approfondis" in suivi_page

    # 3. The tutor writes an intermediate evaluation and a « faire le point » review.
    client.force_login(tutor)
    first_intermediate = criteria(units[0], CriterionKind.INTERMEDIATE)
    data = {"held_on": "2027-02-01", "progress_objectives": "Gagner en autonomie."}
    data.update({f"crit_{c.pk}": "a_ameliorer" for c in first_intermediate})
    assert client.post(url("formation_intermediate_new", dossier, unit_id=units[0].pk), data).status_code == 302
    response = client.post(url("formation_review_new", dossier), {
        "held_on": "2027-02-02", "with_whom": "La candidate et sa formatrice", "strengths": "Rigueur", "progress_objectives": "Autonomie"})
    assert response.status_code == 302
    tutorat = page(client.get(url("formation_tutorat", dossier)))
    assert "2 février 2027" in tutorat and "Rigueur" in tutorat and "À améliorer" in tutorat

    # 4. The candidate writes their part (autosave) and signs it.
    client.force_login(candidat)
    data = {"activities": "Traitement des dossiers complexes santé."}
    data.update({f"answer_{u.pk}": f"Ce que j'ai fait pour le domaine {u.number}." for u in units})
    assert "Enregistré à" in page(client.post(url("formation_candidate", dossier), data, headers=HTMX))
    response = client.post(url("formation_candidate_sign", dossier), {"confirm": "on"})
    assert response.status_code == 302

    # 5. Each evaluator assesses and signs each unit, then the fiche de synthèse and the sworn statement.
    for slot, person in ((1, manager), (2, evaluator2)):
        client.force_login(person)
        for unit in units:
            edit = page(client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=slot)))
            if unit.evaluation_modality:
                assert unit.evaluation_modality[:40] in edit
            response = client.post(url("formation_assessment", dossier, unit_id=unit.pk, slot=slot), assessment_post(unit), headers=HTMX)
            assert "Enregistré à" in page(response), page(response)
            response = client.post(url("formation_assessment_sign", dossier, unit_id=unit.pk, slot=slot), {"confirm": "on"})
            assert response.status_code == 302
        if slot == 1:
            response = client.post(url("formation_synthesis", dossier), synthesis_post(units), headers=HTMX)
            assert "Enregistré à" in page(response)
        sign_page = page(client.get(url("formation_evaluator_sign", dossier, slot=slot)))
        assert "déclare conformes et sincères les renseignements apportés dans ce dossier" in sign_page
        assert client.post(url("formation_evaluator_sign", dossier, slot=slot), {"confirm": "on"}).status_code == 302
    assert UnitAssessment.objects.filter(signed_at__isnull=False).count() == 10

    # 6. The RH transmits the complete livret to the OEMM.
    client.force_login(rh)
    assert "Le livret est complet" in page(client.get(url("formation", dossier)))
    transmit_page = page(client.get(url("formation_transmit", dossier)))
    assert "Évaluations formatives signées : 5 sur 5" in transmit_page and "Je confirme" in transmit_page
    mail.outbox.clear()
    with on_commit():
        assert client.post(url("formation_transmit", dossier), {"confirm": "on"}).status_code == 302
    livret = LivretEvaluation.objects.get(dossier=dossier)
    assert livret.state == LivretEvaluationState.TRANSMIS and livret.transmitted_by == rh
    assert [m.to for m in mail.outbox] == [[oemm.email]] and "livret d'évaluation finale" in mail.outbox[0].subject

    # 7. OEMM reads everything and marks the dossier ready for the jury from the dossier page.
    client.force_login(oemm)
    livret_page = page(client.get(url("formation_livret", dossier)))
    assert "Le domaine est maîtrisé" in livret_page and "Signé le 23 novembre 2026" in livret_page
    dossier_page = page(client.get(dossier.get_absolute_url()))
    assert "Marquer le dossier prêt pour le jury" in dossier_page
    response = client.post(url("formation_ready", dossier))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PRET_JURY
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    for action in ["formation_invite", "formation_designate", "livret_suivi_start", "evaluation_formative_sign",
                   "intermediate_evaluation", "tutor_review", "livret_evaluation_sign_candidate", "unit_assessment_sign",
                   "livret_evaluation_sign_evaluator1", "livret_evaluation_sign_evaluator2", "transmit_livret_evaluation",
                   "mark_ready_for_jury"]:
        assert action in actions
    assert actions[-1] == "mark_ready_for_jury"
    # Read-only for everyone from now on.
    client.force_login(candidat)
    response = client.post(url("formation_candidate", dossier), data, follow=True)
    assert "n'est plus modifiable" in page(response) or "plus modifiable" in page(response)


# --- rules on the way ---------------------------------------------------------------------------------------------------


def test_evaluator_1_cannot_write_or_sign_the_part_of_evaluator_2(client, designated, manager, evaluator2):
    dossier = designated
    unit = units_of(dossier)[0]
    service.save_unit_assessment(dossier, unit, 2, by=evaluator2, data={
        "evaluated_on": dt.date(2027, 5, 10), "mastery": "maitrise", "ratings": {c.pk: "oui" for c in criteria(unit, CriterionKind.FINAL)}})
    client.force_login(manager)
    assert client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=2)).status_code == 403
    assert client.post(url("formation_assessment", dossier, unit_id=unit.pk, slot=2), assessment_post(unit, mastery="non_totalement"),
                       headers=HTMX).status_code == 403
    assert client.post(url("formation_assessment_sign", dossier, unit_id=unit.pk, slot=2), {"confirm": "on"}).status_code == 403
    assert client.post(url("formation_evaluator_sign", dossier, slot=2), {"confirm": "on"}).status_code == 403
    with pytest.raises(WorkflowError, match="pas l'évaluateur 2"):
        service.sign_unit_assessment(dossier, unit, 2, by=manager)
    with pytest.raises(WorkflowError, match="pas l'évaluateur 2"):
        service.sign_as_evaluator(dossier, 2, by=manager)
    assessment = UnitAssessment.objects.get(slot=2)
    assert assessment.signed_at is None and assessment.mastery == "maitrise"
    # Evaluator 1's own part works.
    assert client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=1)).status_code == 200


def test_transmission_is_refused_with_the_list_of_what_is_missing(client, designated, rh, candidat, manager, evaluator2):
    dossier = designated
    units = units_of(dossier)
    with pytest.raises(service.FormationIncomplete) as exc:
        service.transmit_livret_evaluation(dossier, by=rh)
    assert "la partie du candidat, remplie et signée par le candidat" in exc.value.missing
    fill_livret_evaluation(dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2, sign_evaluators=False)
    service.sign_as_evaluator(dossier, 1, by=manager)
    with pytest.raises(service.FormationIncomplete) as exc:
        service.transmit_livret_evaluation(dossier, by=rh)
    assert exc.value.missing == ["la signature de la fiche de synthèse et de l'attestation par l'évaluateur 2"]
    client.force_login(rh)
    content = page(client.get(url("formation_transmit", dossier)))
    assert "La signature de la fiche de synthèse et de l'attestation par l'évaluateur 2" in content
    response = client.post(url("formation_transmit", dossier), {"confirm": "on"})
    assert response.status_code == 200 and "Refusé" in page(response) and "évaluateur 2" in page(response)
    assert LivretEvaluation.objects.get().state == LivretEvaluationState.EN_COURS
    # A unit not assessed by one evaluator is named.
    UnitAssessment.objects.filter(slot=2, unit=units[0]).update(signed_at=None)
    missing = service.build_file(dossier).missing
    assert f"l'évaluation signée de l'évaluateur 2 pour : {entretien_service.unit_label(dossier, units[0])}" in missing
    # OEMM cannot mark it ready before the transmission.
    with pytest.raises(WorkflowError, match="pas encore transmis"):
        service.mark_ready_for_jury(dossier, by=user_with_role(Role.OEMM))


def test_editing_after_signature_is_refused(client, designated, candidat, manager, organisme_staff):
    dossier = designated
    unit = units_of(dossier)[0]
    # The candidate's part.
    client.force_login(candidat)
    data = {"activities": "Mes activités."}
    data.update({f"answer_{u.pk}": "Réponse" for u in units_of(dossier)})
    client.post(url("formation_candidate", dossier), data, headers=HTMX)
    service.sign_candidate_part(dossier, by=candidat)
    data["activities"] = "Réécrit après la signature"
    assert "n'est plus modifiable" in page(client.post(url("formation_candidate", dossier), data, headers=HTMX))
    assert "n'est plus modifiable" in page(client.get(url("formation_candidate", dossier), follow=True))
    assert LivretEvaluation.objects.get().candidate_activities == "Mes activités."
    with pytest.raises(WorkflowError, match="plus modifiable"):
        service.save_candidate_part(dossier, by=candidat, activities="x", answers={})
    # An evaluator's signed unit.
    client.force_login(manager)
    client.post(url("formation_assessment", dossier, unit_id=unit.pk, slot=1), assessment_post(unit), headers=HTMX)
    service.sign_unit_assessment(dossier, unit, 1, by=manager)
    response = client.post(url("formation_assessment", dossier, unit_id=unit.pk, slot=1), assessment_post(unit, mastery="non_totalement"), headers=HTMX)
    assert "n'est plus modifiable" in page(response)
    assert UnitAssessment.objects.get().mastery == "maitrise"
    # A signed formative evaluation.
    client.force_login(organisme_staff)
    client.post(url("formation_formative", dossier, unit_id=unit.pk), formative_post(unit), headers=HTMX)
    service.sign_evaluation_formative(dossier, unit, by=organisme_staff)
    response = client.post(url("formation_formative", dossier, unit_id=unit.pk), formative_post(unit, result="non_atteint"), headers=HTMX)
    assert "n'est plus modifiable" in page(response)
    assert EvaluationFormative.objects.get().result == "atteint"


def test_the_fiche_de_synthese_is_locked_by_the_first_evaluator_signature(designated, candidat, manager, evaluator2):
    dossier = designated
    fill_livret_evaluation(dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2, sign_evaluators=False)
    service.sign_as_evaluator(dossier, 1, by=manager)
    with pytest.raises(WorkflowError, match="fiche de synthèse a été signée"):
        service.save_synthesis(dossier, by=evaluator2, lines={})
    with pytest.raises(WorkflowError, match="déjà signé"):
        service.sign_as_evaluator(dossier, 1, by=manager)


def test_signatures_are_refused_with_what_is_missing(designated, candidat, manager, organisme_staff):
    dossier = designated
    unit = units_of(dossier)[0]
    with pytest.raises(service.FormationIncomplete) as exc:
        service.sign_candidate_part(dossier, by=candidat)
    assert exc.value.missing[0] == "le descriptif des activités réalisées en entreprise" and len(exc.value.missing) == 6
    service.save_unit_assessment(dossier, unit, 1, by=manager, data={"evaluated_on": None, "mastery": "", "ratings": {}})
    with pytest.raises(service.FormationIncomplete) as exc:
        service.sign_unit_assessment(dossier, unit, 1, by=manager)
    assert "la date de l'évaluation" in exc.value.missing and len(exc.value.missing) == 2 + len(criteria(unit, CriterionKind.FINAL))
    service.save_evaluation_formative(dossier, unit, by=organisme_staff, data={"ratings": {}})
    with pytest.raises(service.FormationIncomplete) as exc:
        service.sign_evaluation_formative(dossier, unit, by=organisme_staff)
    assert "le nom du formateur ayant procédé à l'évaluation" in exc.value.missing


def test_designations_take_members_of_the_entreprise_only(dossier, rh, manager, tutor, candidat):
    stranger = user_with_role(Role.ENTREPRISE)  # another entreprise
    with pytest.raises(WorkflowError, match="n'est pas membre"):
        service.designate(dossier, by=rh, evaluator1=stranger)
    with pytest.raises(WorkflowError, match="deux personnes différentes"):
        service.designate(dossier, by=rh, evaluator1=manager, evaluator2=manager)
    with pytest.raises(WorkflowError, match="propre"):
        service.designate(dossier, by=rh, tutor=candidat)
    with pytest.raises(WorkflowError, match="responsable RH"):
        service.designate(dossier, by=tutor, tutor=tutor)
    with pytest.raises(WorkflowError, match="autre entreprise"):
        service.invite_member(dossier, by=rh, email=stranger.email, first_name="A", last_name="B", function="tuteur")


def test_an_evaluator_who_signed_cannot_be_replaced(designated, rh, manager, evaluator2, tutor):
    dossier = designated
    unit = units_of(dossier)[0]
    service.save_unit_assessment(dossier, unit, 1, by=manager, data={
        "evaluated_on": dt.date(2027, 5, 10), "mastery": "maitrise", "ratings": {c.pk: "oui" for c in criteria(unit, CriterionKind.FINAL)}})
    service.sign_unit_assessment(dossier, unit, 1, by=manager)
    with pytest.raises(WorkflowError, match="ne peut plus être remplacé"):
        service.designate(dossier, by=rh, tutor=tutor, evaluator1=tutor, evaluator2=evaluator2)
    # Changing the tutor is still possible.
    service.designate(dossier, by=rh, tutor=evaluator2, evaluator1=manager, evaluator2=tutor)
    assert FormationDesignation.objects.get().tutor == evaluator2


def test_nothing_is_written_before_the_entretien_is_validated(client, candidat, rh, entreprise, organisme, organisme_staff, tutor):
    dossier = workflow.register_employee(
        by=rh, entreprise=entreprise, email=candidat.email, first_name="x", last_name="y",
        certification=Certification.objects.get(code="gpac"), organisme=organisme,
    )
    # Designations are possible from the inscription.
    service.designate(dossier, by=rh, tutor=tutor)
    client.force_login(organisme_staff)
    response = client.get(url("formation_suivi_edit", dossier), follow=True)
    assert "L'entretien d'accueil et d'orientation doit d'abord être validé" in page(response)
    with pytest.raises(WorkflowError, match="doit d'abord être validé"):
        service.save_tutor_review(dossier, by=tutor, data={"held_on": dt.date(2027, 1, 1), "with_whom": "x"})
    # A CQP without grids: the pages say so.
    orient(dossier, organisme_staff)
    content = page(client.get(url("formation_suivi", dossier)))
    assert "ne définit pas de grille d'évaluation formative" in content


def test_after_transmission_the_tutor_and_the_centre_write_nothing(client, designated, rh, candidat, manager, evaluator2, tutor, organisme_staff):
    dossier = designated
    fill_livret_evaluation(dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2)
    service.transmit_livret_evaluation(dossier, by=rh)
    with pytest.raises(WorkflowError, match="transmis"):
        service.save_tutor_review(dossier, by=tutor, data={"held_on": dt.date(2027, 1, 1), "with_whom": "x"})
    with pytest.raises(WorkflowError, match="transmis"):
        service.save_livret_suivi(dossier, by=organisme_staff, training_manager="x", modules=[])
    with pytest.raises(WorkflowError, match="transmis"):
        service.designate(dossier, by=rh, tutor=manager)
    with pytest.raises(WorkflowError, match="Transmission impossible"):
        service.transmit_livret_evaluation(dossier, by=rh)
    client.force_login(tutor)
    assert "Nouveau point" not in page(client.get(url("formation_tutorat", dossier)))


def test_without_organisme_the_rh_keeps_the_livret_de_suivi(client, candidat, rh, entreprise, organisme_staff, tutor):
    dossier = workflow.register_employee(
        by=rh, entreprise=entreprise, email=candidat.email, first_name="x", last_name="y", certification=Certification.objects.get(code="gpac"),
    )
    orient(dossier, rh)
    client.force_login(rh)
    assert client.get(url("formation_suivi_edit", dossier)).status_code == 200
    client.force_login(tutor)
    assert client.get(url("formation_suivi_edit", dossier)).status_code == 403


def test_a_vae_dossier_has_no_voie_formative_pages(client, candidat, organisme, organisme_staff):
    dossier = workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme)
    client.force_login(candidat)
    assert client.get(url("formation", dossier)).status_code == 404
    assert "Voie formative : suivi" not in page(client.get(dossier.get_absolute_url()))


def test_the_tutor_corrects_and_deletes_their_entries(client, designated, tutor):
    dossier = designated
    unit = units_of(dossier)[0]
    review = service.save_tutor_review(dossier, by=tutor, data={"held_on": dt.date(2027, 2, 2), "with_whom": "La candidate"})
    evaluation = service.save_intermediate_evaluation(dossier, unit, by=tutor, data={"held_on": dt.date(2027, 2, 1)})
    client.force_login(tutor)
    response = client.post(url("formation_review", dossier, pk=review.pk), {
        "held_on": "2027-02-03", "with_whom": "La candidate et le manager", "strengths": "Écoute"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.held_on == dt.date(2027, 2, 3) and review.strengths == "Écoute"
    # A review without date nor « avec » is refused in French.
    content = page(client.post(url("formation_review_new", dossier), {"held_on": "", "with_whom": ""}))
    assert "Indiquez la date du bilan." in content and "Indiquez avec qui le point a été fait." in content
    assert client.post(url("formation_tutor_delete", dossier, kind="grille", pk=evaluation.pk)).status_code == 302
    assert client.post(url("formation_tutor_delete", dossier, kind="point", pk=review.pk)).status_code == 302
    assert not TutorReview.objects.exists() and not IntermediateEvaluation.objects.exists()
