"""The units a dossier aims at and who validates them, for ``templates/jury/_targets.html`` (dossier page)."""

import rules
from django import template
from django.utils import timezone

from referentiels.targets import partial_allowed

from ..partial import ledger_of
from ..targets import latest_passage, lock_reason, targeted_numbers

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_targets(context, dossier):
    """Targeted units (with their titles), units already acquired and valid, the coming session if placed, and
    whether the person may still choose the units (the OEMM, the centre of the entretien d'accueil)."""
    units = {u.number: u for u in dossier.version.units.all()}
    today = timezone.localdate()
    acquired = sorted(
        {row.unit_number for row in ledger_of(dossier) if row.valid_until is None or row.valid_until >= today}
    )
    targeted = targeted_numbers(dossier, acquired)
    passage = latest_passage(dossier)
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
