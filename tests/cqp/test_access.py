"""Every restricted page of the foundation, with every persona."""

import pytest
from django.urls import reverse

from cqp.enums import Role

from ..factories import EntrepriseFactory, OrganismeFactory, user_with_role

PERSONAS = ["anonymous", Role.CANDIDAT, Role.ORGANISME, Role.ENTREPRISE, Role.OEMM, Role.JURY, Role.ADMIN]
OEMM_PAGES = [
    "oemm_accounts",
    "oemm_account_invite",
    "oemm_organismes",
    "oemm_organisme_new",
    "oemm_entreprises",
    "oemm_entreprise_new",
]
PAGES = {
    "dashboard_candidat": {Role.CANDIDAT},
    "dashboard_organisme": {Role.ORGANISME},
    "dashboard_entreprise": {Role.ENTREPRISE},
    "dashboard_oemm": {Role.OEMM, Role.ADMIN},
    "dashboard_jury": {Role.JURY},
    **{name: {Role.OEMM, Role.ADMIN} for name in OEMM_PAGES},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_restricted_pages(client, db, persona, page):
    if persona != "anonymous":
        client.force_login(user_with_role(persona))
    response = client.get(reverse(page))
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif persona in PAGES[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Accès refusé" in response.content.decode()


@pytest.mark.parametrize(
    "name, factory", [("oemm_organisme_edit", OrganismeFactory), ("oemm_entreprise_edit", EntrepriseFactory)]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_edit_pages(client, db, persona, name, factory):
    obj = factory()
    if persona != "anonymous":
        client.force_login(user_with_role(persona))
    response = client.get(reverse(name, args=[obj.pk]))
    expected = {"anonymous": 302, Role.OEMM: 200, Role.ADMIN: 200}.get(persona, 403)
    assert response.status_code == expected


def test_unknown_organisation_is_404_for_oemm(client, oemm):
    client.force_login(oemm)
    assert client.get(reverse("oemm_organisme_edit", args=[999])).status_code == 404


def test_resend_invitation_is_oemm_only(client, candidat, other_candidat):
    client.force_login(candidat)
    assert client.post(reverse("oemm_account_resend", args=[other_candidat.pk])).status_code == 403


@pytest.mark.parametrize("persona", [Role.CANDIDAT, Role.ORGANISME, Role.ENTREPRISE, Role.JURY])
def test_django_admin_is_closed_to_non_staff(client, db, persona):
    client.force_login(user_with_role(persona))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_oemm_manages_referentiels_in_the_admin(client, referentiels):
    from cqp import accounts

    from ..factories import UserFactory

    person = UserFactory()
    accounts.grant_role(person, role=Role.OEMM)
    client.force_login(person)
    assert client.get("/admin/referentiels/certification/").status_code == 200
    assert client.get("/admin/cqp/user/").status_code == 403  # accounts are managed in the OEMM pages


def test_public_pages_are_open(client, referentiels):
    for url in ("/", reverse("referentiels:catalogue"), reverse("login"), reverse("signup"), reverse("password_reset")):
        assert client.get(url).status_code == 200
