"""The road after a validation partielle: the same dossier goes back before a later session for its missing units
only, the ledger carries the units already acquired, an expired unit is asked again, the dossier reaches « validation
totale » and its certificate; a new inscription is refused while the partial validation is valid; the OEMM's action
and the pages (dossier, dashboard, session, cockpit queue)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from candidates import workflow as dossier_workflow
from candidates.enums import DossierState
from cqp.exceptions import WorkflowError
from jury import partial, workflow
from jury.enums import Outcome
from jury.models import Certificate, SessionEvent, ValidatedUnit
from jury.selectors import dossiers_ready_for_jury, unit_statuses
from vae import workflow as vae_workflow
from vae.enums import Livret2State

from ..factories import give_jury_documents
from ..vae.livret2_support import entreprise_rh, fill, recevable_dossier, register  # noqa: F401 (fixtures)
from .conftest import all_units, at, planned_session, ready_dossier

D = datetime.date


def _decide(candidate, members, decisions, president, *, close_by=None, **prescriptions):
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=decisions, **prescriptions)
    fiche = workflow.sign_fiche(fiche, by=members[president])
    if close_by is not None:
        workflow.close_session(candidate.session, by=close_by)
    return fiche


def _session(oemm, members, code, day, dossier, president):
    before = day - datetime.timedelta(days=40)
    with at(before.year, before.month, before.day):
        session = planned_session(by=oemm, codes=[code], day=day, members=members, dossiers=[dossier])
    with at(day.year, day.month, day.day, 8, 30):
        workflow.open_session(session, by=oemm, president=members[president])
    return session.candidates.get(dossier=dossier)


def _vae_ready(dossier, candidat, oemm):
    livret = vae_workflow.start_livret2(dossier, by=candidat)
    fill(livret, candidat)
    vae_workflow.submit_livret2(livret, by=candidat)
    vae_workflow.acknowledge_livret2(livret, by=oemm)
    dossier.refresh_from_db()
    return livret


def test_a_vae_dossier_goes_back_for_its_missing_units_and_reaches_totale(
    recevable_dossier,  # noqa: F811
    candidat,
    oemm,
    members,
    approved_centre,
    client,
    on_commit,
):
    dossier = recevable_dossier
    livret = _vae_ready(dossier, candidat, oemm)
    assert dossier.state == DossierState.PRET_JURY
    give_jury_documents(dossier)

    # First session: units 1 to 3 validated, unit 4 missing, with the jury's prescriptions.
    first = _session(oemm, members, "cos", D(2027, 3, 15), dossier, "emp1")
    with at(2027, 3, 15, 11):
        fiche = _decide(
            first,
            members,
            all_units(first, except_numbers=[4]),
            "emp1",
            close_by=oemm,
            experience_to_deepen="Accueil physique des allocataires",
            modules_to_follow="Module « Offre de services »",
        )
    assert fiche.outcome == Outcome.PARTIELLE
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE

    # The road, as the pages show it.
    road = partial.road_of(dossier, D(2027, 4, 1))
    assert [a.unit.number for a in road.acquired] == [1, 2, 3]
    assert {a.valid_until for a in road.acquired} == {D(2032, 3, 15)}
    assert [u.number for u in road.to_present] == [4] and road.expired == []
    assert road.fiche == fiche and [c.name for c in road.centres] == ["Institut de Formation Mutualiste"]
    client.force_login(candidat)
    page = client.get(reverse("candidates:dossier", kwargs={"number": dossier.number})).content.decode()
    assert "Validation partielle" in page and "15 mars 2032" in page
    assert "Accueil physique des allocataires" in page and "Institut de Formation Mutualiste" in page
    assert "Représenter au jury" not in page  # the candidate does not send the dossier back: OEMM does

    # A new inscription for the same CQP is refused, pointing to the dossier.
    with at(2027, 4, 1), pytest.raises(WorkflowError, match=f"dossier n° {dossier.number}"):
        register(candidat)

    # Only OEMM sends it back; then the livret 2 is reopened for unit 4 only.
    with pytest.raises(WorkflowError, match="Seul l'OEMM"):
        workflow.present_missing_units(dossier, by=candidat)
    with at(2027, 4, 1), on_commit():
        workflow.present_missing_units(dossier, by=oemm)
    told = [m for m in mail.outbox if "unités à présenter de nouveau" in m.subject]
    assert len(told) == 1 and told[0].to == [candidat.email] and f"{dossier.certification.unit_label} 4" in told[0].body
    assert "livret 2 est rouvert" in told[0].body
    dossier.refresh_from_db()
    livret.refresh_from_db()
    assert dossier.state == DossierState.COMPLEMENT
    assert livret.state == Livret2State.BROUILLON and livret.reopened_units == [4] and livret.received_on is None
    event = dossier.events.get(action="present_missing_units")
    assert (event.from_state, event.to_state, event.actor) == ("decide", "complement", oemm)
    assert dossier.events.filter(action="livret2_reopen", data__units=[4]).exists()
    with pytest.raises(WorkflowError, match="décision du jury est rendue"):
        workflow.present_missing_units(dossier, by=oemm)

    # The candidate completes unit 4's situations; the acquired units' situations are kept as the jury read them.
    unit1 = livret.situations.filter(unit__number=1).first()
    unit4 = livret.situations.filter(unit__number=4).first()
    vae_workflow.save_livret2_draft(
        livret,
        by=candidat,
        motivation=livret.motivation,
        context=livret.context,
        situations={
            unit1.pk: {"title": "Changé", "answers": unit1.answers, "free_answer": ""},
            unit4.pk: {"title": "Nouvelle situation", "answers": unit4.answers, "free_answer": ""},
        },
    )
    unit1.refresh_from_db()
    unit4.refresh_from_db()
    assert unit1.title != "Changé" and unit4.title == "Nouvelle situation"
    with at(2027, 4, 20):
        vae_workflow.submit_livret2(livret, by=candidat)
        vae_workflow.acknowledge_livret2(livret, by=oemm)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PRET_JURY
    ready = dossiers_ready_for_jury().get(pk=dossier.pk)
    assert ready.presented_before

    # Second session: the jury decides on unit 4 only; the ledger carries units 1 to 3.
    second = _session(oemm, members, "cos", D(2027, 6, 14), dossier, "sal1")
    assert SessionEvent.objects.filter(session=second.session, label__contains="nouvelle présentation").exists()
    assert dossier.events.filter(action="jury_placed_again").exists()
    statuses = unit_statuses(dossier, D(2027, 6, 14))
    assert [s.unit.number for s in statuses if not s.still_valid] == [4]
    with pytest.raises(WorkflowError, match="Décidez de chaque unité"):
        workflow.record_deliberation(second, by=members["emp2"], decisions={})
    with at(2027, 6, 14, 11):
        fiche2 = _decide(second, members, all_units(second), "sal1")
    assert fiche2.outcome == Outcome.TOTALE
    carried = fiche2.unit_decisions.filter(carried_validated_on__isnull=False)
    assert sorted(d.unit.number for d in carried) == [1, 2, 3]
    assert {d.carried_validated_on for d in carried} == {D(2027, 3, 15)}
    assert ValidatedUnit.objects.filter(candidate=candidat, fiche=fiche2).get().unit_number == 4
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    assert Certificate.objects.get(dossier=dossier, revoked_at__isnull=True).fiche == fiche2
    assert partial.road_of(dossier, D(2027, 7, 1)) is None


def test_an_expired_unit_is_asked_again(referentiels, oemm, members, approved_centre):
    """CMI (units valid 5 years): units 1-3 validated in 2026, 4-5 in 2027; by 2032 units 1-3 have expired, so the
    third jury asks them again with 6 and 7, and carries 4 and 5."""
    with at(2026, 9, 1):
        dossier = ready_dossier("cmi", by=oemm)
    first = _session(oemm, members, "cmi", D(2026, 11, 23), dossier, "emp1")
    with at(2026, 11, 23, 11):
        _decide(
            first, members, all_units(first, except_numbers=[4, 5, 6, 7]), "emp1", close_by=oemm, modules_to_follow="M"
        )

    with at(2027, 1, 5):
        workflow.present_missing_units(dossier, by=oemm)
        dossier_workflow.mark_ready_for_jury(dossier, by=oemm)  # no livret 2 online for this dossier
    second = _session(oemm, members, "cmi", D(2027, 6, 1), dossier, "sal1")
    with at(2027, 6, 1, 11):
        _decide(second, members, all_units(second, except_numbers=[6, 7]), "sal1", close_by=oemm, modules_to_follow="M")

    road = partial.road_of(dossier, D(2031, 12, 1))
    assert [a.unit.number for a in road.acquired] == [4, 5]
    assert [u.number for u in road.expired] == [1, 2, 3]
    assert [u.number for u in road.to_present] == [1, 2, 3, 6, 7]

    with at(2031, 12, 1):
        workflow.present_missing_units(dossier, by=oemm)
        dossier_workflow.mark_ready_for_jury(dossier, by=oemm)
    third = _session(oemm, members, "cmi", D(2032, 1, 10), dossier, "emp1")
    statuses = unit_statuses(dossier, D(2032, 1, 10))
    assert sorted(s.unit.number for s in statuses if s.expired) == [1, 2, 3]
    asked = all_units(third)
    assert len(asked) == 5  # 1, 2, 3 (expired) and 6, 7
    with at(2032, 1, 10, 11):
        fiche = _decide(third, members, asked, "emp1")
    assert fiche.outcome == Outcome.TOTALE
    assert sorted(d.unit.number for d in fiche.unit_decisions.filter(carried_validated_on__isnull=False)) == [4, 5]
    assert Certificate.objects.filter(dossier=dossier).exists()


def test_reinscription_is_refused_while_valid_then_allowed_once_expired(referentiels, oemm, members):
    with at(2026, 9, 1):
        dossier = ready_dossier("cmi", by=oemm)
    candidate = dossier.candidate
    first = _session(oemm, members, "cmi", D(2026, 11, 23), dossier, "emp1")
    with at(2026, 11, 23, 11):
        _decide(first, members, all_units(first, except_numbers=[7]), "emp1", modules_to_follow="Module 7")
    with at(2027, 2, 1), pytest.raises(WorkflowError, match=f"validation partielle.*dossier n° {dossier.number}"):
        ready_dossier("cmi", by=oemm, candidate=candidate)
    # Another CQP is not concerned.
    with at(2027, 2, 1):
        ready_dossier("gpac", by=oemm, candidate=candidate)
    # Five years later the acquired units have expired: a new inscription is possible.
    with at(2031, 11, 24):
        assert ready_dossier("cmi", by=oemm, candidate=candidate).state == DossierState.PRET_JURY


def test_present_again_refused_without_a_partial_validation(referentiels, oemm, members, open_session_with):
    session, (candidate,) = open_session_with(("cos", None))
    with pytest.raises(WorkflowError, match="pas de validation partielle"):
        workflow.present_missing_units(candidate.dossier, by=oemm)
    _decide(candidate, members, all_units(candidate), "emp1")
    with pytest.raises(WorkflowError, match="pas de validation partielle"):
        workflow.present_missing_units(candidate.dossier, by=oemm)


def test_oemm_presents_again_from_the_dossier_page_and_outsiders_get_404(referentiels, oemm, members, client):
    from cqp.enums import Role
    from referentiels.models import Certifier

    from ..factories import user_with_role

    with at(2026, 9, 1):
        dossier = ready_dossier("cmi", by=oemm)
    first = _session(oemm, members, "cmi", D(2026, 11, 23), dossier, "emp1")
    with at(2026, 11, 23, 11):
        _decide(first, members, all_units(first, except_numbers=[7]), "emp1", modules_to_follow="Module 7")
    url = reverse("jury:present_missing_units", kwargs={"number": dossier.number})
    # An OEMM of another certifier does not see the dossier: 404, nothing changes.
    ucanss = user_with_role(Role.OEMM, certifier=Certifier.objects.get(code="ucanss"))
    client.force_login(ucanss)
    assert client.post(url).status_code == 404
    # The candidate has no such right.
    client.force_login(dossier.candidate)
    assert client.post(url).status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DECIDE
    client.force_login(oemm)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Représenter au jury pour les unités manquantes" in page
    response = client.post(url, follow=True)
    assert "repart vers le jury" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.COMPLEMENT


def test_the_dashboard_shows_the_road_in_constant_queries(
    referentiels, oemm, members, client, django_assert_max_num_queries
):
    with at(2026, 9, 1):
        dossier = ready_dossier("gpac", by=oemm)
    candidate = dossier.candidate
    first = _session(oemm, members, "gpac", D(2026, 11, 23), dossier, "emp1")
    with at(2026, 11, 23, 11):
        _decide(first, members, all_units(first, except_numbers=[3]), "emp1", experience_to_deepen="Réclamations")
    url = reverse("dashboard_candidat")
    with at(2027, 1, 5):
        client.force_login(candidate)
        page = client.get(url).content.decode()
    assert "Validation partielle" in page and "durée indéfinie" in page and "Réclamations" in page
    assert dossier.number in page
    with at(2027, 1, 5, 10, 5), django_assert_max_num_queries(60) as captured:
        client.get(url)
    before = len(captured)
    for code in ("cmi", "spsp"):
        with at(2027, 1, 5, 10, 8):
            other = ready_dossier(code, by=oemm, candidate=candidate, mention="sante" if code == "spsp" else None)
        del other
    with at(2027, 1, 6, 10, 10), django_assert_max_num_queries(before):
        client.get(url)


def test_voie_formative_a_new_evaluation_of_the_missing_units(referentiels, oemm, members, candidat):
    """The livret d'évaluation finale is reopened: the missing units' assessments and every signature of the livret
    are to be given again; the acquired units keep their signed assessment and the candidate writes only for the
    missing ones."""
    from django.utils import timezone as tz

    from candidates.enums import LivretEvaluationState
    from candidates.models import LivretEvaluation, LivretEvaluationAnswer, UnitAssessment
    from cqp.enums import EntrepriseFunction, Role
    from referentiels.models import Certification

    from ..factories import EntrepriseFactory, user_with_role

    entreprise = EntrepriseFactory()
    rh = user_with_role(Role.ENTREPRISE, entreprise=entreprise, entreprise_function=EntrepriseFunction.RH)
    with at(2026, 9, 1):
        dossier = dossier_workflow.register_employee(
            by=rh,
            entreprise=entreprise,
            email=candidat.email,
            first_name=candidat.first_name,
            last_name=candidat.last_name,
            certification=Certification.objects.get(code="cmi"),
        )
        dossier_workflow.orient(dossier, by=oemm)
        now = tz.now()
        livret = LivretEvaluation.objects.create(
            dossier=dossier,
            state=LivretEvaluationState.TRANSMIS,
            candidate_signed_at=now,
            evaluator1_signed_at=now,
            evaluator2_signed_at=now,
            evaluator1_signed_by=rh,
            evaluator2_signed_by=rh,
            transmitted_at=now,
            transmitted_by=rh,
        )
        for unit in dossier.version.units.all():
            UnitAssessment.objects.create(
                livret=livret, unit=unit, slot=1, evaluated_on=D(2026, 8, 1), mastery="maitrise", signed_at=now
            )
        dossier_workflow.mark_ready_for_jury(dossier, by=oemm)
    first = _session(oemm, members, "cmi", D(2026, 11, 23), dossier, "emp1")
    with at(2026, 11, 23, 11):
        _decide(first, members, all_units(first, except_numbers=[6, 7]), "emp1", close_by=oemm, modules_to_follow="M")
    with at(2027, 1, 5):
        workflow.present_missing_units(dossier, by=oemm)
    dossier.refresh_from_db()
    livret.refresh_from_db()
    assert dossier.state == DossierState.COMPLEMENT
    assert livret.state == LivretEvaluationState.EN_COURS and livret.reopened_units == [6, 7]
    assert livret.candidate_signed_at is None and livret.evaluator1_signed_at is None and livret.transmitted_at is None
    signed = set(livret.assessments.filter(signed_at__isnull=False).values_list("unit__number", flat=True))
    assert signed == {1, 2, 3, 4, 5}
    assert dossier.events.filter(action="livret_evaluation_reopen", data__units=[6, 7]).exists()
    # The voie formative is open again for work; the candidate writes for units 6 and 7 only.
    dossier_workflow.check_open_for_work(dossier)
    units = {u.number: u for u in dossier.version.units.all()}
    dossier_workflow.save_candidate_part(
        dossier, by=candidat, activities="Activités", answers={units[1].pk: "Changé", units[6].pk: "Nouveau"}
    )
    answers = dict(LivretEvaluationAnswer.objects.filter(livret=livret).values_list("unit__number", "text"))
    assert answers == {6: "Nouveau"}
