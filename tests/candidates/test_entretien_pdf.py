"""The entretien d'accueil exported as a PDF."""

import io

from django.urls import reverse
from pypdf import PdfReader

from candidates import workflow
from candidates.entretien_pdf import build_entretien_pdf
from candidates.models import Entretien
from cqp.enums import Role
from referentiels.models import Certification

from ..autosave_support import post_as_page
from ..factories import OrganismeFactory, user_with_role
from .test_entretien_workflow import HTMX, entretien_data


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_validated_entretien_pdf_has_the_candidate_and_the_competences(client, referentiels, candidat, on_commit):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    dossier = workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=organisme
    )
    client.force_login(staff)
    post_as_page(
        client,
        reverse("candidates:entretien_edit", args=[dossier.number]),
        entretien_data(dossier, total_hours=300),
        headers=HTMX,
    )
    entretien = Entretien.objects.get()
    workflow.validate_as_interviewer(entretien, by=staff)
    with on_commit():
        workflow.validate_as_candidate(entretien, by=candidat)

    client.force_login(candidat)
    response = client.get(reverse("candidates:entretien_pdf", args=[dossier.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="entretien-accueil-{dossier.number}.pdf"' in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    competence = dossier.version.units.first().competences.first().text
    assert candidat.last_name in text
    assert " ".join(competence.split()[:4]) in text
    assert "300 h" in text and "23 novembre 2026" in text and "provisoire" not in text.lower()


def test_draft_pdf_is_marked_provisional(referentiels, candidat):
    organisme = OrganismeFactory()
    organisme.certifications.add(*Certification.objects.all())
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    dossier = workflow.register_vae(
        candidate=candidat,
        certification=Certification.objects.get(code="spsp"),
        organisme=organisme,
        mention=Certification.objects.get(code="spsp").current_version.mentions.first(),
    )
    entretien = Entretien.objects.create(dossier=dossier, interviewer=staff)
    text = _text(build_entretien_pdf(entretien))
    assert "Document provisoire" in text and "Prérequis" in text
