"""The staff told of missed deadlines (notifications/missed.py, run by the daily job) in a constant number of queries
per batch of deadlines, not per deadline: the same count for 12 and 60 missed deadlines."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Dossier
from cqp.enums import NotificationKind
from notifications.missed import notify_missed_deadlines
from notifications.models import Notification
from pilotage.volume import seed_volume


def quiet(*args):
    pass


def missed_on(day):
    """Every dossier awaiting its first jury missed it 3 days before ``day``; the queries to notify them."""
    Dossier.objects.awaiting_first_jury().update(first_jury_deadline=day - datetime.timedelta(days=3))
    with CaptureQueriesContext(connection) as ctx:
        created = notify_missed_deadlines(day)
    return created, len(ctx.captured_queries)


def test_missed_deadlines_are_notified_in_a_constant_number_of_queries(referentiels, oemm):
    today = timezone.localdate()
    seed_volume(candidates=12, log=quiet, light=True)
    small_created, small = missed_on(today)
    seed_volume(candidates=48, log=quiet, light=True)
    large_created, large = missed_on(today + datetime.timedelta(days=1))
    assert 0 < small_created < large_created
    assert small == large, (small, large)
    assert small <= 20
    # One notification per staff member and deadline, and a second pass the same day notifies nobody again.
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE_MISSED, recipient=oemm).count() == (
        small_created + large_created
    )
    assert notify_missed_deadlines(today + datetime.timedelta(days=1)) == 0
