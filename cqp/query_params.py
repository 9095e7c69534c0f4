"""Reading query parameters (``request.GET``) that filter a page: a hostile value is ignored, never a server error.

Each function returns the parsed value, or ``default`` when the parameter is absent or not valid (non-ASCII digits
such as ``²`` or ``٣``, NUL, out of range, too long...). Views use the value returned, and show the page as if the
parameter had not been given.
"""

import datetime
import re

from django.http import QueryDict

ASCII_INT = re.compile(r"-?[0-9]{1,18}")
MAX_LENGTH = 200


def without_page(params) -> str:
    """The query string of ``params`` (a QueryDict) without its ``page``, as ``copy()``, ``pop("page")`` and
    ``urlencode()`` wrote it (the links of a list's pages and exports), without deep-copying every value."""
    kept = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        if key != "page":
            kept.setlist(key, values)
    return kept.urlencode()


def text_param(params, name: str, default: str = "") -> str:
    """Free text (a search): stripped, without control characters (NUL included), at most MAX_LENGTH characters."""
    value = params.get(name, default)
    if not isinstance(value, str):
        return default
    value = "".join(ch for ch in value if ch.isprintable())
    return value.strip()[:MAX_LENGTH]


def int_param(params, name: str, *, minimum: int | None = None, maximum: int | None = None, default=None):
    """An integer written in ASCII digits, within [minimum, maximum]."""
    value = params.get(name)
    if not isinstance(value, str) or not ASCII_INT.fullmatch(value.strip()):
        return default
    number = int(value.strip())
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        return default
    return number


def choice_param(params, name: str, choices, default: str = "") -> str:
    """One of ``choices`` (values compared exactly)."""
    value = params.get(name)
    return value if isinstance(value, str) and value in set(choices) else default


def date_param(params, name: str, default=None):
    """An ISO date (AAAA-MM-JJ) that exists."""
    value = params.get(name)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        return default
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return default


class QueryStringGuardMiddleware:
    """Query strings no view can use answer 400 with a French page, before any view runs:

    - a NUL character (``%00``): PostgreSQL refuses NUL in any text it compares, so a search or a filter carrying one
      would be a server error (the admin's searches included);
    - an empty ``_to_field`` (the admin's « field to return » of its pop-ups): the admin's change and delete pages
      look up a field named "" and fail (Django 5.2).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import parse_qsl, unquote_to_bytes

        from django.shortcuts import render

        query = request.META.get("QUERY_STRING", "")
        if query and (
            b"\x00" in unquote_to_bytes(query)
            or any(k == "_to_field" and not v for k, v in parse_qsl(query, keep_blank_values=True))
        ):
            return render(request, "400_query.html", status=400)
        return self.get_response(request)
