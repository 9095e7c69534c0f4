"""Menus show only what the person may use: every link of the navigation bar, of the account menu and the dashboard's
« Inscrire un salarié » answers 200 for the person who sees it; the links are shown through the views' own
permissions (cqp/roles.py NAVIGATION)."""

import re

import pytest
from django.urls import reverse

from cqp.enums import EntrepriseFunction, Role
from cqp.roles import DASHBOARD_URL

from ..factories import user_with_role

PERSONAS = {
    "candidat": (Role.CANDIDAT, {}),
    "organisme": (Role.ORGANISME, {}),
    "rh": (Role.ENTREPRISE, {"entreprise_function": EntrepriseFunction.RH}),
    "entreprise sans fonction": (Role.ENTREPRISE, {}),
    "tuteur": (Role.ENTREPRISE, {"entreprise_function": EntrepriseFunction.TUTEUR}),
    "evaluateur": (Role.ENTREPRISE, {"entreprise_function": EntrepriseFunction.EVALUATEUR}),
    "oemm": (Role.OEMM, {}),
    "admin": (Role.ADMIN, {}),
    "jury": (Role.JURY, {}),
}
MENU_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*href="(/[^"]*)"')
ENROL = reverse("candidates:inscription_salarie")


def _menu_links(body: str) -> list[str]:
    header = body.split("<main", 1)[0]
    return [href for href in MENU_LINK.findall(header) if "admin" not in href]  # Django's admin: not our menus


def _dashboard(client, role):
    response = client.get(reverse(DASHBOARD_URL[role]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_menu_link_a_role_sees_answers_200(client, referentiels, persona):
    role, details = PERSONAS[persona]
    client.force_login(user_with_role(role, **details))
    body = _dashboard(client, role)
    links = _menu_links(body)
    assert links, persona
    if re.search(rf'href="{re.escape(ENROL)}"', body):
        links.append(ENROL)
    for href in links:
        assert client.get(href).status_code == 200, (persona, href)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("rh", True), ("entreprise sans fonction", True), ("tuteur", False), ("evaluateur", False)],
)
def test_only_who_may_enrol_sees_inscrire_un_salarie(client, referentiels, persona, sees):
    role, details = PERSONAS[persona]
    client.force_login(user_with_role(role, **details))
    body = _dashboard(client, role)
    assert ("Inscrire un salarié" in body) is sees
    assert client.get(ENROL).status_code == (200 if sees else 403)


def test_a_company_tutor_cannot_post_an_enrolment(client, referentiels):
    client.force_login(user_with_role(Role.ENTREPRISE, entreprise_function=EntrepriseFunction.TUTEUR))
    assert client.post(ENROL, {"email": "x@example.org"}).status_code == 403


def test_mes_donnees_only_for_candidates(client, referentiels):
    client.force_login(user_with_role(Role.ORGANISME))
    assert reverse("my_data") not in _menu_links(_dashboard(client, Role.ORGANISME))
    client.force_login(user_with_role(Role.CANDIDAT))
    assert reverse("my_data") in _menu_links(_dashboard(client, Role.CANDIDAT))


def test_anonymous_menu(client, db):
    body = client.get(reverse("home")).content.decode()
    assert reverse("referentiels:catalogue") in body and reverse("dashboard_oemm") not in _menu_links(body)
