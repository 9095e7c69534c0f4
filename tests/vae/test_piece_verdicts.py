"""Per-piece verdicts on a livret 1 under instruction, the checklist of expected documents, previews, and the
documents required before the jury."""

import pytest
from django.core import mail
from django.urls import reverse

from cqp.enums import NotificationKind, Role
from cqp.exceptions import WorkflowError
from notifications.models import Notification
from referentiels.expected_documents import JURY, LIVRET1, expected_documents, missing_required
from vae import checklist, thumbnails, workflow
from vae.enums import Livret1State, PieceVerdict
from vae.models import Piece
from vae.uploads import check_upload

from ..factories import user_with_role
from ..security.crafted_files import pdf_corpus, pdf_document
from .conftest import PDF, complete, upload

VAE_L1 = expected_documents("cos", "vae", LIVRET1)


@pytest.mark.parametrize(
    ("kinds", "missing"),
    [
        ([], ["identite", "justificatif"]),
        (["identite"], ["justificatif"]),
        (["identite", "bulletin_salaire"], []),
        (["identite", "attestation_benevole"], []),
        (["attestation_employeur"], ["identite"]),
        (["autre", "preuve"], ["identite", "justificatif"]),
    ],
)
def test_required_livret1_slots_missing(kinds, missing):
    assert [slot["slot"] for slot in missing_required(VAE_L1, kinds)] == missing


@pytest.mark.parametrize(
    ("required", "verdicts", "status"),
    [
        (True, [], checklist.MISSING),
        (False, [], checklist.OPTIONAL),
        (True, [""], checklist.SENT),
        (True, [PieceVerdict.ILLISIBLE], checklist.TO_BE_REPLACED),
        (True, [PieceVerdict.ILLISIBLE, ""], checklist.SENT),
        (True, [PieceVerdict.NE_CORRESPOND_PAS, PieceVerdict.ACCEPTEE], checklist.ACCEPTED),
    ],
)
def test_slot_status(required, verdicts, status):
    assert checklist.slot_status(required, verdicts) == status


def test_jury_slots_per_path():
    assert {s["slot"] for s in expected_documents("cos", "vae", JURY) if s["required"]} == {"cv_jury", "postes_jury"}
    assert expected_documents("cos", "formation") == []


@pytest.fixture
def submitted(livret, candidat):
    livret = complete(livret, candidat)
    return workflow.submit_livret1(livret, by=candidat)


def test_sending_without_a_required_document_lists_it(livret, candidat):
    complete(livret, candidat, pieces=False)
    with pytest.raises(workflow.IncompleteLivretError) as refused:
        workflow.submit_livret1(livret, by=candidat)
    assert refused.value.missing["pieces"] == [
        "Joignez une pièce d'identité.",
        "Joignez au moins un justificatif d'expérience (attestation employeur, bulletin de salaire ou attestation "
        "d'activité bénévole).",
    ]


def test_verdict_to_replace_needs_a_reason_and_reopens_only_that_piece(submitted, candidat, oemm, on_commit):
    piece = submitted.pieces.get(kind="identite")
    with pytest.raises(WorkflowError, match="motif"):
        workflow.give_verdict(piece, by=oemm, verdict=PieceVerdict.ILLISIBLE, reason="  ")
    with on_commit():
        piece = workflow.give_verdict(piece, by=oemm, verdict=PieceVerdict.ILLISIBLE, reason="Photo floue")
    assert piece.to_replace and piece.verdict_by == oemm
    assert piece.history.first().history_change_reason == "Photo floue"
    assert Notification.objects.filter(kind=NotificationKind.PIECE_TO_REPLACE, recipient=candidat).exists()
    assert any("à remplacer" in m.subject and "Photo floue" in m.body for m in mail.outbox)
    submitted.refresh_from_db()
    assert submitted.state == Livret1State.SOUMIS  # the rest of the livret stays locked
    with pytest.raises(WorkflowError, match="remplacer"):
        workflow.declare_recevable(submitted, by=oemm)
    other = submitted.pieces.get(kind="attestation_employeur")
    with pytest.raises(WorkflowError, match="pas à remplacer"):
        workflow.replace_piece(other, by=candidat, checked=check_upload(upload("b.pdf", PDF)))
    with pytest.raises(WorkflowError, match="plus être modifiées"):
        workflow.add_piece(submitted, by=candidat, kind="autre", checked=check_upload(upload("c.pdf", PDF)))

    with on_commit():
        replaced = workflow.replace_piece(piece, by=candidat, checked=check_upload(upload("cni-nette.pdf", PDF)))
    assert (replaced.verdict, replaced.original_name, replaced.replaced_count) == ("", "cni-nette.pdf", 1)
    assert Notification.objects.filter(kind=NotificationKind.PIECE_REPLACED, recipient=oemm).exists()
    for p in submitted.pieces.all():
        workflow.give_verdict(p, by=oemm, verdict=PieceVerdict.ACCEPTEE)
    assert workflow.declare_recevable(submitted, by=oemm).state == Livret1State.RECEVABLE


def test_no_verdict_on_a_draft(livret, candidat, oemm):
    livret = complete(livret, candidat)
    with pytest.raises(WorkflowError, match="instruction"):
        workflow.give_verdict(livret.pieces.first(), by=oemm, verdict=PieceVerdict.ACCEPTEE)


def test_verdict_and_replacement_through_the_pages(client, submitted, candidat, oemm):
    piece = submitted.pieces.get(kind="identite")
    number = submitted.dossier.number
    client.force_login(oemm)
    page = client.get(reverse("vae:livret1_decide", args=[number])).content.decode()
    assert "Examen des pièces" in page and reverse("vae:piece_preview", args=[number, piece.pk]) in page
    url = reverse("vae:piece_verdict", args=[number, piece.pk])
    response = client.post(url, {"verdict": "ne_correspond_pas", "reason": ""}, follow=True)
    assert "Indiquez le motif" in response.content.decode()
    client.post(url, {"verdict": "ne_correspond_pas", "reason": "Ce n'est pas une pièce d'identité"})
    client.force_login(candidat)
    page = client.get(reverse("vae:livret1", args=[number])).content.decode()
    assert "Ne correspond pas, à remplacer" in page and "Remplacer et renvoyer" in page
    response = client.post(
        reverse("vae:piece_replace", args=[number, piece.pk]), {"file": upload("cni.pdf", PDF)}, follow=True
    )
    assert "remplacée et renvoyée" in response.content.decode()
    assert client.post(url, {"verdict": "acceptee"}).status_code == 403  # a candidate gives no verdict


def test_preview_and_inline_view(client, submitted, oemm):
    piece = submitted.pieces.get(kind="identite")
    number = submitted.dossier.number
    client.force_login(oemm)
    response = client.get(reverse("vae:piece_preview", args=[number, piece.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    piece.refresh_from_db()
    assert piece.thumbnail  # stored: the next view reads it
    response = client.get(reverse("vae:piece_view", args=[number, piece.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in response


@pytest.mark.parametrize("name", ["preview", "view", "verdict", "replace"])
def test_outsiders_get_404(client, submitted, name):
    piece = submitted.pieces.first()
    outsider = user_with_role(Role.CANDIDAT)
    client.force_login(outsider)
    url = reverse(f"vae:piece_{name}", args=[submitted.dossier.number, piece.pk])
    response = client.post(url) if name in ("verdict", "replace") else client.get(url)
    assert response.status_code == 404


def test_hostile_pdfs_never_crash_the_preview():
    for data, _code in pdf_corpus().values():
        result = thumbnails.render_preview("application/pdf", data)
        assert result is None or result.startswith(b"\x89PNG")
    assert thumbnails.render_preview("application/pdf", b"%PDF-1.7\n garbage") is None
    assert thumbnails.render_preview("image/png", b"\x89PNG\r\n\x1a\n not an image") is None
    assert thumbnails.render_preview("application/pdf", pdf_document()).startswith(b"\x89PNG")


def test_instruction_page_queries_do_not_grow_with_pieces(client, livret, candidat, oemm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    livret = complete(livret, candidat)
    for n in range(4):
        workflow.add_piece(livret, by=candidat, kind="autre", checked=check_upload(upload(f"p{n}.pdf", PDF)))
    livret = workflow.submit_livret1(livret, by=candidat)
    client.force_login(oemm)
    url = reverse("vae:livret1_decide", args=[livret.dossier.number])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with_six = count()
    for piece in livret.pieces.filter(kind="autre")[:3]:
        workflow.give_verdict(piece, by=oemm, verdict=PieceVerdict.ILLISIBLE, reason="Illisible")
    Piece.objects.filter(kind="autre").first().delete()
    assert count() == with_six


def test_the_instruction_page_shows_each_piece_once(client, submitted, oemm):
    """The pieces are examined in « Examen des pièces » only: section 8 points there instead of listing them again."""
    number = submitted.dossier.number
    client.force_login(oemm)
    page = client.get(reverse("vae:livret1_decide", args=[number])).content.decode()
    for piece in submitted.pieces.all():
        assert page.count(reverse("vae:piece_view", args=[number, piece.pk])) == 2  # the preview and the name
        assert f'href="{reverse("vae:piece_download", args=[number, piece.pk])}"' not in page
    assert page.count("Pièces attendues") == 1
    assert "8. Pièces justificatives" in page and 'href="#examen-pieces"' in page
    assert reverse("messagerie:thread", args=[number]) in page  # the OEMM writes to the candidate from here
