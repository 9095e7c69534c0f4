"""French typography for templates (a builtin: no {% load %} needed, see TEMPLATES in settings).

``{{ day|date_fr }}`` writes « 1er janvier 2027 », « 23 novembre 2026 »: Django's ``date:"j F Y"`` writes « 1 janvier ».
"""

import datetime
import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import get_language

register = template.Library()


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST = re.compile(rf"(?<!\d)1 ({MONTHS})\b")
MONTH_NAMES = MONTHS.split("|")


def first_of_month(text: str) -> str:
    """« 1 janvier 2027 » -> « 1er janvier 2027 », also inside a text (« lundi 1 mars »)."""
    return FIRST.sub(r"1er \1", text)


@register.filter(expects_localtime=True)  # like Django's |date: an aware datetime shown in the local time (Paris)
def date_fr(value, fmt="j F Y"):
    if value in (None, ""):
        return ""
    if fmt == "j F Y" and isinstance(value, datetime.date) and (get_language() or "").startswith("fr"):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)  # the day where the platform is (a UTC moment may be the day before)
        # the common case written directly (Django's date formatting costs ~40 µs a date: a list has dozens)
        return f"{value.day}{'er' if value.day == 1 else ''} {MONTH_NAMES[value.month - 1]} {value.year:04d}"
    return first_of_month(date_filter(value, fmt))


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(expects_localtime=True)
def datetime_fr(value):
    """« 23 novembre 2026 à 10 h 00 » (an aware datetime shown in Paris time, from Python code too)."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return date_fr(value, r"j F Y \à G \h i")


@register.filter(expects_localtime=True)
def hour_fr(value):
    """« 10 h », « 10 h 30 »."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return date_fr(value, r"G \h") if value.minute == 0 else date_fr(value, r"G \h i")
