"""The livret 1 section of the dossier page (candidates/dossier.html includes vae/_livret1_section.html)."""

import rules
from django import template
from django.utils import timezone

from .. import rules as livret_rules
from ..enums import DemandNature
from ..models import Livret1

register = template.Library()


@register.simple_tag(takes_context=True)
def livret1_summary(context, dossier):
    user = context["request"].user
    if not rules.has_perm("vae.view_livret1", user, dossier):
        return {"visible": False}
    livrets = list(Livret1.objects.filter(dossier=dossier).select_related("referentiel", "decided_by"))
    active = next((l for l in livrets if l.is_active), None)
    today = timezone.localdate()
    summary = {
        "visible": True, "livret": active, "history": [l for l in livrets if not l.is_active], "today": today,
        "can_start": rules.has_perm("vae.start_livret1", user, dossier),
        "is_oemm": rules.has_perm("vae.view_queue", user),
    }
    if active is not None:
        active.dossier = dossier
        kind = livret_rules.renewal_kind(active.referentiel, dossier.certification.current_version)
        summary.update({
            "can_edit": rules.has_perm("vae.edit_livret1", user, active),
            "can_decide": rules.has_perm("vae.decide_livret1", user, active),
            "can_renew": rules.has_perm("vae.renew_livret1", user, active),
            "expired": active.is_expired(today),
            "overdue": active.is_overdue(today),
            "renewal_kind": DemandNature(kind).label,
            "progress": livret_rules.progress_percent(active.missing()) if active.is_editable else None,
        })
    return summary
