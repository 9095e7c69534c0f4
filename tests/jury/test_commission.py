"""The commission paritaire (seed 003 L81, L183): a dossier aiming at part of the CQP is examined on dossier by a
commission session (its own composition rule), which decides its units only and feeds the same ledger; a later dossier
for the remaining units goes to the jury, which delivers the CQP once every unit is acquired and valid."""

import datetime

import pytest

from candidates.models import DossierEvent
from cqp.exceptions import WorkflowError
from jury import partial, targets, workflow
from jury.enums import Outcome, SessionKind
from jury.models import Certificate, ValidatedUnit
from referentiels.models import Certification

from .conftest import SESSION_DAY, all_units, at, on_day, ready_dossier

GPAC = "gpac"
LATER_DAY = datetime.date(2027, 3, 15)


def _session(oemm, members, day, dossier, *, kind, president="emp1"):
    before = day - datetime.timedelta(days=40)
    with at(before.year, before.month, before.day):
        session = workflow.create_session(
            by=oemm,
            certifications=Certification.objects.filter(code=GPAC),
            date=day,
            start_time=datetime.time(9, 0),
            place="OEMM, Paris",
            capacity=8,
            kind=kind,
        )
        for user in members.values():
            workflow.add_member(session, by=oemm, user=user)
        workflow.add_candidate(session, by=oemm, dossier=dossier)
    with on_day(day, 8, 30):
        workflow.open_session(session, by=oemm, president=members[president])
    return session.candidates.get(dossier=dossier)


def _targeted(oemm, numbers, candidate=None):
    dossier = ready_dossier(GPAC, by=oemm, candidate=candidate)
    return targets.set_targets(dossier, by=oemm, numbers=numbers)


def test_a_single_bloc_goes_to_a_commission_and_the_rest_to_the_jury_then_the_certificate(
    referentiels, oemm, members, client
):
    with at(2026, 9, 1):
        first = _targeted(oemm, [1])
    assert first.validated_by == "commission" and first.target_units == [1]
    assert DossierEvent.objects.filter(dossier=first, action="set_targets").exists()
    candidate = _session(oemm, members, SESSION_DAY, first, kind=SessionKind.COMMISSION)
    with on_day(SESSION_DAY, 11):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        assert fiche.unit_decisions.count() == 1  # only the bloc aimed at is examined
        assert fiche.outcome == Outcome.PARTIELLE
        fiche = workflow.sign_fiche(fiche, by=members["emp1"])  # no prescriptions asked of a commission
    assert list(ValidatedUnit.objects.filter(candidate=first.candidate).values_list("unit_number", flat=True)) == [1]
    assert not Certificate.objects.filter(dossier__candidate=first.candidate).exists()
    client.force_login(first.candidate)
    with at(2026, 10, 1):
        card = " ".join(client.get(first.get_absolute_url()).content.decode().split())
    assert "La commission paritaire du" in card and "par un nouveau dossier" in card
    assert "avec ce même dossier" not in card

    # Later: a new dossier for the remaining units (the commission's partial validation does not block it).
    with at(2026, 12, 1):
        second = ready_dossier(GPAC, by=oemm, candidate=first.candidate)
        assert targets.targeted_numbers(second) == [2, 3, 4, 5]
        with pytest.raises(WorkflowError, match="déjà acquise"):
            targets.set_targets(second, by=oemm, numbers=[1, 2])
        second = targets.set_targets(second, by=oemm, numbers=[2, 3, 4, 5])
    assert second.validated_by == "jury" and second.target_units == []
    candidate = _session(oemm, members, LATER_DAY, second, kind=SessionKind.JURY, president="sal1")
    with on_day(LATER_DAY, 11):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        assert fiche.outcome == Outcome.TOTALE
        workflow.sign_fiche(fiche, by=members["sal1"])
    assert Certificate.objects.filter(dossier=second).exists()
    carried = fiche.unit_decisions.get(unit__number=1)
    assert carried.is_carried


def test_a_dossier_goes_only_to_a_session_of_its_kind(referentiels, oemm, members):
    with at(2026, 9, 1):
        partial_dossier = _targeted(oemm, [2, 3])
        whole = ready_dossier(GPAC, by=oemm)
        jury = workflow.create_session(
            by=oemm,
            certifications=Certification.objects.filter(code=GPAC),
            date=SESSION_DAY,
            start_time=datetime.time(9, 0),
            place="Paris",
            capacity=8,
        )
        commission = workflow.create_session(
            by=oemm,
            certifications=Certification.objects.filter(code=GPAC),
            date=SESSION_DAY,
            start_time=datetime.time(14, 0),
            place="Paris",
            capacity=8,
            kind=SessionKind.COMMISSION,
        )
        with pytest.raises(WorkflowError, match="examiné par une commission paritaire"):
            workflow.add_candidate(jury, by=oemm, dossier=partial_dossier)
        with pytest.raises(WorkflowError, match="passe devant le jury final"):
            workflow.add_candidate(commission, by=oemm, dossier=whole)
        placed = workflow.add_candidate(commission, by=oemm, dossier=partial_dossier)
        with pytest.raises(WorkflowError, match="il n'est pas convoqué"):
            workflow.convoke(placed, by=oemm)
        workflow.add_candidate(jury, by=oemm, dossier=whole)
        with pytest.raises(WorkflowError, match="déjà été placé"):
            targets.set_targets(partial_dossier, by=oemm, numbers=[2])


def test_the_commission_opens_with_its_own_composition_on_its_date(referentiels, oemm, members):
    with at(2026, 9, 1):
        dossier = _targeted(oemm, [4])
        session = workflow.create_session(
            by=oemm,
            certifications=Certification.objects.filter(code=GPAC),
            date=SESSION_DAY,
            start_time=datetime.time(9, 0),
            place="Paris",
            capacity=8,
            kind=SessionKind.COMMISSION,
        )
        workflow.add_member(session, by=oemm, user=members["emp1"])
        workflow.add_member(session, by=oemm, user=members["sal1"])
        workflow.add_candidate(session, by=oemm, dossier=dossier)
    with (
        on_day(SESSION_DAY, 8, 30),
        pytest.raises(WorkflowError, match="La commission paritaire doit compter 4 membres"),
    ):
        workflow.open_session(session, by=oemm, president=members["emp1"])


def test_a_whole_cqp_certification_refuses_partial_targets_and_commissions(referentiels, oemm):
    certification = Certification.objects.exclude(code=GPAC).filter(certifier__code="cpnefp_mutualite").first()
    assert certification.current_version.target_rules == {}
    with at(2026, 9, 1), pytest.raises(WorkflowError, match="se prépare en entier"):
        workflow.create_session(
            by=oemm,
            certifications=[certification],
            date=SESSION_DAY,
            start_time=datetime.time(9, 0),
            place="Paris",
            capacity=8,
            kind=SessionKind.COMMISSION,
        )


def test_the_road_of_a_commission_dossier_does_not_block_a_new_inscription(referentiels, oemm, members):
    with at(2026, 9, 1):
        first = _targeted(oemm, [1])
    candidate = _session(oemm, members, SESSION_DAY, first, kind=SessionKind.COMMISSION)
    with on_day(SESSION_DAY, 11):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        workflow.sign_fiche(fiche, by=members["emp1"])
        partial.check_no_valid_partial(candidate=first.candidate, certification=first.certification, today=SESSION_DAY)


def test_the_candidate_sees_the_units_aimed_at_the_commission_date_and_then_the_decision(
    referentiels, oemm, members, client
):
    from pilotage.next_actions import candidate_dashboard

    with at(2026, 9, 1):
        dossier = _targeted(oemm, [2])
    client.force_login(dossier.candidate)
    with at(2026, 9, 2):
        page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Unités visées par ce parcours" in page
    assert "la commission paritaire valide ces unités sur dossier" in page
    candidate = _session(oemm, members, SESSION_DAY, dossier, kind=SessionKind.COMMISSION)
    with at(2026, 11, 20):
        page = client.get(dossier.get_absolute_url()).content.decode()
        assert "le candidat n'est pas convoqué" in page
        assert "23 novembre 2026" in page
    with on_day(SESSION_DAY, 11):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        workflow.sign_fiche(fiche, by=members["emp1"])
        labels = [a.label for a in candidate_dashboard(dossier.candidate, SESSION_DAY)["actions"]]
    assert any("décision de la commission paritaire" in label for label in labels), labels


def test_the_fiche_of_a_commission_says_commission_paritaire(referentiels, oemm, members):
    from jury.pdf import build_fiche_pdf

    from .conftest import pdf_text

    with at(2026, 9, 1):
        dossier = _targeted(oemm, [3])
    candidate = _session(oemm, members, SESSION_DAY, dossier, kind=SessionKind.COMMISSION)
    with on_day(SESSION_DAY, 11):
        fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        fiche = workflow.sign_fiche(fiche, by=members["emp1"])
        text = pdf_text(build_fiche_pdf(fiche))
    assert "Fiche de décision de la commission paritaire" in text
    assert "Examen sur dossier, sans le candidat" in text
    assert "Le président de la commission paritaire" in text
    assert "Fiche de décision du jury" not in text
