"""Sortable column headers: ``{% sort_th "number" "N°" %}`` in a list whose FilterSet has an ordering filter
named ``tri`` (cqp/filtering.py). The link keeps the other parameters of the page (filters), drops ``page``, and
toggles the direction when the column is already the sort key; ``aria-sort`` tells screen readers."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, field, label):
    request = context["request"]
    params = request.GET.copy()
    current = params.get("tri", "")
    params.pop("page", None)
    if current == field:
        params["tri"], aria, arrow = f"-{field}", "ascending", "bi-caret-up-fill"
    elif current == f"-{field}":
        params["tri"], aria, arrow = field, "descending", "bi-caret-down-fill"
    else:
        params["tri"], aria, arrow = field, "", ""
    icon = format_html(' <i class="bi {}" aria-hidden="true"></i>', arrow) if arrow else ""
    if aria:
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="?{}">{}{}</a></th>', aria, params.urlencode(), label, icon
        )
    return format_html(
        '<th scope="col"><a href="?{}" title="Trier par cette colonne">{}</a></th>', params.urlencode(), label
    )
