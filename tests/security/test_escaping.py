"""User text is shown as text: escaped in the pages and the e-mails' HTML parts, literal in the PDFs and plain-text
mails.

The same payload (markup, an ampersand, template syntax) is typed in a livret 2 answer, a livret 1 experience, the
jury's « expérience à approfondir », an entretien answer and a candidate's name.
"""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from candidates.entretien_forms import EntretienForm
from candidates.entretien_sheet import build_sheet
from candidates.workflow import entretien as entretien_service
from cqp.enums import Role
from jury import pdf as jury_pdf
from jury import workflow as jury_workflow
from jury.models import Convocation
from vae import workflow as vae_workflow
from vae.workflow import livret2

from ..candidates.test_entretien_workflow import entretien_data
from ..factories import OrganismeFactory, user_with_role
from ..jury.conftest import all_units, at, planned_session, ready_dossier
from ..vae.conftest import EXPERIENCE, complete, make_dossier

PAYLOAD = "<script>alert(1)</script><b>x</b>& {{ 7*7 }}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;&amp; {{ 7*7 }}"
RAW_TAG = "<script>alert(1)</script>"


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def assert_escaped_page(response):
    assert response.status_code == 200
    content = response.content.decode()
    assert RAW_TAG not in content and "<b>x</b>" not in content
    assert ESCAPED in content, "the text is shown escaped, template syntax untouched"


def assert_literal_pdf(data: bytes, payload=PAYLOAD):
    """The payload is in the PDF's text as typed; spaces are left out of the comparison (a long name wraps in the
    letter's address block, and the text extraction then puts a space at the break)."""
    text = pdf_text(data)
    assert "".join(payload.split()) in "".join(text.split()), f"the PDF shows the text as typed: {text[:2000]}"


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }


@pytest.fixture
def organisme(referentiels):
    from referentiels.models import Certification

    organisme = OrganismeFactory(agrement_from=dt.date(2020, 1, 1), agrement_to=dt.date(2099, 12, 31))
    organisme.certifications.add(*Certification.objects.all())
    return organisme


def test_a_livret1_experience_is_escaped_in_the_pages(client, referentiels, candidat, oemm):
    livret = vae_workflow.start_livret1(make_dossier(candidat), by=candidat)
    vae_workflow.save_draft(
        livret,
        by=candidat,
        values={},
        experiences=[{**EXPERIENCE, "activities": PAYLOAD, "function": PAYLOAD}],
        unsaved={},
    )
    client.force_login(candidat)
    assert_escaped_page(client.get(reverse("vae:livret1", args=[livret.dossier.number])))


def test_a_livret2_answer_is_escaped_in_the_page_and_literal_in_the_pdf(client, referentiels, candidat, oemm):
    dossier = make_dossier(candidat)
    livret1 = complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    vae_workflow.submit_livret1(livret1, by=candidat)
    vae_workflow.declare_recevable(livret1, by=oemm)
    livret = livret2.start_livret2(dossier, by=candidat)
    situations = {}
    for situation in livret.situations.select_related("unit"):
        count = len(situation.unit.livret2_questions.all())
        situations[situation.pk] = {
            "title": PAYLOAD,
            "answers": [PAYLOAD] * count,
            "free_answer": PAYLOAD,
            "competences": [],
        }
    livret2.save_livret2_draft(
        livret,
        by=candidat,
        motivation=[PAYLOAD],
        context=PAYLOAD,
        situations=situations,
    )
    client.force_login(candidat)
    assert_escaped_page(client.get(reverse("vae:livret2", args=[dossier.number])))
    response = client.get(reverse("vae:livret2_pdf", args=[dossier.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_literal_pdf(b"".join(response.streaming_content) if response.streaming else response.content)


def test_an_entretien_answer_is_escaped_in_the_page_and_literal_in_the_pdf(client, candidat, organisme):
    staff = user_with_role(Role.ORGANISME, organisme=organisme)
    dossier = make_dossier(candidat, "cos", organisme)
    form = EntretienForm(
        entretien_data(dossier, orientation="vae", synthesis=PAYLOAD, recommendations=PAYLOAD),
        sheet=build_sheet(dossier),
        user=staff,
    )
    assert form.is_valid(), form.error_lines()
    entretien_service.save_entretien(dossier, by=staff, data=form.get_data())
    client.force_login(staff)
    assert_escaped_page(client.get(reverse("candidates:entretien", args=[dossier.number])))
    response = client.get(reverse("candidates:entretien_pdf", args=[dossier.number]))
    assert response.status_code == 200
    assert_literal_pdf(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_jury_prescription_is_escaped_in_the_page_and_literal_in_the_fiche_pdf(
    client, open_session_with, members, on_commit
):
    session, (candidate,) = open_session_with(("cos", None))
    decisions = all_units(candidate)
    first = next(iter(decisions))
    decisions[first] = False  # a partial validation: the prescriptions are printed
    fiche = jury_workflow.record_deliberation(
        candidate, by=members["emp2"], decisions=decisions, experience_to_deepen=PAYLOAD, modules_to_follow=PAYLOAD
    )
    client.force_login(members["emp1"])
    assert_escaped_page(client.get(candidate.get_absolute_url()))
    with on_commit():
        jury_workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    with fiche.pdf.open("rb") as fh:
        assert_literal_pdf(fh.read())


def test_a_name_is_escaped_in_pages_and_mail_html_and_literal_in_the_convocation_pdf_and_plain_text(
    client,
    referentiels,
    oemm,
    members,
    on_commit,
):
    candidate = user_with_role(Role.CANDIDAT)
    candidate.first_name, candidate.last_name = "<b>x</b>&", "<script>alert(1)</script>{{ 7*7 }} N'Diaye"
    candidate.save()
    full_name = f"{candidate.first_name} {candidate.last_name}"
    with at(2026, 9, 1):
        session = planned_session(
            by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm, candidate=candidate)]
        )
        session_candidate = session.candidates.get()
        mail.outbox.clear()
        with on_commit():
            jury_workflow.convoke(session_candidate, by=oemm)
    client.force_login(oemm)
    page = client.get(reverse("jury:session", args=[session.pk])).content.decode()
    assert RAW_TAG not in page and "<b>x</b>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    convocation = Convocation.objects.get(session_candidate=session_candidate)
    with convocation.pdf.open("rb") as fh:
        assert_literal_pdf(fh.read(), payload=full_name)
    assert_literal_pdf(jury_pdf.build_convocation_pdf(convocation), payload=full_name)
    assert mail.outbox, "the convocation was e-mailed"
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert RAW_TAG not in html and "<b>x</b>" not in html
        if "alert(1)" in html:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        # The plain-text part and the subject are text: the name as typed, no HTML entities.
        assert "&lt;" not in message.body and "&#x27;" not in message.body and "&#x27;" not in message.subject
    assert any(f"Bonjour {candidate.first_name}," in m.body for m in mail.outbox)
    assert any("Bonjour &lt;b&gt;x&lt;/b&gt;&amp;" in m.alternatives[0][0] for m in mail.outbox)


def test_plain_text_mails_keep_apostrophes_and_html_parts_escape_them():
    from cqp.mail import render_mail

    user = type(
        "U",
        (),
        {
            "first_name": "Anne-Marie",
            "last_name": "N'Diaye <b>",
            "email": "a@exemple.fr",
            "get_full_name": lambda self: "Anne-Marie N'Diaye <b>",
            "__str__": lambda self: "Anne-Marie N'Diaye <b>",
        },
    )()
    subject, text, html = render_mail(
        "role_granted", {"user": user, "role_label": "Candidat", "invited_by": "O'Neil", "link": "x"}
    )
    assert "&#x27;" not in text and "&#x27;" not in subject
    assert "<b>" not in html
