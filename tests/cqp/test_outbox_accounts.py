"""The password reset and the invitations go through the outbox: a row first, delivered by the task; a mail server
down does not lose them, and the page does not wait for it."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from cqp import outbox
from cqp.enums import OutboundEmailState, Role
from cqp.models import OutboundEmail

from ..factories import OrganismeFactory


def test_the_password_reset_mail_is_an_outbox_row_delivered_by_the_task(client, candidat, on_commit):
    with on_commit() as callbacks:
        response = client.post(reverse("password_reset"), {"email": candidat.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.get()
    assert row.to == [candidat.email] and row.key.startswith("password_reset:")
    assert "/mot-de-passe/" in row.text_body and len(callbacks) == 1
    assert row.state == OutboundEmailState.ENVOYE and row.attempts == 1  # the task, queued on commit, sent it
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == row.subject


def test_a_password_reset_during_a_mail_server_outage_is_kept_and_sent_later(client, candidat, on_commit, monkeypatch):
    original = EmailMultiAlternatives.send

    def refused(self, *args, **kwargs):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    with on_commit():
        response = client.post(reverse("password_reset"), {"email": candidat.email})
    assert response.status_code == 302  # the page answers: the e-mail waits in the outbox
    row = OutboundEmail.objects.get()
    assert row.state == OutboundEmailState.EN_ATTENTE and "Connection refused" in row.last_error
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    assert outbox.sweep(timezone.now() + datetime.timedelta(hours=1))["sent"] == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [candidat.email]


def test_an_unknown_address_writes_no_row(client, db, on_commit):
    with on_commit():
        client.post(reverse("password_reset"), {"email": "personne@exemple.fr"})
    assert not OutboundEmail.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("known", [False, True])
def test_invitations_are_outbox_rows(client, oemm, candidat, on_commit, known):
    client.force_login(oemm)
    email = candidat.email if known else "nouvelle@exemple.fr"
    with on_commit():
        client.post(
            reverse("oemm_account_invite"),
            {
                "email": email,
                "first_name": "Léa",
                "last_name": "Bernard",
                "role": Role.ORGANISME,
                "organisme": OrganismeFactory().pk,
            },
        )
    row = OutboundEmail.objects.get()
    assert row.to == [email] and row.key.startswith("role_granted:" if known else "invitation:")
    assert row.state == OutboundEmailState.ENVOYE and len(mail.outbox) == 1
