"""Exact durations (calendar months and days, python-dateutil) over month ends and leap years, and the checks of the
dates a candidate types (future, reversed, before 1950), with frozen time."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from candidates.experience import (
    END_BEFORE_START,
    END_IN_FUTURE,
    START_IN_FUTURE,
    TOO_OLD,
    Duration,
    Period,
    check_experience,
    date_problem,
    duration_between,
    period_problems,
)

D = dt.date


@pytest.mark.parametrize(
    "start, end, expected, label",
    [
        (D(2026, 1, 1), D(2026, 6, 30), Duration(6, 0), "6 mois"),  # January to June: 6 months, not « 5,9 mois »
        (D(2025, 1, 1), D(2025, 12, 31), Duration(12, 0), "1 an"),
        (D(2025, 1, 1), D(2025, 12, 30), Duration(11, 30), "11 mois et 30 jours"),  # 364 days are not a year
        (D(2025, 1, 1), D(2026, 2, 28), Duration(14, 0), "1 an et 2 mois"),
        # month ends (relativedelta: 31 January + 1 month = 28 February)
        (D(2026, 1, 31), D(2026, 2, 27), Duration(1, 0), "1 mois"),
        (D(2026, 1, 31), D(2026, 2, 28), Duration(1, 1), "1 mois et 1 jour"),
        (D(2026, 2, 1), D(2026, 2, 28), Duration(1, 0), "1 mois"),
        (D(2026, 4, 30), D(2026, 5, 30), Duration(1, 1), "1 mois et 1 jour"),
        (D(2026, 8, 31), D(2026, 9, 29), Duration(1, 0), "1 mois"),
        (D(2026, 8, 31), D(2026, 9, 30), Duration(1, 1), "1 mois et 1 jour"),
        # leap years
        (D(2024, 2, 1), D(2024, 2, 29), Duration(1, 0), "1 mois"),
        (D(2024, 3, 1), D(2025, 2, 28), Duration(12, 0), "1 an"),
        (D(2024, 2, 29), D(2025, 2, 27), Duration(12, 0), "1 an"),
        (D(2023, 3, 1), D(2024, 2, 28), Duration(11, 28), "11 mois et 28 jours"),  # 365 days of a leap year: not a year
        (D(2023, 3, 1), D(2024, 2, 29), Duration(12, 0), "1 an"),
        (D(2026, 3, 5), D(2026, 3, 5), Duration(0, 1), "1 jour"),
        (D(2026, 3, 5), D(2026, 3, 4), Duration(0, 0), "0 mois"),
    ],
)
def test_duration_between(start, end, expected, label):
    duration = duration_between(start, end)
    assert duration == expected and duration.label == label


@pytest.mark.parametrize(
    "periods, required, label, sufficient, missing",
    [
        ([Period(D(2025, 1, 1), D(2025, 12, 30))], 12, "11 mois et 30 jours", False, "1 jour"),
        ([Period(D(2025, 1, 1), D(2025, 12, 31))], 12, "1 an", True, "0 mois"),
        # two periods laid end to end: 6 months + 6 months = 1 year
        ([Period(D(2020, 1, 1), D(2020, 6, 30)), Period(D(2022, 7, 1), D(2022, 12, 31))], 12, "1 an", True, "0 mois"),
        ([Period(D(2024, 3, 1), D(2025, 2, 28))], 12, "1 an", True, "0 mois"),  # over 29 February
        ([Period(D(2026, 1, 1), D(2026, 6, 30))], 12, "6 mois", False, "6 mois"),
    ],
)
def test_check_experience_compares_exact_months_and_days(periods, required, label, sufficient, missing):
    check = check_experience(periods, required_months=required, window_years=None, today=D(2026, 11, 24))
    assert (check.label, check.sufficient, check.missing_label) == (label, sufficient, missing)


@pytest.mark.parametrize(
    "now, start, end, expected",
    [
        ((2026, 11, 24), D(2020, 1, 1), None, {}),  # en cours: counted until today
        ((2026, 11, 24), D(2020, 1, 1), D(2026, 11, 24), {}),  # ends today
        ((2026, 11, 24), D(2026, 11, 25), None, {"start": START_IN_FUTURE}),
        ((2026, 11, 24), D(2020, 1, 1), D(2026, 11, 25), {"end": END_IN_FUTURE}),
        ((2026, 11, 24), D(2027, 1, 1), D(2027, 6, 30), {"start": START_IN_FUTURE, "end": END_IN_FUTURE}),
        ((2026, 11, 24), D(2024, 3, 1), D(2024, 2, 29), {"end": END_BEFORE_START}),
        ((2026, 11, 24), D(1949, 12, 31), D(1960, 1, 1), {"start": TOO_OLD}),
        ((2026, 11, 24), D(1950, 1, 1), D(1960, 1, 1), {}),
        ((2026, 11, 24), D(2010, 1, 1), D(1949, 6, 1), {"end": TOO_OLD}),
        # just after midnight in Paris on 1 March of a leap year: 29 February is yesterday, 1 March today
        ((2028, 3, 1), D(2028, 2, 29), D(2028, 3, 1), {}),
        ((2028, 2, 29), D(2028, 2, 1), D(2028, 3, 1), {"end": END_IN_FUTURE}),
        # 31 December: the 1 January after is in the future
        ((2026, 12, 31), D(2026, 1, 1), D(2027, 1, 1), {"end": END_IN_FUTURE}),
    ],
)
def test_period_problems_with_frozen_time(now, start, end, expected):
    paris = dt.timezone(dt.timedelta(hours=1))
    with time_machine.travel(dt.datetime(*now, 0, 5, tzinfo=paris), tick=False):
        assert period_problems(start, end, timezone.localdate()) == expected


@pytest.mark.parametrize(
    "value, problem",
    [
        (D(2026, 11, 24), None),
        (D(2026, 11, 25), "Cette date est dans le futur."),
        (D(1949, 12, 31), TOO_OLD),
        (None, None),
        ("2026-13-01", None),  # not a date: the form's own message
    ],
)
def test_date_problem(value, problem):
    assert date_problem(value, D(2026, 11, 24)) == problem
