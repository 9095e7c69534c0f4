"""The transition tables of the candidates app, move by move: each allowed move gives its target (the state itself for
an action that keeps it), and a refused move says why in French. Plain values, no database."""

import pytest

from candidates.enums import (
    ENTRETIEN_TRANSITIONS,
    LIVRET_EVALUATION_TRANSITIONS,
    TRANSITIONS,
)
from candidates.enums import (
    DossierState as D,
)
from candidates.enums import (
    EntretienState as E,
)
from candidates.enums import (
    LivretEvaluationState as L,
)
from cqp.exceptions import WorkflowError
from cqp.transitions import allows, check_transition

OPEN = [D.INSCRIT, D.ORIENTE, D.RECEVABLE, D.PRET_JURY, D.COMPLEMENT]

DOSSIER_MOVES = [
    ("orient", D.INSCRIT, D.ORIENTE),
    ("declare_recevable", D.INSCRIT, D.RECEVABLE),
    ("declare_recevable", D.ORIENTE, D.RECEVABLE),
    ("mark_ready_for_jury", D.ORIENTE, D.PRET_JURY),
    ("mark_ready_for_jury", D.RECEVABLE, D.PRET_JURY),
    ("mark_ready_for_jury", D.COMPLEMENT, D.PRET_JURY),
    ("record_decision", D.PRET_JURY, D.DECIDE),
    ("present_missing_units", D.DECIDE, D.COMPLEMENT),
    *[("close", state, D.CLOS) for state in OPEN],
    *[("extend_first_jury", state, state) for state in OPEN],
    *[("work_on_livrets", state, state) for state in OPEN],
    ("start_livret1", D.INSCRIT, D.INSCRIT),
    ("start_livret1", D.ORIENTE, D.ORIENTE),
    ("conduct_entretien", D.INSCRIT, D.INSCRIT),
    ("designate_formation_actors", D.INSCRIT, D.INSCRIT),
    ("designate_formation_actors", D.ORIENTE, D.ORIENTE),
    ("work_on_formation", D.ORIENTE, D.ORIENTE),
    ("work_on_formation", D.COMPLEMENT, D.COMPLEMENT),
    ("transmit_livret_evaluation", D.ORIENTE, D.ORIENTE),
    ("transmit_livret_evaluation", D.COMPLEMENT, D.COMPLEMENT),
]

DOSSIER_REFUSALS = [
    ("orient", D.RECEVABLE, "Action impossible : le dossier est « Recevable »."),
    ("declare_recevable", D.PRET_JURY, "Action impossible : le dossier est « Prêt pour le jury »."),
    ("mark_ready_for_jury", D.INSCRIT, "Action impossible : le dossier est « Inscrit »."),
    ("record_decision", D.RECEVABLE, "Action impossible : le dossier est « Recevable »."),
    (
        "present_missing_units",
        D.PRET_JURY,
        "Le dossier ne peut pas être représenté au jury : il est « Prêt pour le jury ».",
    ),
    ("close", D.CLOS, "Action impossible : le dossier est « Clos »."),
    ("extend_first_jury", D.DECIDE, "Action impossible : le dossier est « Décision du jury rendue »."),
    ("work_on_livrets", D.CLOS, "Action impossible : le dossier est « Clos »."),
    ("start_livret1", D.RECEVABLE, "Action impossible : le dossier est « Recevable »."),
    (
        "conduct_entretien",
        D.ORIENTE,
        "L'entretien d'accueil ne peut plus être saisi : le dossier est « Entretien d'accueil validé ».",
    ),
    (
        "designate_formation_actors",
        D.PRET_JURY,
        "Les désignations ne sont plus modifiables : le dossier est « Prêt pour le jury ».",
    ),
    (
        "work_on_formation",
        D.INSCRIT,
        "L'entretien d'accueil et d'orientation doit d'abord être validé : le suivi de la formation commence ensuite.",
    ),
    ("work_on_formation", D.CLOS, "Le suivi de la formation n'est plus modifiable : le dossier est « Clos »."),
    ("transmit_livret_evaluation", D.PRET_JURY, "Transmission impossible : le dossier est « Prêt pour le jury »."),
]

ENTRETIEN_MOVES = [
    ("save_entretien", E.EN_COURS, E.EN_COURS),
    ("validate_as_interviewer", E.EN_COURS, E.VALIDE_INTERVIEWER),
    ("reopen", E.VALIDE_INTERVIEWER, E.EN_COURS),
    ("validate_as_candidate", E.VALIDE_INTERVIEWER, E.VALIDE),
]

ENTRETIEN_REFUSALS = [
    (
        "save_entretien",
        E.VALIDE,
        "L'entretien est validé par l'intervieweur et le candidat : il n'est plus modifiable.",
    ),
    (
        "save_entretien",
        E.VALIDE_INTERVIEWER,
        "L'entretien a été validé par l'intervieweur : il n'est plus modifiable. "
        "Rouvrez-le (tant que le candidat ne l'a pas validé) pour le corriger.",
    ),
    (
        "validate_as_interviewer",
        E.VALIDE_INTERVIEWER,
        "L'entretien n'est pas à valider : il est « Validé par l'intervieweur, en attente du candidat ».",
    ),
    ("reopen", E.VALIDE, "Le candidat a validé l'entretien : il ne peut plus être rouvert."),
    ("reopen", E.EN_COURS, "Action impossible : l'entretien est « En cours de saisie »."),
    (
        "validate_as_candidate",
        E.EN_COURS,
        "L'entretien n'est pas à valider : il est « En cours de saisie » (l'intervieweur ne l'a pas encore validé).",
    ),
    (
        "validate_as_candidate",
        E.VALIDE,
        "L'entretien n'est pas à valider : il est « Validé par l'intervieweur et le candidat ».",
    ),
]

LIVRET_EVALUATION_MOVES = [
    ("transmit_livret_evaluation", L.EN_COURS, L.TRANSMIS),
    ("work_on_formation", L.EN_COURS, L.EN_COURS),
    ("designate_formation_actors", L.EN_COURS, L.EN_COURS),
    ("mark_ready_for_jury", L.TRANSMIS, L.TRANSMIS),
    ("reopen_for_units", L.TRANSMIS, L.EN_COURS),
]

LIVRET_EVALUATION_REFUSALS = [
    (
        "reopen_for_units",
        L.EN_COURS,
        "Le livret d'évaluation finale ne peut pas être rouvert : il est « En cours ».",
    ),
    ("transmit_livret_evaluation", L.TRANSMIS, "Transmission impossible : le livret est « Transmis à l'OEMM »."),
    (
        "work_on_formation",
        L.TRANSMIS,
        "Le livret d'évaluation finale a été transmis à l'OEMM : le suivi de la formation n'est plus modifiable.",
    ),
    (
        "designate_formation_actors",
        L.TRANSMIS,
        "Le livret d'évaluation finale a été transmis : les désignations ne sont plus modifiables.",
    ),
    (
        "mark_ready_for_jury",
        L.EN_COURS,
        "L'entreprise n'a pas encore transmis le livret d'évaluation finale : le dossier "
        "ne peut pas être déclaré prêt pour le jury.",
    ),
]

MACHINES = {
    "dossier": (TRANSITIONS, D, "le dossier", DOSSIER_MOVES, DOSSIER_REFUSALS),
    "entretien": (ENTRETIEN_TRANSITIONS, E, "l'entretien", ENTRETIEN_MOVES, ENTRETIEN_REFUSALS),
    "livret_evaluation": (
        LIVRET_EVALUATION_TRANSITIONS,
        L,
        "le livret",
        LIVRET_EVALUATION_MOVES,
        LIVRET_EVALUATION_REFUSALS,
    ),
}


@pytest.mark.parametrize(
    "machine, name, state, target",
    [(machine, *move) for machine, (_, _, _, moves, _) in MACHINES.items() for move in moves],
)
def test_each_allowed_move_gives_its_target(machine, name, state, target):
    table, states, what, _, _ = MACHINES[machine]
    assert allows(table, name, state)
    assert check_transition(table, name, state, what=what, state_label=states(state).label) == target


@pytest.mark.parametrize(
    "machine, name, state, message",
    [(machine, *refusal) for machine, (_, _, _, _, refusals) in MACHINES.items() for refusal in refusals],
)
def test_a_refused_move_says_why_in_french(machine, name, state, message):
    table, states, what, _, _ = MACHINES[machine]
    assert not allows(table, name, state)
    with pytest.raises(WorkflowError) as exc:
        check_transition(table, name, state, what=what, state_label=states(state).label)
    assert str(exc.value) == message


@pytest.mark.parametrize("machine", MACHINES)
def test_every_move_of_every_table_is_listed_here_with_a_refusal(machine):
    table, _, _, moves, refusals = MACHINES[machine]
    assert {(name, state) for name, transition in table.items() for state in transition.sources} == {
        (name, state) for name, state, _ in moves
    }
    assert {name for name, _, _ in refusals} == set(table)
