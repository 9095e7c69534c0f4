"""Throttles where people can guess (issue 19), and sign-up without account enumeration.

- failed logins counted per IP across addresses (password spraying): past ``login_ip``, the login pages (the site's and
  the admin's) answer a French 429 page for that IP, while django-axes still locks an address tried 5 times;
- sign-up and password reset throttled per IP and per address; the public verification page per IP;
- each answers the French page with when to retry (``Retry-After``), with limits from ``THROTTLE_RATES``;
- sign-up with an address that has an account answers the same page as a new one and e-mails the owner.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cqp.enums import Role
from cqp.models import User
from cqp.throttle import Rate, parse_rate

from ..factories import PASSWORD, user_with_role

PARIS = ZoneInfo("Europe/Paris")
SIGNUP = {
    "first_name": "Camille",
    "last_name": "Martin",
    "email": "camille.martin@exemple.fr",
    "phone": "",
    "password1": "Un-mot-de-passe-solide-2026",
    "password2": "Un-mot-de-passe-solide-2026",
}


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, 30, tzinfo=PARIS), tick=False) as traveller:
        yield traveller


def _throttled(response, action):
    text = response.content.decode()
    assert response.status_code == 429, (response.status_code, text[:300])
    assert "Trop de demandes" in text and action in text
    assert re.search(r"Réessayez dans \d+ minutes?, à partir de \d\d:\d\d", text), text
    assert int(response["Retry-After"]) > 0


# ----------------------------------------------------------------------------------------------- rates


@pytest.mark.parametrize(
    "text, rate",
    [
        ("10/h", Rate(10, 3600)),
        ("30/10min", Rate(30, 600)),
        ("5/d", Rate(5, 86400)),
        (" 3 / s ", Rate(3, 1)),
        ("0/min", Rate(0, 60)),
    ],
)
def test_rates_are_read_from_their_text(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "10", "10/an", "dix/h", "-1/h", "10/0min", "10/h/2"])
def test_a_malformed_rate_is_refused_in_french(text):
    with pytest.raises(ValueError, match="Limite invalide"):
        parse_rate(text)


# ----------------------------------------------------------------------------------------------- login


def _fail(client, email, ip, path=None):
    return client.post(
        path or reverse("login"), {"username": email, "password": "mauvais-mot-de-passe"}, REMOTE_ADDR=ip
    )


def test_spraying_across_accounts_from_one_ip_is_blocked_and_the_other_ips_are_not(client, db, settings, frozen):
    """The issue's attack: 2 failures on each of 8 accounts from one IP (16), none of which axes locks alone."""
    accounts = [user_with_role(Role.CANDIDAT) for _ in range(8)]
    answers = [_fail(client, user.email, "203.0.113.7").status_code for user in accounts for _ in range(2)]
    assert answers[:15] == [200] * 15  # the login form again, « incorrect »
    assert answers[15] == 429
    # From that IP even the right password of another account is refused now, on the admin's login too.
    victim = user_with_role(Role.OEMM)
    _throttled(
        client.post(reverse("login"), {"username": victim.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"),
        "vous connecter",
    )
    _throttled(_fail(client, victim.email, "203.0.113.7", path="/admin/login/"), "vous connecter")
    assert "_auth_user_id" not in client.session
    # Another IP logs in.
    response = client.post(
        reverse("login"), {"username": victim.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.1"
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(victim.pk)
    # At the end of the window (15 minutes), the IP may try again.
    client.logout()
    frozen.shift(dt.timedelta(minutes=15))
    response = client.post(
        reverse("login"), {"username": victim.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302


def test_one_address_is_still_locked_by_axes_after_five_failures(client, db, frozen):
    user = user_with_role(Role.CANDIDAT)
    statuses = [_fail(client, user.email, "203.0.113.8").status_code for _ in range(6)]
    assert (
        statuses[-1] == 429
        and "Connexion temporairement bloquée" in _fail(client, user.email, "203.0.113.8").content.decode()
    )


def test_the_login_limit_per_ip_follows_the_settings(client, db, settings, frozen):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_ip": "3/h"}
    users = [user_with_role(Role.CANDIDAT) for _ in range(4)]
    assert [_fail(client, u.email, "203.0.113.9").status_code for u in users] == [200, 200, 200, 429]


# ----------------------------------------------------------------------------------------------- sign-up


def test_repeated_signups_from_one_ip_are_throttled(client, db, settings, frozen):
    limit = parse_rate(settings.THROTTLE_RATES["signup_ip"]).limit
    statuses = []
    for i in range(limit + 1):
        statuses.append(
            client.post(
                reverse("signup"), {**SIGNUP, "email": f"personne{i}@exemple.fr"}, REMOTE_ADDR="203.0.113.20"
            ).status_code
        )
    assert statuses == [200] * limit + [429]
    assert User.objects.count() == limit  # the one past the limit created nothing
    _throttled(client.post(reverse("signup"), SIGNUP, REMOTE_ADDR="203.0.113.20"), "créer un compte")
    assert client.post(reverse("signup"), SIGNUP, REMOTE_ADDR="203.0.113.21").status_code == 200


def test_repeated_signups_for_one_address_are_throttled_whatever_the_ip(client, db, on_commit, frozen):
    for i in range(3):
        with on_commit():
            assert client.post(reverse("signup"), SIGNUP, REMOTE_ADDR=f"203.0.113.{30 + i}").status_code == 200
    sent = len(mail.outbox)
    with on_commit():
        response = client.post(
            reverse("signup"), {**SIGNUP, "email": "Camille.Martin@exemple.fr"}, REMOTE_ADDR="203.0.113.40"
        )
    _throttled(response, "créer un compte")
    assert len(mail.outbox) == sent  # the owner of the address is not flooded


def _page(response):
    """The page without what changes from one request to the next (the CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("role", [Role.CANDIDAT, Role.OEMM, Role.JURY, Role.ADMIN])
def test_signup_with_an_existing_address_answers_the_same_page_and_emails_the_owner(client, db, on_commit, role):
    owner = user_with_role(role)
    password_before = owner.password
    with on_commit():
        new = client.post(reverse("signup"), {**SIGNUP, "email": "nouvelle.personne@exemple.fr"})
    with on_commit():
        known = client.post(reverse("signup"), {**SIGNUP, "email": owner.email.upper()})
    assert known.status_code == new.status_code == 200
    assert _page(known).replace(owner.email, "X") == _page(new).replace("nouvelle.personne@exemple.fr", "X")
    assert "existe déjà" not in known.content.decode()
    owner.refresh_from_db()
    assert owner.password == password_before and User.objects.filter(email__iexact=owner.email).count() == 1
    message = mail.outbox[-1]
    assert message.to == [owner.email]
    assert "Quelqu'un a tenté de créer un compte sur CQP Mutualité avec votre adresse e-mail" in message.body
    assert "connectez-vous" in message.body and "réinitialisez-le" in message.body
    assert "/connexion/" in message.body and "/mot-de-passe/" in message.body
    html = message.alternatives[0][0]
    assert 'href="http' in html and "/mot-de-passe/" in html


def test_signup_again_before_confirming_sends_a_new_link_with_the_new_password(client, db, on_commit):
    with on_commit():
        client.post(
            reverse("signup"),
            {**SIGNUP, "password1": "Premier-mot-de-passe-2026", "password2": "Premier-mot-de-passe-2026"},
        )
    with on_commit():
        response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 200 and User.objects.count() == 1
    user = User.objects.get()
    assert not user.is_active and user.check_password(SIGNUP["password1"])
    assert len(mail.outbox) == 2 and "/inscription/confirmer/" in mail.outbox[-1].body


# ----------------------------------------------------------------------------------------------- password reset


def test_password_reset_is_throttled_per_ip_and_per_address(client, db, settings, on_commit, frozen):
    owner = user_with_role(Role.CANDIDAT)
    for i in range(3):
        with on_commit():
            assert (
                client.post(
                    reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR=f"203.0.113.{50 + i}"
                ).status_code
                == 302
            )
    assert len(mail.outbox) == 3
    with on_commit():
        response = client.post(reverse("password_reset"), {"email": owner.email.upper()}, REMOTE_ADDR="203.0.113.60")
    _throttled(response, "demander un nouveau mot de passe")
    assert len(mail.outbox) == 3
    # per IP: as many requests as the limit, for as many addresses; the next one refused
    limit = parse_rate(settings.THROTTLE_RATES["password_reset_ip"]).limit
    statuses = [
        client.post(reverse("password_reset"), {"email": f"x{i}@exemple.fr"}, REMOTE_ADDR="203.0.113.70").status_code
        for i in range(limit + 1)
    ]
    assert statuses == [302] * limit + [429]
    # the page itself is still shown
    assert client.get(reverse("password_reset"), REMOTE_ADDR="203.0.113.70").status_code == 200


# ----------------------------------------------------------------------------------------------- verification page


def test_repeated_verification_lookups_are_throttled_per_ip(client, db, settings, frozen):
    assert parse_rate(settings.THROTTLE_RATES["verify_ip"]) == Rate(30, 600)
    url = reverse("verification:verify", kwargs={"code": "code-devine"})
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.80").status_code for _ in range(31)]
    assert statuses == [404] * 30 + [429]
    _throttled(client.get(url, REMOTE_ADDR="203.0.113.80"), "vérifier un certificat")
    assert client.get(url, REMOTE_ADDR="203.0.113.81").status_code == 404
    frozen.shift(dt.timedelta(minutes=10))
    assert client.get(url, REMOTE_ADDR="203.0.113.80").status_code == 404


def test_throttles_can_be_switched_off_for_tests(client, db, settings):
    settings.THROTTLE_ENABLED = False
    url = reverse("verification:verify", kwargs={"code": "code-devine"})
    assert {client.get(url).status_code for _ in range(35)} == {404}
