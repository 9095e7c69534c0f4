import datetime as dt

import pytest

from pilotage.reminder_rules import THRESHOLDS, current_threshold, threshold_date

D = dt.date
FIRST_JURY = ["6m", "3m", "1m"]


@pytest.mark.parametrize(
    "due, threshold, expected",
    [
        (D(2027, 5, 31), "3m", D(2027, 2, 28)),
        (D(2027, 8, 31), "6m", D(2027, 2, 28)),
        (D(2028, 8, 31), "6m", D(2028, 2, 29)),
        (D(2027, 1, 10), "14d", D(2026, 12, 27)),
        (D(2027, 1, 10), "3d", D(2027, 1, 7)),
    ],
)
def test_threshold_date(due, threshold, expected):
    assert threshold_date(due, threshold) == expected


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2027, 5, 23), None),  # more than 6 months before
        (D(2027, 5, 24), "6m"),  # the day the 6-month threshold is crossed
        (D(2027, 8, 23), "6m"),
        (D(2027, 8, 24), "3m"),
        (D(2027, 10, 24), "1m"),  # a missed day: only the nearest threshold is due
        (D(2027, 11, 24), "1m"),  # the deadline itself
        (D(2027, 11, 25), None),  # after the deadline: nothing
    ],
)
def test_current_threshold(today, expected):
    assert current_threshold(D(2027, 11, 24), FIRST_JURY, today) == expected


def test_every_kind_has_thresholds_farthest_first():
    due = D(2030, 6, 15)
    for kind, thresholds in THRESHOLDS.items():
        dates = [threshold_date(due, t) for t in thresholds]
        assert dates == sorted(dates), kind
