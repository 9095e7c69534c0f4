import datetime as dt

from candidates import workflow
from pilotage.daily import run_daily_job
from referentiels.models import Certification
from vae.models import Livret1

D = dt.date


def test_the_daily_job_applies_tacit_acceptance_then_reminds(referentiels, candidat, oemm):
    dossier = workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="cos"))
    livret = Livret1.objects.create(
        dossier=dossier,
        referentiel=dossier.version,
        state="soumis",
        received_on=D(2026, 9, 1),
        instruction_deadline=D(2026, 11, 1),
    )
    result = run_daily_job(D(2026, 11, 2))
    livret.refresh_from_db()
    assert result["tacit"] == 1 and livret.state == "recevable"
    assert run_daily_job(D(2026, 11, 2))["tacit"] == 0  # idempotent
