import datetime as dt

import pytest

from candidates import deadlines

D = dt.date


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2025, 8, 31), 18, D(2027, 2, 28)),  # 31 August + 18 months = end of February
        (D(2026, 8, 31), 18, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
        (D(2026, 11, 24), 2, D(2027, 1, 24)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # livret 2 due one month before a 31 March session
        (D(2026, 12, 15), -12, D(2025, 12, 15)),
        (D(2026, 5, 15), 0, D(2026, 5, 15)),
    ],
)
def test_add_months_clamps_at_month_end(day, months, expected):
    assert deadlines.add_months(day, months) == expected


@pytest.mark.parametrize(
    "inscription, years, expected",
    [(D(2026, 11, 24), 3, D(2029, 11, 24)), (D(2024, 2, 29), 3, D(2027, 2, 28)), (D(2026, 1, 1), 1, D(2027, 1, 1))],
)
def test_first_jury_deadline(inscription, years, expected):
    assert deadlines.first_jury_deadline(inscription, years) == expected


@pytest.mark.parametrize(
    "decided, months, expected",
    [(D(2025, 8, 31), 18, D(2027, 2, 28)), (D(2026, 6, 30), 18, D(2027, 12, 30)), (D(2026, 6, 30), None, None)],
)
def test_recevabilite_validity(decided, months, expected):
    assert deadlines.recevabilite_valid_until(decided, months) == expected


@pytest.mark.parametrize(
    "received, months, expected",
    [(D(2026, 12, 31), 2, D(2027, 2, 28)), (D(2026, 11, 24), 2, D(2027, 1, 24))],
)
def test_instruction_deadline(received, months, expected):
    assert deadlines.instruction_deadline(received, months) == expected


@pytest.mark.parametrize(
    "validated, years, expected", [(D(2026, 2, 28), 5, D(2031, 2, 28)), (D(2026, 2, 28), None, None)]
)
def test_unit_validity(validated, years, expected):
    assert deadlines.unit_valid_until(validated, years) == expected
