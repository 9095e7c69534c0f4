"""The units a dossier aims at and who validates them, for ``templates/jury/_targets.html`` (dossier page)."""

from django import template
from django.utils import timezone

from ..models import SessionCandidate
from ..targets import acquired_numbers, targeted_numbers

register = template.Library()


@register.simple_tag
def dossier_targets(dossier):
    """Targeted units (with their titles), units already acquired and valid, and the coming session if placed."""
    units = {u.number: u for u in dossier.version.units.all()}
    targeted = targeted_numbers(dossier)
    acquired = acquired_numbers(dossier.candidate, dossier.certification, timezone.localdate())
    passage = (
        SessionCandidate.objects.filter(dossier=dossier)
        .select_related("session")
        .order_by("-session__date", "-pk")
        .first()
    )
    return {
        "targeted": [units[n] for n in targeted if n in units],
        "acquired": [units[n] for n in acquired if n in units and n not in targeted],
        "whole": not dossier.target_units,
        "session": passage.session if passage else None,
    }
