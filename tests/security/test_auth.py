"""Authentication: login throttling, password rules, session expiry, CSRF on every view,
optional two-factor authentication (OEMM, jury) and e-mail change confirmed by e-mail."""

import datetime as dt
import html
import itertools
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.http import HttpResponse, HttpResponseForbidden
from django.test import Client
from django.urls import URLPattern, URLResolver, Resolver404, get_resolver, path, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqp import email_change, two_factor
from cqp.enums import Role
from cqp.models import User
from cqp.tokens import account_token

from ..factories import PASSWORD, UserFactory

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def post_login(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


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
    data = {"first_name": "Camille", "last_name": "Martin", "email": "personne.exemple@exemple.fr",
            "password1": password, "password2": password}
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

    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(candidat)}))
    response = client.post(response.url, {"new_password1": password, "new_password2": password})
    assert message in " ".join(response.context["form"].errors["new_password2"])
    candidat.refresh_from_db()
    assert candidat.check_password(PASSWORD)


@pytest.mark.parametrize("password, message", WEAK)
def test_password_change_refuses_weak_passwords_in_french(client, candidat, password, message):
    client.force_login(candidat)
    response = client.post(reverse("password_change"),
                           {"old_password": PASSWORD, "new_password1": password, "new_password2": password})
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
        candidate = re.sub(r"<[^>]+>", lambda m: next(values), route)
        candidate = re.sub(r"\((?:\?P<\w+>)?[^)]*\)", lambda m: next(values), candidate)
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


# ------------------------------------------------------------------------------------------------ two-factor


def current_code(device):
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def enable_two_factor(client, user, clock):
    client.force_login(user)
    assert client.post(reverse("two_factor_start")).url == reverse("two_factor_enable")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_enable"), {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    clock.shift(dt.timedelta(seconds=60))  # a code is accepted once: the next one is another step
    return device


@pytest.mark.parametrize("who", ["oemm", "jury_member"])
def test_oemm_and_jury_enable_two_factor_with_a_qr_code(client, request, who, clock):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "Double authentification" in page
    assert "est <strong>désactivée</strong>" in client.get(reverse("two_factor")).content.decode()
    client.post(reverse("two_factor_start"))
    response = client.get(reverse("two_factor_enable"))
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert "<path" in svg and "href" not in svg and "style=" not in svg  # drawn here, nothing fetched elsewhere
    secret = re.search(r"<code[^>]*>([A-Z2-7]{32,})</code>", page).group(1)
    assert secret == two_factor.secret_base32(device)
    assert "<script>" not in page and "onclick" not in page
    # A wrong code is refused.
    response = client.post(reverse("two_factor_enable"), {"code": "000000" if current_code(device) != "000000" else "111111"})
    assert "Code incorrect" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    clock.shift(dt.timedelta(seconds=60))  # past the throttling delay after a failure
    client.post(reverse("two_factor_enable"), {"code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert "est <strong>activée</strong>" in client.get(reverse("two_factor")).content.decode()


@pytest.mark.parametrize("who", ["candidat", "organisme_user", "entreprise_user"])
def test_other_roles_never_see_two_factor(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert "Double authentification" not in client.get(reverse("my_reminders")).content.decode()
    assert client.get(reverse("two_factor")).status_code == 404
    assert client.post(reverse("two_factor_start")).status_code == 404
    assert client.get(reverse("two_factor_enable")).status_code == 404
    assert client.post(reverse("two_factor_disable"), {"code": "123456"}).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_anonymous_is_sent_to_login_from_the_two_factor_pages(client, db):
    for name in ("two_factor", "two_factor_enable", "two_factor_verify"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for name in ("two_factor_start", "two_factor_disable"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_asks_for_the_code_and_blocks_every_page_until_given(client, jury_member, clock):
    device = enable_two_factor(client, jury_member, clock)
    client.logout()
    response = client.post(reverse("login") + "?next=/jury/", {"username": jury_member.email, "password": PASSWORD})
    assert response.status_code == 302
    # In the middle of the second step: every page leads to the code page.
    for url in (reverse("dashboard_jury"), reverse("home"), reverse("email_change"), reverse("two_factor"),
                reverse("referentiels:catalogue"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify")), url
    response = client.post(reverse("switch_role"), {"role": Role.JURY})
    assert response.status_code == 302 and response.url == reverse("two_factor_verify")
    response = client.get(reverse("dashboard_jury"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and response["HX-Redirect"] == reverse("two_factor_verify")
    # A wrong code is refused.
    verify = reverse("two_factor_verify") + "?next=/jury/"
    page = client.get(verify).content.decode()
    assert "Code de vérification" in page
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(verify, {"code": wrong})
    assert response.status_code == 200 and "Code incorrect" in response.content.decode()
    assert client.get(reverse("dashboard_jury")).status_code == 302
    # The right code opens the session and goes to the page asked for.
    clock.shift(dt.timedelta(seconds=60))
    response = client.post(verify, {"code": current_code(device)})
    assert response.status_code == 302 and response.url == "/jury/"
    assert client.get(reverse("dashboard_jury")).status_code == 200


def test_the_code_page_does_not_redirect_elsewhere(client, jury_member, clock):
    device = enable_two_factor(client, jury_member, clock)
    client.logout()
    post_login(client, jury_member.email, PASSWORD)
    response = client.post(reverse("two_factor_verify") + "?next=https://ailleurs.example/", {"code": current_code(device)})
    assert response.status_code == 302 and response.url == reverse("home")


def test_logout_is_possible_during_the_second_step(client, oemm, clock):
    enable_two_factor(client, oemm, clock)
    client.logout()
    post_login(client, oemm.email, PASSWORD)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_disabling_needs_a_right_code(client, oemm, clock):
    device = enable_two_factor(client, oemm, clock)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor_disable"), {"code": wrong})
    assert response.status_code == 400 and "reste activée" in response.content.decode()
    assert TOTPDevice.objects.filter(user=oemm, confirmed=True).exists()
    clock.shift(dt.timedelta(seconds=60))
    response = client.post(reverse("two_factor_disable"), {"code": current_code(device)})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=oemm).exists()
    client.logout()
    post_login(client, oemm.email, PASSWORD)
    assert client.get(reverse("dashboard_oemm")).status_code == 200  # no code asked any more


def test_users_without_two_factor_are_not_asked_for_a_code(client, oemm):
    post_login(client, oemm.email, PASSWORD)
    assert client.get(reverse("dashboard_oemm")).status_code == 200
    response = client.get(reverse("two_factor_verify"))
    assert response.status_code == 302 and response.url == reverse("home")


# ------------------------------------------------------------------------------------------------ e-mail change


def _link(message):
    return re.search(r"http://[^\s]+", message.body).group(0).replace(settings.SITE_URL, "")


def test_anonymous_cannot_ask_for_an_email_change(client, db):
    for response in (client.get(reverse("email_change")),
                     client.post(reverse("email_change"), {"new_email": "a@exemple.fr", "password": "x"})):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not mail.outbox


def test_email_change_is_confirmed_by_the_link_sent_to_the_new_address(client, candidat, on_commit):
    old = candidat.email
    client.force_login(candidat)
    assert "Changer mon adresse e-mail" in client.get(reverse("my_reminders")).content.decode()
    with on_commit():
        response = client.post(reverse("email_change"), {"new_email": " Nouvelle.Adresse@Exemple.fr ", "password": PASSWORD})
    assert response.status_code == 302
    confirm = next(m for m in mail.outbox if m.to == ["nouvelle.adresse@exemple.fr"])
    notice = next(m for m in mail.outbox if m.to == [old])
    assert "confirmez" in confirm.subject.lower() and confirm.alternatives
    assert "nouvelle.adresse@exemple.fr" in notice.body and "http" not in _notice_links(notice)
    candidat.refresh_from_db()
    assert candidat.email == old  # nothing changes before the link is followed
    link = _link(confirm)
    response = client.get(link)
    assert response.status_code == 302
    candidat.refresh_from_db()
    assert candidat.email == "nouvelle.adresse@exemple.fr"
    assert [h.email for h in candidat.history.order_by("history_id")][-2:] == [old, "nouvelle.adresse@exemple.fr"]
    client.logout()
    assert post_login(client, "nouvelle.adresse@exemple.fr", PASSWORD).status_code == 302
    # The link serves once.
    response = Client().get(link)
    assert response.status_code == 400 and "déjà servi" in response.content.decode()


def _notice_links(message):
    """The notice to the old address carries no confirmation link."""
    return " ".join(re.findall(r"/compte/adresse/confirmer/\S+", message.body)) or ""


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"new_email": "NOUVELLE@exemple.fr", "password": "pas-le-bon"}, "password", "Mot de passe incorrect"),
        ({"new_email": "pas-une-adresse", "password": PASSWORD}, "new_email", "adresse"),
    ],
)
def test_email_change_form_refuses_bad_input(client, candidat, data, field, message):
    client.force_login(candidat)
    response = client.post(reverse("email_change"), data)
    assert message in " ".join(response.context["form"].errors[field])
    assert not mail.outbox


def test_an_address_used_by_another_account_is_refused(client, candidat, other_candidat):
    client.force_login(candidat)
    response = client.post(reverse("email_change"), {"new_email": other_candidat.email.upper(), "password": PASSWORD})
    assert "déjà utilisée par un autre compte" in " ".join(response.context["form"].errors["new_email"])
    response = client.post(reverse("email_change"), {"new_email": candidat.email, "password": PASSWORD})
    assert "déjà votre adresse" in " ".join(response.context["form"].errors["new_email"])
    assert not mail.outbox


def test_an_address_taken_after_the_request_is_refused_at_confirmation(client, candidat, db):
    token = email_change.make_token(candidat, "libre@exemple.fr")
    UserFactory(email="libre@exemple.fr")
    response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and "déjà utilisée par un autre compte" in response.content.decode()
    candidat.refresh_from_db()
    assert candidat.email != "libre@exemple.fr"


def test_an_expired_link_changes_nothing(client, candidat):
    with time_machine.travel(NOW, tick=False):
        token = email_change.make_token(candidat, "tard@exemple.fr")
    with time_machine.travel(NOW + dt.timedelta(days=2, minutes=1), tick=False):
        response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and "expiré" in response.content.decode()
    candidat.refresh_from_db()
    assert candidat.email != "tard@exemple.fr"


def test_a_forged_link_changes_nothing(client, candidat, other_candidat):
    forged = signing.dumps({"u": candidat.pk, "o": candidat.email, "n": "pirate@exemple.fr"}, salt="autre-sel")
    tampered = email_change.make_token(other_candidat, "pirate@exemple.fr")
    tampered = tampered[:-3] + ("AAA" if not tampered.endswith("AAA") else "BBB")
    client.force_login(other_candidat)  # an outsider, logged in
    for token in (forged, tampered, "n-importe-quoi"):
        response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
        assert response.status_code == 400 and "pas valable" in response.content.decode()
    assert not User.objects.filter(email="pirate@exemple.fr").exists()


def test_an_outsider_following_the_link_changes_only_the_owner_address(client, candidat, other_candidat):
    token = email_change.make_token(candidat, "suite@exemple.fr")
    client.force_login(other_candidat)
    client.get(reverse("email_change_confirm", kwargs={"token": token}))
    candidat.refresh_from_db()
    other_email = other_candidat.email
    other_candidat.refresh_from_db()
    assert candidat.email == "suite@exemple.fr" and other_candidat.email == other_email


# ------------------------------------------------------------------------------------------------ wrong state
# An action posted when the account is not in a state that allows it: refused with a French message, nothing
# written (devices, account, e-mails), never a 500.


def _messages(client, response):
    """The messages of a refused POST, checked on the page it redirects to (where they are shown, and consumed)."""
    from django.contrib.messages import get_messages

    found = [str(m) for m in get_messages(response.wsgi_request)]
    page = html.unescape(client.get(response.url).content.decode())
    assert all(message in page for message in found), found
    return found


def _devices():
    return list(TOTPDevice.objects.order_by("pk").values("pk", "user_id", "confirmed", "key"))


def test_starting_two_factor_when_already_enabled_is_refused(client, oemm, clock):
    enable_two_factor(client, oemm, clock)
    client.get(reverse("two_factor"))  # shows (consumes) the « activée » message
    before = _devices()
    response = client.post(reverse("two_factor_start"))
    assert response.status_code == 302 and response.url == reverse("two_factor")
    assert _messages(client, response) == ["La double authentification est déjà activée : désactivez-la d'abord pour changer "
                                   "d'application d'authentification."]
    assert _devices() == before  # the confirmed device kept, no new secret
    # Nor can a code be confirmed (nothing pending), even the right one.
    device = TOTPDevice.objects.get(user=oemm)
    response = client.post(reverse("two_factor_enable"), {"code": current_code(device)})
    assert response.status_code == 302 and response.url == reverse("two_factor")
    assert _messages(client, response) == ["La double authentification est déjà activée sur votre compte."]
    assert _devices() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_confirming_with_nothing_pending_is_refused(client, jury_member, clock, method):
    client.force_login(jury_member)
    response = getattr(client, method)(reverse("two_factor_enable"), {"code": "123456"})
    assert response.status_code == 302 and response.url == reverse("two_factor")
    assert _messages(client, response) == ["Aucune activation n'est en cours : cliquez sur « Activer la double authentification » "
                                   "pour obtenir un nouveau QR code."]
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("code, error", [
    ("", "Ce champ est obligatoire."), ("12 34 5", "Code incorrect"), ("abcdef", "Code incorrect"),
    ("1" * 11, "Assurez-vous que cette valeur comporte au plus 10 caractères"),
])
def test_confirming_with_a_wrong_or_malformed_code_confirms_nothing(client, oemm, clock, code, error):
    client.force_login(oemm)
    client.post(reverse("two_factor_start"))
    device = TOTPDevice.objects.get(user=oemm)
    response = client.post(reverse("two_factor_enable"), {"code": code})
    assert response.status_code == 200 and error in html.unescape(response.content.decode())
    device.refresh_from_db()
    assert not device.confirmed and TOTPDevice.objects.count() == 1
    assert not client.session.get("cqp_otp_required")


def test_disabling_when_none_is_set_is_refused(client, oemm):
    client.force_login(oemm)
    session_before = dict(client.session)
    response = client.post(reverse("two_factor_disable"), {"code": "123456"})
    assert response.status_code == 302 and response.url == reverse("two_factor")
    assert _messages(client, response) == ["La double authentification n'est pas activée sur votre compte : il n'y a rien à désactiver."]
    assert not TOTPDevice.objects.exists()
    assert dict(client.session) == session_before


def test_disabling_with_only_an_unconfirmed_device_keeps_it(client, oemm):
    client.force_login(oemm)
    client.post(reverse("two_factor_start"))
    before = _devices()
    response = client.post(reverse("two_factor_disable"), {"code": "123456"})
    assert response.status_code == 302 and "n'est pas activée" in _messages(client, response)[0]
    assert _devices() == before


def test_a_candidate_cannot_set_up_two_factor_french_404(client, candidat):
    client.force_login(candidat)
    for response in (client.post(reverse("two_factor_start")), client.get(reverse("two_factor_enable")),
                     client.post(reverse("two_factor_enable"), {"code": "123456"}),
                     client.post(reverse("two_factor_disable"), {"code": "123456"})):
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_the_second_step_with_nothing_pending_writes_nothing(client, oemm, clock):
    # Anonymous: to the login page.
    response = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert response.status_code == 302 and response.url == reverse("login")
    # Logged in without two-factor: the code page sends on, nothing is verified nor stored.
    post_login(client, oemm.email, PASSWORD)
    session_before = dict(client.session)
    response = client.post(reverse("two_factor_verify") + "?next=/oemm/", {"code": "123456"})
    assert response.status_code == 302 and response.url == "/oemm/"
    assert dict(client.session) == session_before and not TOTPDevice.objects.exists()


def test_the_second_step_once_verified_sends_on(client, jury_member, clock):
    device = enable_two_factor(client, jury_member, clock)  # the enrolling session counts as verified
    session_before = dict(client.session)
    response = client.post(reverse("two_factor_verify") + "?next=/jury/", {"code": "000000"})
    assert response.status_code == 302 and response.url == "/jury/"
    assert dict(client.session) == session_before
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # the code was not even checked


def test_the_second_step_after_the_device_was_removed_lets_the_person_in(client, jury_member, clock):
    enable_two_factor(client, jury_member, clock)
    client.logout()
    post_login(client, jury_member.email, PASSWORD)
    assert client.get(reverse("dashboard_jury")).status_code == 302  # code asked
    TOTPDevice.objects.filter(user=jury_member).delete()  # by an administrator, meanwhile
    response = client.post(reverse("two_factor_verify") + "?next=/jury/", {"code": "123456"})
    assert response.status_code == 302 and response.url == "/jury/"
    assert not client.session.get("cqp_otp_required")
    assert client.get(reverse("dashboard_jury")).status_code == 200


def _user_row(user):
    return (User.objects.filter(pk=user.pk).values("email", "email_confirmed_at").get(), user.history.count())


def _bad_link(kind, candidat, other_candidat, clock):
    """(token, French reason) of a confirmation link that must change nothing."""
    if kind == "forged":
        forged = signing.dumps({"u": candidat.pk, "o": candidat.email, "n": "pirate@exemple.fr"}, salt="autre-sel")
        return forged, "Ce lien de confirmation n'est pas valable."
    if kind == "expired":
        token = email_change.make_token(candidat, "tard@exemple.fr")
        clock.shift(dt.timedelta(seconds=settings.EMAIL_CHANGE_TIMEOUT + 1))
        return token, "Ce lien de confirmation a expiré : refaites la demande depuis votre compte."
    if kind == "taken":  # by another account since the request
        return email_change.make_token(candidat, other_candidat.email), email_change.TAKEN
    token = email_change.make_token(candidat, "nouvelle@exemple.fr")
    email_change.confirm_email_change(token)  # followed once already
    candidat.refresh_from_db()
    return token, "Ce lien de confirmation a déjà servi ou n'est plus valable."


@pytest.mark.parametrize("kind", ["forged", "expired", "taken", "used"])
def test_a_bad_confirmation_link_writes_nothing(client, candidat, other_candidat, clock, on_commit, kind):
    token, reason = _bad_link(kind, candidat, other_candidat, clock)
    client.force_login(candidat)  # (writes last_login)
    before, other_before = _user_row(candidat), _user_row(other_candidat)
    mail.outbox.clear()
    with on_commit():
        response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert reason in html.unescape(response.content.decode()) and "Adresse e-mail non modifiée" in response.content.decode()
    assert _user_row(candidat) == before and _user_row(other_candidat) == other_before and mail.outbox == []


def test_a_link_of_a_deactivated_or_anonymised_account_writes_nothing(client, referentiels, candidat, oemm):
    from cqp import personal_data

    token = email_change.make_token(candidat, "nouvelle@exemple.fr")
    personal_data.anonymise_candidate(candidat, by=oemm, reason="Test")
    before = _user_row(candidat)
    response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and "n'est plus valable" in html.unescape(response.content.decode())
    assert _user_row(candidat) == before and not User.objects.filter(email="nouvelle@exemple.fr").exists()


def test_an_address_taken_between_the_check_and_the_save_is_refused_not_a_500(client, candidat, other_candidat, monkeypatch):
    """Bug fixed: two confirmations for the same new address at once: the second save broke the unique e-mail (500)."""
    token = email_change.make_token(candidat, other_candidat.email)
    monkeypatch.setattr(email_change, "address_taken", lambda email, by_other_than: False)  # the check passed first
    before = _user_row(candidat)
    response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and email_change.TAKEN in html.unescape(response.content.decode())
    assert _user_row(candidat) == before


def test_requesting_a_change_to_an_address_taken_writes_no_mail(client, candidat, other_candidat, on_commit):
    client.force_login(candidat)
    before = _user_row(candidat)
    with on_commit():
        response = client.post(reverse("email_change"), {"new_email": f"  {other_candidat.email.upper()} ", "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors["new_email"] == ["Cette adresse est déjà utilisée par un autre compte."]
    assert _user_row(candidat) == before and mail.outbox == []
