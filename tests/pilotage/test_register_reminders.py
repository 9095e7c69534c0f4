"""The register reminds the OEMM before the three-month due date: a holder not yet transmitted to the Caisse des
Dépôts (« à transmettre », or exported but not confirmed), one month and one week before, in the daily digest."""

import datetime

import pytest

from cqp.enums import ReminderKind
from cqp.models import Reminder
from cqp.outbox_models import OutboundEmail
from pilotage.models import HolderRecord, RegisterState, TransmissionBatch
from pilotage.register.sync import sync_register
from pilotage.reminder_rules import THRESHOLDS, current_threshold
from pilotage.reminders import send_reminders
from tests.jury.conftest import at

from .test_register import _sign

KIND = ReminderKind.HOLDER_TRANSMISSION
DUE = datetime.date(2027, 2, 23)  # decision signed on 23 November 2026, due three months later


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 11, 24), None),  # the day after the decision: nothing yet
        (datetime.date(2027, 1, 22), None),  # the day before « 1 month before »
        (datetime.date(2027, 1, 23), "1m"),  # one month before
        (datetime.date(2027, 2, 15), "1m"),
        (datetime.date(2027, 2, 16), "7d"),  # one week before
        (datetime.date(2027, 2, 23), "7d"),  # the due date itself
        (datetime.date(2027, 2, 24), None),  # late: the register's « en retard » count shows it, no reminder
    ],
)
def test_thresholds_before_the_three_month_due_date(today, expected):
    assert THRESHOLDS[KIND] == ["1m", "7d"]
    assert current_threshold(DUE, THRESHOLDS[KIND], today) == expected


def _signed_holder(members, open_session_with):
    session, candidates = open_session_with(("gpac", None))
    with at(2026, 11, 23, 11):
        _sign(session, candidates[0], members)
        sync_register()
    record = HolderRecord.objects.get()
    assert record.due_on == DUE
    return record, candidates[0].dossier


def _reminders():
    return list(Reminder.objects.filter(kind=KIND).order_by("pk").values_list("threshold", "recipient_id"))


def _digests():
    return OutboundEmail.objects.filter(key__startswith="reminder-digest:")


def test_a_holder_not_transmitted_is_in_the_oemm_digest_a_month_then_a_week_before(
    client, referentiels, oemm, members, open_session_with
):
    record, dossier = _signed_holder(members, open_session_with)
    with at(2027, 1, 10):
        send_reminders(datetime.date(2027, 1, 10))
    assert _reminders() == []
    # exported in a batch, its transmission not yet confirmed: still reminded
    with at(2027, 1, 20):
        client.force_login(oemm)
        assert client.post("/oemm/registre/exporter/", {"format": "csv"}).status_code == 200
    record.refresh_from_db()
    assert record.state == RegisterState.EXPORTE

    with at(2027, 1, 23, 7):
        send_reminders(datetime.date(2027, 1, 23))
        send_reminders(datetime.date(2027, 1, 23))  # run twice: sent once
    assert _reminders() == [("1m", oemm.pk)]
    digest = _digests().get()
    assert digest.to == [oemm.email]
    assert "Transmission d'un titulaire à la Caisse des Dépôts" in digest.text_body
    assert dossier.number in digest.text_body and "23 février 2027" in digest.text_body
    assert "/oemm/registre/?etat=exporte" in digest.text_body
    reminder = Reminder.objects.get(kind=KIND)
    assert reminder.subject_key == f"titulaire:{record.pk}" and reminder.due_date == DUE

    with at(2027, 2, 16, 7):
        send_reminders(datetime.date(2027, 2, 16))
    assert _reminders() == [("1m", oemm.pk), ("7d", oemm.pk)]
    assert _digests().count() == 2


def test_a_transmitted_holder_is_not_reminded(client, referentiels, oemm, members, open_session_with):
    record, _ = _signed_holder(members, open_session_with)
    with at(2027, 1, 5):
        client.force_login(oemm)
        client.post("/oemm/registre/exporter/", {"format": "csv"})
        client.post(f"/oemm/registre/lots/{TransmissionBatch.objects.get().pk}/transmis/")
    record.refresh_from_db()
    assert record.state == RegisterState.TRANSMIS
    for day in (datetime.date(2027, 1, 23), datetime.date(2027, 2, 16), DUE):
        with at(day.year, day.month, day.day, 7):
            report = send_reminders(day)
        assert not [key for key in report.sent if key[0] == KIND]
    assert _reminders() == []
    assert not _digests().filter(text_body__contains=record.dossier.number).exists()
