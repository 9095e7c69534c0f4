"""Querysets of a fixed shape, compiled to SQL once per process and then run with their arguments.

Building and compiling a queryset costs Django ~0.3 to 0.5 ms of Python for a 20 to 40 column row (make bench: most
of the dossier page's time), while PostgreSQL answers a small query on a key in ~0.05 ms. ``rows`` builds the
queryset once with stand-in arguments, keeps its SQL and the places of the stand-ins among its parameters, and from
then on runs that SQL with the real arguments through ``Model.objects.raw`` (the fields' database converters
applied, as for a queryset). The SQL depends on the code and the database engine only (kept per connection alias
and engine), never on the data.

Only querysets of one model's own columns (no ``select_related``, no ``values()``: raw rows are mapped to the
model's fields by column name) whose arguments are integers (primary and foreign keys) and not in ``__in`` lists.
"""

from django.db import connections

# Stand-in arguments: integers no key takes, recognisable among the compiled parameters.
_STAND_INS = tuple(-7_340_000_001 - i for i in range(4))
_compiled: dict = {}


def _compile(build, arity: int, using: str):
    queryset = build(*_STAND_INS[:arity])
    sql, params = queryset.query.get_compiler(using).as_sql()
    places = {stand_in: [i for i, p in enumerate(params) if p == stand_in] for stand_in in _STAND_INS[:arity]}
    if not all(places.values()):
        raise ValueError(f"an argument of {build} does not reach its SQL as a parameter")
    return queryset.model, sql, list(params), [places[s] for s in _STAND_INS[:arity]]


def rows(build, *args: int, using: str = "default") -> list:
    """The instances ``build(*args)`` (a queryset) returns, in its order. ``build`` is a module-level function (the
    compiled SQL is kept under it: one entry per function, engine and alias)."""
    memo_key = (build, using, connections[using].vendor)
    entry = _compiled.get(memo_key)
    if entry is None:
        entry = _compiled[memo_key] = _compile(build, len(args), using)
    model, sql, params, places = entry
    params = list(params)
    for value, positions in zip(args, places, strict=True):
        for position in positions:
            params[position] = value
    return list(model._default_manager.db_manager(using).raw(sql, params))


def forget() -> None:
    """Forget the compiled SQL (tests that change the database engine or the models' tables)."""
    _compiled.clear()
