"""The login records of django-axes are deleted after LOGIN_LOG_RETENTION_DAYS, by the daily job."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.utils import timezone

from cqp.login_logs import purge_login_logs
from pilotage.daily import run_daily_job

NOW = datetime.datetime(2026, 11, 24, 3, tzinfo=datetime.UTC)


def _log(model, days_ago=0, **extra):
    row = model.objects.create(username="claire@exemple.fr", ip_address="192.0.2.1", user_agent="Firefox", **extra)
    model.objects.filter(pk=row.pk).update(attempt_time=NOW - datetime.timedelta(days=days_ago))
    return row


@pytest.mark.parametrize("days_ago, kept", [(0, True), (89, True), (90, False), (400, False)])
def test_login_records_are_kept_for_the_retention_period_only(db, settings, days_ago, kept):
    settings.LOGIN_LOG_RETENTION_DAYS = 90
    log = _log(AccessLog)
    attempt = _log(AccessAttempt, days_ago, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=NOW - datetime.timedelta(days=days_ago))
    assert purge_login_logs(NOW) == (0 if kept else 2)
    assert AccessLog.objects.filter(pk=log.pk).exists() is kept
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists() is kept


def _log_at(days_ago):
    return _log(AccessLog, days_ago)


def test_the_daily_job_purges_the_login_records(db, settings):
    settings.LOGIN_LOG_RETENTION_DAYS = 30
    old, recent = _log_at(31), _log_at(2)
    with time_machine.travel(NOW, tick=False):
        result = run_daily_job(timezone.localdate())
    assert result["login_logs_deleted"] == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessLog.objects.filter(pk=old.pk).exists()
