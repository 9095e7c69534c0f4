"""The transition tables of the jury, move by move: each allowed move gives its target (the state itself for an action
that keeps it), and a refused move says why in French. Plain values, no database."""

import pytest

from cqp.exceptions import WorkflowError
from cqp.transitions import allows, check_transition
from jury.enums import FICHE_TRANSITIONS, SESSION_TRANSITIONS
from jury.enums import FicheState as F
from jury.enums import SessionState as S

SESSION_MOVES = [
    ("open_session", S.PLANIFIEE, S.OUVERTE),
    ("close_session", S.OUVERTE, S.CLOSE),
    ("plan", S.PLANIFIEE, S.PLANIFIEE),
    ("record_attendance", S.PLANIFIEE, S.PLANIFIEE),
    ("record_attendance", S.OUVERTE, S.OUVERTE),
    ("deliberate", S.OUVERTE, S.OUVERTE),
    ("sign_fiche", S.OUVERTE, S.OUVERTE),
]

SESSION_REFUSALS = [
    ("open_session", S.OUVERTE, "Action impossible : la session est « Ouverte (en séance) »."),
    ("close_session", S.PLANIFIEE, "Action impossible : la session est « Planifiée »."),
    ("plan", S.CLOSE, "Action impossible : la session est « Close »."),
    ("record_attendance", S.CLOSE, "La session est close."),
    ("deliberate", S.PLANIFIEE, "La délibération n'a lieu qu'en séance : la session n'est pas ouverte."),
    ("sign_fiche", S.CLOSE, "La fiche se signe en séance : la session n'est pas ouverte."),
]

FICHE_MOVES = [
    ("sign_fiche", F.BROUILLON, F.SIGNEE),
    ("correct_fiche", F.SIGNEE, F.REMPLACEE),
    ("deliberate", F.BROUILLON, F.BROUILLON),
    ("record_attendance", F.BROUILLON, F.BROUILLON),
    ("declare_conflict", F.BROUILLON, F.BROUILLON),
    ("rebuild_pdf", F.SIGNEE, F.SIGNEE),
    ("rebuild_pdf", F.REMPLACEE, F.REMPLACEE),
]

FICHE_REFUSALS = [
    ("sign_fiche", F.SIGNEE, "La fiche de décision est déjà signée : elle ne se modifie plus."),
    ("correct_fiche", F.REMPLACEE, "Seule la version en vigueur d'une fiche signée se rectifie."),
    ("deliberate", F.SIGNEE, "La fiche de décision est signée : elle ne se modifie plus."),
    ("record_attendance", F.SIGNEE, "La fiche de décision est signée : la présence ne se modifie plus."),
    ("declare_conflict", F.REMPLACEE, "La fiche de décision est signée."),
    ("rebuild_pdf", F.BROUILLON, "La fiche n'est pas signée."),
]

MACHINES = {
    "session": (SESSION_TRANSITIONS, S, "la session", SESSION_MOVES, SESSION_REFUSALS),
    "fiche": (FICHE_TRANSITIONS, F, "la fiche de décision", FICHE_MOVES, FICHE_REFUSALS),
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
