"""Gates of the voie formative (issue 14): the livret is transmitted, and the dossier declared ready for the jury,
only once the parcours planned at the entretien is followed (its hours) and every évaluation formative is signed;
the evaluators sign after the candidate's part."""

import datetime as dt

import pytest
from django.utils import timezone

from candidates import workflow
from candidates.enums import DossierState, LivretEvaluationState
from candidates.formation_file import build_file
from candidates.formation_rules import CANDIDATE_FIRST, module_done, parcours_missing
from candidates.models import LivretEvaluation
from cqp.enums import Role
from referentiels.enums import CriterionKind

from ..factories import user_with_role
from .formation_support import criteria, fill_livret_evaluation, follow_parcours, units_of

UNITS = [(1, "Unité 1"), (2, "Unité 2"), (3, "Unité 3")]


@pytest.mark.parametrize(
    "orientations, planned, done, signed, expected",
    [
        # Everything followed and signed.
        ({1: "formation", 2: "formation"}, {1: 60, 2: 40}, {1: 60, 2: 45}, {1, 2}, []),
        # 0 hours followed, 0 évaluation formative: each named.
        (
            {1: "formation", 2: "formation"},
            {1: 60, 2: 40},
            {},
            set(),
            [
                "les heures de formation pour : Unité 1 (0 h suivies sur 60 h prévues au parcours ; durée de "
                "référence du CQP : 280 à 320 h)",
                "les heures de formation pour : Unité 2 (0 h suivies sur 40 h prévues au parcours ; durée de "
                "référence du CQP : 280 à 320 h)",
                "l'évaluation formative signée pour : Unité 1",
                "l'évaluation formative signée pour : Unité 2",
            ],
        ),
        # One hour short.
        (
            {1: "formation"},
            {1: 60},
            {1: 59},
            {1},
            [
                "les heures de formation pour : Unité 1 (59 h suivies sur 60 h prévues au parcours ; durée de "
                "référence du CQP : 280 à 320 h)"
            ],
        ),
        # Units oriented to VAE or évaluation directe need neither hours nor an évaluation formative.
        ({1: "vae", 2: "evaluation_directe", 3: "formation"}, {3: 10}, {3: 10}, {3}, []),
        ({1: "evaluation_directe"}, {}, {}, set(), []),
    ],
)
def test_parcours_missing(orientations, planned, done, signed, expected):
    assert (
        parcours_missing(
            units=UNITS,
            orientations=orientations,
            planned_hours=planned,
            done_hours=done,
            formative_signed=signed,
            norm="280 à 320 h",
        )
        == expected
    )


@pytest.mark.parametrize(
    "end_on, done",
    [(None, True), (dt.date(2026, 11, 22), True), (dt.date(2026, 11, 23), True), (dt.date(2026, 11, 24), False)],
)
def test_a_module_counts_once_ended(end_on, done):
    assert module_done(end_on, dt.date(2026, 11, 23)) is done


def test_transmission_and_readiness_need_the_parcours_followed(designated, rh, candidat, manager, evaluator2):
    dossier = designated
    fill_livret_evaluation(dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2, parcours=False)
    # 0 hours followed and 0 of 5 évaluations formatives: refused, each named.
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.transmit_livret_evaluation(dossier, by=rh)
    hours = [m for m in exc.value.missing if m.startswith("les heures de formation")]
    formatives = [m for m in exc.value.missing if m.startswith("l'évaluation formative signée")]
    assert len(hours) == 5 and len(formatives) == 5
    assert "0 h suivies sur 60 h prévues au parcours" in hours[0]
    assert str(exc.value).startswith("Le livret d'évaluation finale ne peut pas être transmis, il manque : ")
    assert LivretEvaluation.objects.get().state == LivretEvaluationState.EN_COURS
    # Hours followed on 4 units only, formatives signed: the fifth unit is named.
    units = units_of(dossier)
    follow_parcours(dossier, hours={u.number: 60 for u in units[:4]})
    missing = build_file(dossier).missing
    assert len(missing) == 1 and "0 h suivies sur 60 h" in missing[0] and units[4].title[:20] in missing[0]
    with pytest.raises(workflow.FormationIncomplete):
        workflow.transmit_livret_evaluation(dossier, by=rh)
    # The whole parcours followed: transmitted, then ready for the jury.
    follow_parcours_rest(dossier, units)
    workflow.transmit_livret_evaluation(dossier, by=rh)
    workflow.mark_formation_ready_for_jury(dossier, by=user_with_role(Role.OEMM))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PRET_JURY


def follow_parcours_rest(dossier, units):
    """Every planned hour followed (the évaluations formatives already signed stay signed)."""
    from candidates.models import ParcoursModule

    from .formation_support import keeper_of

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    modules = [
        {"unit_id": m.unit_id, "title": m.title, "hours": m.hours, "start_on": None, "end_on": yesterday, "content": ""}
        for m in ParcoursModule.objects.filter(entretien__dossier=dossier)
    ]
    workflow.save_livret_suivi(dossier, by=keeper_of(dossier), training_manager="Claire Martin", modules=modules)


def test_a_module_ending_later_does_not_count_yet(designated, rh, candidat, manager, evaluator2):
    dossier = designated
    fill_livret_evaluation(dossier, candidate=candidat, evaluator1=manager, evaluator2=evaluator2)
    assert build_file(dossier).missing == []
    from candidates.models import SuiviModule

    SuiviModule.objects.filter(position=0).update(end_on=timezone.localdate() + dt.timedelta(days=10))
    missing = build_file(dossier).missing
    assert len(missing) == 1 and "0 h suivies sur 60 h prévues au parcours" in missing[0]


def test_evaluators_sign_after_the_candidate_part(designated, candidat, manager, evaluator2):
    dossier = designated
    unit = units_of(dossier)[0]
    workflow.save_unit_assessment(
        dossier,
        unit,
        1,
        by=manager,
        data={
            "evaluated_on": dt.date(2026, 11, 20),
            "mastery": "maitrise",
            "modality_used": "Entretien",
            "ratings": {c.pk: "oui" for c in criteria(unit, CriterionKind.FINAL)},
        },
    )
    # Complete but the candidate has not written (signed) their part: refused with the reason.
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.sign_unit_assessment(dossier, unit, 1, by=manager)
    assert exc.value.missing == [CANDIDATE_FIRST]
    assert "Signature impossible, il manque : la partie du candidat" in str(exc.value)
    with pytest.raises(workflow.FormationIncomplete) as exc:
        workflow.sign_as_evaluator(dossier, 1, by=manager)
    assert exc.value.missing[0] == CANDIDATE_FIRST
    # Once the candidate signed, the evaluator signs.
    workflow.save_candidate_part(
        dossier, by=candidat, activities="Mes activités.", answers={u.pk: "Réponse" for u in units_of(dossier)}
    )
    workflow.sign_candidate_part(dossier, by=candidat)
    assert workflow.sign_unit_assessment(dossier, unit, 1, by=manager).signed_at is not None
