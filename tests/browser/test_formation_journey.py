"""Voie formative in a real browser (issue 9): from the company's inscription of an employee to the candidate
downloading the fiche de décision, each actor in their own browser context, through clicks and typing only.

Accounts and organisations are made with the factories (RH, tutor, the two evaluators, the organisme de
formation, OEMM, the four jury members); everything else happens on the pages. Screenshots (desktop and
mobile) of each main page go to tests/artifacts/screenshots/formation-*.png, and axe-core checks the main
pages for serious or critical accessibility problems.
"""

import datetime as dt
import io
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from candidates.enums import DossierState, LivretEvaluationState, scale_choices
from candidates.models import Dossier, EvaluationFormative, LivretEvaluation, UnitAssessment
from cqp.enums import EntrepriseFunction, Role
from jury.enums import Outcome
from jury.models import FicheDecision
from referentiels.models import Certification

from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role
from .formation_journey_support import (
    NEW_PASSWORD,
    autosaved,
    check_all,
    confirm,
    nav,
    open_dossier,
    person,
    success,
    travel,
)
from .next_action_support import expect_current_step, expect_next_action


def test_voie_formative_from_inscription_to_fiche_de_decision(
    site,
    referentiels,
    members,
    actor,
    anonymous,
    shot,
    axe,
    browser_errors,
    document_shot,
    request,
):
    today = timezone.localdate()
    iso = lambda day: day.isoformat()  # noqa: E731 - the value typed in a date field
    spsp = Certification.objects.get(code="spsp")
    sante = spsp.current_version.mentions.get(code="sante")
    entreprise = EntrepriseFactory(name="Mutuelle Solidaire")
    organisme = OrganismeFactory(
        name="Institut de Formation Mutualiste",
        agrement_from=today - dt.timedelta(days=365),
        agrement_to=today + dt.timedelta(days=3 * 365),
    )
    organisme.certifications.add(spsp)
    rh = user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.RH)
    tutor = user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.TUTEUR)
    manager = user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.MANAGER)
    evaluator2 = user_with_role(
        Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.EVALUATEUR
    )
    trainer = user_with_role(Role.ORGANISME, organisme=organisme)
    oemm = user_with_role(Role.OEMM)

    # 1. The RH registers an employee from the company's dashboard.
    rh_page = person(actor(rh.email))
    expect(rh_page.get_by_role("heading", level=1)).to_have_text("Mutuelle Solidaire")
    shot(rh_page, "formation-01-entreprise-dashboard")
    axe(rh_page)
    rh_page.get_by_role("link", name="Inscrire un salarié").click()
    expect(rh_page.get_by_role("heading", level=1)).to_contain_text("Inscrire un salarié de Mutuelle Solidaire")
    rh_page.get_by_label("Prénom").fill("Inès")
    rh_page.locator("#id_last_name").fill("Garnier")  # « Nom* » (required)
    rh_page.get_by_label("Adresse e-mail du salarié").fill("Ines.Garnier@exemple.fr")
    rh_page.get_by_label("CQP visé").select_option(label=str(spsp))
    rh_page.get_by_label("Mention").select_option(value=str(sante.pk))
    rh_page.get_by_label("Organisme de formation agréé (facultatif)").select_option(
        label="Institut de Formation Mutualiste"
    )
    shot(rh_page, "formation-02-inscription")
    axe(rh_page)
    rh_page.get_by_role("button", name="Inscrire le salarié").click()
    success(rh_page, "Inès Garnier est inscrit(e)")
    dossier = Dossier.objects.get()
    number = dossier.number
    assert (dossier.path, dossier.entreprise, dossier.organisme, dossier.mention) == (
        "formation",
        entreprise,
        organisme,
        sante,
    )
    expect(rh_page.get_by_role("heading", level=1)).to_have_text(f"Dossier {number} — Inès Garnier")
    expect_next_action(
        rh_page, "Désigner le tuteur et les deux évaluateurs", href=f"/dossiers/{number}/formation/designations/"
    )
    shot(rh_page, "formation-03-dossier-inscrit")
    axe(rh_page)

    # 2. The employee activates the account from the invitation e-mail.
    invitation = next(m for m in mail.outbox if m.to == ["ines.garnier@exemple.fr"])
    link = re.search(r"https?://\S+/invitation/\S+", invitation.body).group(0)
    candidate_page = person(anonymous())
    candidate_page.goto(link)
    candidate_page.get_by_label("Choisissez un mot de passe").fill(NEW_PASSWORD)
    candidate_page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    candidate_page.get_by_role("button", name="Activer mon compte").click()
    success(candidate_page, "Votre compte est activé")
    expect(candidate_page.get_by_role("link", name=number)).to_be_visible()

    # 3. The organisme de formation conducts the entretien d'accueil: every compétence, every unit oriented
    #    to the formation, one module per unit (the guide gives three empty lines, saving gives more).
    trainer_page = person(actor(trainer.email))
    expect_next_action(
        trainer_page, "Conduire l'entretien d'accueil et d'orientation", href=f"/dossiers/{number}/entretien/saisie/"
    )
    open_dossier(trainer_page, number)
    trainer_page.get_by_role("link", name="Conduire l'entretien").click()
    expect(trainer_page.get_by_role("heading", level=1)).to_have_text("Entretien d'accueil et d'orientation")
    trainer_page.get_by_label("Fonction de l'intervieweur").fill("Conseillère formation")
    expect(trainer_page.get_by_label("Organisation (organisme de formation ou entreprise)")).to_have_value(
        "Institut de Formation Mutualiste"
    )
    check_all(trainer_page, "input[type=radio][name^=prereq_][value=oui]")
    best = scale_choices(dossier.version.entretien_scale)[-1][0]
    assert check_all(trainer_page, f"input[type=radio][name^=comp_][value={best}]") == 28
    assert check_all(trainer_page, f"input[type=radio][name^=savoir_][value={best}]") > 0  # savoirs (seed 001)
    units = trainer_page.locator("select[name^=unit_]")
    assert units.count() == 5
    unit_values = []
    for i in range(5):
        units.nth(i).select_option("formation")
        unit_values.append(units.nth(i).get_attribute("name").removeprefix("unit_"))

    def module_row(page, i):
        page.locator(f"[name=modules-{i}-unit]").select_option(unit_values[i])
        page.locator(f"[name=modules-{i}-title]").fill(f"Module {i + 1} : processus de prestations")
        page.locator(f"[name=modules-{i}-hours]").fill("60")
        page.locator(f"[name=modules-{i}-start_on]").fill(iso(today + dt.timedelta(days=7 + 14 * i)))
        page.locator(f"[name=modules-{i}-end_on]").fill(iso(today + dt.timedelta(days=20 + 14 * i)))

    for i in range(3):
        module_row(trainer_page, i)
    trainer_page.get_by_label("Synthèse de l'entretien").fill(
        "Candidate motivée, solide expérience des prestations santé."
    )
    trainer_page.get_by_label("Recommandations (voie d'accès, accompagnement…)").fill(
        "Voie formative, parcours de 300 h."
    )
    autosaved(trainer_page)
    trainer_page.get_by_role("button", name="Enregistrer", exact=True).click()
    success(trainer_page, "Enregistré à")
    for i in (3, 4):
        module_row(trainer_page, i)
    autosaved(trainer_page)
    expect(trainer_page.locator("body")).to_contain_text("Total du parcours : 300 h")
    shot(trainer_page, "formation-04-entretien-saisie")
    axe(trainer_page)
    trainer_page.get_by_role("button", name="Enregistrer et valider…").click()
    expect(trainer_page.get_by_role("heading", level=1)).to_have_text("Valider l'entretien d'accueil (intervieweur)")
    confirm(trainer_page, "Je confirme que l'entretien est complet", "Valider l'entretien")
    success(trainer_page, "Entretien validé")
    assert dossier.entretien.modules.count() == 5

    # 4. The candidate reads and validates the entretien: the dossier is oriented.
    nav(candidate_page, "Mon tableau de bord")
    expect_next_action(
        candidate_page, "Relire et valider votre entretien d'accueil", href=f"/dossiers/{number}/entretien/"
    )
    open_dossier(candidate_page, number)
    candidate_page.get_by_role("link", name="Relire et valider mon entretien").click()
    shot(candidate_page, "formation-05-entretien-validation-candidat")
    axe(candidate_page)
    candidate_page.get_by_label("Vos observations (facultatif)").fill("D'accord avec ce parcours.")
    confirm(candidate_page, "J'ai lu le compte rendu de l'entretien et je le valide", "Valider mon entretien")
    success(candidate_page, "Entretien validé : votre dossier passe à l'étape suivante")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ORIENTE

    # 5. The RH designates the tutor and the two evaluators.
    nav(rh_page, "Tableau de bord")
    open_dossier(rh_page, number)
    rh_page.get_by_role("link", name="Désigner le tuteur et les évaluateurs").click()
    rh_page.get_by_label("Tuteur", exact=True).select_option(str(tutor.pk))
    rh_page.get_by_label("Évaluateur 1 : le responsable hiérarchique du candidat").select_option(str(manager.pk))
    rh_page.get_by_label("Fonction de l'évaluateur 1").fill("Responsable du service prestations")
    rh_page.get_by_label("Évaluateur 2 : une autre personne expérimentée (tuteur, formateur interne…)").select_option(
        str(evaluator2.pk)
    )
    rh_page.get_by_label("Fonction de l'évaluateur 2").fill("Formatrice interne")
    shot(rh_page, "formation-06-designations")
    axe(rh_page)
    rh_page.get_by_role("button", name="Enregistrer les désignations").click()
    success(rh_page, "Désignations enregistrées")
    expect(rh_page.get_by_role("heading", level=1)).to_have_text(
        "Voie formative : suivi de la formation et évaluation finale"
    )

    # 6. The organisme keeps the livret de suivi: the modules come from the parcours; one formative evaluation
    #    per unit, filled (autosaved) and signed.
    trainer_page.get_by_role("link", name=f"Dossier {number}").click()
    trainer_page.get_by_role("link", name="Livret de suivi", exact=True).click()
    trainer_page.get_by_role("link", name="Commencer le livret").click()
    expect(trainer_page.locator("[name=modules-0-title]")).to_have_value("Module 1 : processus de prestations")
    trainer_page.get_by_label("Responsable de formation").fill("Claire Martin")
    trainer_page.locator("[name=modules-0-content]").fill("Études de cas, méthode active.")
    autosaved(trainer_page)
    trainer_page.get_by_role("link", name="Retour au livret").click()
    expect(trainer_page.locator("#parcours")).to_be_visible()
    expect(trainer_page.locator("body")).to_contain_text("Études de cas, méthode active.")
    for n in range(5):
        trainer_page.get_by_role("link", name="Saisir l'évaluation formative").first.click()
        expect(trainer_page.get_by_role("heading", level=1)).to_contain_text("Évaluation formative —")
        check_all(trainer_page, "input[type=radio][name^=crit_][value=acquis]")
        trainer_page.get_by_label("Date de l'évaluation formative").fill(iso(today))
        trainer_page.get_by_label("Nom du formateur ayant procédé à l'évaluation").fill("Claire Martin")
        trainer_page.get_by_label("Objectifs de progression").fill("Consolider l'analyse des dossiers complexes.")
        trainer_page.get_by_label("Objectif atteint", exact=True).check()
        autosaved(trainer_page)
        if n == 0:
            shot(trainer_page, "formation-07-evaluation-formative")
            axe(trainer_page)
        trainer_page.get_by_role("button", name="Enregistrer et signer…").click()
        confirm(
            trainer_page, "Je confirme les résultats de cette évaluation formative", "Signer l'évaluation formative"
        )
        success(trainer_page, "Évaluation formative signée")
    assert EvaluationFormative.objects.filter(livret__dossier=dossier, signed_at__isnull=False).count() == 5
    expect(trainer_page.get_by_role("link", name="Saisir l'évaluation formative")).to_have_count(0)
    shot(trainer_page, "formation-08-livret-de-suivi")
    axe(trainer_page)

    # 7. The tutor: a grille intermédiaire and a point d'étape.
    tutor_page = person(actor(tutor.email))
    open_dossier(tutor_page, number)
    tutor_page.get_by_role("link", name="Tutorat", exact=True).click()
    tutor_page.get_by_role("link", name="Nouvelle évaluation intermédiaire").first.click()
    tutor_page.get_by_label("Date de l'évaluation").fill(iso(today))
    check_all(tutor_page, "input[type=radio][name^=crit_][value=a_ameliorer]")
    tutor_page.get_by_label("Objectifs de progression").fill("Gagner en autonomie sur les contrats collectifs.")
    shot(tutor_page, "formation-09-grille-intermediaire")
    axe(tutor_page)
    tutor_page.get_by_role("button", name="Enregistrer", exact=True).click()
    success(tutor_page, "Enregistré")
    tutor_page.get_by_role("link", name="Nouveau point").click()
    tutor_page.get_by_label("Bilan effectué le").fill(iso(today))
    expect(tutor_page.get_by_label("Avec")).to_have_value("Inès Garnier")
    tutor_page.get_by_label("Points forts").fill("Rigueur et sens du service.")
    tutor_page.get_by_label("Objectifs de progression").fill("Autonomie sur les réclamations.")
    tutor_page.get_by_role("button", name="Enregistrer", exact=True).click()
    success(tutor_page, "Enregistré")
    expect(tutor_page.locator("#points").locator("xpath=../..")).to_contain_text("Rigueur et sens du service.")
    expect(tutor_page.locator("body")).to_contain_text("À améliorer")
    shot(tutor_page, "formation-10-tutorat")
    axe(tutor_page)

    # The training runs its course: the last module planned at the entretien ends 76 days from now, and the final
    # evaluation comes after the parcours (issue 14: the livret is transmitted only with its hours done). Some
    # weeks later, everyone logs in again.
    today = today + dt.timedelta(days=80)
    travel(request, today, dt.time(9, 0))
    candidate_page = person(actor("ines.garnier@exemple.fr", NEW_PASSWORD))
    rh_page = person(actor(rh.email))

    # 8. Évaluation finale en entreprise, the candidate's part: written (autosaved), then signed.
    nav(candidate_page, "Mon tableau de bord")
    expect_next_action(
        candidate_page,
        "Rédiger et signer votre partie du livret d'évaluation finale",
        due=dossier.first_jury_deadline,
        due_label="Premier jury au plus tard le",
        href=f"/dossiers/{number}/formation/evaluation-finale/candidat/",
    )
    open_dossier(candidate_page, number)
    expect_current_step(candidate_page, "Évaluation finale")
    candidate_page.get_by_role("link", name="Livret d'évaluation finale", exact=True).click()
    candidate_page.get_by_role("link", name="Rédiger ma partie").click()
    candidate_page.get_by_label("Les activités que vous avez réalisées en entreprise").fill(
        "Traitement des dossiers complexes santé."
    )
    # One answer per question of the livret (seed 001: 4, 4, 3, 5 and 4 questions in the five domaines).
    answers = candidate_page.locator("textarea[name^=answer_]")
    assert answers.count() == 20
    for i in range(answers.count()):
        answers.nth(i).fill(f"Ce que j'ai réalisé, réponse {i + 1}.")
    autosaved(candidate_page)
    shot(candidate_page, "formation-11-partie-candidat")
    axe(candidate_page)
    candidate_page.get_by_role("button", name="Enregistrer et signer…").click()
    confirm(candidate_page, "J'ai rempli seul(e) les parties me concernant et je les signe", "Signer ma partie")
    success(candidate_page, "Votre partie du livret est signée")

    # 9. Each evaluator assesses and signs each unit; evaluator 1 fills the fiche de synthèse; both sign it.
    for slot, evaluator in ((1, manager), (2, evaluator2)):
        page = person(actor(evaluator.email))
        expect_next_action(page, "Évaluer : domaine", href=f"/evaluateur/{slot}/")
        open_dossier(page, number)
        page.get_by_role("link", name="Livret d'évaluation finale", exact=True).click()
        for n in range(5):
            page.get_by_role("link", name="Évaluer", exact=True).first.click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(f"Évaluation finale (évaluateur {slot})")
            page.get_by_label("Date de l'évaluation").fill(iso(today))
            page.get_by_label("Modalité d'évaluation mise en œuvre").fill("Entretien sur trois dossiers complexes.")
            check_all(page, "input[type=radio][name^=crit_][value=oui]")
            page.get_by_label("Le domaine est maîtrisé", exact=True).check()
            page.get_by_label("Commentaires de l'évaluateur").fill("Très bonne maîtrise.")
            autosaved(page)
            if slot == 1 and n == 0:
                shot(page, "formation-12-evaluation-finale-unite")
                axe(page)
            page.get_by_role("button", name="Enregistrer et signer…").click()
            confirm(page, "Je signe mon évaluation de cette unité", "Signer mon évaluation")
            success(page, "Votre évaluation est signée")
        if slot == 1:
            page.get_by_role("link", name="Remplir la fiche de synthèse").click()
            exercised = page.locator("select[name^=exercised_]")
            for i in range(exercised.count()):
                exercised.nth(i).select_option("oui")
            starts = page.locator("input[name^=from_]")
            for i in range(starts.count()):
                starts.nth(i).fill(iso(today))
            conditions = page.locator("textarea[name^=conditions_]")
            for i in range(conditions.count()):
                conditions.nth(i).fill("Observation et entretien sur dossiers.")
            autosaved(page)
            shot(page, "formation-13-fiche-de-synthese")
            axe(page)
            page.get_by_role("link", name="Retour au livret").click()
        page.get_by_role("link", name="Signer la fiche de synthèse et l'attestation…").click()
        expect(page.locator("blockquote")).to_contain_text(
            "déclare conformes et sincères les renseignements apportés dans ce dossier"
        )
        confirm(page, "Je signe la fiche de synthèse et l'attestation sur l'honneur ci-dessus.", "Signer")
        success(page, "Fiche de synthèse et attestation signées")
        page.context.close()
    assert UnitAssessment.objects.filter(signed_at__isnull=False).count() == 10

    # 10. The RH transmits the livret to the OEMM.
    nav(rh_page, "Tableau de bord")
    expect_next_action(
        rh_page,
        "Transmettre le livret d'évaluation finale à l'OEMM",
        href=f"/dossiers/{number}/formation/evaluation-finale/",
    )
    open_dossier(rh_page, number)
    rh_page.get_by_role("link", name="Suivi de la formation et progression").click()
    expect(rh_page.locator("#transmission").locator("xpath=..")).to_contain_text("Le livret est complet")
    shot(rh_page, "formation-14-progression")
    axe(rh_page)
    rh_page.get_by_role("link", name="Transmettre à l'OEMM…").click()
    expect(rh_page.locator("main")).to_contain_text("Évaluations formatives signées : 5 sur 5")
    confirm(rh_page, "Je confirme la transmission du livret complet à l'OEMM.", "Transmettre à l'OEMM")
    success(rh_page, "Livret d'évaluation finale transmis à l'OEMM")
    assert LivretEvaluation.objects.get(dossier=dossier).state == LivretEvaluationState.TRANSMIS

    # 11. The OEMM reads the livret d'évaluation finale and declares the dossier ready for the jury.
    oemm_page = person(actor(oemm.email))
    nav(oemm_page, "Dossiers")
    open_dossier(oemm_page, number)
    oemm_page.get_by_role("link", name="Livret d'évaluation finale", exact=True).click()
    expect(oemm_page.locator("main")).to_contain_text("Le domaine est maîtrisé")
    shot(oemm_page, "formation-15-livret-evaluation-finale")
    axe(oemm_page)
    with oemm_page.expect_download() as download_info:
        oemm_page.get_by_role("link", name="Livret d'évaluation finale imprimable (PDF)").click()
    with open(download_info.value.path(), "rb") as fh:
        document_shot("formation-15b-livret-evaluation-finale-pdf", fh.read())
    oemm_page.get_by_role("link", name=f"Dossier {number}").click()
    expect_next_action(oemm_page, "Déclarer le dossier prêt pour le jury", href="#voie-formative")
    with oemm_page.expect_download() as download_info:
        oemm_page.get_by_role("link", name="Livret de suivi (PDF)").click()
    with open(download_info.value.path(), "rb") as fh:
        document_shot("formation-15c-livret-de-suivi-pdf", fh.read())
    oemm_page.get_by_role("button", name="Marquer le dossier prêt pour le jury").click()
    success(oemm_page, f"Dossier {number} prêt pour le jury")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PRET_JURY
    assert "Déclarer ce dossier prêt pour le jury ?" in browser_errors.dialogs

    # 12. The OEMM creates a session (after the CQP's delay for the livret), composes the jury, adds and convokes.
    session_day = today + dt.timedelta(days=45)
    nav(oemm_page, "Sessions de jury")
    oemm_page.get_by_role("link", name="Nouvelle session").click()
    oemm_page.get_by_label(f"{spsp} — {spsp.certifier.name}", exact=True).check()  # the CQPs named with their certifier
    oemm_page.locator("#id_date").fill(iso(session_day))
    oemm_page.get_by_label("Heure de début").fill("09:00")
    oemm_page.get_by_label("Lieu", exact=True).fill("OEMM, 255 rue de Vaugirard, Paris")
    oemm_page.get_by_label("Nombre de candidats au plus").fill("6")
    oemm_page.get_by_role("button", name="Enregistrer la session").click()
    expect(oemm_page.get_by_role("heading", level=1)).to_contain_text("Session de jury du")
    for user in members.values():
        oemm_page.get_by_label("Membre de jury").select_option(str(user.pk))
        oemm_page.get_by_role("button", name="Ajouter au jury").click()
        expect(oemm_page.locator("#jury").locator("xpath=..")).to_contain_text(str(user))
    expect(oemm_page.locator("main")).to_contain_text("Jury paritaire")
    oemm_page.get_by_label("Dossier prêt pour le jury").select_option(str(dossier.pk))
    oemm_page.get_by_role("button", name="Ajouter", exact=True).click()
    # The convocation PDF is built in the server thread (Celery eager) before the redirect: give it time.
    oemm_page.get_by_role("button", name="Convoquer", exact=True).click(timeout=120_000)
    success(oemm_page, "Convocation envoyée à Inès Garnier")
    assert any(m.to == ["ines.garnier@exemple.fr"] and m.attachments for m in mail.outbox)
    shot(oemm_page, "formation-16-session-de-jury")
    axe(oemm_page)
    # The day of the session: a session opens on its date (issue 14).
    session_url = oemm_page.url
    travel(request, session_day, dt.time(8, 30))
    oemm_page = person(actor(oemm.email))
    oemm_page.goto(session_url)
    oemm_page.get_by_label("Président(e) de séance").select_option(str(members["emp1"].pk))
    oemm_page.get_by_role("button", name="Ouvrir la session").click()
    expect(oemm_page.locator("main")).to_contain_text("Présidence :")

    # 13. The president deliberates (every domaine validated) and signs the fiche de décision.
    president_page = person(actor(members["emp1"].email))
    president_page.locator("main").get_by_role("link").filter(has_text=session_day.strftime("%Y")).first.click()
    president_page.get_by_role("link", name="Inès Garnier").click()
    radios = president_page.get_by_label("Validé", exact=True)
    assert radios.count() == 5
    for i in range(5):
        radios.nth(i).check()
    shot(president_page, "formation-17-deliberation")
    axe(president_page)
    president_page.get_by_role("button", name="Enregistrer la délibération").click()
    expect(president_page.locator("#deliberation").locator("xpath=..")).to_contain_text("Validation totale")
    # The fiche's PDF is built in the server thread (Celery eager) before the redirect: give it time.
    president_page.get_by_role("button", name="Signer la fiche de décision").click(timeout=120_000)
    expect(president_page.get_by_role("link", name="télécharger la fiche de décision")).to_be_visible()
    fiche = FicheDecision.objects.get(session_candidate__dossier=dossier)
    assert fiche.outcome == Outcome.TOTALE and fiche.signed_by == members["emp1"]
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE

    # 14. The candidate finds the decision from the dashboard and downloads the fiche de décision.
    candidate_page = person(actor("ines.garnier@exemple.fr", NEW_PASSWORD))
    nav(candidate_page, "Mon tableau de bord")
    expect_next_action(
        candidate_page, "Consulter la décision du jury (validation totale)", href="/jury/sessions/mon-jury/"
    )
    candidate_page.get_by_role("link", name="Mes convocations et décisions du jury").click()
    expect(candidate_page.locator("main")).to_contain_text("Validation totale")
    shot(candidate_page, "formation-18-mon-jury")
    axe(candidate_page)
    with candidate_page.expect_download() as download_info:
        candidate_page.get_by_role("link", name="fiche de décision (PDF)").click()
    with open(download_info.value.path(), "rb") as fh:
        data = fh.read()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "GARNIER" in text.upper() and "Inès" in text
    assert "Spécialiste prestations" in text
    assert "Validation totale" in text or "validation totale" in text.lower()
