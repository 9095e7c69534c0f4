"""Reminders keyed by their due date (a moved deadline re-arms them) and recorded in bulk (a constant number of
queries per batch), their e-mails written to the outbox."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from cqp.models import OutboundEmail, Reminder
from pilotage.reminders import email_key
from pilotage.reminders import send_reminders as run_without_sending

from ..factories import OrganismeFactory
from .run import send_reminders

D = dt.date


@pytest.mark.parametrize(
    "first_due, first_run, new_due, second_run, expected",
    [
        # The deadline unchanged: the threshold sent is not sent again.
        (D(2027, 3, 31), D(2026, 12, 31), D(2027, 3, 31), D(2027, 1, 15), None),
        # Moved later, the new date's first threshold not crossed yet: nothing for now.
        (D(2027, 3, 31), D(2026, 12, 31), D(2027, 6, 30), D(2027, 1, 15), None),
        # Moved later, its 3-month threshold crossed: reminded again for the new date.
        (D(2027, 3, 31), D(2026, 12, 31), D(2027, 6, 30), D(2027, 3, 30), "3m"),
        # Moved later after the 1-month reminder: the new date's nearest crossed threshold.
        (D(2027, 3, 31), D(2027, 2, 28), D(2027, 4, 30), D(2027, 3, 31), "1m"),
        # Moved earlier: the new date's 1-month threshold, already crossed.
        (D(2027, 3, 31), D(2026, 12, 31), D(2027, 2, 15), D(2027, 1, 20), "1m"),
        # Moved to a date already past: nothing.
        (D(2027, 3, 31), D(2026, 12, 31), D(2027, 1, 10), D(2027, 1, 20), None),
    ],
)
def test_a_moved_deadline_re_arms_its_reminders(oemm, first_due, first_run, new_due, second_run, expected):
    organisme = OrganismeFactory(name="Institut Alpha", agrement_to=first_due)
    first = send_reminders(first_run)
    assert len(first.sent) == 1
    old = Reminder.objects.get()
    organisme.agrement_to = new_due
    organisme.save()
    second = send_reminders(second_run)
    assert [key[2] for key in second.sent] == ([expected] if expected else [])
    # The reminder of the old date stays recorded as it was.
    assert Reminder.objects.get(pk=old.pk).due_date == first_due and Reminder.objects.get(pk=old.pk).sent_at
    if expected:
        new = Reminder.objects.exclude(pk=old.pk).get()
        assert (new.due_date, new.threshold) == (new_due, expected)
        assert new_due.strftime("%Y") in mail.outbox[-1].body
    assert len(mail.outbox) == 1 + bool(expected)
    assert send_reminders(second_run).sent == []  # and once only


def test_the_email_key_holds_the_due_date(oemm):
    OrganismeFactory(agrement_to=D(2027, 3, 31))
    send_reminders(D(2026, 12, 31))
    reminder, email = Reminder.objects.get(), OutboundEmail.objects.get()
    assert email_key(reminder) == f"reminder:agrement:{reminder.subject_key}:3m:2027-03-31:{oemm.pk}"
    # The OEMM's reminders travel in its digest (pilotage/digest.py), keyed by the reminders it carries.
    assert email.key.startswith(f"reminder-digest:{oemm.pk}:2026-12-31:") and email.to == [oemm.email]


def _queries_for(count, start):
    for i in range(count):
        OrganismeFactory(name=f"Organisme {start + i}", agrement_to=D(2027, 3, 31))
    with TestCase.captureOnCommitCallbacks(execute=False), CaptureQueriesContext(connection) as queries:
        report = run_without_sending(D(2026, 12, 31))
    assert len(report.sent) == count
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [q for q in sql if q.startswith("INSERT")]
    return len(sql) - len(inserts), len(inserts)


def test_recording_reminders_takes_a_constant_number_of_queries(oemm):
    """10 then 100 organismes whose agrément ends: the same number of queries (one batch each)."""
    ten = _queries_for(10, 0)
    Reminder.objects.all().delete()
    OutboundEmail.objects.all().delete()
    from cqp.models import OrganismeFormation

    OrganismeFormation.objects.all().delete()
    hundred = _queries_for(100, 100)
    # reads: the collectors (the créneaux d'entretien's one since issue 21), the existing keys, the recipients, the ids,
    # and the work queues listed in the OEMM's digest
    assert ten[0] == hundred[0] and ten[0] <= 41
    if connection.vendor == "postgresql":
        assert ten[1] == hundred[1] == 2  # one INSERT of the reminders, one of their e-mail (the OEMM's digest)
    else:  # SQLite splits a bulk INSERT by its 999-parameter limit (still one per ~90 rows, not one per row)
        assert hundred[1] <= 2 * (100 * 11 // 999 + 1)
    assert OutboundEmail.objects.count() == 1 and Reminder.objects.count() == 100
