"""recorded_count: the ORM's SQL of a count recorded on its first run, then run with other ids (cqp/recorded_sql.py)."""

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from cqp import recorded_sql
from cqp.enums import Role
from notifications.context_processors import _unread

from ..factories import user_with_role
from ..notifications.test_views import tell

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    recorded_sql._RECORDED.pop(connections["default"], None)


def test_the_count_is_recorded_then_run_for_other_people():
    first, second, third = (user_with_role(Role.OEMM) for _ in range(3))
    tell(second, 3)
    tell(third, 1)
    assert recorded_sql.recorded_count("unread", _unread, first) == 0
    assert "unread" in recorded_sql._RECORDED[connections["default"]]
    with CaptureQueriesContext(connection) as queries:
        assert recorded_sql.recorded_count("unread", _unread, second) == 3
        assert recorded_sql.recorded_count("unread", _unread, third) == 1
    assert len(queries) == 2
    assert all("COUNT(*)" in q["sql"] and "read_at" in q["sql"] for q in queries.captured_queries)


def test_a_query_with_other_parameters_is_not_recorded():
    person = user_with_role(Role.OEMM)
    tell(person, 2)

    def with_a_constant(user):
        return _unread(user).filter(message__startswith="Livret")

    for _ in range(2):
        assert recorded_sql.recorded_count("other", with_a_constant, person) == 2
    assert "other" not in recorded_sql._RECORDED.get(connections["default"], {})
