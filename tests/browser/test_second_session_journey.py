"""Issue 14: the road after a validation partielle, in Chromium.

A VAE candidate (CQP Conseiller offres de services) left a first jury with activities 1 to 3 validated and activity 4
missing. The candidate sees, on the dashboard and the dossier page, the acquired units with their end of validity,
the missing unit, the jury's prescriptions and the approved centres; the OEMM presents the same dossier again; the
candidate completes the livret 2 for activity 4 only and sends it; the OEMM acknowledges it and finds the dossier in
the cockpit queue, places it in a session (the session page says it is a new presentation), opens the session; the
president deliberates on activity 4 only and signs: validation totale, the certificate follows. axe-core on each page.
"""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from candidates.enums import DossierState
from cqp.enums import Role
from jury import workflow
from jury.models import Certificate
from vae import workflow as vae_workflow

from ..factories import OrganismeFactory, give_jury_documents, user_with_role
from ..jury.conftest import on_day, planned_session
from ..vae.conftest import complete
from ..vae.livret2_support import fill, register
from .next_action_support import expect_next_action
from .test_vae_journey import choose, wait_saved

NEW_ANSWER = "Situation nouvelle : j'ai conduit un rendez-vous des droits avec une allocataire et suivi son dossier."


def partially_validated(oemm, members):
    """A cos dossier whose livret 2 was received, then a first jury (40 days ago): activities 1-3 validated."""
    candidate = user_with_role(Role.CANDIDAT)
    candidate.first_name, candidate.last_name = "Claire", "Fontaine"
    candidate.save(update_fields=["first_name", "last_name"])
    centre = OrganismeFactory(
        name="Institut de Formation Mutualiste",
        agrement_from=datetime.date(2020, 1, 1),
        agrement_to=datetime.date(2099, 12, 31),
    )
    dossier = register(candidate)
    centre.certifications.add(dossier.certification)
    livret1 = complete(vae_workflow.start_livret1(dossier, by=candidate), candidate)
    vae_workflow.submit_livret1(livret1, by=candidate)
    vae_workflow.declare_recevable(livret1, by=oemm)
    livret2 = vae_workflow.start_livret2(dossier, by=candidate)
    fill(livret2, candidate)
    vae_workflow.submit_livret2(livret2, by=candidate)
    vae_workflow.acknowledge_livret2(livret2, by=oemm)
    give_jury_documents(dossier)
    dossier.refresh_from_db()
    day = timezone.localdate() - datetime.timedelta(days=40)
    session = planned_session(by=oemm, codes={"cos"}, day=day, members=members, dossiers=[dossier])
    with on_day(day):  # a session opens on its date and its fiche is signed on it
        workflow.open_session(session, by=oemm, president=members["emp1"])
        passage = session.candidates.get()
        decisions = {u.pk: u.number != 4 for u in dossier.version.units.all()}
        fiche = workflow.record_deliberation(
            passage,
            by=members["emp2"],
            decisions=decisions,
            experience_to_deepen="Rendez-vous des droits en face à face",
            modules_to_follow="Module « Accompagner l'allocataire »",
        )
        workflow.sign_fiche(fiche, by=members["emp1"])
        workflow.close_session(session, by=oemm)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    return candidate, dossier


def test_a_partial_validation_goes_back_to_a_second_session_and_reaches_totale(
    site, referentiels, members, actor, shot, axe, browser_errors
):
    oemm = user_with_role(Role.OEMM)
    candidate_user, dossier = partially_validated(oemm, members)
    dossier_url = dossier.get_absolute_url()

    # 1. The candidate's dashboard: acquired units and until when, the missing unit, prescriptions, centres.
    candidate = actor(candidate_user.email)
    block = candidate.get_by_role("heading", name=re.compile("Validation partielle"))
    block.wait_for()
    body = candidate.inner_text("main")
    assert "Activité 4" in body and "Rendez-vous des droits en face à face" in body
    assert "Institut de Formation Mutualiste" in body and "Valable jusqu'au" in body
    shot(candidate, "partielle-01-tableau-de-bord")
    axe(candidate)

    # 2. The dossier page says the same; the candidate has no button to send it back (OEMM does).
    with candidate.expect_navigation():
        candidate.get_by_role("link", name=f"dossier {dossier.number}").click()
    candidate.get_by_role("heading", name="Unités à présenter au jury").wait_for()
    assert candidate.get_by_role("button", name=re.compile("Représenter au jury")).count() == 0
    shot(candidate, "partielle-02-dossier")
    axe(candidate)

    # 3. The OEMM presents the dossier again for its missing unit (after the confirmation dialog).
    staff = actor(oemm.email)
    staff.goto(dossier_url)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Représenter au jury pour les unités manquantes").click()
    staff.get_by_text(re.compile("repart vers le jury")).wait_for()
    assert any("Représenter ce dossier au jury" in d for d in browser_errors.dialogs)
    staff.get_by_text("Validation partielle : unités manquantes à présenter").first.wait_for()
    shot(staff, "partielle-03-dossier-oemm")
    axe(staff)

    # 4. The candidate completes the livret 2 for activity 4 only (the acquired activities are read-only) and sends it.
    candidate.goto("/")
    expect_next_action(
        candidate, "Compléter votre livret 2 pour les unités à présenter", href=f"/vae/{dossier.number}/livret2/"
    )
    candidate.goto(dossier_url)
    with candidate.expect_navigation():
        candidate.get_by_role("link", name="Ouvrir le livret 2").click()
    candidate.get_by_text("Nouvelle présentation au jury").wait_for()
    assert candidate.locator("#section-unite-1").get_attribute("disabled") is not None
    section = candidate.locator("#section-unite-4")
    section.locator("textarea").first.fill(NEW_ANSWER)
    wait_saved(candidate)
    shot(candidate, "partielle-04-livret2")
    axe(candidate)
    candidate.get_by_role("link", name="Vérifier et envoyer").click()
    candidate.get_by_label(re.compile("Je confirme l'envoi")).check()
    candidate.get_by_role("button", name=re.compile("Envoyer")).click()
    candidate.wait_for_url(re.compile(re.escape(dossier_url) + "$"))
    candidate.get_by_text("Envoyé, en attente de réception par l'OEMM").wait_for()

    # 5. The OEMM acknowledges receipt; the dossier is in the cockpit queue, marked as a new presentation.
    staff.goto(dossier_url)
    staff.get_by_role("link", name="Accuser réception").click()
    staff.get_by_label("Je confirme la réception").check()
    staff.get_by_role("button", name="Enregistrer la réception").click()
    staff.wait_for_url(re.compile(re.escape(dossier_url) + "$"))
    staff.goto(reverse("oemm_queue", kwargs={"key": "dossiers-a-placer"}))
    staff.get_by_text(re.compile("nouvelle présentation : unités manquantes")).wait_for()
    axe(staff)

    # 6. A session today: the OEMM places the dossier (the page names the unit to present) and opens the session.
    session = planned_session(by=oemm, codes={"cos"}, day=timezone.localdate(), members=members)
    staff.goto(reverse("jury:session", args=[session.pk]))
    choose(staff.get_by_label("Dossier prêt pour le jury"), "nouvelle présentation")
    staff.get_by_role("button", name="Ajouter", exact=True).click()
    staff.get_by_text(re.compile("Nouvelle présentation, unités à présenter : activité 4")).wait_for()
    shot(staff, "partielle-05-session")
    axe(staff)
    choose(staff.get_by_label("Président(e) de séance"), str(members["sal1"]))
    staff.get_by_role("button", name="Ouvrir la session").click()
    staff.get_by_text("Présidence :").wait_for()

    # 7. The president deliberates on activity 4 only (the others are carried by the ledger) and signs.
    president = actor(members["sal1"].email)
    president.goto(reverse("jury:session", args=[session.pk]))
    president.get_by_role("link", name=re.compile("Fontaine")).click()
    radios = president.get_by_label("Validé", exact=True)
    assert radios.count() == 1
    radios.first.check()
    shot(president, "partielle-06-deliberation")
    axe(president)
    president.get_by_role("button", name="Enregistrer la délibération").click()
    with president.expect_navigation(timeout=90_000):
        president.get_by_role("button", name="Signer la fiche de décision").click(timeout=90_000)
    president.get_by_text(re.compile("Signée par .* verrouillée")).wait_for()

    # 8. Validation totale: the certificate; the candidate's dashboard no longer shows a partial validation.
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    certificate = Certificate.objects.get(dossier=dossier, revoked_at__isnull=True)
    assert certificate.fiche.outcome == "totale"
    candidate.goto("/")
    candidate.get_by_role("heading", name=re.compile("Bonjour")).wait_for()
    assert candidate.get_by_role("heading", name=re.compile("Validation partielle")).count() == 0
    shot(candidate, "partielle-07-tableau-de-bord-apres")
    axe(candidate)
