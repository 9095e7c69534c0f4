"""Personas and builders for the jury tests: OEMM, four members (two per college), a president, outsiders."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from candidates import workflow as dossier_workflow
from cqp.enums import College, Role
from jury import workflow
from referentiels.models import Certification

from ..factories import OrganismeFactory, give_jury_documents, user_with_role

PARIS = ZoneInfo("Europe/Paris")
SESSION_DAY = datetime.date(2026, 11, 23)


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS), tick=False)


def on_day(day: datetime.date, hour=10, minute=0):
    """Frozen time on a session's date: a session opens on its date and its fiches are signed on it or later."""
    return at(day.year, day.month, day.day, hour, minute)


def member(college, union):
    return user_with_role(Role.JURY, college=college, union_name=union)


@pytest.fixture
def outsider_member(db):
    return member(College.SALARIE, "FO")


def ready_dossier(code, *, by, candidate=None, mention=None):
    """A VAE dossier put in « prêt pour le jury » (orient/recevable, then mark_ready_for_jury) today."""
    candidate = candidate or user_with_role(Role.CANDIDAT)
    certification = Certification.objects.get(code=code)
    mention_obj = certification.current_version.mentions.get(code=mention) if mention else None
    dossier = dossier_workflow.register_vae(candidate=candidate, certification=certification, mention=mention_obj)
    dossier_workflow.declare_recevable(dossier, by=by)
    dossier_workflow.mark_ready_for_jury(dossier, by=by)
    give_jury_documents(dossier)
    dossier.refresh_from_db()
    return dossier


def planned_session(
    *,
    by,
    codes,
    day=SESSION_DAY,
    members=None,
    dossiers=(),
    start=datetime.time(9, 0),
    place="OEMM, 255 rue de Vaugirard, Paris",
):
    session = workflow.create_session(
        by=by,
        certifications=Certification.objects.filter(code__in=codes),
        date=day,
        start_time=start,
        place=place,
        capacity=8,
    )
    for user in (members or {}).values():
        workflow.add_member(session, by=by, user=user)
    for dossier in dossiers:
        workflow.add_candidate(session, by=by, dossier=dossier)
    return session


def all_units(candidate, validated=True, except_numbers=()):
    from jury.selectors import unit_statuses

    return {
        s.unit.pk: (validated and s.unit.number not in except_numbers)
        for s in unit_statuses(candidate.dossier, candidate.session.date, exclude_fiche=candidate.current_fiche)
        if not s.still_valid
    }


@pytest.fixture
def approved_centre(referentiels):
    centre = OrganismeFactory(
        name="Institut de Formation Mutualiste",
        agrement_from=datetime.date(2024, 1, 1),
        agrement_to=datetime.date(2028, 12, 31),
    )
    centre.certifications.add(*Certification.objects.all())
    expired = OrganismeFactory(
        name="Centre à l'agrément échu",
        agrement_from=datetime.date(2020, 1, 1),
        agrement_to=datetime.date(2025, 12, 31),
    )
    expired.certifications.add(*Certification.objects.all())
    return centre


@pytest.fixture(autouse=True)
def _private_storage(request, settings, tmp_path):
    """Documents go to a temporary private folder (except for the real-worker test, which shares the default one)."""
    if request.node.get_closest_marker("worker"):
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed."""
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture(scope="session")
def seal_pair(tmp_path_factory):
    """A self-signed key and certificate, made once for the test session (cqp/seal_keys.py)."""
    from cqp.seal_keys import write_self_signed_pair

    folder = tmp_path_factory.mktemp("seal")
    write_self_signed_pair(folder / "key.pem", folder / "cert.pem", common_name="Plateforme CQP (tests)")
    return folder / "key.pem", folder / "cert.pem"


@pytest.fixture(autouse=True)
def _seal_with_a_test_certificate(settings, seal_pair):
    settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE = (str(p) for p in seal_pair)
    settings.SEAL_KEY_PASSPHRASE = ""
