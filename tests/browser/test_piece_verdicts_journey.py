"""Per-piece verdicts in a real browser: the candidate sends livret 1; the OEMM, in its own context, sees the inline
previews and asks for one piece to be replaced with a reason; the candidate sees the verdict beside the piece,
replaces it and sends it again; the OEMM accepts it. Screenshots of the instruction page and the candidate's pieces.
"""

import re

from django.urls import reverse
from weasyprint import HTML

from cqp.enums import Role
from vae import workflow
from vae.uploads import check_upload

from ..factories import user_with_role
from ..vae.conftest import complete, upload
from ..vae.livret2_support import register

REASON = "La photo de la carte est floue : le nom ne se lit pas."


def pdf_bytes(title):
    return HTML(string=f"<h1>{title}</h1><p>Pièce de Claire Fontaine.</p>").write_pdf()


def test_piece_replaced_after_a_verdict(site, referentiels, actor, shot, axe):
    oemm = user_with_role(Role.OEMM)
    candidat = user_with_role(Role.CANDIDAT)
    dossier = register(candidat)
    livret = complete(workflow.start_livret1(dossier, by=candidat), candidat, pieces=False)
    for kind, name in (("identite", "carte-identite.pdf"), ("attestation_employeur", "attestation.pdf")):
        workflow.add_piece(livret, by=candidat, kind=kind, checked=check_upload(upload(name, pdf_bytes(name))))
    livret_url = reverse("vae:livret1", args=[dossier.number])

    candidate = actor(candidat.email)
    candidate.goto(livret_url)
    candidate.get_by_role("heading", name="Pièces attendues").wait_for()
    candidate.get_by_role("link", name="Vérifier et envoyer").click()
    candidate.get_by_label("Je confirme l'envoi de mon livret 1").check()
    candidate.get_by_role("button", name=re.compile("Envoyer")).click()
    candidate.get_by_text("Soumis, en cours d'instruction").first.wait_for()

    staff = actor(oemm.email)
    staff.goto(reverse("vae:livret1_decide", args=[dossier.number]))
    previews = staff.locator("img.piece-thumb-img")
    previews.first.wait_for()
    assert previews.count() == 2
    staff.wait_for_load_state("networkidle")
    assert previews.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    shot(staff, "verdicts-01-instruction")
    axe(staff)
    identity = staff.locator("article.piece-review", has_text="carte-identite.pdf")
    identity.get_by_label("Illisible, à remplacer").check()
    identity.get_by_label(re.compile("Motif")).fill(REASON)
    identity.get_by_role("button", name="Enregistrer l'avis").click()
    staff.get_by_text("Le candidat est prévenu.").wait_for()

    candidate.goto(livret_url)
    zone = candidate.locator("#pieces-zone")
    zone.get_by_text(REASON).wait_for()
    assert zone.get_by_text("Illisible, à remplacer").count() >= 1
    shot(candidate, "verdicts-02-pieces-candidat")
    axe(candidate)
    zone.get_by_label(re.compile("Pièce de remplacement")).set_input_files(
        {"name": "carte-identite-nette.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Carte nette")}
    )
    zone.get_by_role("button", name="Remplacer et renvoyer").click()
    candidate.get_by_text("remplacée et renvoyée").wait_for()

    staff.reload()
    replaced = staff.locator("article.piece-review", has_text="carte-identite-nette.pdf")
    replaced.get_by_text("Remplacée, en attente d'examen").wait_for()
    replaced.get_by_label("Acceptée").check()
    replaced.get_by_role("button", name="Enregistrer l'avis").click()
    staff.get_by_text("« carte-identite-nette.pdf » : acceptée").wait_for()
