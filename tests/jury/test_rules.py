"""Plain rules of the jury, table-tested: parity, presidency alternation, livret 2 deadline, timetable, outcomes."""

import datetime

import pytest

from cqp.enums import College
from jury import rules
from jury.enums import Outcome

E, S = College.EMPLOYEUR, College.SALARIE


@pytest.mark.parametrize(
    "colleges, ok, fragment",
    [
        ([E, E, S, S], True, ""),
        ([E, S, E, S], True, ""),
        ([E, E, E, S], False, "2 représentants des syndicats de salariés ; il y en a 1"),
        ([E, S, S, S], False, "2 représentants du collège employeur (UGEM) ; il y en a 1"),
        ([E, E, S], False, "4 membres ; il en compte 3"),
        ([E, E, S, S, S], False, "il en compte 5"),
        ([], False, "il en compte 0"),
        ([E, E, E, E], False, "il y en a 0"),
    ],
)
def test_check_composition(colleges, ok, fragment):
    problems = rules.check_composition(colleges)
    assert (problems == []) is ok
    if fragment:
        assert any(fragment in p for p in problems), problems


def test_check_composition_accepts_members():
    class M:
        def __init__(self, college):
            self.college = college

    assert rules.check_composition([M(E), M(E), M(S), M(S)]) == []


@pytest.mark.parametrize("previous, expected", [(None, E), (E, S), (S, E)])
def test_next_president_college_alternates(previous, expected):
    assert rules.next_president_college(previous) == expected


@pytest.mark.parametrize(
    "session_day, months, received, late_until",
    [
        # Ucanss « cos »: livret 2 « au plus tard 1 mois avant la session » (seed 004).
        (datetime.date(2026, 11, 23), 1, datetime.date(2026, 10, 23), None),
        (datetime.date(2026, 11, 23), 1, datetime.date(2026, 10, 22), None),
        (datetime.date(2026, 11, 23), 1, datetime.date(2026, 10, 24), datetime.date(2026, 10, 23)),
        (datetime.date(2026, 11, 23), 1, None, datetime.date(2026, 10, 23)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28), None),  # month end clamped
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 3, 1), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 11, 23), 2, datetime.date(2026, 10, 1), datetime.date(2026, 9, 23)),
    ],
)
def test_livret2_deadline(session_day, months, received, late_until):
    assert rules.livret2_late(session_day, months, received) == late_until


def test_timetable_follows_the_format():
    start = datetime.datetime(2026, 11, 23, 9, 0)
    # 20 + 10 + deliberation (CMI), then a 20-minute interview + deliberation (COS).
    durations = [rules.slot_minutes(20, 10), rules.slot_minutes(0, 20)]
    assert durations == [40, 30]
    assert rules.timetable(start, durations) == [
        (start, datetime.datetime(2026, 11, 23, 9, 40)),
        (datetime.datetime(2026, 11, 23, 9, 40), datetime.datetime(2026, 11, 23, 10, 10)),
    ]
    assert rules.timetable(start, []) == []


@pytest.mark.parametrize(
    "required, now, earlier, expected",
    [
        ({1, 2, 3}, {1, 2, 3}, set(), Outcome.TOTALE),
        ({1, 2, 3}, {1, 2}, set(), Outcome.PARTIELLE),
        ({1, 2, 3}, set(), set(), Outcome.AUCUNE),
        # carried over: units still valid from an earlier jury count towards a validation totale
        ({1, 2, 3}, {3}, {1, 2}, Outcome.TOTALE),
        ({1, 2, 3}, {2}, {1}, Outcome.PARTIELLE),
        # earlier units held but nothing new: this jury validated nothing
        ({1, 2, 3}, set(), {1}, Outcome.AUCUNE),
        # expired earlier units are not passed as still valid: they do not count
        ({1, 2}, {2}, set(), Outcome.PARTIELLE),
        # units outside the CQP (other mention) are ignored
        ({1, 2}, {1, 2, 9}, set(), Outcome.TOTALE),
        ({1, 2}, {9}, set(), Outcome.AUCUNE),
    ],
)
def test_decide_outcome(required, now, earlier, expected):
    assert rules.decide_outcome(required, now, earlier) == expected


@pytest.mark.parametrize(
    "validated, years, until",
    [
        (datetime.date(2026, 11, 23), 5, datetime.date(2031, 11, 23)),
        (datetime.date(2028, 2, 29), 5, datetime.date(2033, 2, 28)),
        (datetime.date(2026, 11, 23), None, None),  # GPAC: durée indéfinie
    ],
)
def test_unit_validity(validated, years, until):
    assert rules.unit_valid_until(validated, years) == until
    assert rules.is_unit_valid(until, datetime.date(2031, 11, 23))
    if until:
        assert not rules.is_unit_valid(until, until + datetime.timedelta(days=1))
