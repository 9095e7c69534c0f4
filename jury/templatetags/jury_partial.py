"""The road after a validation partielle, for ``templates/jury/_partial_validation.html`` (dossier page and the
candidate's dashboard)."""

import rules
from django import template
from django.utils import timezone

from ..partial import roads_for

register = template.Library()


@register.simple_tag(takes_context=True)
def partial_roads(context):
    """The roads of the page's dossier (``dossier``) or dossiers (``dossiers``), in a constant number of queries."""
    dossier = context.get("dossier")
    dossiers = [dossier] if dossier is not None else list(context.get("dossiers") or [])
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "roads": roads_for(dossiers, timezone.localdate()),
        "can_present": user is not None and rules.has_perm("jury.present_missing_units", user),
        "on_dossier_page": dossier is not None,
    }
