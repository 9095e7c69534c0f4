"""A signed-in person is read with their roles in one query (cqp/auth_middleware.py, UserManager.get_with_roles):
several roles, no role, a role revoked (seen on the next request), a changed password or a deactivated account."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cqp.enums import College, Role
from cqp.models import User, UserRole

from ..factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def role_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "cqp_userrole"' in q["sql"]]


def test_several_roles_are_read_with_the_person_in_one_query():
    person = user_with_role(Role.OEMM)
    UserRole.objects.create(user=person, role=Role.JURY, college=College.EMPLOYEUR)
    with CaptureQueriesContext(connection) as queries:
        user = User.objects.get_with_roles(person.pk)
        assert user == person
        assert user.role_set == {Role.OEMM, Role.JURY}
        assert [r.role for r in user.roles.all()] == [Role.JURY, Role.OEMM]  # ordered by role, as role_set's prefetch
        assert all(r.user is user for r in user.roles.all())
        assert user.staff_certifier_ids() is None
        assert user.date_joined == person.date_joined and user.is_active
    assert len(queries) == 1
    # a filter on the roles still reads the database, for this person only
    assert list(user.roles.filter(role=Role.OEMM).values_list("user_id", flat=True)) == [person.pk]


def test_a_person_without_a_role_is_read_in_one_query():
    person = UserFactory()
    UserFactory()  # someone else, with a role below: not mixed in
    user_with_role(Role.CANDIDAT)
    with CaptureQueriesContext(connection) as queries:
        user = User.objects.get_with_roles(person.pk)
        assert user == person
        assert user.role_set == set() and list(user.roles.all()) == []
    assert len(queries) == 1


def test_an_unknown_person_is_none():
    assert User.objects.get_with_roles(987654) is None


def test_a_page_reads_no_role_query_of_its_own(client, oemm):
    client.force_login(oemm)
    client.get("/dossiers/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dossiers/").status_code == 200
    assert role_queries(queries.captured_queries) == []
    assert any('LEFT OUTER JOIN "cqp_userrole"' in q["sql"] for q in queries.captured_queries)


def test_a_revoked_role_is_gone_on_the_next_request(client):
    person = user_with_role(Role.OEMM)
    UserRole.objects.create(user=person, role=Role.JURY, college=College.EMPLOYEUR)
    client.force_login(person)
    assert client.get("/dossiers/").status_code == 200
    UserRole.objects.filter(user=person, role=Role.OEMM).delete()
    assert client.get("/dossiers/").status_code in (403, 404)
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/jury/"


def test_a_person_without_a_role_sees_the_no_role_page(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == person


def test_a_changed_password_ends_the_session(client, oemm):
    client.force_login(oemm)
    assert client.get("/dossiers/").status_code == 200
    oemm.set_password("un autre mot de passe 2026")
    oemm.save()
    response = client.get("/dossiers/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")
    assert not response.wsgi_request.user.is_authenticated


def test_a_deactivated_account_is_signed_out(client, oemm):
    client.force_login(oemm)
    User.objects.filter(pk=oemm.pk).update(is_active=False)
    response = client.get("/dossiers/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")
