"""Fixtures of the personal-data tests: private storage in a temporary folder, the jury members, a decided VAE dossier
with every kind of file, and one candidate of each kind the retention page must refuse."""

import datetime

import pytest

from candidates import workflow as dossier_workflow
from candidates.enums import DossierState
from cqp.enums import College, Role
from cqp.models import UserRole
from jury import workflow as jury_workflow
from pilotage import personal_data
from vae import workflow as vae_workflow
from vae.models import Livret1, Livret2

from ...factories import give_jury_documents, user_with_role, validated_entretien
from ...jury.conftest import all_units, at, member, planned_session
from ...vae.conftest import complete
from .world import closed_dossier, vae_dossier


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def jury_members(db):
    return {
        "emp1": member(College.EMPLOYEUR, "UGEM"),
        "emp2": member(College.EMPLOYEUR, "UGEM"),
        "sal1": member(College.SALARIE, "CFDT"),
        "sal2": member(College.SALARIE, "CGT"),
    }


@pytest.fixture
def decided(referentiels, candidat, oemm, jury_members, on_commit):
    """A VAE dossier (CMI) with a complete livret 1 (2 pieces), recevable, a livret 2, a convocation, a signed fiche
    (validation totale) and a certificate, decided on 23 November 2026."""
    candidat.phone = "06 12 34 56 78"
    candidat.save()
    with at(2026, 6, 1):
        dossier = vae_dossier(candidat, "cmi")
        validated_entretien(dossier)  # the entretien d'accueil comes before the livret 1 (seed 002)
        livret = vae_workflow.start_livret1(dossier, by=candidat)
        livret = complete(livret, candidat)
        with on_commit():
            vae_workflow.submit_livret1(livret, by=candidat)
            vae_workflow.declare_recevable(Livret1.objects.get(pk=livret.pk), by=oemm, gap_analysis="Aucun écart.")
        dossier.refresh_from_db()
        Livret2.objects.create(
            dossier=dossier,
            referentiel=dossier.version,
            state="recu",
            received_on=datetime.date(2026, 8, 1),
            motivation=["Je veux valider mon expérience chez Mutuelle Martin."],
            context="Agence de Lyon",
        )
        dossier_workflow.mark_ready_for_jury(dossier, by=oemm)
        give_jury_documents(dossier)
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cmi"], members=jury_members, dossiers=[dossier])
        candidate = session.ordered_candidates()[0]
        with on_commit():
            jury_workflow.convoke(candidate, by=oemm)
    with at(2026, 11, 23, 8, 30):
        jury_workflow.open_session(session, by=oemm, president=jury_members["emp1"])
        candidate = session.ordered_candidates()[0]
        fiche = jury_workflow.record_deliberation(candidate, by=jury_members["emp1"], decisions=all_units(candidate))
        with on_commit():
            jury_workflow.sign_fiche(fiche, by=jury_members["emp1"])
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    return dossier


@pytest.fixture
def retention_world(referentiels, oemm, settings):
    """Retention of one year, on 1 February 2026: one candidate of each kind the retention page must refuse."""
    settings.RETENTION_YEARS = 1
    people = {key: user_with_role(Role.CANDIDAT) for key in ("anonymised", "recent", "open", "jury_too")}
    with at(2024, 6, 1):
        closed_dossier(people["anonymised"], oemm)
        vae_dossier(people["open"])  # still in progress
        closed_dossier(people["jury_too"], oemm)
    UserRole.objects.create(user=people["jury_too"], role=Role.JURY, college=College.EMPLOYEUR)
    with at(2025, 12, 1):
        closed_dossier(people["recent"], oemm)
    with at(2026, 2, 1):
        personal_data.anonymise_candidate(people["anonymised"], by=oemm, reason="Test")
        yield people
