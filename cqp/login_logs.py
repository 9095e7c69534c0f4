"""Retention of the login records kept by django-axes (addresses, IPs, browsers): personal data, kept only as long as
an investigation of a suspicious login may need them (LOGIN_LOG_RETENTION_DAYS), then deleted by the daily job."""

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone


def purge_login_logs(now=None) -> int:
    """Delete the login records older than the retention period; return how many rows went."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
    deleted = 0
    deleted += AccessLog.objects.filter(attempt_time__lte=limit).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lte=limit).delete()[0]
    # A lock lasts AXES_COOLOFF_TIME (15 min): an attempt record that old no longer locks anything.
    deleted += AccessAttempt.objects.filter(attempt_time__lte=limit).delete()[0]
    return deleted
