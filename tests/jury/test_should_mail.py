"""When a run of a document task queues the document's e-mail (jury/documents.py, REQUEUE_WINDOW)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches

from cqp.mail import _sent_marker
from jury.documents import REQUEUE_WINDOW, should_mail

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "mailed_at, sent, expected",
    [
        (None, False, True),  # first run: the e-mail goes
        (None, True, True),  # no mailed_at is authoritative
        (NOW - timedelta(minutes=1), False, True),  # committed, then killed before queueing: queued again
        (NOW - timedelta(minutes=1), True, False),  # already handed to the mail server
        (NOW - REQUEUE_WINDOW + timedelta(seconds=1), False, True),
        (NOW - REQUEUE_WINDOW, False, False),  # long ago: sent then, its record may have expired
        (NOW - timedelta(days=40), False, False),
    ],
)
def test_should_mail(db, mailed_at, sent, expected):
    key = "jury_decision:test"
    if sent:
        caches["idempotence"].set(_sent_marker(key), 1, 60)
    assert should_mail(mailed_at, key, NOW) is expected
