"""The livret 1 section of the dossier page (candidates/dossier.html includes vae/_livret1_section.html)."""

import rules
from django import template
from django.utils import timezone

from .. import rules as livret_rules
from ..enums import DemandNature
from ..models import Livret1
from ..page_cache import LIVRETS1, prefetched

register = template.Library()


@register.simple_tag(takes_context=True)
def livret1_summary(context, dossier):
    user = context["request"].user
    if not rules.has_perm("vae.view_livret1", user, dossier):
        # The jury of the candidate's session reads the printed livret 1 only.
        printable = None
        if rules.has_perm("vae.print_livret1", user, dossier):
            printable = Livret1.objects.filter(dossier=dossier, is_active=True).only("pk").first()
        return {"visible": False, "printable": printable}
    livrets = prefetched(dossier, LIVRETS1)  # read by the page's next actions already
    if livrets is None:
        livrets = list(Livret1.objects.filter(dossier=dossier).select_related("referentiel", "decided_by"))
    active = next((livret for livret in livrets if livret.is_active), None)
    today = timezone.localdate()
    summary = {
        "visible": True,
        "livret": active,
        "history": [livret for livret in livrets if not livret.is_active],
        "today": today,
        "can_start": rules.has_perm("vae.start_livret1", user, dossier),
        "is_oemm": rules.has_perm("vae.view_queue", user),
    }
    if active is not None:
        active.dossier = dossier
        kind = livret_rules.renewal_kind(active.referentiel, dossier.certification.current_version)
        summary.update(
            {
                "can_edit": rules.has_perm("vae.edit_livret1", user, active),
                "can_decide": rules.has_perm("vae.decide_livret1", user, active),
                "can_renew": rules.has_perm("vae.renew_livret1", user, active),
                "expired": active.is_expired(today),
                "overdue": active.is_overdue(today),
                "renewal_kind": DemandNature(kind).label,
                "progress": livret_rules.progress_percent(active.missing()) if active.is_editable else None,
            }
        )
    return summary


def _livret2_of(dossier):
    """The dossier's livret 2 with its référentiel version: the one the page read already (next actions), else read."""
    from candidates.models import Dossier

    from ..models import Livret2

    if not Dossier.livret2.is_cached(dossier):
        return Livret2.objects.filter(dossier=dossier).select_related("referentiel").first()
    livret = getattr(dossier, "livret2", None)
    if livret is not None and livret.referentiel_id == dossier.version_id:
        livret.referentiel = dossier.version
    return livret


@register.simple_tag(takes_context=True)
def livret2_summary(context, dossier):
    """The accompagnement and livret 2 sections of the dossier page, for those allowed to see them."""
    from ..livret2_structure import progress_of, recevabilite_obtained
    from ..models import AccompagnementComment
    from ..selectors import open_convention

    user = context["request"].user
    visible = rules.has_perm("vae.view_accompagnement", user, dossier)
    livret = _livret2_of(dossier)
    if livret is not None:
        livret.dossier = dossier
    livret2_visible = (
        rules.has_perm("vae.view_livret2", user, livret)
        if livret
        else (
            rules.has_perm("vae.view_livret1", user, dossier)
            and (rules.has_perm("vae.view_queue", user) or dossier.candidate_id == user.pk)
        )
    )
    if not visible and not livret2_visible:
        return {"visible": False, "livret2_visible": False}
    convention = open_convention(dossier) if visible else None
    summary = {
        "visible": visible,
        "livret2_visible": livret2_visible,
        "livret": livret,
        "convention": convention,
        "can_request": rules.has_perm("vae.request_accompagnement", user, dossier),
        "can_start": rules.has_perm("vae.start_livret2", user, dossier),
        "recevable": recevabilite_obtained(dossier),
        "comment_count": AccompagnementComment.objects.filter(convention=convention).count() if convention else 0,
    }
    if livret is not None:
        summary.update(
            {
                "can_edit": rules.has_perm("vae.edit_livret2", user, livret),
                "can_acknowledge": rules.has_perm("vae.acknowledge_livret2", user, livret),
                "progress": progress_of(livret)["progress"] if livret.is_editable else None,
            }
        )
    return summary


@register.inclusion_tag("vae/_date_message.html")
def date_message(field, messages, oob=False):
    """The message under a date input (filled by each autosave, out of band): what is wrong with the typed date."""
    auto_id = field if isinstance(field, str) else field.auto_id
    return {"auto_id": auto_id, "message": (messages or {}).get(auto_id, ""), "oob": oob}


@register.inclusion_tag("vae/_date_section.html")
def date_section(key, sections, oob=False):
    """The date problems of a section of the livret 1 (a warning at the top of the section), '' when none."""
    return {"key": key, "problems": (sections or {}).get(key, []), "oob": oob}
