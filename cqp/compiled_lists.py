"""A filtered list's two queries (its count and a page of rows), compiled once per process for each combination of
its filters' values (issue 20).

On the OEMM dossiers list, Django spent more time building the SQL than PostgreSQL spent answering it: applying the
filters (a queryset cloned per filter), choosing the columns (``values()``), compiling the rows' SELECT and the
count's WHERE cost ~0.5 ms of Python per page. The values a list's filters accept are mostly choices (a CQP, a path,
a state, a sort): a finite set. For each combination of them, ``compiled_list`` builds the queryset once, as the
page did, keeps its compiled SQL and parameters, and from then on runs them with the page's ``LIMIT``/``OFFSET``.

- **What is compiled**: only when every filter given is a choice field (``forms.ChoiceField``: the value was checked
  against its choices by the form). A free-text search goes through the ORM, as does a count the ORM must write
  itself (``cqp.pagination.count_statement``: a count across a join, as for the staff of one certifier) or a
  filter that matches nothing; such a combination is remembered as not compiled.
- **The key**: the FilterSet's class, the columns' function, the filters' cleaned values (an invalid value is left
  out by the form, as django-filter leaves it out of the queryset), the database, and ``key``: what else the
  caller's queryset depends on (whose rows the person may see, the référentiel's ids a filter resolves). A caller
  with no such key (``key=None``) gets None: its page goes through the ORM.
- **Bounded**: the ``MAX_ENTRIES`` last used combinations (a compiled entry is a few kilobytes).
- **Under tests** (``compiled_queries.VERIFY``, set by tests/conftest.py) every call builds the queryset again and
  fails if its SQL or parameters differ from the kept ones: a key that misses what the SQL depends on is caught.
- **Threads**: as cqp/compiled_queries.py, the kept compiler is only read (its converters); each page runs on the
  calling thread's connection.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django_filters.constants import EMPTY_VALUES

from . import compiled_queries, pagination
from .pagination import count_statement, is_whole_table

MAX_ENTRIES = 512
_NOT_COMPILED = None  # kept for a combination the ORM pages itself
_memo: "OrderedDict[tuple, _Entry]" = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class _Entry:
    model: type
    count: tuple[str, tuple] | None  # None: the whole table, counted by its estimate (cqp/pagination.py)
    rows_sql: str
    rows_params: tuple
    compiler: object
    converters: dict
    names: tuple[str, ...]


class CompiledPage:
    """The object list of a ``cqp.pagination.EstimatingPaginator``: ``paginated_count()`` (rows, estimated) and
    ``[start:stop]`` (the rows of a page, dicts as ``values()`` gives them)."""

    def __init__(self, entry: _Entry, using: str):
        self.entry, self.using = entry, using

    def paginated_count(self) -> tuple[int, bool]:
        entry = self.entry
        if entry.count is None:
            return pagination.table_count(entry.model, self.using)
        with connections[self.using].cursor() as cursor:
            cursor.execute(*entry.count)
            return cursor.fetchone()[0], False

    def __getitem__(self, window: slice) -> list[dict]:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("CompiledPage: a page is read as [start:stop]")
        entry, connection = self.entry, connections[self.using]
        low, high = window.start or 0, window.stop
        if high is not None and high <= low:
            return []
        limits = connection.ops.limit_offset_sql(low, high)
        sql = f"{entry.rows_sql} {limits}" if limits else entry.rows_sql
        with connection.cursor() as cursor:
            cursor.execute(sql, entry.rows_params)
            rows = cursor.fetchall()
        if entry.converters:
            rows = entry.compiler.apply_converters(rows, entry.converters)
        names = entry.names
        return [dict(zip(names, row, strict=False)) for row in rows]


def filter_key(filterset) -> tuple | None:
    """The filters' cleaned values (validated: the form runs, as the page draws it anyway), or None when a filter
    given is not a choice (a free-text search: its values have no bound)."""
    if not filterset.is_bound:
        return ()
    form = filterset.form
    form.is_valid()
    items = []
    for name, value in form.cleaned_data.items():
        if value in EMPTY_VALUES:
            items.append((name, None))
            continue
        if not isinstance(form.fields[name], forms.ChoiceField):
            return None
        items.append((name, tuple(value) if isinstance(value, list) else value))
    return tuple(items)


def compiled_list(filterset, values, key, *, using: str = "default") -> CompiledPage | None:
    """The page source of ``values(filterset.qs)`` (``values``: a module-level function choosing the columns), or None
    when it is not compiled (see the module's docstring): the caller then paginates the queryset itself."""
    if key is None:
        return None
    filters = filter_key(filterset)
    if filters is None:
        return None
    connection = connections[using]
    memo_key = (type(filterset), values, key, filters, using, connection.vendor)
    with _lock:
        known = memo_key in _memo
        entry = _memo.get(memo_key)
        if known:
            _memo.move_to_end(memo_key)
    if not known or compiled_queries.VERIFY:
        fresh = _compile(filterset.qs, values, using)
        changed = (fresh is None) != (entry is None) or (fresh is not None and _sql(fresh) != _sql(entry))
        if known and changed:
            raise AssertionError(f"{type(filterset).__name__}: its SQL depends on more than its key {memo_key!r}")
        if not known:
            entry = fresh
            with _lock:
                _memo[memo_key] = entry
                while len(_memo) > MAX_ENTRIES:
                    _memo.popitem(last=False)
    if entry is _NOT_COMPILED:
        return None
    return CompiledPage(entry, using)


def _sql(entry: _Entry) -> tuple:
    return entry.count, entry.rows_sql, entry.rows_params


def _compile(queryset, values, using) -> _Entry | None:
    counted = queryset.order_by()
    count = None
    if not is_whole_table(counted):
        try:
            count = count_statement(counted)
        except EmptyResultSet:
            return None
        if count is None:
            return None
    rows = values(queryset)
    query = rows.query
    if query.is_sliced:
        raise ValueError(f"{values}: the rows are sliced by the page, not by the function")
    compiler = query.get_compiler(using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    return _Entry(
        model=queryset.model,
        count=count,
        rows_sql=sql,
        rows_params=tuple(params),
        compiler=compiler,
        converters=compiler.get_converters(fields),
        names=(*query.extra_select, *query.values_select, *query.annotation_select),
    )


def forget() -> None:
    """Forget every compiled list (tests that change the database engine or the models' tables)."""
    with _lock:
        _memo.clear()
