"""cqp/compiled_queries.py: a queryset compiled once gives the rows the queryset gives, for any arguments."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqp import compiled_queries
from cqp.enums import Role
from cqp.models import User, UserRole
from notifications.models import Notification
from tests.factories import user_with_role
from tests.notifications.test_views import tell


def _roles_of(user_id):
    return UserRole.objects.filter(user_id=user_id).exclude(role=Role.ADMIN).order_by("-role", "pk")


def _people_between(low, high):
    return User.objects.filter(pk__gte=low, pk__lte=high).order_by("pk")


def _ignores_its_argument(user_id):
    return User.objects.all()


def _fields(instances):
    return [(type(i), {f.attname: getattr(i, f.attname) for f in i._meta.concrete_fields}) for i in instances]


@pytest.fixture(autouse=True)
def _fresh():
    compiled_queries.forget()
    yield
    compiled_queries.forget()


def test_the_rows_are_the_querysets_for_each_argument(db):
    people = [user_with_role(Role.CANDIDAT) for _ in range(3)]
    UserRole.objects.create(user=people[1], role=Role.OEMM)
    UserRole.objects.create(user=people[1], role=Role.ADMIN)
    for person in [*people, people[0]]:  # compiled at the first call, reused after
        assert _fields(compiled_queries.rows(_roles_of, person.pk)) == _fields(_roles_of(person.pk))
    assert [r.role for r in compiled_queries.rows(_roles_of, people[1].pk)] == [Role.OEMM, Role.CANDIDAT]
    assert compiled_queries.rows(_roles_of, 0) == []


def test_several_arguments_and_the_fields_converted(db):
    people = [user_with_role(Role.CANDIDAT) for _ in range(4)]
    low, high = people[1].pk, people[2].pk
    got = compiled_queries.rows(_people_between, low, high)
    assert _fields(got) == _fields(_people_between(low, high)) and len(got) == 2
    assert got[0].date_joined.tzinfo is not None  # an aware moment, as the queryset gives it (SQLite too)
    assert _fields(compiled_queries.rows(_people_between, high, high + 10)) == _fields(people[2:])


def test_compiled_once_then_one_query_per_call(db):
    person = user_with_role(Role.CANDIDAT)
    compiled_queries.rows(_roles_of, person.pk)
    assert len(compiled_queries._compiled) == 1
    with CaptureQueriesContext(connection) as queries:
        compiled_queries.rows(_roles_of, person.pk)
    assert len(queries) == 1 and len(compiled_queries._compiled) == 1


def test_an_argument_missing_from_the_sql_is_refused(db):
    with pytest.raises(ValueError):
        compiled_queries.rows(_ignores_its_argument, 1)


def _roles_with_person(user_id):
    return UserRole.objects.filter(user_id=user_id).select_related("user").order_by("pk")


def test_joined_rows_attached_as_select_related_does(db):
    person = user_with_role(Role.CANDIDAT)
    UserRole.objects.create(user=person, role=Role.OEMM)
    got = compiled_queries.rows(_roles_with_person, person.pk)
    expected = list(_roles_with_person(person.pk))
    assert _fields(got) == _fields(expected) and len(got) == 2
    with CaptureQueriesContext(connection) as queries:
        assert [_fields([r.user]) for r in got] == [_fields([r.user]) for r in expected]
    assert not queries


def test_values_and_prefetches_are_refused(db):
    with pytest.raises(ValueError):
        compiled_queries.rows(_values_of, 1)
    with pytest.raises(ValueError):
        compiled_queries.rows(_prefetching, 1)


def _values_of(user_id):
    return UserRole.objects.filter(user_id=user_id).values("pk")


def _prefetching(user_id):
    return User.objects.filter(pk=user_id).prefetch_related("roles")


def _unread_of(user_id):
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)


def test_a_count_recorded_at_its_first_call_then_run_for_other_arguments(db):
    first, second, third = (user_with_role(Role.OEMM) for _ in range(3))
    tell(second, 3)
    tell(third, 1)
    with CaptureQueriesContext(connection) as queries:
        assert compiled_queries.count(_unread_of, first.pk) == 0  # recorded while the ORM runs it: no query more
    assert len(queries) == 1 and len(compiled_queries._counts) == 1
    with CaptureQueriesContext(connection) as queries:
        assert compiled_queries.count(_unread_of, second.pk) == 3
        assert compiled_queries.count(_unread_of, third.pk) == 1
    assert len(queries) == 2
    assert all("COUNT(*)" in q["sql"] and "read_at" in q["sql"] for q in queries.captured_queries)


def _unread_of_a_kind(user_id):
    return _unread_of(user_id).filter(message__startswith="Livret")


def test_a_count_with_other_parameters_is_left_to_the_orm(db):
    person = user_with_role(Role.OEMM)
    tell(person, 2)
    for _ in range(2):
        assert compiled_queries.count(_unread_of_a_kind, person.pk) == 2  # tell() writes « Livret … »
    assert not compiled_queries._counts


_EXTRA = []


def _depends_on_more(user_id):
    return User.objects.filter(pk=user_id, last_name__in=_EXTRA or ["?"])


def test_under_verify_sql_depending_on_more_than_its_arguments_fails(db, monkeypatch):
    """tests/conftest.py sets VERIFY: a queryset whose SQL changes with something else than its arguments is caught."""
    monkeypatch.setattr(compiled_queries, "VERIFY", True)
    person = user_with_role(Role.CANDIDAT)
    compiled_queries.rows(_depends_on_more, person.pk)
    monkeypatch.setattr(sys.modules[__name__], "_EXTRA", ["a", "b"])
    with pytest.raises(AssertionError, match="depends on more"):
        compiled_queries.rows(_depends_on_more, person.pk)


def _count_depending_on_more(user_id):
    return _unread_of(user_id).filter(message__in=_EXTRA or ["?"])


def test_under_verify_a_count_depending_on_more_fails(db, monkeypatch):
    monkeypatch.setattr(compiled_queries, "VERIFY", True)
    person = user_with_role(Role.CANDIDAT)
    monkeypatch.setattr(sys.modules[__name__], "_EXTRA", [])
    compiled_queries._counts[(_count_depending_on_more, "default", connection.vendor)] = "SELECT 1 WHERE %s = 0"
    with pytest.raises(AssertionError, match="depends on more"):
        compiled_queries.count(_count_depending_on_more, person.pk)
