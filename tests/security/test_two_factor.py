"""Optional two-factor authentication (django-otp, TOTP) for the OEMM and the jury: enabling, the second step at login,
disabling, and the actions posted in a state that does not allow them."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqp import two_factor
from cqp.enums import Role

from ..factories import PASSWORD
from .auth_support import post_login

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
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<path" in svg and "href" not in svg and "style=" not in svg  # drawn here, nothing fetched elsewhere
    secret = re.search(r"<code[^>]*>([A-Z2-7]{32,})</code>", page).group(1)
    assert secret == two_factor.secret_base32(device)
    assert "<script>" not in page and "onclick" not in page
    # A wrong code is refused.
    response = client.post(
        reverse("two_factor_enable"), {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
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
    for url in (
        reverse("dashboard_jury"),
        reverse("home"),
        reverse("email_change"),
        reverse("two_factor"),
        reverse("referentiels:catalogue"),
        "/admin/",
    ):
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
    response = client.post(
        reverse("two_factor_verify") + "?next=https://ailleurs.example/", {"code": current_code(device)}
    )
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
    assert _messages(client, response) == [
        "La double authentification est déjà activée : désactivez-la d'abord pour changer "
        "d'application d'authentification."
    ]
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
    assert _messages(client, response) == [
        "Aucune activation n'est en cours : cliquez sur « Activer la double authentification » "
        "pour obtenir un nouveau QR code."
    ]
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize(
    "code, error",
    [
        ("", "Ce champ est obligatoire."),
        ("12 34 5", "Code incorrect"),
        ("abcdef", "Code incorrect"),
        ("1" * 11, "Assurez-vous que cette valeur comporte au plus 10 caractères"),
    ],
)
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
    assert _messages(client, response) == [
        "La double authentification n'est pas activée sur votre compte : il n'y a rien à désactiver."
    ]
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
    for response in (
        client.post(reverse("two_factor_start")),
        client.get(reverse("two_factor_enable")),
        client.post(reverse("two_factor_enable"), {"code": "123456"}),
        client.post(reverse("two_factor_disable"), {"code": "123456"}),
    ):
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
