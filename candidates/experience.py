"""Counting VAE experience as real duration (Décret 2002-615, art. 2; seed 000 L69-71).

Overlapping periods count once, gaps do not count, and initial or continuing
training, internships and work placements are excluded. Plain functions.
"""

import datetime
from dataclasses import dataclass

from .deadlines import add_years

EXCLUDED_STATUSES = {"formation", "stage"}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    status: str = "salarie"


def merged_days(periods, *, window_start=None, window_end=None) -> int:
    """Days covered by the counted periods (inclusive), overlaps once, clipped to the window."""
    spans = []
    for p in periods:
        if p.status in EXCLUDED_STATUSES or p.start is None or p.end is None or p.end < p.start:
            continue
        start = max(p.start, window_start) if window_start else p.start
        end = min(p.end, window_end) if window_end else p.end
        if end >= start:
            spans.append((start, end))
    spans.sort()
    total, current = 0, None
    for start, end in spans:
        if current and start <= current[1] + datetime.timedelta(days=1):
            current = (current[0], max(current[1], end))
        else:
            if current:
                total += (current[1] - current[0]).days + 1
            current = (start, end)
    if current:
        total += (current[1] - current[0]).days + 1
    return total


def days_to_months(days: int) -> float:
    """Average month of 365.25 / 12 days."""
    return round(days / (365.25 / 12), 1)


@dataclass(frozen=True)
class ExperienceCheck:
    months: float
    required_months: int
    window_years: int | None

    @property
    def sufficient(self) -> bool:
        return self.months >= self.required_months

    @property
    def missing_months(self) -> float:
        return max(0.0, round(self.required_months - self.months, 1))

    @property
    def rule(self) -> str:
        years, rest = divmod(self.required_months, 12)
        need = f"{years} an{'s' if years > 1 else ''}" if not rest else f"{self.required_months} mois"
        if self.window_years:
            return f"au minimum {need} sur les {self.window_years} dernières années"
        return f"au minimum {need}"


def check_experience(periods, *, required_months: int, window_years: int | None, today: datetime.date) -> ExperienceCheck:
    window_start = add_years(today, -window_years) if window_years else None
    days = merged_days(periods, window_start=window_start, window_end=today)
    return ExperienceCheck(months=days_to_months(days), required_months=required_months, window_years=window_years)
