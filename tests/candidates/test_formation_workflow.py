"""Voie formative: from the company's inscription to « prêt pour le jury » (the rules on the way:
test_formation_rules.py)."""

import datetime as dt

import time_machine
from django.core import mail

from candidates import workflow
from candidates.enums import DossierState, LivretEvaluationState
from candidates.models import (
    DossierEvent,
    EvaluationFormative,
    FormationDesignation,
    LivretEvaluation,
    SuiviModule,
    UnitAssessment,
)
from cqp.enums import EntrepriseFunction, NotificationKind, Role
from cqp.models import User
from notifications.models import Notification
from referentiels.enums import CriterionKind

from ..autosave_support import post_as_page
from ..factories import user_with_role
from .formation_support import (
    HTMX,
    PARIS,
    assessment_post,
    candidate_post,
    criteria,
    formative_post,
    orient,
    page,
    spsp,
    synthesis_post,
    units_of,
    url,
)

# --- the whole journey --------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False)
def test_a_formative_dossier_is_completed_by_its_actors_up_to_ready_for_jury(
    client,
    referentiels,
    candidat,
    entreprise,
    rh,
    manager,
    organisme,
    organisme_staff,
    oemm,
    on_commit,
):
    # The company registers its employee; the organisme conducts the entretien; the dossier is oriented.
    certification = spsp()
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
        response = client.post(
            url("formation_designations", dossier),
            {
                "invite": "1",
                "email": "nadia.roux@exemple.fr",
                "first_name": "Nadia",
                "last_name": "Roux",
                "function": "tuteur",
            },
        )
    assert response.status_code == 302
    tutor = User.objects.get(email="nadia.roux@exemple.fr")
    assert tutor.roles.get(role=Role.ENTREPRISE).entreprise == entreprise
    assert any(m.to == [tutor.email] for m in mail.outbox)  # the invitation
    evaluator2 = user_with_role(
        Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR
    )
    # Evaluator 1 and evaluator 2 must be two people.
    response = client.post(
        url("formation_designations", dossier),
        {"designate": "1", "tutor": tutor.pk, "evaluator1": manager.pk, "evaluator2": manager.pk},
    )
    assert response.status_code == 200 and "doit être une autre personne" in page(response)
    mail.outbox.clear()
    with on_commit():
        response = client.post(
            url("formation_designations", dossier),
            {
                "designate": "1",
                "tutor": tutor.pk,
                "evaluator1": manager.pk,
                "evaluator1_function": "Responsable prestations",
                "evaluator2": evaluator2.pk,
                "evaluator2_function": "Formatrice interne",
            },
        )
    assert response.status_code == 302
    designation = FormationDesignation.objects.get(dossier=dossier)
    assert (designation.tutor, designation.evaluator1, designation.evaluator2) == (tutor, manager, evaluator2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([tutor.email, manager.email, evaluator2.email])

    # 2. The organisme keeps the livret de suivi: modules prefilled from the parcours, then formative evaluations.
    client.force_login(organisme_staff)
    response = client.get(url("formation_suivi_edit", dossier))
    assert response.status_code == 200 and 'value="Module 1"' in page(response) and 'hx-post="' in page(response)
    # The parcours planned at the entretien (60 h per unit) followed, module by module, before today.
    modules = {
        "modules-TOTAL_FORMS": str(len(units)),
        "modules-INITIAL_FORMS": "0",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
        "training_manager": "Claire Martin",
    }
    for i, unit in enumerate(units):
        modules.update(
            {
                f"modules-{i}-unit": str(unit.pk),
                f"modules-{i}-title": "Processus santé approfondis" if i == 0 else f"Module {i + 1}",
                f"modules-{i}-hours": "60",
                f"modules-{i}-start_on": "2026-09-07",
                f"modules-{i}-end_on": "2026-10-30",
                f"modules-{i}-content": "Études de cas, méthode active." if i == 0 else "",
            }
        )
    response = post_as_page(client, url("formation_suivi_edit", dossier), modules, headers=HTMX)
    assert "Enregistré à 10:00" in page(response)
    assert SuiviModule.objects.get(position=0).content == "Études de cas, méthode active."
    for unit in units:
        response = post_as_page(
            client, url("formation_formative", dossier, unit_id=unit.pk), formative_post(unit), headers=HTMX
        )
        assert "Enregistré à" in page(response), page(response)
        assert "Je confirme" in page(client.get(url("formation_formative_sign", dossier, unit_id=unit.pk)))
        response = client.post(url("formation_formative_sign", dossier, unit_id=unit.pk), {"confirm": "on"})
        assert response.status_code == 302
    assert EvaluationFormative.objects.filter(signed_at__isnull=False).count() == 5
    suivi_page = page(client.get(url("formation_suivi", dossier)))
    assert (
        "Objectif atteint" in suivi_page
        and "21 novembre 2026" in suivi_page  # the clock is frozen on 23 November
        and "Processus santé approfondis" in suivi_page
    )

    # 3. The tutor writes an intermediate evaluation and a « faire le point » review.
    client.force_login(tutor)
    first_intermediate = criteria(units[0], CriterionKind.INTERMEDIATE)
    data = {"held_on": "2026-11-01", "progress_objectives": "Gagner en autonomie."}
    data.update({f"crit_{c.pk}": "a_ameliorer" for c in first_intermediate})
    assert client.post(url("formation_intermediate_new", dossier, unit_id=units[0].pk), data).status_code == 302
    response = client.post(
        url("formation_review_new", dossier),
        {
            "held_on": "2026-11-02",
            "with_whom": "La candidate et sa formatrice",
            "strengths": "Rigueur",
            "progress_objectives": "Autonomie",
        },
    )
    assert response.status_code == 302
    tutorat = page(client.get(url("formation_tutorat", dossier)))
    assert "2 novembre 2026" in tutorat and "Rigueur" in tutorat and "À améliorer" in tutorat

    # 4. The candidate writes their part (autosave) and signs it.
    client.force_login(candidat)
    data = candidate_post(
        units, text=lambda u: f"Ce que j'ai fait pour le domaine {u.number}.", activities="Traitement santé."
    )
    assert "Enregistré à" in page(post_as_page(client, url("formation_candidate", dossier), data, headers=HTMX))
    response = client.post(url("formation_candidate_sign", dossier), {"confirm": "on"})
    assert response.status_code == 302

    # 5. Each evaluator assesses and signs each unit, then the fiche de synthèse and the sworn statement.
    for slot, person in ((1, manager), (2, evaluator2)):
        client.force_login(person)
        for unit in units:
            edit = page(client.get(url("formation_assessment", dossier, unit_id=unit.pk, slot=slot)))
            if unit.evaluation_modality:
                assert unit.evaluation_modality[:40] in edit
            response = post_as_page(
                client,
                url("formation_assessment", dossier, unit_id=unit.pk, slot=slot),
                assessment_post(unit),
                headers=HTMX,
            )
            assert "Enregistré à" in page(response), page(response)
            response = client.post(
                url("formation_assessment_sign", dossier, unit_id=unit.pk, slot=slot), {"confirm": "on"}
            )
            assert response.status_code == 302
        if slot == 1:
            response = post_as_page(client, url("formation_synthesis", dossier), synthesis_post(units), headers=HTMX)
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
    # The OEMM is told in the app, and by e-mail in its daily digest (notifications/, issue 14).
    notification = Notification.objects.get(recipient=oemm, kind=NotificationKind.LIVRET_EVALUATION_RECEIVED)
    assert "Livret d'évaluation finale transmis" in notification.message and notification.dossier == dossier

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
    for action in [
        "formation_invite",
        "formation_designate",
        "livret_suivi_start",
        "evaluation_formative_sign",
        "intermediate_evaluation",
        "tutor_review",
        "livret_evaluation_sign_candidate",
        "unit_assessment_sign",
        "livret_evaluation_sign_evaluator1",
        "livret_evaluation_sign_evaluator2",
        "transmit_livret_evaluation",
        "mark_ready_for_jury",
    ]:
        assert action in actions
    assert actions[-1] == "mark_ready_for_jury"
    # Read-only for everyone from now on.
    client.force_login(candidat)
    response = post_as_page(client, url("formation_candidate", dossier), data, follow=True)
    assert "n'est plus modifiable" in page(response) or "plus modifiable" in page(response)
