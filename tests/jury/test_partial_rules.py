"""The rules of the road after a validation partielle, table-tested: units to present, expired units, whether a
validation partielle still counts, whether a dossier may go back before a jury."""

import datetime

import pytest

from jury import rules

D = datetime.date
DAY = D(2029, 6, 1)


@pytest.mark.parametrize(
    "required, held, expected",
    [
        ([1, 2, 3], {}, [1, 2, 3]),  # nothing held: every unit
        ([1, 2, 3], {1: D(2030, 1, 1), 2: D(2030, 1, 1)}, [3]),  # the missing unit only
        ([1, 2, 3], {1: D(2029, 5, 31), 2: D(2030, 1, 1)}, [1, 3]),  # 1 expired the day before: asked again
        ([1, 2, 3], {1: DAY, 2: D(2030, 1, 1)}, [3]),  # valid until the day itself, included
        ([1, 2, 3], {1: None, 2: None, 3: None}, []),  # durée indéfinie (GPAC blocs)
        ([1, 2, 3], {1: None, 2: D(2020, 1, 1)}, [2, 3]),
        ([3, 1, 2], {4: D(2030, 1, 1)}, [1, 2, 3]),  # a unit held outside the required ones does not count
    ],
)
def test_units_to_present(required, held, expected):
    assert rules.units_to_present(required, held, DAY) == expected


@pytest.mark.parametrize(
    "required, held, expected",
    [
        ([1, 2, 3], {}, []),
        ([1, 2, 3], {1: D(2029, 5, 31), 2: D(2030, 1, 1)}, [1]),
        ([1, 2, 3], {1: DAY}, []),
        ([1, 2, 3], {1: None}, []),
        ([1, 2], {1: D(2020, 1, 1), 2: D(2024, 6, 1)}, [1, 2]),
    ],
)
def test_expired_units(required, held, expected):
    assert rules.expired_units(required, held, DAY) == expected


@pytest.mark.parametrize(
    "required, held, expected",
    [
        ([1, 2, 3], {}, False),  # nothing acquired
        ([1, 2, 3], {1: D(2030, 1, 1)}, True),  # one unit acquired and valid, two missing
        ([1, 2, 3], {1: D(2029, 5, 31)}, False),  # the only unit acquired has expired
        ([1, 2, 3], {1: None}, True),  # durée indéfinie
        ([1, 2], {1: None, 2: D(2030, 1, 1)}, False),  # everything held: a validation totale, not partielle
    ],
)
def test_partial_validation_valid(required, held, expected):
    assert rules.partial_validation_valid(required, held, DAY) is expected


@pytest.mark.parametrize(
    "outcome, state, certificate, to_present, fragment",
    [
        ("partielle", "decide", False, 2, None),
        ("aucune", "decide", False, 3, None),  # the last jury validated nothing new; earlier units still held
        ("partielle", "decide", True, 2, "déjà délivré"),
        ("partielle", "complement", False, 2, "décision du jury est rendue"),
        ("partielle", "pret_jury", False, 2, "décision du jury est rendue"),
        ("totale", "decide", False, 0, "pas rendu une validation partielle"),
        ("partielle", "decide", False, 0, "rien à présenter"),
    ],
)
def test_present_again_problem(outcome, state, certificate, to_present, fragment):
    problem = rules.present_again_problem(
        outcome=outcome, dossier_state=state, has_certificate=certificate, to_present=to_present
    )
    if fragment is None:
        assert problem is None
    else:
        assert fragment in problem
