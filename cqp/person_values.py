"""Values read with the signed-in person in the one query of ``User.objects.get_with_roles`` (issue 20): an app above
the core registers, in its ``AppConfig.ready()``, a named scalar expression on the person's row (a correlated
subquery on ``OuterRef("pk")``), and every request of a person signed in through Django's ModelBackend finds its value
as an attribute of ``request.user``, as of the start of the request. The core knows no app (tests/test_architecture.py):
notifications registers the unread count its bell shows (notifications/apps.py).

A person read otherwise (``User.objects.get``, a session opened by another backend through Django's ``get_user``) has
no such attribute: whoever reads a value falls back on a query of their own (``getattr(user, name, None)``).

The expressions are compiled into the SQL of ``get_with_roles``, once per database connection: they take no parameter
(their SQL must not depend on the data, the time or a setting) and are all registered before the first request (a
value registered later is missing from connections compiled before it: its readers fall back on their own query).
"""

from collections.abc import Callable

from django.db.models import Expression

_values: dict[str, Callable[[], Expression]] = {}


def register_person_value(name: str, build: Callable[[], Expression]) -> None:
    """The value ``build()`` (a scalar expression on the person's row), set as ``user.<name>`` by ``get_with_roles``.
    Registering the same name again with the same function keeps one; another function under that name is refused."""
    known = _values.get(name)
    if known is build:
        return
    if known is not None:
        raise ValueError(f"person value {name!r} registered twice")
    _values[name] = build


def person_values() -> dict[str, Callable[[], Expression]]:
    """The registered values, by name, in the order of registration."""
    return dict(_values)
