"""{% sort_th %} (cqp/templatetags/sorting.py) writes what it wrote through format_html, hostile values included."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cqp.templatetags import sorting


def _before(context, field, label):
    """The tag as it was (format_html)."""
    request = context["request"]
    current = request.GET.get("tri", "")
    if current == field:
        value, aria, arrow = f"-{field}", "ascending", "bi-caret-up-fill"
    elif current == f"-{field}":
        value, aria, arrow = field, "descending", "bi-caret-down-fill"
    else:
        value, aria, arrow = field, "", ""
    query = sorting._with_sort(request, value)
    icon = format_html(' <i class="bi {}" aria-hidden="true"></i>', arrow) if arrow else ""
    if aria:
        return format_html('<th scope="col" aria-sort="{}"><a href="?{}">{}{}</a></th>', aria, query, label, icon)
    return format_html('<th scope="col"><a href="?{}" title="Trier par cette colonne">{}</a></th>', query, label)


QUERIES = ["", "tri=cqp", "tri=-cqp", "tri=numero&page=3", "q=%3Cb%3E%26'%22&tri=-x&tri=cqp&page=2", "q=a&q=b"]
LABELS = ["CQP", "N°", "<b>&'\"", mark_safe("<em>1er</em>"), "1er jury avant le"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("field", ["cqp", "numero", "x"])
def test_same_html_as_format_html(query, label, field):
    context = {"request": RequestFactory().get(f"/?{query}")}
    assert sorting.sort_th(context, field, label) == _before(context, field, label)


def test_a_template_literal_label_is_shown_as_before():
    template = engines["django"].from_string('{% load sorting %}{% sort_th "cqp" "1er <b>" %}')
    request = RequestFactory().get("/?tri=cqp")
    assert template.render({"request": request}) == (
        '<th scope="col" aria-sort="ascending"><a href="?tri=-cqp">1er <b> <i class="bi bi-caret-up-fill" '
        'aria-hidden="true"></i></a></th>'
    )
