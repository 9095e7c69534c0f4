"""{% pagination page %} (cqp/templatetags/sorting.py) writes what templates/cqp/pagination.html's template did."""

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory

from cqp.pagination import EstimatedPage, EstimatingPaginator

BEFORE = engines["django"].from_string(
    "{% load sorting %}{% if page.has_other_pages %}\n"
    '<nav aria-label="Pagination"><ul class="pagination">\n'
    '  {% if page.has_previous %}<li class="page-item"><a class="page-link" href="?{% query_without_page %}page='
    '{{ page.previous_page_number }}">Précédente</a></li>{% endif %}\n'
    '  <li class="page-item active" aria-current="page"><span class="page-link">Page {{ page.number }}'
    "{% if not page.paginator.estimated %} sur {{ page.paginator.num_pages }}{% elif page.number <= "
    "page.paginator.num_pages %} sur environ {{ page.paginator.num_pages }}{% endif %}</span></li>\n"
    '  {% if page.has_next %}<li class="page-item"><a class="page-link" href="?{% query_without_page %}page='
    '{{ page.next_page_number }}">Suivante</a></li>{% endif %}\n'
    "</ul></nav>\n"
    "{% endif %}\n"
)
NOW = engines["django"].get_template("cqp/pagination.html")
QUERIES = ["", "page=2", "cqp=gpac&path=vae&page=3", "q=%3Cscript%3E%26'%22&tri=-cqp", "q=a&q=b&page=x"]


def _estimated(number, has_more, estimate):
    paginator = EstimatingPaginator(list(range(10)), 25)
    paginator.__dict__["_counted"] = (estimate, True)
    return EstimatedPage(list(range(25)), number, paginator, has_more=has_more)


PAGES = [
    *(Paginator(list(range(n)), 25).page(p) for n, p in [(0, 1), (10, 1), (26, 1), (26, 2), (80, 2), (80, 4)]),
    *(Paginator(list(range(30_000)), 25).page(p) for p in (1, 999, 1200)),
    _estimated(1, True, 100_000),
    _estimated(3, True, 100_000),
    _estimated(4001, True, 100_000),
    _estimated(5000, False, 100_000),
    _estimated(2, False, 10),
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("page", PAGES)
def test_same_html_as_the_template(query, page):
    request = RequestFactory().get(f"/?{query}")
    context = {"page": page, "request": request}
    assert NOW.render(context) == BEFORE.render(context)
