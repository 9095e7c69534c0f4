"""Each certifier's reminders leave under its own sender (fixtures/certifiers.yaml: reminder_sender_name/email): a
Ucanss dossier's reminder comes from the Ucanss, a Mutualité one from the platform's address under the OEMM's name."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from candidates import workflow
from cqp.models import OutboundEmail
from referentiels.models import Certification, Certifier

from ..factories import user_with_role
from .run import send_reminders


@pytest.mark.parametrize(
    "code, sender",
    [
        ("cos", "Ucanss — service formation <formation@ucanss.fr>"),
        ("gpac", "OEMM — CQP Mutualité <ne-pas-repondre@cqp-mutualite.fr>"),
    ],
)
def test_a_reminder_leaves_under_its_certifier_s_sender(referentiels, settings, code, sender):
    settings.DEFAULT_FROM_EMAIL = "CQP Mutualité <ne-pas-repondre@cqp-mutualite.fr>"
    candidate = user_with_role("candidat")
    with time_machine.travel(dt.datetime(2024, 5, 10, 10), tick=False):
        dossier = workflow.register_vae(candidate=candidate, certification=Certification.objects.get(code=code))
    mail.outbox.clear()
    send_reminders(dt.date(2026, 11, 10))  # 6 months before the first jury's deadline
    (message,) = [m for m in mail.outbox if m.to == [candidate.email]]  # the reminder (registration mail cleared)
    assert message.from_email == sender
    assert message.message()["From"]  # a valid header, encoded by Django
    row = OutboundEmail.objects.get(to=[candidate.email], key__startswith="reminder:")
    assert row.from_email == sender and dossier.number in message.body


def test_without_its_own_address_a_certifier_uses_the_platform_s(referentiels, settings):
    settings.DEFAULT_FROM_EMAIL = "Plateforme <envoi@exemple.fr>"
    ucanss = Certifier.objects.get(code="ucanss")
    ucanss.reminder_sender_email = ""
    assert ucanss.reminder_from() == "Ucanss — service formation <envoi@exemple.fr>"
    ucanss.reminder_sender_name = ""
    assert ucanss.reminder_from() == "Ucanss <envoi@exemple.fr>"
