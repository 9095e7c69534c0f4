"""``query_params.without_page``: the query string of a list's links without its page, as QueryDict's ``copy()``,
``pop("page")`` and ``urlencode()`` wrote it."""

import pytest
from django.http import QueryDict

from cqp.query_params import without_page


def _as_before(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ""),
        ("page=3", ""),
        ("page=1&page=2", ""),
        ("a=1&page=2&b=%C3%A9&a=2", "a=1&a=2&b=%C3%A9"),
        ("q=%26%3D%2B%20x&tri=-number&page=", "q=%26%3D%2B+x&tri=-number"),
        ("x", "x="),
        ("=1&page=2&%00=%FF", "=1&%00=%EF%BF%BD"),
        ("c%C3%A9=d%20e&q=<script>", "c%C3%A9=d+e&q=%3Cscript%3E"),
    ],
)
def test_without_page(query, expected):
    params = QueryDict(query)
    assert without_page(params) == _as_before(params) == expected


def test_without_page_keeps_the_encoding():
    params = QueryDict("q=%E9&page=2", encoding="latin-1")
    assert without_page(params) == _as_before(params) == "q=%E9"
