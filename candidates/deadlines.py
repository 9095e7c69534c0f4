"""Deadline arithmetic: plain functions on dates, no ORM (table-tested)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar-month arithmetic clamped at month end: 31 August + 18 months = end of February."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def first_jury_deadline(inscription: datetime.date, window_years: int) -> datetime.date:
    """Last day to present oneself to a first jury."""
    return add_years(inscription, window_years)


def instruction_deadline(received: datetime.date, delay_months: int) -> datetime.date:
    """Date by which the recevabilité must be decided."""
    return add_months(received, delay_months)


def recevabilite_valid_until(decided: datetime.date, validity_months: int | None) -> datetime.date | None:
    return add_months(decided, validity_months) if validity_months else None


def livret2_due(session_day: datetime.date, months_before: int) -> datetime.date:
    return add_months(session_day, -months_before)


def unit_valid_until(validated: datetime.date, validity_years: int | None) -> datetime.date | None:
    return add_years(validated, validity_years) if validity_years else None
