"""Sortable column headers: ``{% sort_th "number" "N°" %}`` in a list whose FilterSet has an ordering filter
named ``tri`` (cqp/filtering.py). The link keeps the other parameters of the page (filters), drops ``page``, and
toggles the direction when the column is already the sort key; ``aria-sort`` tells screen readers.

``{% query_without_page %}``: the page's parameters but ``page``, each followed by ``&amp;``, for the pagination's
links (templates/cqp/pagination.html).

The page's parameters are encoded once per request (a list has up to nine headers and two pagination links)."""

from urllib.parse import quote, urlencode

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()


def _encoded_params(request):
    """[(key, its pairs encoded as ``QueryDict.urlencode`` writes them)], ``page`` left out; read once a request."""
    cached = getattr(request, "_sort_th_params", None)
    if cached is None or cached[0] is not request.GET:
        pairs = [
            (key, [urlencode({key: value}) for value in values]) for key, values in request.GET.lists() if key != "page"
        ]
        cached = request._sort_th_params = (request.GET, pairs)
    return cached[1]


def _with_sort(request, value) -> str:
    """``request.GET`` without ``page``, ``tri`` set to ``value`` (in its place if it was there, else last)."""
    sort = urlencode({"tri": value})
    parts, replaced = [], False
    for key, encoded in _encoded_params(request):
        if key == "tri":
            parts.append(sort)
            replaced = True
        else:
            parts.extend(encoded)
    if not replaced:
        parts.append(sort)
    return "&".join(parts)


@register.simple_tag(takes_context=True)
def sort_th(context, field, label):
    request = context["request"]
    current = request.GET.get("tri", "")
    if current == field:
        value, aria, arrow = f"-{field}", "ascending", "bi-caret-up-fill"
    elif current == f"-{field}":
        value, aria, arrow = field, "descending", "bi-caret-down-fill"
    else:
        value, aria, arrow = field, "", ""
    # what format_html wrote, without a safe string per piece: the query escaped, the label as {{ }} would (a
    # literal of the template is safe already), the direction and the icon's class constants of this function
    query, label = escape(_with_sort(request, value)), conditional_escape(label)
    if aria:
        icon = f' <i class="bi {arrow}" aria-hidden="true"></i>'
        return mark_safe(f'<th scope="col" aria-sort="{aria}"><a href="?{query}">{label}{icon}</a></th>')
    return mark_safe(f'<th scope="col"><a href="?{query}" title="Trier par cette colonne">{label}</a></th>')


@register.simple_tag(takes_context=True)
def query_without_page(context):
    """What ``{% for k, v in request.GET.items %}{% if k != 'page' %}{{ k }}={{ v|urlencode }}&amp;{% endif %}
    {% endfor %}`` writes: the last value of each parameter but ``page``."""
    request = context["request"]
    cached = getattr(request, "_query_without_page", None)
    if cached is None or cached[0] is not request.GET:
        html = "".join(
            f"{escape(key)}={escape(quote(str(value)))}&amp;" for key, value in request.GET.items() if key != "page"
        )
        cached = request._query_without_page = (request.GET, mark_safe(html))  # every key and value escaped
    return cached[1]


@register.simple_tag(takes_context=True)
def pagination(context, page):
    """templates/cqp/pagination.html's links, written here: « Précédente », « Page n sur N » (« sur environ N »
    under an estimate, cqp/pagination.py), « Suivante »; nothing for a single page."""
    if not page.has_other_pages():
        return ""
    query = query_without_page(context)
    parts = ['\n<nav aria-label="Pagination"><ul class="pagination">\n  ']
    if page.has_previous():
        number = render_value_in_context(page.previous_page_number(), context)
        parts.append(f'<li class="page-item"><a class="page-link" href="?{query}page={number}">Précédente</a></li>')
    number, paginator = render_value_in_context(page.number, context), page.paginator
    if not getattr(paginator, "estimated", False):
        number += f" sur {render_value_in_context(paginator.num_pages, context)}"
    elif page.number <= paginator.num_pages:
        number += f" sur environ {render_value_in_context(paginator.num_pages, context)}"
    parts.append(
        f'\n  <li class="page-item active" aria-current="page"><span class="page-link">Page {number}</span></li>\n  '
    )
    if page.has_next():
        number = render_value_in_context(page.next_page_number(), context)
        parts.append(f'<li class="page-item"><a class="page-link" href="?{query}page={number}">Suivante</a></li>')
    parts.append("\n</ul></nav>\n")
    return mark_safe("".join(parts))  # the numbers rendered as {{ }} does, the query escaped by query_without_page
