"""The informational texts of ``referentiels/info.py`` in templates (no view has to pass them)."""

from django import template

from referentiels import info

register = template.Library()

AUDIENCES = {"candidate": info.candidate_info, "tutor": info.tutor_info}


@register.simple_tag
def cqp_info(certification, audience):
    """``{% cqp_info certification "candidate" as infos %}``: the entries that apply to this CQP for that audience."""
    return AUDIENCES[audience](certification)


@register.simple_tag
def platform_note(certification, place):
    """``{% platform_note certification "entretien" as note %}``: the line saying the platform wrote this content."""
    return info.platform_note(certification, place)
