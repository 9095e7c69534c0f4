"""Authentication: login throttling, password rules, session expiry, CSRF on every view (two-factor authentication:
``test_two_factor.py``; e-mail change: ``test_email_change.py``)."""

import datetime as dt
import itertools
import re

import pytest
from django.conf import settings
from django.core import mail
from django.http import HttpResponse, HttpResponseForbidden
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, path, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.csrf import csrf_exempt

from cqp.models import User
from cqp.tokens import account_token

from ..factories import PASSWORD, UserFactory
from .auth_support import post_login

# ------------------------------------------------------------------------------------------------ login throttling


def test_axes_backend_comes_first_and_rules_still_answer(candidat):
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "rules.permissions.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    assert candidat.has_perm("cqp.view_candidat_dashboard") and not candidat.has_perm("cqp.view_oemm_dashboard")


def test_five_failures_lock_the_address_from_that_ip_with_a_french_page(client, candidat, clock):
    for _ in range(4):
        response = post_login(client, candidat.email, "mauvais-mot-de-passe")
        assert response.status_code == 200 and "incorrect" in response.content.decode()
    response = post_login(client, candidat.email, "mauvais-mot-de-passe")
    assert response.status_code == 429
    # Even the right password is refused now, with the page in the site layout.
    response = post_login(client, candidat.email.upper(), PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in page and "15 minutes" in page and "CQP Mutualité" in page
    assert "_auth_user_id" not in client.session
    # The same address from another IP, and another address from this IP, still log in.
    assert post_login(Client(), candidat.email, PASSWORD, ip="10.0.0.2").status_code == 302
    other = UserFactory()
    assert post_login(Client(), other.email, PASSWORD).status_code == 302
    # After 15 minutes the lock is lifted.
    clock.shift(dt.timedelta(minutes=16))
    response = post_login(client, candidat.email, PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(candidat.pk)


def test_a_successful_login_resets_the_failure_count(client, candidat, clock):
    for _ in range(4):
        post_login(client, candidat.email, "mauvais-mot-de-passe")
    assert post_login(client, candidat.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        post_login(client, candidat.email, "mauvais-mot-de-passe")
    assert post_login(client, candidat.email, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, admin_user, clock):
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": admin_user.email, "password": "non"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": admin_user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429 and "Connexion temporairement bloquée" in response.content.decode()


# ------------------------------------------------------------------------------------------------ password rules

WEAK = [
    ("Court-1", "trop court"),
    ("azertyuiop", "trop courant"),
    ("4815162342108", "entièrement numérique"),
]


@pytest.mark.parametrize("password, message", WEAK + [("personne.exemple", "trop semblable")])
def test_signup_refuses_weak_passwords_in_french(client, db, password, message):
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "personne.exemple@exemple.fr",
        "password1": password,
        "password2": password,
    }
    response = client.post(reverse("signup"), data)
    assert message in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.exists()


@pytest.mark.parametrize("password, message", WEAK)
def test_invitation_refuses_weak_passwords_in_french(client, db, password, message):
    invited = UserFactory(password=None)
    invited.set_unusable_password()
    invited.save()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    url = reverse("invitation_accept", kwargs={"uidb64": uid, "token": account_token.make_token(invited)})
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert message in " ".join(response.context["form"].errors["new_password2"])
    invited.refresh_from_db()
    assert not invited.has_usable_password()


@pytest.mark.parametrize("password, message", WEAK)
def test_password_reset_refuses_weak_passwords_in_french(client, candidat, password, message):
    uid = urlsafe_base64_encode(force_bytes(candidat.pk))
    from django.contrib.auth.tokens import default_token_generator

    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(candidat)})
    )
    response = client.post(response.url, {"new_password1": password, "new_password2": password})
    assert message in " ".join(response.context["form"].errors["new_password2"])
    candidat.refresh_from_db()
    assert candidat.check_password(PASSWORD)


@pytest.mark.parametrize("password, message", WEAK)
def test_password_change_refuses_weak_passwords_in_french(client, candidat, password, message):
    client.force_login(candidat)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert message in " ".join(response.context["form"].errors["new_password2"])
    candidat.refresh_from_db()
    assert candidat.check_password(PASSWORD)


# ------------------------------------------------------------------------------------------------ session expiry


def test_an_idle_session_expires_and_the_login_page_brings_back(client, candidat, clock):
    client.force_login(candidat)
    assert client.get(reverse("dashboard_candidat")).status_code == 200
    clock.shift(dt.timedelta(hours=2, minutes=1))
    response = client.get(reverse("dashboard_candidat") + "?onglet=1")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=" + "/candidat/%3Fonglet%3D1"
    assert "_auth_user_id" not in client.session
    response = client.get(response.url)
    assert "Votre session a expiré" in response.content.decode()


def test_activity_keeps_the_session_until_eight_hours_after_login(client, candidat, clock):
    client.force_login(candidat)
    for _ in range(7):
        clock.shift(dt.timedelta(hours=1, minutes=5))
        assert client.get(reverse("dashboard_candidat")).status_code == 200
    clock.shift(dt.timedelta(minutes=40))  # 8 h 15 after login, 40 minutes after the last page
    response = client.get(reverse("dashboard_candidat"))
    assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next=")


def test_an_expired_session_on_a_form_post_changes_nothing(client, candidat, clock):
    client.force_login(candidat)
    client.get(reverse("home"))
    clock.shift(dt.timedelta(hours=3))
    response = client.post(reverse("email_change"), {"new_email": "nouvelle@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not mail.outbox


# ------------------------------------------------------------------------------------------------ CSRF everywhere


def csrf_failure(request, reason=""):
    return HttpResponseForbidden("CSRF-REFUSED")


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


SAMPLES = ["1", "cqp", "x", "AbC-12_z", "2026", "00000000-0000-0000-0000-000000000001"]


def _example_path(route, pattern, urlconf=None):
    """A concrete path resolving to this pattern (its arguments taken among SAMPLES)."""
    slots = len(re.findall(r"<[^>]+>|\((?!\?:)", route))
    for combo in itertools.product(SAMPLES, repeat=slots):
        values = iter(combo)
        candidate = re.sub(r"<[^>]+>", lambda m, values=values: next(values), route)
        candidate = re.sub(r"\((?:\?P<\w+>)?[^)]*\)", lambda m, values=values: next(values), candidate)
        url = "/" + re.sub(r"\^|\$|\\Z|\\", "", candidate)
        try:
            match = resolve(url, urlconf)
        except Resolver404:
            continue
        if match.func == pattern.callback:
            return url
    return None


def csrf_problems(urlconf=None):
    """POSTs without a token to every URL pattern: each must meet the CSRF refusal (403)."""
    client = Client(enforce_csrf_checks=True)
    problems = []
    for route, pattern in _patterns(get_resolver(urlconf)):
        if getattr(pattern.callback, "csrf_exempt", False):
            problems.append((route, "csrf_exempt"))
            continue
        url = _example_path(route, pattern, urlconf)
        if url is None:
            problems.append((route, "pas de chemin d'exemple"))
            continue
        response = client.post(url, {"x": "1"})
        if response.status_code != 403 or response.content != b"CSRF-REFUSED":
            problems.append((route, response.status_code))
    return problems


def test_every_view_refuses_a_post_without_csrf_token(db, settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.test_auth.csrf_failure"
    routes = [route for route, _ in _patterns()]
    assert "connexion/" in routes and "compte/adresse/" in routes and any(r.startswith("admin/") for r in routes)
    assert csrf_problems() == []


def _open_view(request):
    return HttpResponse("ok")


urlpatterns = [  # a tiny URLconf for the test below
    path("protegee/<int:pk>/", _open_view),
    path("ouverte/", csrf_exempt(_open_view)),
]


def test_the_csrf_walk_fails_on_a_csrf_exempt_view(db, settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.test_auth.csrf_failure"
    settings.ROOT_URLCONF = __name__
    assert csrf_problems(__name__) == [("ouverte/", "csrf_exempt")]
