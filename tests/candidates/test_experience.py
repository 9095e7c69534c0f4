import datetime as dt

import pytest

from candidates.experience import Duration, Period, check_experience, merged_days

D = dt.date
TODAY = D(2026, 11, 24)


@pytest.mark.parametrize(
    "periods, days",
    [
        ([], 0),
        ([Period(D(2025, 1, 1), D(2025, 12, 31))], 365),
        # overlapping periods count once
        ([Period(D(2025, 1, 1), D(2025, 6, 30)), Period(D(2025, 4, 1), D(2025, 12, 31))], 365),
        # a gap is not counted
        ([Period(D(2024, 1, 1), D(2024, 1, 31)), Period(D(2024, 3, 1), D(2024, 3, 31))], 62),
        # contiguous periods merge
        ([Period(D(2024, 1, 1), D(2024, 1, 31)), Period(D(2024, 2, 1), D(2024, 2, 29))], 60),
        # a period inside another
        ([Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2020, 3, 1), D(2020, 3, 31))], 366),
        # training and internships are excluded
        ([Period(D(2025, 1, 1), D(2025, 12, 31), "formation"), Period(D(2024, 1, 1), D(2024, 1, 31), "stage")], 0),
        # voluntary and trade-union activities count
        ([Period(D(2025, 1, 1), D(2025, 1, 31), "benevole"), Period(D(2025, 2, 1), D(2025, 2, 28), "syndical")], 59),
        # an inverted period is ignored
        ([Period(D(2025, 2, 1), D(2025, 1, 1))], 0),
    ],
)
def test_merged_days(periods, days):
    assert merged_days(periods) == days


@pytest.mark.parametrize(
    "periods, required, window, sufficient",
    [
        ([Period(D(2025, 11, 24), TODAY)], 12, None, True),  # GPAC: one year
        ([Period(D(2026, 1, 1), TODAY)], 12, None, False),
        ([Period(D(2010, 1, 1), D(2013, 12, 31))], 36, 12, False),  # 3 years but before the 12-year window
        ([Period(D(2014, 11, 24), D(2017, 11, 24))], 36, 12, True),  # inside the window
        ([Period(D(2012, 1, 1), D(2016, 12, 31))], 36, 12, False),  # only the part inside the window counts: 25 months
        (
            [Period(D(2015, 1, 1), D(2016, 6, 30)), Period(D(2016, 1, 1), D(2017, 6, 30))],
            36,
            12,
            False,
        ),  # overlap counted once: 2.5 years
        ([Period(D(2020, 1, 1), D(2023, 12, 31), "formation")], 36, 12, False),
    ],
)
def test_check_experience_against_the_cqp_minimum(periods, required, window, sufficient):
    result = check_experience(periods, required_months=required, window_years=window, today=TODAY)
    assert result.sufficient is sufficient
    assert (result.missing == Duration()) is sufficient


@pytest.mark.parametrize(
    "required, window, text",
    [
        (12, None, "au minimum 1 an"),
        (36, 12, "au minimum 3 ans sur les 12 dernières années"),
        (18, None, "au minimum 18 mois"),
    ],
)
def test_rule_is_stated_in_french(required, window, text):
    assert check_experience([], required_months=required, window_years=window, today=TODAY).rule == text
