"""Pagination whose count does not grow with the table (issue 20).

An unfiltered list of a large table (every dossier, for the OEMM) is counted by PostgreSQL's own estimate of the
table's rows (``pg_class.reltuples``, kept by ANALYZE and autovacuum) when that estimate is at least
``settings.LIST_COUNT_ESTIMATE_THRESHOLD`` (10,000): a ``COUNT(*)`` there is a scan of the whole table. Below the
threshold, for any filtered list and on SQLite, the count is exact. Either way it is ONE query.

With an estimate, the page shows « environ 100 000 dossiers » and « Page 3 sur environ 4 000 »; « Suivante » is
offered when one more row than the page exists (read with the page's rows, no other query), so the last page is
reached however far the estimate is from the truth; a page past the last shows the list's empty state.
"""

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.utils.functional import cached_property

_ESTIMATE_SQL = (
    "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint ELSE (SELECT COUNT(*) FROM {table}) END, "
    "c.reltuples >= %s FROM pg_class c WHERE c.oid = %s::regclass"
)


def threshold() -> int:
    return getattr(settings, "LIST_COUNT_ESTIMATE_THRESHOLD", 10_000)


def is_whole_table(queryset) -> bool:
    """The queryset reads every row of its table: no filter, no DISTINCT, no slice, no set operation."""
    query = queryset.query
    return not (query.where or query.distinct or query.combinator or query.is_sliced or query.extra or query.group_by)


def table_count(model, using="default") -> tuple[int, bool]:
    """(rows, estimated) of a whole table, in one query: the planner's estimate at or above the threshold on
    PostgreSQL (the exact ``COUNT(*)`` is evaluated only below it), the exact count elsewhere."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return model._default_manager.using(using).count(), False
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_ESTIMATE_SQL.format(table=table), [threshold(), threshold(), model._meta.db_table])
        row = cursor.fetchone()
    if row is None:  # no such relation (cannot happen for a migrated model)
        return model._default_manager.using(using).count(), False
    return int(row[0]), bool(row[1])


def exact_count(queryset) -> int:
    """``queryset.count()``, the same SQL (``SELECT COUNT(*) AS "__count" FROM <table> WHERE …``) written from the
    compiled WHERE clause when the query reads one table (``count_statement``). Any other query is counted by
    ``count()``."""
    try:
        statement = count_statement(queryset)
    except EmptyResultSet:
        return 0
    if statement is None:
        return queryset.count()
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchone()[0]


def count_statement(queryset) -> tuple[str, tuple] | None:
    """(sql, params) of ``queryset.count()`` written from the compiled WHERE clause, when the query reads one table (a
    join the ORM trimmed is left out, as Django does) with no grouping, DISTINCT, slice or annotation: the ORM's
    aggregation path (cloning the query, resolving a Count, compiling a whole SELECT) cost more than PostgreSQL's
    answer on the dossiers list (issue 20). None for any other query; ``EmptyResultSet`` when it matches nothing."""
    query = queryset.query
    if (
        query.distinct
        or query.combinator
        or query.is_sliced
        or query.extra
        or query.group_by
        or query.annotations
        or query.select_for_update
        or any(alias != query.base_table and query.alias_refcount[alias] for alias in query.alias_map)
        or query.base_table != queryset.model._meta.db_table
        or query.where.contains_aggregate
        or query.where.contains_over_clause
    ):
        return None
    connection = connections[queryset.db]
    compiler = query.get_compiler(queryset.db)
    count = connection.ops.quote_name("__count")
    sql = f"SELECT COUNT(*) AS {count} FROM {compiler.quote_name_unless_alias(query.base_table)}"
    try:
        where, params = compiler.compile(query.where)
    except FullResultSet:
        where, params = "", ()
    if where:
        sql += f" WHERE {where}"
    return sql, tuple(params)


def round_estimate(count: int) -> int:
    """An estimate is shown to the thousand (100,002 → 100,000)."""
    return max(1000, round(count, -3))


def count_label(count: int, estimated: bool, singular: str, plural: str) -> str:
    """« 1 dossier », « 12 dossiers », « environ 100 000 dossiers » (no-break space between thousands)."""
    shown = round_estimate(count) if estimated else count
    text = f"{shown:,}".replace(",", "\u00a0")
    return f"{'environ ' if estimated else ''}{text} {singular if shown <= 1 else plural}"


class EstimatedPage(Page):
    def __init__(self, object_list, number, paginator, has_more):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self):
        return self._has_more

    def next_page_number(self):
        return self.number + 1

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class EstimatingPaginator(Paginator):
    """A Paginator whose count is an estimate for a whole large table (see the module's docstring).

    ``estimated`` tells the template to say « environ ». Under an estimate a page is read with one more row to know
    whether a next page exists; the page number is not capped by the estimated number of pages.

    ``counted``: the queryset to count when it is not the rows' own (rows read as ``values()`` across joins are counted
    on the filtered queryset without those joins)."""

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = object_list if counted is None else counted

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        qs = self.counted
        if hasattr(qs, "paginated_count"):  # cqp/compiled_lists.py
            return qs.paginated_count()
        if hasattr(qs, "query") and is_whole_table(qs):
            return table_count(qs.model, qs.db)
        return (exact_count(qs) if hasattr(qs, "query") else len(qs)), False

    @property
    def count(self):
        return self._counted[0]

    @property
    def estimated(self) -> bool:
        return self._counted[1]

    def validate_number(self, number):
        if not self.estimated:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage("Ce numéro de page est inférieur à 1.")
        return number

    def page(self, number):
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return EstimatedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)
