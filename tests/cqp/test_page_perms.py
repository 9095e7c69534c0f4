"""has_page_perm: rules' answer without an object, asked once per request (the person is read anew on each)."""

import pytest
import rules

from cqp.enums import Role
from cqp.models import User
from cqp.permissions import has_page_perm

from ..factories import user_with_role

pytestmark = pytest.mark.django_db

PERMS = ["cqp.view_oemm_dashboard", "candidates.list_dossiers", "cqp.view_candidat_dashboard", "jury.list_sessions"]


@pytest.mark.parametrize("role", [Role.OEMM, Role.CANDIDAT, Role.JURY, Role.ORGANISME, Role.ADMIN])
def test_the_same_answer_as_rules(role):
    person = User.objects.get_with_roles(user_with_role(role).pk)
    for perm in PERMS:
        assert has_page_perm(person, perm) == rules.has_perm(perm, User.objects.get(pk=person.pk))


def test_asked_once_per_person_object(monkeypatch):
    person = User.objects.get_with_roles(user_with_role(Role.OEMM).pk)
    asked = []
    real = rules.has_perm
    monkeypatch.setattr(rules, "has_perm", lambda perm, user: asked.append(perm) or real(perm, user))
    assert has_page_perm(person, "cqp.view_oemm_dashboard") and has_page_perm(person, "cqp.view_oemm_dashboard")
    assert asked == ["cqp.view_oemm_dashboard"]
    person.roles.all().delete()  # revoked: the next request reads the person anew
    assert not has_page_perm(User.objects.get_with_roles(person.pk), "cqp.view_oemm_dashboard")
