"""The step tracker and « Prochaine action » of the dossier page (candidates/dossier.html includes
candidates/_step_tracker.html and pilotage/_dossier_next_actions.html): computed once per request and dossier."""

from django import template
from django.utils import timezone

from ..next_actions import dossier_guidance as compute

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_guidance(context, dossier):
    request = context["request"]
    cache = request.__dict__.setdefault("_dossier_guidance", {})
    if dossier.pk not in cache:
        cache[dossier.pk] = compute(request.user, dossier, timezone.localdate())
    return cache[dossier.pk]
