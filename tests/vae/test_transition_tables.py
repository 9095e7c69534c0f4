"""The transition tables of the VAE, move by move: each allowed move gives its target (the state itself for an action
that keeps it), and a refused move says why in French. Plain values, no database."""

import pytest

from cqp.exceptions import WorkflowError
from cqp.transitions import allows, check_transition
from vae.enums import (
    CONVENTION_TRANSITIONS,
    LIVRET2_TRANSITIONS,
    TRANSITIONS,
)
from vae.enums import (
    ConventionState as C,
)
from vae.enums import (
    Livret1State as L1,
)
from vae.enums import (
    Livret2State as L2,
)

LIVRET1_MOVES = [
    ("submit", L1.BROUILLON, L1.SOUMIS),
    ("submit", L1.INCOMPLET, L1.SOUMIS),
    ("declare_recevable", L1.SOUMIS, L1.RECEVABLE),
    ("declare_non_recevable", L1.SOUMIS, L1.NON_RECEVABLE),
    ("request_completion", L1.SOUMIS, L1.INCOMPLET),
    ("tacit_acceptance", L1.SOUMIS, L1.RECEVABLE),
    *[
        (name, state, state)
        for name in ("save_draft", "add_piece", "delete_piece")
        for state in (L1.BROUILLON, L1.INCOMPLET)
    ],
    ("give_verdict", L1.SOUMIS, L1.SOUMIS),
    ("replace_piece", L1.SOUMIS, L1.SOUMIS),
]

LIVRET1_REFUSALS = [
    ("submit", L1.SOUMIS, "Action impossible : le livret 1 est « Soumis, en cours d'instruction »."),
    ("declare_recevable", L1.RECEVABLE, "Aucune décision à prendre : le livret 1 est « Recevable »."),
    ("declare_non_recevable", L1.BROUILLON, "Aucune décision à prendre : le livret 1 est « Brouillon »."),
    ("request_completion", L1.INCOMPLET, "Aucune décision à prendre : le livret 1 est « Incomplet : à compléter »."),
    ("tacit_acceptance", L1.NON_RECEVABLE, "Action impossible : le livret 1 est « Non recevable »."),
    ("save_draft", L1.SOUMIS, "Le livret 1 n'est plus modifiable : il est « Soumis, en cours d'instruction »."),
    ("add_piece", L1.RECEVABLE, "Les pièces ne peuvent plus être modifiées : le livret 1 n'est plus un brouillon."),
    ("delete_piece", L1.SOUMIS, "Les pièces ne peuvent plus être supprimées : le livret 1 a été envoyé."),
    (
        "give_verdict",
        L1.BROUILLON,
        "Les pièces ne s'examinent que pendant l'instruction : le livret 1 est « Brouillon ».",
    ),
    ("replace_piece", L1.RECEVABLE, "Cette pièce ne peut plus être remplacée : le livret 1 est « Recevable »."),
]

LIVRET2_MOVES = [
    ("submit", L2.BROUILLON, L2.SOUMIS),
    ("acknowledge", L2.SOUMIS, L2.RECU),
    ("save_draft", L2.BROUILLON, L2.BROUILLON),
    ("add_piece", L2.BROUILLON, L2.BROUILLON),
    ("delete_piece", L2.BROUILLON, L2.BROUILLON),
    ("reopen_for_units", L2.RECU, L2.BROUILLON),
]

LIVRET2_REFUSALS = [
    (
        "reopen_for_units",
        L2.SOUMIS,
        "Le livret 2 ne peut pas être rouvert : il est « Envoyé, en attente de réception par l'OEMM ».",
    ),
    ("submit", L2.RECU, "Action impossible : le livret 2 est « Reçu par l'OEMM »."),
    ("acknowledge", L2.BROUILLON, "Aucune réception à enregistrer : le livret 2 est « Brouillon »."),
    (
        "save_draft",
        L2.SOUMIS,
        "Le livret 2 n'est plus modifiable : le livret 2 est « Envoyé, en attente de réception par l'OEMM ».",
    ),
    ("add_piece", L2.RECU, "Les pièces ne peuvent plus être modifiées : le livret 2 est « Reçu par l'OEMM »."),
    ("delete_piece", L2.RECU, "Les pièces ne peuvent plus être supprimées : le livret 2 est « Reçu par l'OEMM »."),
]

CONVENTION_MOVES = [
    ("set_terms", C.PROPOSEE, C.PROPOSEE),
    ("accept", C.PROPOSEE, C.ACCEPTEE),
    ("cancel", C.PROPOSEE, C.ANNULEE),
    ("comment", C.ACCEPTEE, C.ACCEPTEE),
]

CONVENTION_REFUSALS = [
    ("set_terms", C.ACCEPTEE, "Action impossible : la convention est « Acceptée par le candidat et l'organisme »."),
    ("accept", C.ANNULEE, "Action impossible : la convention est « Annulée »."),
    ("cancel", C.ACCEPTEE, "Action impossible : la convention est « Acceptée par le candidat et l'organisme »."),
    ("comment", C.PROPOSEE, "Les commentaires sont possibles une fois la convention acceptée par les deux parties."),
]

MACHINES = {
    "livret1": (TRANSITIONS, L1, "le livret 1", LIVRET1_MOVES, LIVRET1_REFUSALS),
    "livret2": (LIVRET2_TRANSITIONS, L2, "le livret 2", LIVRET2_MOVES, LIVRET2_REFUSALS),
    "convention": (CONVENTION_TRANSITIONS, C, "la convention", CONVENTION_MOVES, CONVENTION_REFUSALS),
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
