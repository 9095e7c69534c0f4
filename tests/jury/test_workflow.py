"""Sessions through their workflow functions: composition, presidency, convocations, conflicts, lock, corrections."""

import datetime

import pytest
from django.core import mail

from candidates import workflow as dossier_workflow
from candidates.enums import DossierState
from cqp.enums import College
from cqp.exceptions import WorkflowError
from jury import workflow
from jury.enums import Attendance, FicheState, Outcome, SessionState
from jury.models import Certificate, SessionEvent, ValidatedUnit

from .conftest import SESSION_DAY, all_units, at, member, on_day, planned_session, ready_dossier

# ---------------------------------------------------------------- composition and opening


@pytest.mark.parametrize(
    "drop, add, opens",
    [
        ((), (), True),
        (("sal2",), (College.EMPLOYEUR,), False),  # 3 employeurs, 1 salarié
        (("emp2",), (), False),  # 3 members
        (("emp1", "emp2"), (College.SALARIE, College.SALARIE), False),
    ],
)
def test_a_session_breaking_parity_cannot_open(referentiels, oemm, members, drop, add, opens):
    with at(2026, 9, 1):
        dossier = ready_dossier("gpac", by=oemm)
        chosen = {k: v for k, v in members.items() if k not in drop}
        for i, college in enumerate(add):
            chosen[f"extra{i}"] = member(college, "UGEM" if college == College.EMPLOYEUR else "UNSA")
        session = planned_session(by=oemm, codes=["gpac"], members=chosen, dossiers=[dossier])
    president = next(u for k, u in chosen.items() if k.startswith("emp") or k.startswith("extra"))
    president_member = session.members.get(user=president)
    reason = "" if president_member.college == College.EMPLOYEUR else "test"
    if opens:
        with on_day(SESSION_DAY, 8, 30):
            workflow.open_session(session, by=oemm, president=president, reason=reason)
        assert session.state == SessionState.OUVERTE
        assert SessionEvent.objects.filter(session=session, action="open_session", to_state="ouverte").exists()
        assert SessionEvent.objects.filter(session=session, action="designate_president").exists()
    else:
        with on_day(SESSION_DAY, 8, 30), pytest.raises(WorkflowError, match="composition requise"):
            workflow.open_session(session, by=oemm, president=president, reason=reason)
        session.refresh_from_db()
        assert session.state == SessionState.PLANIFIEE


def test_a_fifth_member_is_refused(referentiels, oemm, members, outsider_member):
    session = planned_session(by=oemm, codes=["cos"], members=members)
    with pytest.raises(WorkflowError, match="déjà 4 membres"):
        workflow.add_member(session, by=oemm, user=outsider_member)


def _open_then_close(session, oemm, president, reason=""):
    with on_day(session.date, 8, 30):
        workflow.open_session(session, by=oemm, president=president, reason=reason)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize(
    "previous_president, proposed", [(None, College.EMPLOYEUR), ("emp1", College.SALARIE), ("sal1", College.EMPLOYEUR)]
)
def test_presidency_alternates_with_the_previous_session_of_the_cqp(
    referentiels, oemm, members, previous_president, proposed
):
    with at(2026, 9, 1):
        d1, d2 = ready_dossier("gpac", by=oemm), ready_dossier("gpac", by=oemm)
    if previous_president:
        earlier = planned_session(
            by=oemm, codes=["gpac"], day=datetime.date(2026, 10, 20), members=members, dossiers=[d1]
        )
        college = earlier.members.get(user=members[previous_president]).college
        _open_then_close(
            earlier,
            oemm,
            members[previous_president],
            reason="" if college == College.EMPLOYEUR else "première session",
        )
    session = planned_session(by=oemm, codes=["gpac"], members=members, dossiers=[d2])
    assert workflow.proposed_president_college(session) == proposed
    other = "sal1" if proposed == College.EMPLOYEUR else "emp1"
    with on_day(SESSION_DAY, 8, 30):
        with pytest.raises(WorkflowError, match="indiquez le motif"):
            workflow.open_session(session, by=oemm, president=members[other])
        workflow.open_session(session, by=oemm, president=members[other], reason="Le représentant prévu est empêché.")
    session.refresh_from_db()
    assert session.president == members[other] and session.president_reason == "Le représentant prévu est empêché."
    event = SessionEvent.objects.get(session=session, action="designate_president")
    assert event.comment == "Le représentant prévu est empêché." and event.data["proposed_college"] == proposed


def test_president_of_the_proposed_college_needs_no_reason(referentiels, oemm, members):
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["gpac"], members=members, dossiers=[ready_dossier("gpac", by=oemm)])
    with on_day(SESSION_DAY, 8, 30):
        workflow.open_session(session, by=oemm, president=members["emp2"])
    assert session.president_college == College.EMPLOYEUR and session.president_reason == ""


def test_president_must_be_a_member(referentiels, oemm, members, outsider_member):
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
    with on_day(SESSION_DAY, 8, 30), pytest.raises(WorkflowError, match="parmi les membres"):
        workflow.open_session(session, by=oemm, president=outsider_member, reason="x")


# ---------------------------------------------------------------- candidates and convocations


def test_only_ready_dossiers_of_the_session_cqp_and_within_capacity(referentiels, oemm):
    with at(2026, 9, 1):
        ready = ready_dossier("cos", by=oemm)
        other_cqp = ready_dossier("gpac", by=oemm)
    session = workflow.create_session(
        by=oemm,
        certifications=[ready.certification],
        date=SESSION_DAY,
        start_time=datetime.time(9),
        place="Paris",
        capacity=1,
    )
    # A session belongs to one certifier: a Mutualité dossier is refused in a Ucanss session.
    with pytest.raises(WorkflowError, match="relève de la CPNEFP Mutualité : cette session est celle de l'Ucanss"):
        workflow.add_candidate(session, by=oemm, dossier=other_cqp)
    workflow.add_candidate(session, by=oemm, dossier=ready)
    with at(2026, 9, 1):
        second = ready_dossier("cos", by=oemm)
    with pytest.raises(WorkflowError, match="complète"):
        workflow.add_candidate(session, by=oemm, dossier=second)
    other_session = planned_session(by=oemm, codes=["cos"])
    with pytest.raises(WorkflowError, match="déjà inscrit à une session"):
        workflow.add_candidate(other_session, by=oemm, dossier=ready)


@pytest.mark.parametrize(
    "ready_on, session_day, refused_with",
    [
        # COS (Ucanss): livret 2 at least 1 month before the session.
        (datetime.date(2026, 10, 23), datetime.date(2026, 11, 23), None),
        (
            datetime.date(2026, 10, 24),
            datetime.date(2026, 11, 23),
            "au plus tard le 23 octobre 2026 (1 mois avant la session) ; il est arrivé le 24 octobre 2026",
        ),
        (datetime.date(2026, 11, 20), datetime.date(2026, 11, 23), "au plus tard le 23 octobre 2026"),
    ],
)
def test_convocation_refused_when_the_livret2_came_too_late(
    referentiels, oemm, on_commit, ready_on, session_day, refused_with
):
    with at(ready_on.year, ready_on.month, ready_on.day):
        dossier = ready_dossier("cos", by=oemm)
    session = planned_session(by=oemm, codes=["cos"], day=session_day, dossiers=[dossier])
    candidate = session.candidates.get()
    if refused_with:
        with pytest.raises(WorkflowError, match=refused_with.replace("(", r"\(").replace(")", r"\)")):
            workflow.convoke(candidate, by=oemm)
        assert not candidate.convocations.exists()
    else:
        with on_commit():
            workflow.convoke(candidate, by=oemm)
        assert candidate.convocations.count() == 1


def test_livret2_received_on_prefers_the_dossier_attribute(referentiels, oemm):
    from jury.readiness import livret2_received_on

    with at(2026, 9, 1):
        dossier = ready_dossier("cos", by=oemm)
    assert livret2_received_on(dossier) == datetime.date(2026, 9, 1)
    dossier.livret2_received_on = datetime.date(2026, 10, 30)
    assert livret2_received_on(dossier) == datetime.date(2026, 10, 30)


def test_convocation_mail_has_pdf_and_ics_and_a_reschedule_sends_a_new_version(referentiels, oemm, on_commit):
    import io

    from pypdf import PdfReader

    with at(2026, 9, 1):
        first, second = ready_dossier("cmi", by=oemm), ready_dossier("gpac", by=oemm)
    session = planned_session(by=oemm, codes=["cmi", "gpac"], dossiers=[first, second])
    c1, c2 = session.ordered_candidates()
    mail.outbox.clear()
    with on_commit():
        workflow.convoke(c1, by=oemm)
        workflow.convoke(c2, by=oemm)
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert message.to == [second.candidate.email]
    assert "convocation au jury du 23 novembre 2026" in message.subject
    names = {a[0]: a for a in message.attachments}
    ics = names["convocation-jury.ics"][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    # CMI: 20 + 10 + 10 min deliberation from 9:00 (8:00 UTC); then COS 20 + 10 from 9:40.
    assert "DTSTART:20261123T084000Z" in ics and "DTEND:20261123T091000Z" in ics and "\r\n" in ics
    pdf_text = PdfReader(io.BytesIO(names["convocation-jury-v1.pdf"][1])).pages[0].extract_text()
    assert "23 novembre 2026" in pdf_text and "09 h 40" in pdf_text
    assert c2.convocations.get().pdf.name.endswith(".pdf")
    # Reschedule: new date, both convoked candidates get version 2.
    mail.outbox.clear()
    with on_commit():
        sent = workflow.reschedule_session(
            session,
            by=oemm,
            date=datetime.date(2026, 11, 24),
            start_time=datetime.time(14),
            place=session.place,
            capacity=8,
        )
    assert sent == 2 and len(mail.outbox) == 2
    assert "nouvelle convocation" in mail.outbox[0].subject
    assert c2.convocations.order_by("-version").first().version == 2
    assert SessionEvent.objects.filter(session=session, action="send_convocation", to_state="v2").count() == 2
    # Moving the second candidate up changes both slots again.
    with on_commit():
        assert workflow.move_candidate_up(c2, by=oemm) == 2
    assert c1.convocations.count() == 3
    # Same slot again: refused, no duplicate.
    with pytest.raises(WorkflowError, match="déjà convoqué"):
        workflow.convoke(c1, by=oemm)


def test_absent_and_excused_are_recorded(open_session_with, oemm, members):
    session, (absent, excused) = open_session_with(("cos", None), ("cos", None))
    workflow.record_attendance(absent, by=oemm, attendance=Attendance.ABSENT)
    workflow.record_attendance(excused, by=oemm, attendance=Attendance.EXCUSE, note="Arrêt maladie")
    excused.refresh_from_db()
    assert excused.attendance == Attendance.EXCUSE and excused.attendance_note == "Arrêt maladie"
    assert excused.dossier.events.filter(action="jury_absence").exists()
    with pytest.raises(WorkflowError, match="absent"):
        workflow.record_deliberation(absent, by=members["emp1"], decisions=all_units(absent))
    # The session closes without decisions for absent candidates; the dossiers stay ready for another jury.
    workflow.close_session(session, by=oemm)
    assert session.state == SessionState.CLOSE
    absent.dossier.refresh_from_db()
    assert absent.dossier.state == DossierState.PRET_JURY


# ---------------------------------------------------------------- conflicts, deliberation, signature, lock


def test_a_member_in_conflict_neither_deliberates_nor_signs(open_session_with, members, oemm):
    session, (candidate,) = open_session_with(("cos", None))
    workflow.declare_conflict(candidate, by=members["sal1"], reason="Même employeur que le candidat")
    with pytest.raises(WorkflowError, match="conflit d'intérêts"):
        workflow.record_deliberation(candidate, by=members["sal1"], decisions=all_units(candidate))
    fiche = workflow.record_deliberation(candidate, by=members["sal2"], decisions=all_units(candidate))
    with pytest.raises(WorkflowError, match="Seul le président"):
        workflow.sign_fiche(fiche, by=members["sal2"])
    # The president in conflict: another member without conflict signs for the president.
    workflow.declare_conflict(candidate, by=members["emp1"], reason="Ancien collègue")
    with pytest.raises(WorkflowError, match="conflit d'intérêts"):
        workflow.sign_fiche(fiche, by=members["emp1"])
    with pytest.raises(WorkflowError, match="conflit d'intérêts"):
        workflow.sign_fiche(fiche, by=members["sal1"])
    workflow.sign_fiche(fiche, by=members["emp2"])
    fiche.refresh_from_db()
    assert fiche.state == FicheState.SIGNEE and fiche.signed_for_president


@pytest.mark.parametrize("who", ["emp1", "emp2", "sal1", "oemm"])
def test_a_signed_fiche_is_locked_for_everyone(open_session_with, members, oemm, who):
    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    workflow.sign_fiche(fiche, by=members["emp1"])
    actor = oemm if who == "oemm" else members[who]
    with pytest.raises(WorkflowError):
        workflow.record_deliberation(candidate, by=actor, decisions=all_units(candidate, validated=False))
    with pytest.raises(WorkflowError, match="déjà signée"):
        workflow.sign_fiche(fiche, by=members["emp1"])
    with pytest.raises(WorkflowError):
        workflow.record_attendance(candidate, by=oemm, attendance=Attendance.ABSENT)
    fiche.refresh_from_db()
    assert fiche.outcome == Outcome.TOTALE and fiche.state == FicheState.SIGNEE


def test_partial_validation_needs_prescriptions(open_session_with, members):
    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(
        candidate, by=members["emp1"], decisions=all_units(candidate, except_numbers=[2])
    )
    assert fiche.outcome == Outcome.PARTIELLE
    with pytest.raises(WorkflowError, match="précisez"):
        workflow.sign_fiche(fiche, by=members["emp1"])
    fiche = workflow.record_deliberation(
        candidate,
        by=members["emp1"],
        decisions=all_units(candidate, except_numbers=[2]),
        modules_to_follow="Module qualité",
    )
    workflow.sign_fiche(fiche, by=members["emp1"])


def test_deliberation_needs_every_unit_and_an_open_session(referentiels, oemm, members):
    with at(2026, 9, 1):
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
    candidate = session.candidates.get()
    with pytest.raises(WorkflowError, match="session n'est pas ouverte"):
        workflow.record_deliberation(candidate, by=members["emp1"], decisions=all_units(candidate))
    with on_day(SESSION_DAY, 8, 30):
        workflow.open_session(session, by=oemm, president=members["emp1"])
    decisions = all_units(candidate)
    decisions.popitem()
    with pytest.raises(WorkflowError, match="Décidez de chaque unité"):
        workflow.record_deliberation(candidate, by=members["emp1"], decisions=decisions)


def test_signature_records_units_decision_and_certificate(open_session_with, members, on_commit):
    session, (candidate,) = open_session_with(("cmi", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp1"], decisions=all_units(candidate))
    with on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    dossier = candidate.dossier
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    assert dossier.events.filter(action="record_decision", data__outcome="totale").exists()
    units = ValidatedUnit.objects.filter(candidate=dossier.candidate)
    assert units.count() == 7 and {u.valid_until for u in units} == {datetime.date(2031, 11, 23)}
    certificate = Certificate.objects.get(dossier=dossier)
    assert len(certificate.code) >= 20 and certificate.pdf
    fiche.refresh_from_db()
    assert fiche.pdf_status == "ready" and fiche.mailed_at
    assert SessionEvent.objects.filter(
        session=session, action="sign_fiche", from_state="brouillon", to_state="signee"
    ).exists()


# ---------------------------------------------------------------- units across attempts


def _decide(candidate, members, decisions, president="emp1", **prescriptions):
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=decisions, **prescriptions)
    return workflow.sign_fiche(fiche, by=members[president])


@pytest.mark.parametrize(
    "code, second_session, expected, carried",
    [
        # CMI: units valid 5 years. A second attempt within 5 years counts the units already held.
        ("cmi", datetime.date(2027, 6, 1), Outcome.TOTALE, 5),
        # ... after 5 years they have expired: the new jury decides on every unit.
        ("cmi", datetime.date(2032, 1, 10), Outcome.PARTIELLE, 0),
        # GPAC: blocs acquired for an indefinite period.
        ("gpac", datetime.date(2035, 1, 10), Outcome.TOTALE, 3),
    ],
)
def test_units_carry_over_across_attempts_until_they_expire(
    referentiels, oemm, members, code, second_session, expected, carried
):
    from jury.selectors import unit_statuses

    with at(2026, 9, 1):
        dossier = ready_dossier(code, by=oemm)
        session = planned_session(by=oemm, codes=[code], members=members, dossiers=[dossier])
    candidate = session.candidates.get()
    numbers = sorted(s.unit.number for s in unit_statuses(dossier, SESSION_DAY))
    held = numbers[:carried] if carried else numbers[:5]
    with on_day(SESSION_DAY, 8, 30):
        workflow.open_session(session, by=oemm, president=members["emp1"])
        _decide(
            candidate,
            members,
            all_units(candidate, except_numbers=[n for n in numbers if n not in held]),
            experience_to_deepen="Approfondir",
        )
        workflow.close_session(session, by=oemm)
    # The same dossier goes back before a jury for its missing units (a new inscription is refused while the units
    # are valid: tests/jury/test_second_session.py).
    ready_on = second_session - datetime.timedelta(days=60)
    with at(ready_on.year, ready_on.month, ready_on.day):
        workflow.present_missing_units(dossier, by=oemm)
        dossier_workflow.mark_ready_for_jury(dossier, by=oemm)
        dossier2 = dossier
        session2 = planned_session(by=oemm, codes=[code], day=second_session, members=members, dossiers=[dossier2])
    with on_day(second_session, 8, 30):
        workflow.open_session(session2, by=oemm, president=members["sal1"])
    candidate2 = session2.candidates.get()
    statuses = unit_statuses(dossier2, second_session)
    assert sum(s.still_valid for s in statuses) == carried
    if not carried:
        assert sum(s.expired for s in statuses) == 5
    # The new jury validates what is left (at least one unit).
    decisions = {pk: True for pk in all_units(candidate2)}
    if expected == Outcome.PARTIELLE:
        first_pk = next(iter(decisions))
        decisions = {pk: pk == first_pk for pk in decisions}
    with on_day(second_session, 11):
        fiche = _decide(candidate2, members, decisions, president="sal1", modules_to_follow="Modules manquants")
    assert fiche.outcome == expected
    assert fiche.unit_decisions.filter(carried_validated_on__isnull=False).count() == carried


# ---------------------------------------------------------------- corrections


def test_only_oemm_corrects_a_material_error_with_a_reason(open_session_with, members, oemm, on_commit):
    session, (candidate,) = open_session_with(("cos", None))
    with on_commit():
        fiche = _decide(candidate, members, all_units(candidate))
    assert Certificate.objects.filter(dossier=candidate.dossier, revoked_at__isnull=True).count() == 1
    decisions = all_units(candidate, except_numbers=[4])
    with pytest.raises(WorkflowError, match="Seul l'OEMM"):
        workflow.correct_fiche(fiche, by=members["emp1"], reason="x", decisions=decisions, modules_to_follow="m")
    with pytest.raises(WorkflowError, match="erreur matérielle"):
        workflow.correct_fiche(fiche, by=oemm, reason=" ", decisions=decisions, modules_to_follow="m")
    mail.outbox.clear()
    with on_commit():
        new = workflow.correct_fiche(
            fiche,
            by=oemm,
            reason="Unité 4 cochée par erreur",
            decisions=decisions,
            modules_to_follow="Module de l'activité 4",
        )
    fiche.refresh_from_db()
    assert fiche.state == FicheState.REMPLACEE and new.version == 2 and new.state == FicheState.SIGNEE
    assert new.outcome == Outcome.PARTIELLE and new.previous == fiche and new.corrected_by == oemm
    assert new.signed_by == members["emp1"]
    assert ValidatedUnit.objects.filter(candidate=candidate.dossier.candidate).count() == 3
    # The certificate of the former validation totale is revoked.
    assert not Certificate.objects.filter(dossier=candidate.dossier, revoked_at__isnull=True).exists()
    assert len(mail.outbox) == 1 and "rectifiée" in mail.outbox[0].subject
    assert "Unité 4 cochée par erreur" in mail.outbox[0].body
    event = SessionEvent.objects.get(action="correct_fiche")
    assert (event.from_state, event.to_state, event.comment, event.actor) == (
        "totale",
        "partielle",
        "Unité 4 cochée par erreur",
        oemm,
    )
    assert candidate.dossier.events.filter(action="correct_decision", comment="Unité 4 cochée par erreur").exists()
    # Only the version in force can be corrected again.
    with pytest.raises(WorkflowError, match="version en vigueur"):
        workflow.correct_fiche(fiche, by=oemm, reason="x", decisions=decisions, modules_to_follow="m")
