"""The bell's unread count read with the person and their roles, in the request's first query (issue 20:
cqp/person_values.py, notifications/apps.py): the right number with 0, 1 or 3 unread, the number of the next request
after reading them all, a person without a role, and a session opened by another backend (its own COUNT)."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cqp.enums import College, Role
from cqp.models import User, UserRole
from notifications.context_processors import UNREAD
from notifications.models import Notification

from ..factories import UserFactory
from .test_views import page, tell

pytestmark = pytest.mark.django_db


class OtherBackend(ModelBackend):
    """A backend other than Django's ModelBackend: its sessions go through django.contrib.auth.get_user."""


def notification_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]


@pytest.mark.parametrize("unread", [0, 1, 3])
def test_the_bell_shows_the_unread_read_with_the_person(client, oemm, unread):
    tell(oemm, unread + 1)
    Notification.objects.filter(key=f"n{unread}").update(read_at="2026-11-02T10:00Z")  # one read: not counted
    client.force_login(oemm)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("my_reminders"))
    html = page(response)
    assert response.wsgi_request.user.unread_notifications == unread
    [query] = notification_queries(queries)  # no COUNT of its own: the one reading the person and their roles
    assert 'LEFT OUTER JOIN "cqp_userrole"' in query
    if unread:
        label = f"{unread} non lue{'s' if unread > 1 else ''}"
        assert f"Notifications : {label}" in html and f'text-bg-warning ms-1">{unread}</span>' in html
    else:
        assert "Notifications : aucune non lue" in html and "text-bg-warning ms-1" not in html


def test_after_reading_all_the_next_page_shows_none(client, oemm):
    tell(oemm, 3)
    client.force_login(oemm)
    assert "Notifications : 3 non lues" in page(client.get(reverse("my_reminders")))
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302  # redirected: no page rendered with the count of the request's start
    html = page(client.get(response.url))
    assert "Notifications : aucune non lue" in html and "3 notifications marquées comme lues." in html


def test_several_roles_do_not_multiply_the_count(oemm):
    UserRole.objects.create(user=oemm, role=Role.JURY, college=College.EMPLOYEUR)
    tell(oemm, 2)
    with CaptureQueriesContext(connection) as queries:
        user = User.objects.get_with_roles(oemm.pk)
    assert len(queries) == 1 and user.role_set == {Role.OEMM, Role.JURY} and user.unread_notifications == 2


def test_a_person_without_a_role_is_read_with_their_count(client):
    person = UserFactory()
    tell(person, 2)
    with CaptureQueriesContext(connection) as queries:
        user = User.objects.get_with_roles(person.pk)
    assert len(queries) == 1 and user.role_set == set() and user.unread_notifications == 2
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200 and "Notifications :" not in page(response)  # no role, no bell


def test_a_person_read_otherwise_has_no_count(oemm):
    assert not hasattr(User.objects.get(pk=oemm.pk), UNREAD)


def test_a_session_of_another_backend_counts_on_its_own(client, oemm):
    backend = f"{OtherBackend.__module__}.{OtherBackend.__qualname__}"
    tell(oemm, 3)
    with override_settings(AUTHENTICATION_BACKENDS=[backend]):
        client.force_login(oemm, backend=backend)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("my_reminders"))
    assert not hasattr(response.wsgi_request.user, UNREAD)
    [count] = notification_queries(queries)
    assert "COUNT(*)" in count and "cqp_userrole" not in count
    assert "Notifications : 3 non lues" in page(response)
