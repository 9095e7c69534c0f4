"""One VAE candidate from sign-up to a recevable dossier, through the pages only."""

import html
import io
import re

from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from candidates.enums import DossierState
from candidates.models import Dossier
from referentiels.models import Certification
from vae.enums import Livret1State

from .conftest import PDF, post_data, upload


def test_vae_candidate_from_signup_to_recevable(client, referentiels, oemm, on_commit):
    # Sign-up and e-mail confirmation
    with on_commit():
        response = client.post(
            reverse("signup"),
            {
                "first_name": "Claire",
                "last_name": "Martin",
                "email": "claire.martin@exemple.fr",
                "phone": "0612345678",
                "password1": "Un-mot-de-passe-solide-2026",
                "password2": "Un-mot-de-passe-solide-2026",
            },
        )
    assert response.status_code == 200
    link = re.search(r"https?://\S+/inscription/confirmer/\S+/", mail.outbox[-1].body).group(0)
    response = client.get(link.split("8000", 1)[1])
    assert response.status_code == 302

    # Inscription to the CQP Conseiller offres de services (Ucanss) by VAE
    cos = Certification.objects.get(code="cos")
    with on_commit():
        response = client.post(reverse("candidates:inscription_vae"), {"certification": cos.pk})
    dossier = Dossier.objects.get()
    assert response.url == dossier.get_absolute_url()
    page = html.unescape(client.get(dossier.get_absolute_url()).content.decode())
    assert "Remplir mon livret 1" in page

    # Livret 1: start, autosave, pieces, submit
    response = client.post(reverse("vae:livret1_start", args=[dossier.number]))
    assert response.url == reverse("vae:livret1", args=[dossier.number])
    livret = dossier.livrets1.get()
    assert livret.birth_name == "Martin" and livret.email == "claire.martin@exemple.fr"
    response = client.post(
        reverse("vae:livret1_save", args=[dossier.number]), post_data(livret), HTTP_HX_REQUEST="true"
    )
    assert "Enregistré à" in response.content.decode()
    for kind, name in (("identite", "carte d'identité.pdf"), ("attestation_employeur", "attestation CPAM.pdf")):
        response = client.post(
            reverse("vae:piece_upload", args=[dossier.number]),
            {"kind": kind, "file": upload(name, PDF)},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and name in html.unescape(response.content.decode())
    with on_commit():
        response = client.post(reverse("vae:livret1_submit", args=[dossier.number]), {"confirm": "on"})
    assert response.url == dossier.get_absolute_url()
    assert "Accusé de réception" in mail.outbox[-1].subject and "2 mois" in mail.outbox[-1].body

    # OEMM instructs the demand
    client.force_login(oemm)
    assert dossier.number in client.get(reverse("vae:queue")).content.decode()
    with on_commit():
        response = client.post(
            reverse("vae:livret1_decide", args=[dossier.number]),
            {
                "decision": "recevable",
                "gap_analysis": "Expérience conforme au référentiel d'activités.",
                "recommended_training": "",
                "confirm": "on",
            },
        )
    assert response.url == reverse("vae:queue")

    dossier.refresh_from_db()
    livret.refresh_from_db()
    assert dossier.state == DossierState.RECEVABLE and livret.state == Livret1State.RECEVABLE
    notification = mail.outbox[-1]
    assert notification.to == ["claire.martin@exemple.fr"] and "recevable" in notification.subject
    filename, content, mimetype = notification.attachments[0]
    assert mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "RECEVABLE" in text and dossier.number in text and "18 mois" in text
    page = html.unescape(client.get(dossier.get_absolute_url()).content.decode())
    assert "Recevable" in page and "Livret 1 : demande recevable" in page and "Recevabilité valable" in page
