"""The units a dossier aims at and who validates them, for ``templates/jury/_targets.html`` (dossier page)."""

import rules
from django import template
from django.utils import timezone

from referentiels.targets import partial_allowed

from ..models import SessionCandidate
from ..targets import acquired_numbers, lock_reason, targeted_numbers

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_targets(context, dossier):
    """Targeted units (with their titles), units already acquired and valid, the coming session if placed, and
    whether the person may still choose the units (the OEMM, the centre of the entretien d'accueil)."""
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
        "can_choose": _can_choose(context, dossier),
    }


def _can_choose(context, dossier) -> bool:
    user = getattr(context.get("request"), "user", None)
    return bool(
        user is not None
        and partial_allowed(dossier.version.target_rules)
        and rules.has_perm("jury.choose_targets", user, dossier)
        and lock_reason(dossier) is None
    )
