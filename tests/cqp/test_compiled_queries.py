"""cqp/compiled_queries.py: a queryset compiled once gives the rows the queryset gives, for any arguments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqp import compiled_queries
from cqp.enums import Role
from cqp.models import User, UserRole
from tests.factories import user_with_role


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
