"""Signed fiches de décision and issued documents are refused any change by the database itself (jury 0003).

The ORM (``QuerySet.update``, ``.delete()``) and raw SQL are both refused, on SQLite and PostgreSQL; the normal
workflow (sign → PDF task → rectification → certificate revoked) still works.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jury import workflow
from jury.enums import FicheState, Outcome, PdfStatus
from jury.models import Certificate, Convocation, FicheDecision, UnitDecision

from ..jury.conftest import (
    _private_storage,  # noqa: F401  (autouse fixture of the jury tests, wanted here too)
    all_units,
)


def refused(action):
    """The database refuses ``action`` (IntegrityError is a DatabaseError); the test transaction stays usable."""
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def signed(open_session_with, members, on_commit):  # noqa: F811
    """A signed fiche (validation totale, certificate issued), its PDF built and mailed by the task."""
    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    with on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    fiche.refresh_from_db()
    return fiche


def test_the_normal_workflow_still_writes_the_pdf_then_rectifies_and_revokes(signed, oemm, on_commit):
    assert signed.state == FicheState.SIGNEE and signed.pdf_status == PdfStatus.READY and signed.mailed_at
    certificate = Certificate.objects.get(fiche=signed)
    assert certificate.pdf
    # Rebuilding the PDF of a signed fiche is allowed (bookkeeping columns).
    with on_commit():
        workflow.request_fiche_pdf(signed, by=oemm)
    candidate = signed.session_candidate
    with on_commit():
        new = workflow.correct_fiche(
            signed,
            by=oemm,
            reason="Unité 4 cochée par erreur",
            decisions=all_units(candidate, except_numbers=[4]),
            modules_to_follow="Module 4",
        )
    signed.refresh_from_db()
    certificate.refresh_from_db()
    assert signed.state == FicheState.REMPLACEE and new.state == FicheState.SIGNEE and new.previous_id == signed.pk
    assert new.outcome == Outcome.PARTIELLE and new.unit_decisions.count() == signed.unit_decisions.count()
    assert certificate.revoked_at is not None and certificate.revoked_reason == "Unité 4 cochée par erreur"
    new.refresh_from_db()
    assert new.pdf_status == PdfStatus.READY


def test_a_rectification_to_another_total_moves_the_certificate_to_the_new_version(signed, oemm, on_commit):
    candidate = signed.session_candidate
    with on_commit():
        new = workflow.correct_fiche(
            signed, by=oemm, reason="Faute de frappe dans les prescriptions", decisions=all_units(candidate)
        )
    certificate = Certificate.objects.get(dossier=candidate.dossier)
    assert certificate.fiche_id == new.pk and certificate.revoked_at is None


@pytest.mark.parametrize(
    "changes",
    [
        {"outcome": Outcome.AUCUNE},
        {"state": FicheState.BROUILLON},
        {"experience_to_deepen": "ajouté après coup"},
        {"signed_at": timezone.make_aware(datetime.datetime(2020, 1, 1))},
        {"signed_for_president": True},
        {"version": 9},
    ],
)
def test_orm_updates_of_a_signed_fiche_are_refused(signed, changes):
    refused(lambda: FicheDecision.objects.filter(pk=signed.pk).update(**changes))
    refused(lambda: FicheDecision.objects.filter(pk=signed.pk).delete())
    signed.refresh_from_db()
    assert signed.outcome == Outcome.TOTALE and signed.state == FicheState.SIGNEE and signed.version == 1


def test_raw_sql_cannot_change_or_delete_a_signed_fiche_nor_its_units(signed):
    table, units = FicheDecision._meta.db_table, UnitDecision._meta.db_table
    refused(lambda: raw(f"UPDATE {table} SET outcome = %s WHERE id = %s", ["aucune", signed.pk]))
    refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [signed.pk]))
    refused(lambda: raw(f"UPDATE {units} SET validated = %s WHERE fiche_id = %s", [False, signed.pk]))
    refused(lambda: raw(f"DELETE FROM {units} WHERE fiche_id = %s", [signed.pk]))
    unit = signed.unit_decisions.first().unit
    refused(lambda: UnitDecision.objects.filter(fiche=signed).update(validated=False))
    refused(lambda: UnitDecision.objects.filter(fiche=signed, unit=unit).delete())
    refused(
        lambda: UnitDecision.objects.create(
            fiche=signed,
            unit=unit.version.units.exclude(pk__in=signed.unit_decisions.values("unit")).first() or unit,
            validated=True,
        )
    )
    assert signed.unit_decisions.filter(validated=True).count() == signed.unit_decisions.count() > 0


def test_pdf_bookkeeping_and_mailing_of_a_signed_fiche_stay_writable(signed):
    now = timezone.now()
    FicheDecision.objects.filter(pk=signed.pk).update(
        pdf_status=PdfStatus.FAILED, pdf_error="Erreur", pdf_built_at=now, mailed_at=now
    )
    signed.refresh_from_db()
    assert signed.pdf_status == PdfStatus.FAILED and signed.pdf_error == "Erreur"


def test_a_replaced_fiche_changes_no_more(signed, oemm, on_commit):
    with on_commit():
        workflow.correct_fiche(signed, by=oemm, reason="Erreur", decisions=all_units(signed.session_candidate))
    refused(lambda: FicheDecision.objects.filter(pk=signed.pk).update(state=FicheState.SIGNEE))
    refused(lambda: FicheDecision.objects.filter(pk=signed.pk).update(outcome=Outcome.AUCUNE))
    # Only « signee » → « remplacee » is allowed, and nothing else with it.
    new = FicheDecision.objects.get(previous=signed)
    refused(lambda: FicheDecision.objects.filter(pk=new.pk).update(state=FicheState.REMPLACEE, outcome=Outcome.AUCUNE))


def test_a_draft_fiche_is_still_free(open_session_with, members):  # noqa: F811
    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    FicheDecision.objects.filter(pk=fiche.pk).update(experience_to_deepen="à approfondir")
    UnitDecision.objects.filter(fiche=fiche).update(validated=False)
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    assert fiche.unit_decisions.filter(validated=True).count() == fiche.unit_decisions.count()


def test_a_certificate_is_never_deleted_and_keeps_its_identity(signed):
    certificate = Certificate.objects.get(fiche=signed)
    table = Certificate._meta.db_table
    refused(lambda: Certificate.objects.filter(pk=certificate.pk).delete())
    refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [certificate.pk]))
    refused(lambda: Certificate.objects.filter(pk=certificate.pk).update(code="falsifie"))
    refused(lambda: Certificate.objects.filter(pk=certificate.pk).update(issued_on=datetime.date(2020, 1, 1)))
    refused(lambda: raw(f"UPDATE {table} SET dossier_id = dossier_id + 1 WHERE id = %s", [certificate.pk]))
    # Its fiche changes only to the rectified version of that fiche.
    refused(
        lambda: Certificate.objects.filter(pk=certificate.pk).update(
            fiche=FicheDecision.objects.create(
                session_candidate=signed.session_candidate, version=5, state=FicheState.REMPLACEE
            )
        )
    )
    # The PDF may be rebuilt; revocation is written once.
    Certificate.objects.filter(pk=certificate.pk).update(pdf="jury/certificats/nouveau.pdf")
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revoked_reason="Fraude")
    refused(lambda: Certificate.objects.filter(pk=certificate.pk).update(revoked_at=None, revoked_reason=""))
    refused(lambda: Certificate.objects.filter(pk=certificate.pk).update(revoked_reason="Autre motif"))
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Fraude" and certificate.code != "falsifie"


def test_a_mailed_convocation_keeps_its_slot_but_its_pdf_may_be_rebuilt(signed):
    convocation = Convocation.objects.create(
        session_candidate=signed.session_candidate,
        version=7,
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        location="Paris",
        sent_by=signed.signed_by,
    )
    Convocation.objects.filter(pk=convocation.pk).update(location="Lyon")  # not mailed yet: free
    Convocation.objects.filter(pk=convocation.pk).update(mailed_at=timezone.now())
    refused(lambda: Convocation.objects.filter(pk=convocation.pk).update(location="Marseille"))
    refused(lambda: Convocation.objects.filter(pk=convocation.pk).update(mailed_at=None))
    refused(lambda: raw(f"UPDATE {Convocation._meta.db_table} SET starts_at = ends_at WHERE id = %s", [convocation.pk]))
    Convocation.objects.filter(pk=convocation.pk).update(pdf="jury/convocations/v7.pdf")
    convocation.refresh_from_db()
    assert convocation.location == "Lyon" and convocation.pdf.name == "jury/convocations/v7.pdf"


def test_the_triggers_are_installed_on_this_database(db):
    """Guards against a later migration that remakes a SQLite table (which drops its triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'jury_%%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'jury_%%' AND NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    expected = 8 if connection.vendor == "sqlite" else 4
    assert len(names) == expected, names
