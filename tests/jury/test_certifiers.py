"""Two certifiers: each CQP and each session belongs to one; its staff see and act only on its dossiers and sessions;
its documents carry its name, jury, wording and decree, as PDF/A-3b with metadata."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cqp.enums import Role
from cqp.exceptions import WorkflowError
from jury import pdf, rules, workflow
from referentiels.models import Certification, Certifier

from ..factories import user_with_role
from .conftest import at, planned_session, ready_dossier


@pytest.fixture
def ucanss_staff(referentiels):
    return user_with_role(Role.OEMM, certifier=Certifier.objects.get(code="ucanss"))


@pytest.fixture
def mutualite_staff(referentiels):
    return user_with_role(Role.OEMM, certifier=Certifier.objects.get(code="cpnefp_mutualite"))


@pytest.fixture
def world(referentiels, oemm, members):
    """One dossier and one planned session per certifier (built by an all-certifiers account)."""
    with at(2026, 9, 1):
        gpac, cos = ready_dossier("gpac", by=oemm), ready_dossier("cos", by=oemm)
        mutualite = planned_session(by=oemm, codes=["gpac"], members=members, dossiers=[gpac])
        ucanss = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[cos], place="Ucanss, Paris")
    return {"gpac": gpac, "cos": cos, "mutualite": mutualite, "ucanss": ucanss}


def _session_urls(session):
    """(url, may be read with GET) of the session's pages and actions."""
    candidate = session.candidates.get()
    return [
        (reverse("jury:session", kwargs={"pk": session.pk}), True),
        (reverse("jury:edit", kwargs={"pk": session.pk}), True),
        (reverse("jury:open", kwargs={"pk": session.pk}), False),
        (reverse("jury:member_add", kwargs={"pk": session.pk}), False),
        (reverse("jury:candidate_add", kwargs={"pk": session.pk}), False),
        (reverse("jury:candidate", kwargs={"pk": session.pk, "cid": candidate.pk}), True),
    ]


@pytest.mark.parametrize(
    "staff, mine, theirs",
    [("ucanss_staff", "ucanss", "mutualite"), ("mutualite_staff", "mutualite", "ucanss")],
)
def test_staff_see_and_reach_only_their_certifier(client, world, request, staff, mine, theirs):
    user = request.getfixturevalue(staff)
    own_dossier = world["cos" if mine == "ucanss" else "gpac"]
    other_dossier = world["gpac" if mine == "ucanss" else "cos"]
    client.force_login(user)
    assert client.get(own_dossier.get_absolute_url()).status_code == 200
    assert client.get(other_dossier.get_absolute_url()).status_code == 404
    assert client.get(reverse("jury:session", kwargs={"pk": world[mine].pk})).status_code == 200
    for url, readable in _session_urls(world[theirs]):
        if readable:
            assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    listing = client.get(reverse("candidates:list")).content.decode()
    assert own_dossier.number in listing and other_dossier.number not in listing
    sessions = client.get(reverse("jury:list")).content.decode()
    assert world[mine].get_absolute_url() in sessions and world[theirs].get_absolute_url() not in sessions


def test_an_all_certifiers_account_sees_both(client, world, oemm):
    client.force_login(oemm)
    for dossier in (world["gpac"], world["cos"]):
        assert client.get(dossier.get_absolute_url()).status_code == 200


def test_a_session_holds_one_certifier_and_refuses_another_certifier_candidate(world, oemm, ucanss_staff):
    with pytest.raises(WorkflowError, match="un seul certificateur"):
        workflow.create_session(
            by=oemm,
            certifications=Certification.objects.filter(code__in=["gpac", "cos"]),
            date=world["ucanss"].date,
            start_time=world["ucanss"].start_time,
            place="Paris",
            capacity=4,
        )
    with pytest.raises(WorkflowError, match="Vous n'organisez pas les sessions de la CPNEFP Mutualité"):
        workflow.create_session(
            by=ucanss_staff,
            certifications=Certification.objects.filter(code="gpac"),
            date=world["ucanss"].date,
            start_time=world["ucanss"].start_time,
            place="Paris",
            capacity=4,
        )
    assert world["ucanss"].certifier.code == "ucanss" and world["mutualite"].certifier.code == "cpnefp_mutualite"
    with at(2026, 9, 1):
        other = ready_dossier("spsp", by=oemm, mention="sante")
    with pytest.raises(WorkflowError, match="relève de la CPNEFP Mutualité : cette session est celle de l'Ucanss"):
        workflow.add_candidate(world["ucanss"], by=oemm, dossier=other)


@pytest.mark.parametrize(
    "code, colleges, ok",
    [
        ("cpnefp_mutualite", ["employeur", "employeur", "salarie", "salarie"], True),
        ("cpnefp_mutualite", ["employeur", "salarie", "salarie"], False),
        ("cpnefp_mutualite", ["employeur", "employeur", "employeur", "salarie"], False),
        ("ucanss", ["employeur", "salarie", "salarie"], True),
        ("ucanss", ["employeur", "employeur", "salarie", "salarie"], True),
        ("ucanss", ["employeur", "employeur", "employeur"], False),
        ("ucanss", ["employeur", "salarie"], False),
    ],
)
def test_each_certifier_has_its_jury_rule(referentiels, code, colleges, ok):
    certifier = Certifier.objects.get(code=code)
    assert (rules.check_composition(colleges, **certifier.jury_rule()) == []) is ok


def test_only_the_mutualite_presidency_alternates(referentiels):
    mutualite, ucanss = (Certifier.objects.get(code=c) for c in ("cpnefp_mutualite", "ucanss"))
    assert rules.next_president_college("employeur", alternates=mutualite.president_alternates) == "salarie"
    assert rules.next_president_college("employeur", alternates=ucanss.president_alternates) is None


def test_the_sworn_statement_cites_each_certifier_decree(referentiels, oemm):
    from vae.declaration import declaration_text

    class Livret:
        def __init__(self, dossier):
            self.dossier = dossier

    with at(2026, 9, 1):
        gpac, cos = ready_dossier("gpac", by=oemm), ready_dossier("cos", by=oemm)
    mutualite = declaration_text(Livret(gpac))["commitment"]
    ucanss = declaration_text(Livret(cos))["commitment"]
    assert "décret n° 2002-615 du 26 avril 2002" in mutualite and "2000-615" not in mutualite
    assert "décret n° 2019-1119 du 31 octobre 2019" in ucanss and "arrêté du 29 janvier 2018" in ucanss


def _pdf_a(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    return reader.metadata, xmp


def test_ucanss_convocation_is_pdf_a_3b_with_its_wording(world, oemm, on_commit):
    session = world["ucanss"]
    with at(2026, 9, 2), on_commit():
        workflow.convoke(session.candidates.get(), by=oemm)
    convocation = session.candidates.get().last_convocation
    data = pdf.build_convocation_pdf(convocation)
    metadata, xmp = _pdf_a(data)
    assert metadata.title.startswith("Convocation au jury") and metadata.author == "Ucanss"
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp  # PDF/A-3b
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    for expected in (
        "Convocation au jury professionnel",
        "formation@ucanss.fr",
        "Conseiller offres de services",
        "RNCP",
        "35543",
        "Pour l'Ucanss, le service formation",
        "pièce d'identité",
        "Institut 4.10",
    ):
        assert expected in text, (expected, text)
    assert "OEMM" not in text and "UGEM" not in text


def test_the_mutualite_convocation_describes_the_slide_show(world, oemm, on_commit):
    session = world["mutualite"]
    with at(2026, 9, 2), on_commit():
        workflow.convoke(session.candidates.get(), by=oemm)
    data = pdf.build_convocation_pdf(session.candidates.get().last_convocation)
    metadata, _ = _pdf_a(data)
    assert metadata.author == "CPNEFP Mutualité (OEMM)"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "diaporama" in text and "jury paritaire" in text and "l'OEMM" in text


def test_the_convocation_reads_the_presentation_from_the_referentiel(world, oemm, on_commit):
    """What the diaporama must cover and its durations are data of the référentiel version (fixtures/referentiels)."""
    from referentiels.models import ReferentielVersion

    session = world["mutualite"]
    with at(2026, 9, 2), on_commit():
        workflow.convoke(session.candidates.get(), by=oemm)
    convocation = session.candidates.get().last_convocation
    version = convocation.session_candidate.dossier.version
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.build_convocation_pdf(convocation))).pages).split()
    )
    assert version.jury_presentation_topics == [
        "votre formation et votre expérience",
        "votre approche du secteur de la Mutualité",
    ]
    for expected in (
        f"pendant {version.jury_presentation_minutes} minutes, un diaporama",
        "votre formation et votre expérience",
        "votre approche du secteur de la Mutualité",
        f"entretien de {version.jury_interview_minutes} minutes",
    ):
        assert expected in text, (expected, text)
    # Another référentiel's wording is read, not a fixed text.
    ReferentielVersion.objects.filter(pk=version.pk).update(jury_presentation_topics=["votre parcours de conseiller"])
    convocation.session_candidate.dossier.version.refresh_from_db()
    data = pdf.build_convocation_pdf(convocation)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "votre parcours de conseiller" in text and "approche du secteur" not in text
