"""Issue 9: one VAE candidate from sign-up to the signed fiche de décision, in a real browser, page by page.

Each person acts in their own browser context (the candidate, the OEMM, the jury's president): sign-up and e-mail
confirmation, inscription to the CQP Conseiller offres de services by VAE, livret 1 with an uploaded PDF, recevabilité,
livret 2 with autosave and a reload in the middle of typing, submission, receipt, jury session (parity, president of
the employer college's turn), convocation, deliberation and signature, and the fiche de décision downloaded by the
candidate and read back. Screenshots (desktop and mobile) of each main page; axe-core on each of them.

Only staff accounts are made beforehand (the OEMM and four jury members); everything else is done through the pages.
"""

import datetime
import io
import re
import zoneinfo
from pathlib import Path

import time_machine
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from candidates.models import Dossier
from cqp.enums import Role
from vae.models import Livret1

from ..factories import user_with_role
from .next_action_support import expect_current_step, expect_next_action

CANDIDATE = {"first_name": "Claire", "last_name": "Fontaine", "email": "claire.fontaine@exemple.fr"}
CANDIDATE_PASSWORD = "Un-mot-de-passe-solide-2026"
CQP_TITLE = "Conseiller offres de services"
# Typed in the livret 2 just before the page is reloaded: it must come back from the autosaved draft.
RELOAD_TEXT = "J'ai accueilli un assuré en difficulté et j'ai analysé sa demande avec lui."


def pdf_bytes(title: str) -> bytes:
    """A small, real PDF document (what a candidate scans and uploads)."""
    return HTML(string=f"<h1>{title}</h1><p>Document justificatif de Claire Fontaine.</p>").write_pdf()


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def confirmation_link(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://\S+/inscription/confirmer/\S+/", message.body).group(0)


def choose(select, text: str):
    """Select the option of a <select> whose label contains ``text``."""
    labels = [label.strip() for label in select.locator("option").all_inner_texts()]
    matching = [label for label in labels if text in label]
    assert matching, f"« {text} » absent des choix : {labels}"
    select.select_option(label=matching[0])


def wait_saved(page):
    """The autosave status says « Enregistré à HH:MM » once the draft is stored."""
    page.locator("#autosave-status").get_by_text("Enregistré à").wait_for()


def test_vae_candidate_from_signup_to_signed_fiche(
    request, site, referentiels, members, actor, anonymous, shot, axe, browser_errors, document_shot
):
    today = timezone.localdate()
    oemm = user_with_role(Role.OEMM)

    # 1. Sign-up, then the link of the confirmation e-mail logs the candidate in.
    candidate = anonymous()
    candidate.goto("/")
    candidate.get_by_role("link", name="Créer un compte candidat").first.click()
    shot(candidate, "vae-01-inscription")
    axe(candidate)
    candidate.get_by_label("Prénom").fill(CANDIDATE["first_name"])
    candidate.locator("#id_last_name").fill(CANDIDATE["last_name"])
    candidate.get_by_label("Adresse e-mail").fill(CANDIDATE["email"])
    candidate.locator("#id_password1").fill(CANDIDATE_PASSWORD)
    candidate.get_by_label("Confirmation du mot de passe").fill(CANDIDATE_PASSWORD)
    candidate.get_by_role("button", name="Créer mon compte").click()
    candidate.get_by_role("heading", name="Confirmez votre adresse e-mail").wait_for()
    link = confirmation_link(CANDIDATE["email"])
    assert link.startswith(site)
    candidate.goto(link)
    candidate.get_by_text("Votre adresse est confirmée").wait_for()
    shot(candidate, "vae-02-tableau-de-bord-candidat")
    axe(candidate)

    # 2. Inscription by VAE to the CQP Conseiller offres de services.
    candidate.get_by_role("link", name="M'inscrire à un CQP par la VAE").click()
    choose(candidate.get_by_label("CQP visé"), CQP_TITLE)
    axe(candidate)
    candidate.get_by_role("button", name="M'inscrire").click()
    candidate.get_by_role("button", name="Remplir mon livret 1").wait_for()
    dossier_url = candidate.url
    dossier = Dossier.objects.get(candidate__email=CANDIDATE["email"])
    expect_next_action(
        candidate,
        "Remplir et envoyer votre livret 1",
        due=dossier.first_jury_deadline,
        due_label="Premier jury au plus tard le",
        href=f"/dossiers/{dossier.number}/#livret1",
    )
    expect_current_step(candidate, "Entretien d'accueil")
    shot(candidate, "vae-03-dossier")
    axe(candidate)

    # 3. Livret 1: every section typed in, two pieces uploaded (real PDFs), then sent with its confirmation.
    candidate.get_by_role("button", name="Remplir mon livret 1").click()
    candidate.get_by_role("heading", name="Livret 1 : demande de recevabilité à la VAE").wait_for()
    form = candidate.locator("#livret1-form")
    assert form.get_by_label("Nom de naissance").input_value() == CANDIDATE["last_name"]
    form.get_by_label("Prénoms").fill("Claire Anne")
    form.get_by_label("Femme", exact=True).check()
    form.get_by_label("Date de naissance").fill("1985-04-12")
    form.get_by_label("Lieu de naissance").fill("Lyon (France)")
    form.get_by_label("Nationalité").fill("française")
    form.get_by_label("Adresse", exact=True).fill("3 rue des Lilas\n69003 Lyon")
    form.get_by_label("Téléphone").fill("06 12 34 56 78")
    form.get_by_label("En emploi salarié", exact=True).check()
    form.get_by_label("Précisions").fill("Conseillère, CPAM du Rhône")
    form.get_by_label("Dernière classe suivie").fill("Terminale")
    form.get_by_label("Diplôme le plus élevé obtenu").fill("BTS Assurance")
    experience = form.locator(".experience-row").first
    experience.get_by_label("Emploi ou fonction").fill("Conseillère offres de services")
    experience.get_by_label("Organisation").fill("CPAM du Rhône")
    experience.get_by_label("Statut").select_option(label="Salarié")
    experience.get_by_label("Du").fill("2019-01-01")
    experience.get_by_label("Heures par semaine").fill("35")
    experience.get_by_label("Activités réalisées").fill("Accueil, information et orientation des assurés.")
    form.get_by_label("Je déclare sur l'honneur").check()
    form.get_by_label("Fait à").fill("Lyon")
    form.get_by_label("Le", exact=True).fill(today.isoformat())
    candidate.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_saved(candidate)
    pieces = candidate.locator("#pieces-zone")
    for kind, name in (("Pièce d'identité", "carte d'identité.pdf"), ("Attestation employeur", "attestation CPAM.pdf")):
        choose(pieces.get_by_label("Nature de la pièce"), kind)
        pieces.get_by_label("Fichier").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}
        )
        pieces.get_by_role("button", name="Déposer la pièce").click()
        candidate.locator("#pieces-zone").get_by_role("link", name=name).wait_for()
    shot(candidate, "vae-04-livret1")
    axe(candidate)
    candidate.get_by_role("link", name="Vérifier et envoyer").click()
    candidate.get_by_label("Je confirme l'envoi de mon livret 1").check()
    axe(candidate)
    candidate.get_by_role("button", name=re.compile("Envoyer")).click()
    candidate.wait_for_url(dossier_url)
    candidate.get_by_text("Soumis, en cours d'instruction").wait_for()
    assert any("Accusé de réception" in m.subject for m in mail.outbox)

    # 4. The OEMM instructs the demand: recevable.
    staff = actor(oemm.email)
    expect_next_action(staff, "Livrets 1 à instruire : 1", href="/oemm/files/livrets1-a-instruire/")
    shot(staff, "vae-05-tableau-de-bord-oemm")
    axe(staff)
    staff.get_by_role("link", name="Recevabilité").first.click()
    staff.get_by_role("heading", name=re.compile("livrets 1 à instruire")).wait_for()
    axe(staff)
    staff.get_by_role("row", name=re.compile(CANDIDATE["last_name"])).get_by_role("link", name="Instruire").click()
    shot(staff, "vae-06-instruction-livret1")
    axe(staff)
    staff.get_by_label("Recevable", exact=True).check()
    staff.get_by_label("Analyse des écarts").fill("Expérience conforme au référentiel d'activités.")
    staff.get_by_label("Je confirme cette décision").check()
    staff.get_by_role("button", name="Enregistrer la décision").click()
    staff.wait_for_url(re.compile(r"/vae/recevabilite/"))

    # 5. Livret 2: typed in, autosaved; the page is reloaded right after typing, nothing is lost.
    candidate.goto(dossier_url)
    candidate.get_by_text("Recevable").first.wait_for()
    valid_until = Livret1.objects.get(dossier=dossier, is_active=True).valid_until
    expect_next_action(
        candidate,
        "Rédiger et envoyer votre livret 2",
        due=valid_until or dossier.first_jury_deadline,
        due_label="Recevabilité valable jusqu'au" if valid_until else "Premier jury au plus tard le",
        href=f"/dossiers/{dossier.number}/#livret2-title",
    )
    expect_current_step(candidate, "Livret 2")
    # The printable livret 1 and the notification, from the dossier page (first pages next to the screenshots).
    for link, name in (
        ("Livret 1 imprimable (PDF)", "vae-04b-livret1-cerfa"),
        ("Notification (PDF)", "vae-06b-notification"),
    ):
        with candidate.expect_download() as download:
            candidate.get_by_role("link", name=link).click()
        document_shot(name, Path(download.value.path()).read_bytes())
    candidate.get_by_role("button", name="Remplir mon livret 2").click()
    candidate.get_by_role("heading", name="Livret 2 : dossier VAE").wait_for()
    form = candidate.locator("form[hx-post$='/livret2/enregistrer/']")
    first_answer = form.locator("textarea").nth(0)
    first_answer.fill(RELOAD_TEXT)
    wait_saved(candidate)
    candidate.reload()
    assert candidate.locator("form[hx-post$='/livret2/enregistrer/'] textarea").nth(0).input_value() == RELOAD_TEXT
    form = candidate.locator("form[hx-post$='/livret2/enregistrer/']")
    for i, field in enumerate(form.locator("textarea, input[type=text]").all()):
        if not field.input_value():
            field.fill(f"Réponse {i} : j'ai accueilli l'assuré, analysé sa demande et proposé une solution.")
    for fieldset in form.locator("fieldset").all():
        for situation in fieldset.locator(".border.rounded").all():
            boxes = situation.locator("input[type=checkbox]")
            for j in range(min(boxes.count(), 2)):
                boxes.nth(j).check()
    candidate.get_by_role("button", name="Enregistrer", exact=True).click()
    wait_saved(candidate)
    # The documents required before the jury (referentiels/expected_documents.py): a CV and a job description.
    zone = candidate.locator("#livret2-pieces-zone")
    for kind, name in (("Curriculum vitae", "cv.pdf"), ("Fiche de poste", "fiche de poste.pdf")):
        choose(zone.get_by_label("Nature de la pièce"), kind)
        zone.get_by_label("Fichier").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}
        )
        zone.get_by_role("button", name="Joindre la pièce").click()
        candidate.locator("#livret2-pieces-zone").get_by_role("link", name=name).wait_for()
    shot(candidate, "vae-07-livret2")
    axe(candidate)
    candidate.get_by_role("link", name="Vérifier et envoyer").click()
    axe(candidate)
    candidate.get_by_label(re.compile("Je confirme l'envoi")).check()
    candidate.get_by_role("button", name=re.compile("Envoyer")).click()
    candidate.wait_for_url(dossier_url)
    candidate.get_by_text("Envoyé, en attente de réception par l'OEMM").wait_for()

    # 6. The OEMM acknowledges receipt: the dossier is ready for the jury.
    staff.goto(dossier_url)
    expect_next_action(staff, "Enregistrer la réception du livret 2", href=f"/vae/{dossier.number}/livret2/")
    staff.get_by_role("link", name="Accuser réception").click()
    axe(staff)
    staff.get_by_label("Je confirme la réception").check()
    staff.get_by_role("button", name="Enregistrer la réception").click()
    staff.wait_for_url(dossier_url)

    # 7. The OEMM plans a session (two months ahead: the livret 2 must arrive a month before), composes a parity
    #    jury, adds the candidate and convokes.
    session_day = today + datetime.timedelta(days=62)
    staff.get_by_role("link", name="Sessions de jury").first.click()
    staff.get_by_role("link", name=re.compile("Nouvelle session|Créer une session|Planifier")).first.click()
    staff.get_by_label(re.compile(CQP_TITLE)).check()
    staff.get_by_label("Date").fill(session_day.isoformat())
    staff.get_by_label("Heure de début").fill("09:00")
    staff.get_by_label("Lieu").fill("Ucanss, Paris")
    axe(staff)
    staff.get_by_role("button", name="Enregistrer la session").click()
    staff.get_by_role("heading", name=re.compile("Session de jury du")).wait_for()
    session_url = staff.url
    for user in members.values():
        choose(staff.get_by_label("Membre de jury"), str(user))
        staff.get_by_role("button", name="Ajouter au jury").click()
        staff.get_by_role("listitem").filter(has_text=f"{user} — Collège").wait_for()
    staff.get_by_text("Jury professionnel au complet").wait_for()  # the Ucanss's jury (referentiels/certifiers.py)
    choose(staff.get_by_label("Dossier prêt pour le jury"), CANDIDATE["last_name"])
    staff.get_by_role("button", name="Ajouter", exact=True).click()
    staff.get_by_role("button", name="Convoquer", exact=True).click()
    staff.get_by_text("Version 1").wait_for()
    shot(staff, "vae-08-session")
    axe(staff)
    candidate.goto("/")
    expect_next_action(
        candidate, "Vous présenter au jury à 09:00", due=session_day, due_label="Le", href="/jury/sessions/mon-jury/"
    )
    expect_current_step(candidate, "Jury")

    # 8. The day of the session (a session opens on its date and its fiches are signed on it: issue 14), everyone
    #    logs in again. Start of the session: the president comes from the employer college (first session of this
    #    CQP).
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    traveller = time_machine.travel(datetime.datetime.combine(session_day, datetime.time(8, 30), tzinfo=paris))
    traveller.start()
    request.addfinalizer(traveller.stop)
    staff = actor(oemm.email)
    staff.goto(session_url)
    choose(staff.get_by_label("Président(e) de séance"), str(members["emp1"]))
    staff.get_by_role("button", name="Ouvrir la session").click()
    staff.get_by_text("Présidence :").wait_for()

    # 9. The president deliberates (every unit validated) and signs, after the confirmation dialog.
    president = actor(members["emp1"].email)
    expect_next_action(president, "Délibérer : Claire Fontaine", due=session_day, due_label="Le", href="#deliberation")
    president.goto(session_url)
    president.get_by_role("link", name=re.compile(CANDIDATE["last_name"])).click()
    shot(president, "vae-09-deliberation")
    axe(president)
    for radio in president.get_by_label("Validé", exact=True).all():
        radio.check()
    president.get_by_role("button", name="Enregistrer la délibération").click()
    # The fiche's PDF (and the certificate's) are built in the server thread (eager Celery): allow for it.
    with president.expect_navigation(timeout=90_000):
        president.get_by_role("button", name="Signer la fiche de décision").click(timeout=90_000)
    president.get_by_text(re.compile("Signée par .* verrouillée")).wait_for()
    assert any("Signer la fiche de décision" in d for d in browser_errors.dialogs)
    president.reload()
    president.get_by_role("link", name="télécharger la fiche de décision").wait_for()
    shot(president, "vae-10-fiche-signee")
    axe(president)

    # 10. The candidate downloads the fiche de décision: their name, the CQP and the decision are in it.
    candidate = actor(CANDIDATE["email"], CANDIDATE_PASSWORD)
    candidate.goto("/")
    expect_next_action(
        candidate,
        "Consulter la décision du jury (validation totale)",
        due=session_day,
        due_label="Rendue le",
        href="/jury/sessions/mon-jury/",
    )
    candidate.get_by_role("link", name="Mes convocations et décisions du jury").click()
    shot(candidate, "vae-11-mon-jury")
    axe(candidate)
    with candidate.expect_download() as download:
        candidate.get_by_role("link", name="fiche de décision (PDF)").click()
    fiche_pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(fiche_pdf)
    # The first page of each official document, next to the pages' screenshots.
    from jury.models import Certificate, Convocation

    document_shot("vae-12-fiche-de-decision", fiche_pdf)
    with Convocation.objects.latest("id").pdf.open("rb") as fh:
        document_shot("vae-13-convocation", fh.read())
    with Certificate.objects.latest("id").pdf.open("rb") as fh:
        document_shot("vae-14-certificat", fh.read())
    assert "Claire" in text and CANDIDATE["last_name"].upper() in text.upper()
    assert CQP_TITLE in text
    assert "Validation totale" in text or "VALIDATION TOTALE" in text.upper()
