"""Pieces: accepted formats read from the content, size, PDF scripts, storage and download headers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from vae import uploads
from vae.models import Piece

from .conftest import JPEG, PDF, PNG, docx_bytes, upload


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("cni.pdf", PDF, "application/pdf"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("scan.png", PNG, "image/png"),
        ("cv.docx", docx_bytes(), uploads.DOCX),
    ],
)
def test_good_files_are_accepted(name, data, content_type):
    checked = uploads.check_upload(upload(name, data))
    assert checked.content_type == content_type and checked.size == len(data)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("faux.pdf", b"Ceci est un simple texte, pas un PDF.\n" * 20, "ne correspond pas"),
        (
            "script.pdf",
            PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "JavaScript",
        ),
        ("script2.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /AA << /O << /JS (x) >> >>"), "JavaScript"),
        ("image.pdf", PNG, "ne correspond pas"),  # extension / content mismatch
        ("document.exe", PDF, "Format refusé"),
        ("page.html", b"<html><script>alert(1)</script></html>", "Format refusé"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100, "DOCX"),  # a zip that is not a Word document
        ("texte.odt", docx_bytes(), "ODT"),  # a DOCX renamed .odt
        ("vide.pdf", b"", "vide"),
    ],
)
def test_bad_files_are_refused(name, data, message):
    with pytest.raises(ValidationError, match=message):
        uploads.check_upload(upload(name, data))


def test_oversize_is_refused():
    big = PDF + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="10 Mo"):
        uploads.check_upload(upload("gros.pdf", big))


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('C:\\Users\\moi\\Mon "CV".PDF', "Mon CV.pdf"),
        ("pièce d'identité.pdf", "pièce d'identité.pdf"),
        ("\x00\n.pdf", "piece.pdf"),
    ],
)
def test_original_names_are_sanitised(raw, clean):
    assert uploads.clean_filename(raw) == clean


def test_upload_stores_under_a_random_name_and_download_is_an_attachment(client, livret, candidat):
    client.force_login(candidat)
    response = client.post(
        reverse("vae:piece_upload", args=[livret.dossier.number]),
        {"kind": "identite", "file": upload("Ma carte d'identité.pdf", PDF)},
    )
    assert response.status_code == 302
    piece = Piece.objects.get()
    assert piece.original_name == "Ma carte d'identité.pdf" and piece.content_type == "application/pdf"
    assert piece.size == len(PDF) and piece.uploaded_by == candidat and piece.livret1 == livret
    assert "identit" not in piece.file.name and piece.file.name.endswith(".pdf")
    response = client.get(reverse("vae:piece_download", args=[livret.dossier.number, piece.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_refused_upload_via_htmx_says_why_and_stores_nothing(client, livret, candidat):
    client.force_login(candidat)
    response = client.post(
        reverse("vae:piece_upload", args=[livret.dossier.number]),
        {"kind": "identite", "file": upload("faux.pdf", b"juste du texte " * 50)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and "ne correspond pas" in response.content.decode()
    assert not Piece.objects.exists()


def test_pieces_can_be_deleted_only_while_the_livret_is_a_draft(client, complete_livret, candidat, on_commit):
    from vae import workflow

    client.force_login(candidat)
    piece = complete_livret.pieces.first()
    storage, name = piece.file.storage, piece.file.name
    extra = complete_livret.pieces.last()
    with on_commit():
        response = client.post(reverse("vae:piece_delete", args=[complete_livret.dossier.number, piece.pk]))
    assert response.status_code == 302 and not Piece.objects.filter(pk=piece.pk).exists()
    assert not storage.exists(name)
    workflow.add_piece(
        complete_livret, by=candidat, kind="identite", checked=uploads.check_upload(upload("cni.pdf", PDF))
    )
    workflow.submit_livret1(complete_livret, by=candidat)
    response = client.post(reverse("vae:piece_delete", args=[complete_livret.dossier.number, extra.pk]))
    assert response.status_code == 403 and Piece.objects.filter(pk=extra.pk).exists()
