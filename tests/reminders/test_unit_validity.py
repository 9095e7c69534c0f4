import datetime as dt

import pytest
from django.core import mail

from jury.models import FicheDecision, JurySession, SessionCandidate, ValidatedUnit
from referentiels.models import Certification

from ..factories import OrganismeFactory
from .run import send_reminders

D = dt.date


@pytest.fixture
def partial(referentiels, candidat, oemm):
    from candidates import workflow

    spsp = Certification.objects.get(code="spsp")
    version = spsp.current_version
    dossier = workflow.register_vae(candidate=candidat, certification=spsp, mention=version.mentions.first())
    session = JurySession.objects.create(
        certifier=spsp.certifier, date=D(2022, 6, 1), start_time=dt.time(9), place="OEMM, Paris", created_by=oemm
    )
    passage = SessionCandidate.objects.create(session=session, dossier=dossier)
    fiche = FicheDecision.objects.create(session_candidate=passage, state="signee", outcome="partielle")
    for number, until in ((1, D(2027, 6, 1)), (2, D(2027, 6, 1)), (3, D(2028, 1, 1))):
        ValidatedUnit.objects.create(
            candidate=candidat,
            certification=spsp,
            unit=version.units.get(number=number),
            unit_number=number,
            validated_on=D(2022, 6, 1),
            valid_until=until,
            session=session,
            fiche=fiche,
        )
    centre = OrganismeFactory(name="Centre Zêta", agrement_to=D(2030, 1, 1))
    centre.certifications.add(spsp)
    return fiche


@pytest.mark.parametrize("today, threshold", [(D(2026, 6, 1), "12m"), (D(2026, 12, 1), "6m"), (D(2027, 3, 1), "3m")])
def test_partial_units_are_reminded_at_12_6_and_3_months_with_missing_units_and_centres(
    partial, candidat, today, threshold
):
    report = send_reminders(today)
    assert len(report.sent) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [candidat.email] and "1er juin 2027" in body
    assert "Domaine 4" in body and "Domaine 5" in body and "Domaine 1 " not in body
    assert "Centre Zêta" in body
    # The reminder leads to the road after a partial validation: the same dossier, presented again for the missing
    # units (its page shows the acquired units, the units to present, the prescriptions and the centres).
    dossier = partial.session_candidate.dossier
    assert dossier.get_absolute_url() in body and f"n° {dossier.number}" in body
    assert "présentez les unités manquantes à un jury avant cette date" in body


def test_nothing_before_12_months_nor_after_a_total_validation(partial):
    assert send_reminders(D(2026, 5, 31)).sent == []
    # Rectified into a validation totale (a signed fiche itself no longer changes: jury 0003).
    FicheDecision.objects.filter(pk=partial.pk).update(state="remplacee")
    total = FicheDecision.objects.create(
        session_candidate=partial.session_candidate, version=2, state="signee", outcome="totale", previous=partial
    )
    ValidatedUnit.objects.filter(fiche=partial).update(fiche=total)
    assert send_reminders(D(2026, 12, 1)).sent == []
