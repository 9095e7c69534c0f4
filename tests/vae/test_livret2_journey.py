"""A VAE dossier completed end to end by its actors, through the pages: recevable dossier, accompagnement
convention accepted by both, livret 2 filled with situations and an upload, comments of the accompagnateur,
submission, receipt acknowledged by the OEMM, dossier « prêt pour le jury »; then the jury's PDF."""

import html
import io
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from candidates.enums import DossierState
from candidates.models import DossierEvent
from jury.readiness import livret2_received_on
from vae.enums import ConventionState, Livret2State
from vae.models import ConventionAccompagnement, Livret2

from .conftest import PDF, upload
from .livret2_support import livret2_post


def page(response):
    return html.unescape(response.content.decode())


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_vae_dossier_from_recevable_to_ready_for_jury(
    client, recevable_dossier, candidat, accompagnateur, centre, oemm, on_commit
):
    dossier = recevable_dossier
    number = dossier.number

    # The candidate chooses an approved centre
    client.force_login(candidat)
    text = page(client.get(dossier.get_absolute_url()))
    assert "Accompagnement VAE" in text and "Remplir mon livret 2" in text
    text = page(client.get(reverse("vae:accompagnement", args=[number])))
    assert centre.name in text
    with on_commit():
        response = client.post(reverse("vae:accompagnement_request", args=[number]), {"organisme": centre.pk})
    assert response.status_code == 302
    convention = ConventionAccompagnement.objects.get(dossier=dossier)
    assert convention.state == ConventionState.PROPOSEE and accompagnateur.email in mail.outbox[-1].to

    # The centre writes the terms (6 × 2 h, face à face and phone) and accepts; then the candidate accepts
    client.force_login(accompagnateur)
    assert dossier.number in page(client.get(reverse("vae:accompagnements")))
    response = client.post(
        reverse("vae:accompagnement_terms", args=[number]),
        {
            "nature": "mixte",
            "sessions_count": "6",
            "session_hours": "2",
            "start_on": "2026-09-01",
            "end_on": "2026-11-30",
            "planned_dates": "02/09/2026, 16/09/2026",
            "details": "Deux séances en face à face, quatre par téléphone.",
        },
    )
    assert response.status_code == 302
    client.post(reverse("vae:accompagnement_accept", args=[number]))
    # Before the candidate accepts, the centre does not read the livrets
    assert client.get(reverse("vae:livret1", args=[number])).status_code == 404
    client.force_login(candidat)
    with on_commit():
        client.post(reverse("vae:accompagnement_accept", args=[number]))
    convention.refresh_from_db()
    assert convention.state == ConventionState.ACCEPTEE
    assert (
        convention.candidate_accepted_at
        and convention.organisme_accepted_at
        and convention.organisme_accepted_by == accompagnateur
    )
    assert convention.planned_dates == ["2026-09-02", "2026-09-16"] and convention.total_hours == 12
    assert "acceptée" in mail.outbox[-1].subject
    text = page(client.get(reverse("vae:accompagnement", args=[number])))
    assert "6 × 2 h (12 h au total)" in text and "2 septembre 2026" in text and "1er septembre 2026" in text
    actions = set(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert {
        "accompagnement_request",
        "accompagnement_terms",
        "accompagnement_accept_organisme",
        "accompagnement_accept_candidate",
    } <= actions

    # The candidate starts the livret 2: guidance and the référentiel's instructions are shown
    response = client.post(reverse("vae:livret2_start", args=[number]))
    assert response.url == reverse("vae:livret2", args=[number])
    livret = Livret2.objects.get(dossier=dossier)
    assert [s.unit.number for s in livret.situations.order_by("unit__number", "position")] == [1, 1, 2, 3, 3, 4]
    text = page(client.get(reverse("vae:livret2", args=[number])))
    assert "première personne" in text and "anonymisez" in text and "A minima deux des cinq compétences" in text
    assert "Appliquer les règles de la déontologie et du secret professionnel" in text

    # Autosave (htmx) and an upload attached to a situation, with the employer's consent
    response = client.post(reverse("vae:livret2_save", args=[number]), livret2_post(livret), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Enregistré à" in page(response) and "100 %" in page(response)
    situation = livret.situations.get(unit__number=1, position=2)
    response = client.post(
        reverse("vae:livret2_piece_upload", args=[number]),
        {
            "kind": "preuve",
            "target": f"s-{situation.pk}",
            "file": upload("courriel anonymisé.pdf", PDF),
            "employer_owned": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and "accord" in page(response)
    response = client.post(
        reverse("vae:livret2_piece_upload", args=[number]),
        {
            "kind": "preuve",
            "target": f"s-{situation.pk}",
            "file": upload("courriel anonymisé.pdf", PDF),
            "employer_owned": "on",
            "employer_consent": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "courriel anonymisé.pdf" in page(response)
    piece = livret.pieces.get()
    assert piece.situation == situation and piece.unit == situation.unit and piece.section == "livret2"

    # The accompagnateur reads both livrets and comments, but cannot write in them
    client.force_login(accompagnateur)
    assert client.get(reverse("vae:livret1", args=[number])).status_code == 200
    text = page(client.get(reverse("vae:livret2", args=[number])))
    assert "Reponse1x1x0" in text and 'name="s-' not in text
    unit2 = situation.unit.version.units.get(number=2)
    response = client.post(
        reverse("vae:accompagnement_comment", args=[number]),
        {"target": f"livret2-{unit2.pk}", "text": "Précisez pourquoi vous avez sollicité le référent."},
    )
    assert response.status_code == 302
    client.post(reverse("vae:accompagnement_comment", args=[number]), {"target": "livret1", "text": "Livret 1 clair."})
    assert (
        client.post(
            reverse("vae:livret2_save", args=[number]), livret2_post(livret), HTTP_HX_REQUEST="true"
        ).status_code
        == 403
    )

    # The candidate reads the comments, then sends the livret 2 (confirmation asked)
    client.force_login(candidat)
    text = page(client.get(reverse("vae:livret2", args=[number])))
    assert "Précisez pourquoi vous avez sollicité le référent." in text
    assert "Livret 1 clair." in page(client.get(reverse("vae:accompagnement", args=[number])))
    text = page(client.get(reverse("vae:livret2_submit", args=[number])))
    assert "data-confirm=" in text and "Envoyer mon livret 2" in text
    with on_commit():
        response = client.post(reverse("vae:livret2_submit", args=[number]), {"confirm": "on"})
    assert response.url == dossier.get_absolute_url()
    livret.refresh_from_db()
    assert livret.state == Livret2State.SOUMIS and "envoyé" in mail.outbox[-1].subject
    text = page(client.get(reverse("vae:livret2", args=[number])))
    assert 'name="s-' not in text and "Reponse4x1x1" in text
    assert (
        client.post(
            reverse("vae:livret2_save", args=[number]), livret2_post(livret), HTTP_HX_REQUEST="true"
        ).status_code
        == 403
    )

    # OEMM acknowledges receipt: the dossier is ready for the jury, with the receipt date kept
    client.force_login(oemm)
    received = timezone.localtime(livret.submitted_at).date()  # the day in Paris, as the workflow compares it
    with on_commit():
        response = client.post(
            reverse("vae:livret2_acknowledge", args=[number]), {"received_on": received.isoformat(), "confirm": "on"}
        )
    assert response.url == dossier.get_absolute_url()
    dossier.refresh_from_db()
    livret.refresh_from_db()
    assert (
        dossier.state == DossierState.PRET_JURY and livret.state == Livret2State.RECU and livret.received_on == received
    )
    assert livret2_received_on(dossier) == received
    assert f"Livret 2 reçu le {received:%-d}" in mail.outbox[-1].subject
    assert "Livret 2 reçu le" in page(client.get(dossier.get_absolute_url()))

    # The PDF for the jury: every answer, ticked compétences, and the list of attachments
    response = client.get(reverse("vae:livret2_pdf", args=[number]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response.content)
    assert dossier.number in text and "Conseiller offres de services" in text and "Sommaire" in text
    for situation in livret.situations.select_related("unit"):
        assert f"Titre{situation.unit.number}x{situation.position}" in text
        for i in range(situation.unit.livret2_questions.count()):
            assert f"Reponse{situation.unit.number}x{situation.position}x{i}" in text
    # the Ucanss livret asks two motivation questions; « Vous pouvez joindre un curriculum vitae » is a document
    assert "Motivation0" in text and "Motivation1" in text and "Motivation2" not in text
    assert "Documents demandés par le référentiel : Vous pouvez joindre un curriculum vitae." in text
    assert "Appliquer les règles de la déontologie" in text and "Travailler en coopération" in text
    assert "Recourir à des personnes référentes" not in text  # not ticked
    assert "courriel anonymisé.pdf" in text and "situation 2" in text
