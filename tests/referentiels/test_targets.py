"""Table tests of the target units of a path and its routing to the jury or a commission paritaire (seed 003 L36, L81,
L183), and of the commission's composition checked by the jury's composition rule."""

import pytest

from cqp.enums import College
from jury.rules import check_composition
from referentiels.targets import COMMISSION, JURY, commission_colleges, routing, targets_problem

GPAC = {"partial_allowed": True, "commission_when": "partial", "commission": {"per_college": 2}}
SINGLE = {"partial_allowed": True, "commission_when": "single", "commission": {"per_college": 1}}
WHOLE = {}  # a certification whose seeds say nothing: whole CQP only
UNITS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("rule", "targeted", "remaining", "expected"),
    [
        (GPAC, [2], UNITS, COMMISSION),  # one bloc (003 L81)
        (GPAC, [2, 3], UNITS, COMMISSION),  # several blocs (003 L183)
        (GPAC, UNITS, UNITS, JURY),  # the whole CQP (003 L83)
        (GPAC, [], UNITS, JURY),  # no choice: the whole CQP
        (GPAC, [3, 4, 5], [3, 4, 5], JURY),  # the remaining units after a commission: the jury delivers the CQP
        (GPAC, [3], [3, 4, 5], COMMISSION),
        (SINGLE, [2], UNITS, COMMISSION),
        (SINGLE, [2, 3], UNITS, JURY),
        (WHOLE, [2], UNITS, JURY),
        (WHOLE, UNITS, UNITS, JURY),
    ],
)
def test_routing(rule, targeted, remaining, expected):
    assert routing(rule, targeted, remaining) == expected


@pytest.mark.parametrize(
    ("rule", "targeted", "acquired", "problem"),
    [
        (GPAC, [1], [], None),
        (GPAC, [1, 2], [], None),
        (GPAC, UNITS, [], None),
        (GPAC, [3, 4, 5], [1, 2], None),
        (GPAC, [], [], "Choisissez au moins une unité visée."),
        (GPAC, [9], [], "Unité inconnue dans ce CQP : 9."),
        (GPAC, [1, 3], [1], "Unité déjà acquise et encore valable, elle n'est pas visée de nouveau : 1."),
        (WHOLE, [1], [], "Ce CQP se prépare en entier : le parcours vise toutes les unités restant à acquérir."),
        (WHOLE, UNITS, [], None),
        (WHOLE, [2, 3, 4, 5], [1], None),  # after a validation partielle: the remaining units
    ],
)
def test_targets_problem(rule, targeted, acquired, problem):
    assert targets_problem(rule, targeted, UNITS, acquired) == problem


LABELS = {College.EMPLOYEUR: "représentants du collège employeur", College.SALARIE: "représentants des salariés"}
E, S = College.EMPLOYEUR, College.SALARIE


@pytest.mark.parametrize(
    ("rule", "present", "problems"),
    [
        (GPAC, [E, E, S, S], []),
        (
            GPAC,
            [E, S],
            [
                "La commission paritaire doit compter 4 membres ; il en compte 2.",
                "Il faut 2 représentants du collège employeur ; il y en a 1.",
                "Il faut 2 représentants des salariés ; il y en a 1.",
            ],
        ),
        (
            GPAC,
            [E, E, E, S],
            [
                "Il faut 2 représentants du collège employeur ; il y en a 3.",
                "Il faut 2 représentants des salariés ; il y en a 1.",
            ],
        ),
        (SINGLE, [E, S], []),
        (
            SINGLE,
            [E, E],
            [
                "Il faut 1 représentant du collège employeur ; il y en a 2.",
                "Il faut 1 représentant des salariés ; il y en a 0.",
            ],
        ),
    ],
)
def test_commission_composition(rule, present, problems):
    assert check_composition(present, **commission_colleges(rule, LABELS)) == problems
