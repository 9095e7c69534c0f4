"""French typography for templates (a builtin: no {% load %} needed, see TEMPLATES in settings).

``{{ day|date_fr }}`` writes « 1er janvier 2027 », « 23 novembre 2026 »: Django's ``date:"j F Y"`` writes « 1 janvier ».
"""

import re

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST = re.compile(rf"(?<!\d)1 ({MONTHS})\b")


def first_of_month(text: str) -> str:
    """« 1 janvier 2027 » -> « 1er janvier 2027 », also inside a text (« lundi 1 mars »)."""
    return FIRST.sub(r"1er \1", text)


@register.filter(expects_localtime=True)  # like Django's |date: an aware datetime shown in the local time (Paris)
def date_fr(value, fmt="j F Y"):
    if value in (None, ""):
        return ""
    return first_of_month(date_filter(value, fmt))
