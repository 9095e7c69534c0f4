"""Querysets of a fixed shape, compiled to SQL once per process and then run with their arguments.

Building and compiling a queryset costs Django ~0.3 to 0.5 ms of Python for a 20 to 40 column row (make bench: most
of the dossier page's time), while PostgreSQL answers a small query on a key in ~0.05 ms. ``rows`` builds the
queryset once with stand-in arguments, keeps its compiled SQL and the places of the stand-ins among its parameters,
and from then on runs that SQL with the real arguments, building the instances as the queryset would (Django's
``ModelIterable``: the fields' database converters applied, the ``select_related`` rows attached). The SQL depends on
the code and the database engine only (kept per connection alias and engine), never on the data.

Only querysets of model instances (no ``values()``, no ``prefetch_related``) whose arguments are integers (primary
and foreign keys), each reaching the SQL as a parameter of its own (no ``__in`` list of variable length). ``count``
does the same for a queryset's ``count()`` of one integer argument: its SQL is recorded as the ORM sends it the first
time, then run with the next arguments.

A queryset whose SQL would depend on anything else than its arguments (the time, a setting, the data) must not be
compiled: its first parameters would be kept for ever. Under tests (``VERIFY``, set by tests/conftest.py) each call
compiles the queryset again with its real arguments and fails if the SQL or its parameters differ from the kept ones.

Threads: the kept compiler is only read after compiling (``results_iter``, the populators, its converters), and each
call runs its SQL on the calling thread's connection; two threads compiling the same queryset at once both keep a
valid entry. The compiler keeps the compiling thread's connection object for its converters only (no query runs on
it). Checked for gunicorn's sync workers, Celery's prefork and the test server's threads; a threaded deployment
(gthread) would be worth a test of its own.
"""

from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators

# Stand-in arguments: integers no key takes, recognisable among the compiled parameters.
_STAND_INS = tuple(-7_340_000_001 - i for i in range(4))
_compiled: dict = {}
_counts: dict = {}
VERIFY = False  # tests/conftest.py: every call checks the kept SQL against a fresh compilation


def _compile(build, arity: int, using: str):
    queryset = build(*_STAND_INS[:arity])
    if queryset._iterable_class is not ModelIterable:
        raise ValueError(f"{build} does not return model instances")
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ValueError(f"{build} prefetches or knows related objects: not compiled")
    compiler = queryset.query.get_compiler(using)
    sql, params = compiler.as_sql()  # sets the compiler's select and klass_info, read when building the rows
    places = [[i for i, p in enumerate(params) if p == stand_in] for stand_in in _STAND_INS[:arity]]
    if not all(places):
        raise ValueError(f"an argument of {build} does not reach its SQL as a parameter")
    klass_info, select = compiler.klass_info, compiler.select
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    return compiler, sql, list(params), places, (klass_info["model"], start, end, names)


def rows(build, *args: int, using: str = "default") -> list:
    """The instances ``build(*args)`` (a queryset) returns, in its order. ``build`` is a module-level function (the
    compiled SQL is kept under it: one entry per function, engine and alias)."""
    connection = connections[using]
    memo_key = (build, using, connection.vendor)
    entry = _compiled.get(memo_key)
    if entry is None:
        entry = _compiled[memo_key] = _compile(build, len(args), using)
    compiler, sql, params, places, (model, start, end, names) = entry
    params = _with_arguments(params, places, args)
    if VERIFY:
        _verify(build, args, using, sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    populators = get_related_populators(compiler.klass_info, compiler.select, using)
    instances = []
    for row in compiler.results_iter([fetched]):
        instance = model.from_db(using, names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        instances.append(instance)
    return instances


def count(build, arg: int, *, using: str = "default") -> int:
    """``build(arg).count()``: the SQL the ORM sends for it is recorded at the first call (with its real argument, no
    query more) and run with the next arguments. A count whose only parameter is not ``arg`` is left to the ORM."""
    connection = connections[using]
    memo_key = (build, using, connection.vendor)
    sql = _counts.get(memo_key)
    if sql is not None:
        if VERIFY:  # the ORM counts, its SQL checked against the kept one: the same single query
            with connection.execute_wrapper(_refuse_unless(sql, arg, build)):
                return build(arg).count()
        with connection.cursor() as cursor:
            cursor.execute(sql, [arg])
            return cursor.fetchone()[0]
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = build(arg).count()
    if len(sent) == 1 and list(sent[0][1] or ()) == [arg]:
        _counts[memo_key] = sent[0][0]
    return result


def _with_arguments(params, places, args) -> list:
    params = list(params)
    for value, positions in zip(args, places, strict=True):
        for position in positions:
            params[position] = value
    return params


def _verify(build, args, using, sql, params) -> None:
    fresh_sql, fresh_params = build(*args).query.get_compiler(using).as_sql()
    if (fresh_sql, list(fresh_params)) != (sql, params):
        raise AssertionError(f"{build.__qualname__}: its SQL depends on more than its arguments, it cannot be compiled")


def _refuse_unless(sql, arg, build):
    def check(execute, sent_sql, params, many, context):
        if (sent_sql, list(params or ())) != (sql, [arg]):
            raise AssertionError(f"{build.__qualname__}: its count's SQL depends on more than its argument")
        return execute(sent_sql, params, many, context)

    return check


def forget() -> None:
    """Forget the compiled SQL (tests that change the database engine or the models' tables)."""
    _compiled.clear()
    _counts.clear()
