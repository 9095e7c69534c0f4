"""Counting VAE experience as real duration (Décret 2002-615, art. 2; seed 000 L69-71), and checking the dates a
person types for it.

Overlapping periods count once, gaps do not count, and initial or continuing training, internships and work
placements are excluded. Durations are exact calendar months and days (python-dateutil's ``relativedelta``): January
to June is « 6 mois », 364 days are « 11 mois et 30 jours », never « 1 an ». Plain functions, table-tested.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .deadlines import add_years

EXCLUDED_STATUSES = {"formation", "stage"}
EARLIEST_DATE = datetime.date(1950, 1, 1)
ONE_DAY = datetime.timedelta(days=1)

TOO_OLD = "Date antérieure à 1950 : vérifiez l'année."
START_IN_FUTURE = "La date de début est dans le futur : une expérience se déclare une fois commencée."
END_IN_FUTURE = "La date de fin est dans le futur : pour un emploi actuel, laissez « Au » vide (en cours)."
END_BEFORE_START = "La date de fin précède la date de début."
DATE_IN_FUTURE = "Cette date est dans le futur."


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    status: str = "salarie"


def date_problem(value, today: datetime.date, *, future_message: str | None = DATE_IN_FUTURE) -> str | None:
    """What is wrong with a typed date (None when fine): before 1950, or in the future (unless ``future_message`` is
    None: a future date allowed)."""
    if not isinstance(value, datetime.date):
        return None
    if value < EARLIEST_DATE:
        return TOO_OLD
    if future_message and value > today:
        return future_message
    return None


def period_problems(start, end, today: datetime.date) -> dict[str, str]:
    """Problems of an experience period, by field (« start », « end »): a start or an end in the future (an end
    left empty means « en cours », counted until today), an end before the start, a date before 1950."""
    problems = {}
    start_problem = date_problem(start, today, future_message=START_IN_FUTURE)
    if start_problem:
        problems["start"] = start_problem
    end_problem = date_problem(end, today, future_message=END_IN_FUTURE)
    if end_problem:
        problems["end"] = end_problem
    elif isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        problems["end"] = END_BEFORE_START
    return problems


@dataclass(frozen=True, order=True)
class Duration:
    """An exact duration in whole calendar months and remaining days (compared as such: 11 months 30 days < 1 year)."""

    months: int = 0
    days: int = 0

    @property
    def label(self) -> str:
        return format_duration(self)

    def __str__(self):
        return self.label


def format_duration(duration: Duration) -> str:
    """« 6 mois », « 1 an et 2 mois », « 2 ans », « 11 mois et 30 jours », « 1 an, 2 mois et 3 jours », « 0 mois »."""
    years, months = divmod(duration.months, 12)
    parts = []
    if years:
        parts.append(f"{years} an{'s' if years > 1 else ''}")
    if months:
        parts.append(f"{months} mois")
    if duration.days:
        parts.append(f"{duration.days} jour{'s' if duration.days > 1 else ''}")
    if not parts:
        return "0 mois"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def _as_duration(delta: relativedelta) -> Duration:
    return Duration(months=delta.years * 12 + delta.months, days=delta.days)


def duration_between(start: datetime.date, end: datetime.date) -> Duration:
    """The exact duration of a period, both days included (1 January to 30 June: 6 months)."""
    if end < start:
        return Duration()
    return _as_duration(relativedelta(end + ONE_DAY, start))


def merged_spans(periods, *, window_start=None, window_end=None) -> list[tuple[datetime.date, datetime.date]]:
    """The counted periods as disjoint spans (inclusive), overlaps and contiguous periods merged, clipped to the
    window."""
    spans = []
    for p in periods:
        if p.status in EXCLUDED_STATUSES or p.start is None or p.end is None or p.end < p.start:
            continue
        start = max(p.start, window_start) if window_start else p.start
        end = min(p.end, window_end) if window_end else p.end
        if end >= start:
            spans.append((start, end))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def merged_days(periods, *, window_start=None, window_end=None) -> int:
    """Days covered by the counted periods (inclusive), overlaps once, clipped to the window."""
    spans = merged_spans(periods, window_start=window_start, window_end=window_end)
    return sum((end - start).days + 1 for start, end in spans)


def chained_end(spans) -> tuple[datetime.date | None, datetime.date | None]:
    """The spans laid end to end from the first one's start: (anchor, end exclusive). One span: exactly its dates."""
    if not spans:
        return None, None
    anchor = cursor = spans[0][0]
    for start, end in spans:
        cursor = cursor + relativedelta(end + ONE_DAY, start)
    return anchor, cursor


@dataclass(frozen=True)
class ExperienceCheck:
    duration: Duration
    required_months: int
    window_years: int | None
    missing: Duration = Duration()

    @property
    def sufficient(self) -> bool:
        return self.duration >= Duration(self.required_months, 0)

    @property
    def label(self) -> str:
        return self.duration.label

    @property
    def missing_label(self) -> str:
        return self.missing.label

    @property
    def rule(self) -> str:
        years, rest = divmod(self.required_months, 12)
        need = f"{years} an{'s' if years > 1 else ''}" if not rest else f"{self.required_months} mois"
        if self.window_years:
            return f"au minimum {need} sur les {self.window_years} dernières années"
        return f"au minimum {need}"


def declared_check(months: int, *, required_months: int, window_years: int | None) -> ExperienceCheck:
    """A duration declared in whole months (no periods typed)."""
    missing = Duration(max(0, required_months - months), 0)
    return ExperienceCheck(Duration(months, 0), required_months, window_years, missing)


def check_experience(
    periods, *, required_months: int, window_years: int | None, today: datetime.date
) -> ExperienceCheck:
    window_start = add_years(today, -window_years) if window_years else None
    spans = merged_spans(periods, window_start=window_start, window_end=today)
    anchor, end = chained_end(spans)
    if anchor is None:
        return declared_check(0, required_months=required_months, window_years=window_years)
    duration = _as_duration(relativedelta(end, anchor))
    needed_end = anchor + relativedelta(months=required_months)
    missing = _as_duration(relativedelta(needed_end, end)) if needed_end > end else Duration()
    return ExperienceCheck(duration, required_months, window_years, missing)
