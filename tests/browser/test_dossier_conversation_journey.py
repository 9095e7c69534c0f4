"""A conversation on an incomplete livret 1 in a real browser (issue 21, « Done when »).

The candidate and the OEMM, each in their own browser context. The OEMM marks one piece « Illisible, à remplacer »
and writes a message with an attachment asking for a readable copy; the candidate reads it (the OEMM sees the read
receipt), replies with an attachment, replaces the one piece marked « à remplacer » and sends it again; the OEMM sees
the replaced piece and accepts it. Then the OEMM declares the livret 1 incomplete (the other way the product sends a
livret back): the candidate reads what is missing, sends the livret again, and the accepted piece stays accepted.
Outsiders (another candidate, another centre, a jury member) get a 404 on the thread and on its attachment.
Everything is checked through the pages.
"""

import re

from django.urls import reverse
from weasyprint import HTML

from cqp.enums import Role
from messagerie.models import Message
from vae import workflow
from vae.uploads import check_upload

from ..factories import user_with_role
from ..vae.conftest import complete, upload
from ..vae.livret2_support import register

REASON = "La photo de la carte est floue : le nom ne se lit pas."
ASK = "Bonjour, votre carte d'identité est illisible. Pourriez-vous déposer une copie lisible ? Voici un exemple."
REPLY = "Bonjour, voici une copie scannée de meilleure qualité, je la dépose aussi dans mon livret."
MISSING = "Précisez le nombre d'heures par semaine de votre expérience au service prestations."


def pdf_file(name, title):
    data = HTML(string=f"<h1>{title}</h1><p>Document de Claire Fontaine.</p>").write_pdf()
    return {"name": name, "mimeType": "application/pdf", "buffer": data}


def test_conversation_on_an_incomplete_livret1(site, referentiels, actor, shot, axe, browser_errors):
    oemm = user_with_role(Role.OEMM)
    candidat = user_with_role(Role.CANDIDAT)
    # Made before the live server answers anything (SQLite: no write from the test while a request runs).
    outsiders = [user_with_role(Role.CANDIDAT), user_with_role(Role.ORGANISME), user_with_role(Role.JURY)]
    dossier = register(candidat)
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat, pieces=False)
    for kind, name in (("identite", "carte-identite.pdf"), ("attestation_employeur", "attestation.pdf")):
        workflow.add_piece(
            livret, by=candidat, kind=kind, checked=check_upload(upload(name, pdf_file(name, name)["buffer"]))
        )
    workflow.submit_livret1(livret, by=candidat)
    number = dossier.number
    thread_url = reverse("messagerie:thread", args=[number])
    decide_url = reverse("vae:livret1_decide", args=[number])
    livret_url = reverse("vae:livret1", args=[number])

    # 1. The OEMM, on the instruction page: each piece once, in « Examen des pièces »; one is illegible.
    staff = actor(oemm.email)
    staff.goto(decide_url)
    reviews = staff.locator("article.piece-review")
    reviews.first.wait_for()
    assert reviews.count() == 2
    assert staff.locator("#pieces-zone").count() == 0  # not listed a second time in section 8
    identity = reviews.filter(has_text="carte-identite.pdf")
    identity.get_by_label("Illisible, à remplacer").check()
    identity.get_by_label(re.compile("Motif")).fill(REASON)
    identity.get_by_role("button", name="Enregistrer l'avis").click()
    staff.get_by_text("Le candidat est prévenu.").wait_for()

    # 2. ...and writes to the candidate from there, with an example attached.
    staff.get_by_role("link", name=re.compile("^Messages")).first.click()
    staff.wait_for_url(f"**{thread_url}")
    staff.get_by_label("Votre message").fill(ASK)
    staff.get_by_label(re.compile("Pièce jointe")).set_input_files(pdf_file("exemple-copie-lisible.pdf", "Exemple"))
    staff.get_by_role("button", name="Envoyer le message").click()
    staff.get_by_text("Message envoyé.").wait_for()
    sent = staff.locator("article", has_text=ASK)
    sent.get_by_text("Pas encore lu.").wait_for()

    # 3. The candidate sees the unread message from the dossier page, reads it, downloads the attachment.
    candidate = actor(candidat.email)
    candidate.goto(dossier.get_absolute_url())
    link = candidate.get_by_role("link", name=re.compile("^Messages"))
    assert link.get_by_text("1").count() == 1  # one unread message
    link.click()
    candidate.wait_for_url(f"**{thread_url}")
    received = candidate.locator("article", has_text=ASK)
    received.get_by_text("nouveau").wait_for()
    with candidate.expect_download() as download:
        received.get_by_role("link", name=re.compile("exemple-copie-lisible.pdf")).click()
    assert download.value.suggested_filename == "exemple-copie-lisible.pdf"
    shot(candidate, "conversation-01-fil-candidat")
    axe(candidate)

    # 4. The OEMM sees the read receipt.
    staff.reload()
    receipt = staff.locator("article", has_text=ASK).get_by_text(re.compile(rf"Lu par {re.escape(str(candidat))} le"))
    receipt.wait_for()

    # 5. The candidate replies with an attachment.
    candidate.get_by_label("Votre message").fill(REPLY)
    candidate.get_by_label(re.compile("Pièce jointe")).set_input_files(pdf_file("carte-scannee.pdf", "Carte"))
    candidate.get_by_role("button", name="Envoyer le message").click()
    candidate.get_by_text("Message envoyé.").wait_for()
    candidate.locator("article", has_text=REPLY).get_by_text("Pas encore lu.").wait_for()

    # 6. ...replaces the one piece marked « à remplacer » and sends it again (the other piece has no form).
    candidate.goto(livret_url)
    zone = candidate.locator("#pieces-zone")
    zone.get_by_text(REASON).wait_for()
    assert zone.get_by_role("button", name="Remplacer et renvoyer").count() == 1
    shot(candidate, "conversation-02-pieces-candidat")
    axe(candidate)
    zone.get_by_label(re.compile("Pièce de remplacement")).set_input_files(
        pdf_file("carte-identite-nette.pdf", "Carte nette")
    )
    zone.get_by_role("button", name="Remplacer et renvoyer").click()
    candidate.get_by_text("remplacée et renvoyée").wait_for()

    # 7. The OEMM reads the reply (the candidate sees the receipt), then accepts the replaced piece.
    staff.reload()
    reply = staff.locator("article", has_text=REPLY)
    reply.get_by_role("link", name=re.compile("carte-scannee.pdf")).wait_for()
    shot(staff, "conversation-03-fil-oemm")
    axe(staff)
    candidate.goto(thread_url)
    candidate.locator("article", has_text=REPLY).get_by_text(re.compile(r"Lu par .+ le")).wait_for()
    staff.goto(decide_url)
    replaced = staff.locator("article.piece-review", has_text="carte-identite-nette.pdf")
    replaced.get_by_text("Remplacée, en attente d'examen").wait_for()
    shot(staff, "conversation-04-instruction")
    axe(staff)
    replaced.get_by_label("Acceptée").check()
    replaced.get_by_role("button", name="Enregistrer l'avis").click()
    staff.get_by_text("« carte-identite-nette.pdf » : acceptée").wait_for()

    # 8. The OEMM declares the livret 1 incomplete; the candidate reads what is missing and sends it again.
    # The page opened again at its top: after a verdict it is scrolled to « Examen des pièces », whose lazy thumbnails
    # may still move the layout while the decision card's radio is clicked (a CI run missed it once).
    staff.goto(decide_url)
    staff.wait_for_load_state("load")
    staff.get_by_label("Incomplet : retour au candidat").check()
    staff.get_by_label("Motif de la décision / éléments manquants").fill(MISSING)
    staff.get_by_label(re.compile("Je confirme cette décision")).check()
    staff.get_by_role("button", name="Enregistrer la décision").click()
    staff.get_by_text(re.compile("Décision enregistrée : Incomplet")).wait_for()
    candidate.goto(livret_url)
    candidate.get_by_text(MISSING).first.wait_for()
    accepted = candidate.locator("#pieces-zone tr", has_text="carte-identite-nette.pdf")
    accepted.get_by_text("Acceptée").wait_for()
    candidate.get_by_role("link", name="Vérifier et envoyer").first.click()
    candidate.get_by_label("Je confirme l'envoi de mon livret 1").check()
    candidate.get_by_role("button", name=re.compile("Envoyer")).click()
    candidate.get_by_text("Soumis, en cours d'instruction").first.wait_for()
    staff.goto(decide_url)
    again = staff.locator("article.piece-review", has_text="carte-identite-nette.pdf")
    again.locator(".badge", has_text="Acceptée").wait_for()

    # 9. Outsiders: a 404 on the thread and on its attachments.
    browser_errors.ignore(r"status of 404")  # the 404 pages, expected
    attachment_urls = [reverse("messagerie:attachment", args=[number, m.pk]) for m in Message.objects.all()]
    assert len(attachment_urls) == 2
    for person in outsiders:
        page = actor(person.email)
        for url in (thread_url, *attachment_urls):
            response = page.goto(url)
            assert response.status == 404, (person, url, response.status)
        assert page.get_by_text(ASK).count() == 0
