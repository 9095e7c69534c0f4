"""The fiche de décision and the certificate are sealed (PAdES, the test certificate of conftest.seal_pair); the public
page tells an intact sealed copy from a modified one, an unsealed PDF, and a file that is no PDF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from jury import sealing, workflow
from jury.models import Certificate

from .conftest import all_units, at, pdf_text


@pytest.fixture
def signed_documents(open_session_with, members, on_commit):
    session, (candidate,) = open_session_with(("cmi", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    with at(2026, 11, 23, 11), on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    certificate = Certificate.objects.get(fiche=fiche)
    with fiche.pdf.open("rb") as fh, certificate.pdf.open("rb") as ch:
        return {"fiche": fh.read(), "certificate": ch.read(), "candidate": candidate, "cert": certificate}


def _tampered(data: bytes) -> bytes:
    """The same file with one byte changed inside the signed content."""
    position = len(data) // 3
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def _resaved(data: bytes) -> bytes:
    """The document re-saved by another tool, a page added."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["fiche", "certificate"])
def test_the_fiche_and_the_certificate_are_sealed_and_stay_pdf_a(signed_documents, kind):
    data = signed_documents[kind]
    check = sealing.check_sealed_pdf(data)
    assert check.signed and check.by_platform and check.intact and check.ok
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert signed_documents["candidate"].dossier.candidate.last_name.upper() in pdf_text(data).upper()


@pytest.mark.parametrize("modify", [_tampered, _resaved])
def test_a_modified_copy_is_detected(signed_documents, modify):
    check = sealing.check_sealed_pdf(modify(signed_documents["certificate"]))
    assert not check.ok


def test_the_certificate_has_every_field(signed_documents):
    text = pdf_text(signed_documents["certificate"])
    certificate = signed_documents["cert"]
    for expected in (
        "Certificat n°",
        "CPNEFP-MUTUALITE-2026-",
        "Certificat de qualification professionnelle",
        "CPNEFP Mutualité",
        "Conseiller(ère) mutualiste individuels",
        "jury paritaire du 23 novembre 2026",
        "Le président de la CPNEFP Mutualité",
        certificate.code,
        f"/verifier/{certificate.code}/",
    ):
        assert expected in text, (expected, text)


def test_the_public_page_checks_an_uploaded_pdf(client, signed_documents, settings):
    url = reverse("verification:verify_document")
    page = client.get(url)
    assert page.status_code == 200 and "Vérifier une fiche de décision ou un certificat" in page.content.decode()

    def post(name, content):
        return client.post(url, {"document": SimpleUploadedFile(name, content, "application/pdf")}).content.decode()

    assert "Document intact, scellé par la plateforme." in post("fiche.pdf", signed_documents["fiche"])
    assert "modifié après son scellement" in post("copie.pdf", _tampered(signed_documents["fiche"]))
    unsealed = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.write(unsealed)
    assert "ne porte aucun sceau" in post("autre.pdf", unsealed.getvalue())
    assert "est pas un PDF" in post("image.pdf", b"GIF89a not a pdf")


def test_sealing_and_checking_work_inside_a_running_event_loop(signed_documents):
    """Playwright's synchronous API (browser tests) or an ASGI server leave a loop running in the thread: pyHanko's
    ``asyncio.run`` would refuse to start; the seal and its check still work."""
    import asyncio

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    blank = io.BytesIO()
    writer.write(blank)
    loop = asyncio.new_event_loop()
    asyncio.events._set_running_loop(loop)
    try:
        assert sealing.check_sealed_pdf(sealing.seal_pdf(blank.getvalue(), reason="Test")).ok
        assert sealing.check_sealed_pdf(signed_documents["fiche"]).ok
    finally:
        asyncio.events._set_running_loop(None)
        loop.close()
