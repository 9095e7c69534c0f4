"""Personas and builders for the jury tests: OEMM, four members (two per college), a president, outsiders."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from candidates import workflow as dossier_workflow
from cqp.enums import College, Role
from jury import workflow
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role

PARIS = ZoneInfo("Europe/Paris")
SESSION_DAY = datetime.date(2026, 11, 23)


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS), tick=False)


def member(college, union):
    return user_with_role(Role.JURY, college=college, union_name=union)


@pytest.fixture
def members(db):
    return {
        "emp1": member(College.EMPLOYEUR, "UGEM"),
        "emp2": member(College.EMPLOYEUR, "UGEM"),
        "sal1": member(College.SALARIE, "CFDT"),
        "sal2": member(College.SALARIE, "CGT"),
    }


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
    dossier.refresh_from_db()
    return dossier


def planned_session(*, by, codes, day=SESSION_DAY, members=None, dossiers=(), start=datetime.time(9, 0), place="OEMM, 255 rue de Vaugirard, Paris"):
    session = workflow.create_session(
        by=by, certifications=Certification.objects.filter(code__in=codes), date=day, start_time=start, place=place, capacity=8,
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
    centre = OrganismeFactory(name="Institut de Formation Mutualiste", agrement_from=datetime.date(2024, 1, 1),
                              agrement_to=datetime.date(2028, 12, 31))
    centre.certifications.add(*Certification.objects.all())
    expired = OrganismeFactory(name="Centre à l'agrément échu", agrement_from=datetime.date(2020, 1, 1),
                               agrement_to=datetime.date(2025, 12, 31))
    expired.certifications.add(*Certification.objects.all())
    return centre


@pytest.fixture
def open_session_with(referentiels, oemm, members):
    """Build an open session (president emp1) with ready dossiers of the given CQPs; returns (session, candidates)."""

    def build(*specs, president="emp1"):
        with at(2026, 9, 1):
            dossiers = [ready_dossier(code, by=oemm, mention=mention) for code, mention in specs]
            session = planned_session(by=oemm, codes={c for c, _ in specs}, members=members, dossiers=dossiers)
        with at(2026, 11, 23, 8, 30):
            workflow.open_session(session, by=oemm, president=members[president])
        session.refresh_from_db()
        return session, list(session.ordered_candidates())

    return build


@pytest.fixture(autouse=True)
def _private_storage(request, settings, tmp_path):
    """Documents go to a temporary private folder (except for the real-worker test, which shares the default one)."""
    if request.node.get_closest_marker("worker"):
        return
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
    }}


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed."""
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())
