"""Changing one's e-mail address: confirmed by a signed link sent to the new address, notice to the old one; bad,
expired, forged or used links change nothing."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from cqp import email_change
from cqp.models import User

from ..factories import PASSWORD, UserFactory
from .auth_support import NOW, post_login

# ------------------------------------------------------------------------------------------------ e-mail change


def _link(message):
    return re.search(r"http://[^\s]+", message.body).group(0).replace(settings.SITE_URL, "")


def test_anonymous_cannot_ask_for_an_email_change(client, db):
    for response in (
        client.get(reverse("email_change")),
        client.post(reverse("email_change"), {"new_email": "a@exemple.fr", "password": "x"}),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not mail.outbox


def test_email_change_is_confirmed_by_the_link_sent_to_the_new_address(client, candidat, on_commit):
    old = candidat.email
    client.force_login(candidat)
    assert "Changer mon adresse e-mail" in client.get(reverse("my_reminders")).content.decode()
    with on_commit():
        response = client.post(
            reverse("email_change"), {"new_email": " Nouvelle.Adresse@Exemple.fr ", "password": PASSWORD}
        )
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
    assert (
        reason in html.unescape(response.content.decode())
        and "Adresse e-mail non modifiée" in response.content.decode()
    )
    assert _user_row(candidat) == before and _user_row(other_candidat) == other_before and mail.outbox == []


def test_a_link_of_a_deactivated_or_anonymised_account_writes_nothing(client, referentiels, candidat, oemm):
    from pilotage import personal_data

    token = email_change.make_token(candidat, "nouvelle@exemple.fr")
    personal_data.anonymise_candidate(candidat, by=oemm, reason="Test")
    before = _user_row(candidat)
    response = client.get(reverse("email_change_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and "n'est plus valable" in html.unescape(response.content.decode())
    assert _user_row(candidat) == before and not User.objects.filter(email="nouvelle@exemple.fr").exists()


def test_an_address_taken_between_the_check_and_the_save_is_refused_not_a_500(
    client, candidat, other_candidat, monkeypatch
):
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
        response = client.post(
            reverse("email_change"), {"new_email": f"  {other_candidat.email.upper()} ", "password": PASSWORD}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["new_email"] == ["Cette adresse est déjà utilisée par un autre compte."]
    assert _user_row(candidat) == before and mail.outbox == []
