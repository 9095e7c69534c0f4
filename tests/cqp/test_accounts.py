import re

import pytest
from django.core import mail
from django.http import HttpRequest  # django-axes needs a request to authenticate
from django.urls import reverse

from cqp.enums import College, Role
from cqp.models import User
from referentiels.models import Certifier

from ..factories import PASSWORD, EntrepriseFactory, OrganismeFactory


def _link(message):
    return re.search(r"http://[^\s]+", message.body).group(0).replace("http://127.0.0.1:8000", "")


SIGNUP = {
    "first_name": "Camille",
    "last_name": "Martin",
    "email": "Camille.Martin@Exemple.fr",
    "phone": "0600000000",
    "password1": "Un-mot-de-passe-solide",
    "password2": "Un-mot-de-passe-solide",
}


def test_candidate_signs_up_confirms_and_reaches_the_dashboard(client, db, on_commit):
    with on_commit():
        response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 200 and "Confirmez votre adresse" in response.content.decode()
    user = User.objects.get(email="camille.martin@exemple.fr")
    assert not user.is_active and user.has_role(Role.CANDIDAT) is False  # inactive until confirmed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille.martin@exemple.fr"]
    assert mail.outbox[0].alternatives  # HTML part
    # Cannot log in before confirming.
    response = client.post(reverse("login"), {"username": user.email, "password": SIGNUP["password1"]})
    assert "pas encore activé" in response.content.decode() or "incorrect" in response.content.decode()
    response = client.get(_link(mail.outbox[0]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard_candidat")
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at
    # The link dies once used.
    client.logout()
    assert client.get(_link(mail.outbox[0])).status_code == 400


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"password2": "autre-chose-123"}, "password2", "ne correspondent pas"),
        ({"password1": "123", "password2": "123"}, "password1", "trop court"),
        ({"email": "pas-une-adresse"}, "email", "adresse de courriel valide"),
        ({"first_name": ""}, "first_name", "obligatoire"),
    ],
)
def test_signup_refuses_bad_input_in_french_and_keeps_what_was_typed(client, db, changes, field, message):
    response = client.post(reverse("signup"), {**SIGNUP, **changes})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert 'value="Martin"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_known_address_reveals_nothing_and_tells_the_owner(client, candidat, on_commit):
    """No « Un compte existe déjà » (issue 19): the same page as a new address; the owner gets an e-mail
    (tests/security/test_throttles.py checks the page is the same, byte for byte)."""
    with on_commit():
        response = client.post(reverse("signup"), {**SIGNUP, "email": candidat.email.upper()})
    assert "existe déjà" not in response.content.decode() and "Confirmez votre adresse" in response.content.decode()
    assert User.objects.count() == 1 and mail.outbox[-1].to == [candidat.email]


@pytest.mark.parametrize(
    "role, extra, dashboard",
    [
        (Role.ORGANISME, {"organisme": "ORG"}, "dashboard_organisme"),
        (Role.ENTREPRISE, {"entreprise": "ENT", "entreprise_function": "tuteur"}, "dashboard_entreprise"),
        (Role.JURY, {"college": College.SALARIE, "union_name": "CFDT"}, "dashboard_jury"),
        (Role.OEMM, {"certifier": "UCANSS"}, "dashboard_oemm"),
    ],
)
def test_oemm_invites_a_person_who_sets_a_password_and_reaches_the_dashboard(
    client, oemm, role, extra, dashboard, on_commit
):
    organisme, entreprise = OrganismeFactory(), EntrepriseFactory()
    ucanss = Certifier.objects.get(code="ucanss")  # created by the migration referentiels/0003
    extra = {
        k: (organisme.pk if v == "ORG" else entreprise.pk if v == "ENT" else ucanss.pk if v == "UCANSS" else v)
        for k, v in extra.items()
    }
    client.force_login(oemm)
    with on_commit():
        response = client.post(
            reverse("oemm_account_invite"),
            {
                "email": "nouvelle@exemple.fr",
                "first_name": "Léa",
                "last_name": "Bernard",
                "role": role,
                **extra,
            },
        )
    assert response.status_code == 302
    invited = User.objects.get(email="nouvelle@exemple.fr")
    assert invited.has_role(role) and not invited.has_usable_password()
    if role == Role.OEMM:  # the Ucanss's staff: scoped to it
        assert invited.staff_certifier_ids() == {ucanss.pk}
    assert "invitation" in mail.outbox[0].subject.lower()
    client.logout()
    link = _link(mail.outbox[0])
    response = client.post(
        link, {"new_password1": "Un-mot-de-passe-solide", "new_password2": "Un-mot-de-passe-solide"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(dashboard)
    client.logout()
    assert client.get(link).status_code == 400  # used once
    assert client.login(request=HttpRequest(), username="nouvelle@exemple.fr", password="Un-mot-de-passe-solide")


def test_inviting_a_known_person_adds_the_role(client, oemm, candidat, on_commit):
    client.force_login(oemm)
    organisme = OrganismeFactory()
    with on_commit():
        client.post(
            reverse("oemm_account_invite"),
            {
                "email": candidat.email,
                "first_name": "x",
                "last_name": "y",
                "role": Role.ORGANISME,
                "organisme": organisme.pk,
            },
        )
    candidat.refresh_from_db()
    assert candidat.has_role(Role.CANDIDAT) and candidat.has_role(Role.ORGANISME)
    assert "nouveau rôle" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"role": Role.ORGANISME}, "organisme"),
        ({"role": Role.ENTREPRISE}, "entreprise"),
        ({"role": Role.JURY}, "college"),
        ({"role": Role.JURY, "college": College.SALARIE}, "union_name"),
        ({"role": Role.OEMM}, "certifier"),
    ],
)
def test_invitation_requires_the_organisation_of_the_role(client, oemm, data, field):
    client.force_login(oemm)
    response = client.post(
        reverse("oemm_account_invite"), {"email": "x@exemple.fr", "first_name": "a", "last_name": "b", **data}
    )
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="x@exemple.fr").exists()


def test_password_reset(client, candidat, on_commit):
    with on_commit():  # the e-mail is written to the outbox, sent when the request's transaction commits
        client.post(reverse("password_reset"), {"email": candidat.email})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Encore-un-mot-de-passe", "new_password2": "Encore-un-mot-de-passe"},
    )
    assert response.status_code == 302
    assert client.login(request=HttpRequest(), username=candidat.email, password="Encore-un-mot-de-passe")


def test_login_is_case_insensitive_on_the_email(client, candidat):
    assert client.login(request=HttpRequest(), username=candidat.email.upper(), password=PASSWORD)


def test_a_person_with_two_roles_switches_between_dashboards(client, candidat):
    from cqp import accounts

    accounts.grant_role(candidat, role=Role.ORGANISME, organisme=OrganismeFactory())
    client.force_login(candidat)
    first = client.get(reverse("home"))
    assert first.status_code == 302
    response = client.post(reverse("switch_role"), {"role": Role.CANDIDAT}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard_candidat")
    assert client.get(reverse("home")).url == reverse("dashboard_candidat")
    response = client.post(reverse("switch_role"), {"role": Role.OEMM}, follow=True)
    assert "Vous n&#x27;avez pas ce rôle" in response.content.decode()
