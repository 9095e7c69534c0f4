"""The reminders job as the tests run it: its e-mails are written to the outbox and sent when each batch commits; the
tests' transaction never commits, so the commit callbacks (the sending tasks, eager) run when the job returns."""

from django.test import TestCase

from pilotage.reminders import send_reminders as _send_reminders


def send_reminders(*args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _send_reminders(*args, **kwargs)
