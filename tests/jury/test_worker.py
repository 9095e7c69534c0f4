"""The fiche de décision built by a real Celery worker over Redis (skipped unless PostgreSQL + CELERY_BROKER_URL)."""

import time

import pytest

from cqp.celery import app
from jury import workflow
from jury.enums import PdfStatus
from jury.models import FicheDecision
from tests.test_celery import real_worker  # noqa: F401  (the fixture: the docker-compose worker command)

from .conftest import all_units, at, pdf_text, planned_session, ready_dossier


@pytest.mark.worker
def test_a_real_worker_builds_and_stores_the_fiche(real_worker, transactional_db, oemm, members):  # noqa: F811
    from django.core.management import call_command

    call_command("load_referentiels", verbosity=0)
    assert not app.conf.task_always_eager
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
    with at(2026, 11, 23, 8, 30):  # a session opens on its date; its fiche is signed now, after it
        workflow.open_session(session, by=oemm, president=members["emp1"])
    candidate = session.candidates.get()
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    workflow.sign_fiche(fiche, by=members["emp1"])  # autocommit: enqueued on commit, to Redis

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        fiche = FicheDecision.objects.get(pk=fiche.pk)
        if fiche.pdf_status in (PdfStatus.READY, PdfStatus.FAILED):
            break
        time.sleep(0.5)
    assert fiche.pdf_status == PdfStatus.READY, (fiche.pdf_status, fiche.pdf_error)
    try:
        with fiche.pdf.open("rb") as fh:
            text = pdf_text(fh.read())
        assert "Fiche de décision du jury" in text and "Validation totale" in text and "Ucanss" in text
        assert candidate.dossier.candidate.email in text
        assert fiche.mailed_at is not None
    finally:
        fiche.pdf.delete(save=False)
        for certificate in fiche.certificates.all():
            if certificate.pdf:
                certificate.pdf.delete(save=False)
