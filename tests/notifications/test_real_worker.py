"""Staff notifications delivered through docker-compose.yml's real workers over Redis and PostgreSQL (skipped without a
broker, like tests/test_celery.py): the immediate e-mail is sent by the mail worker, the digest by the daily job run on
the default worker, each once."""

import time

import pytest

from cqp.enums import NotificationKind, Role
from cqp.outbox_models import OutboundEmail
from notifications import notify
from notifications.models import Notification

from ..factories import user_with_role
from ..test_celery import real_worker, referentiels_committed  # noqa: F401  (fixtures)


def wait_sent(queryset, count, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queryset.filter(state="envoye").count() >= count:
            return list(queryset)
        time.sleep(0.5)
    pytest.fail(f"not sent in {timeout} s: {list(queryset.values_list('key', 'state', 'last_error'))}")


@pytest.mark.worker
def test_immediate_and_digest_notifications_through_real_workers(real_worker, referentiels_committed):  # noqa: F811
    from pilotage.tasks import task_run_daily_job

    oemm, member = user_with_role(Role.OEMM), user_with_role(Role.JURY)
    notify(NotificationKind.LIVRET1_RECEIVED, recipient_ids=[oemm.pk], key="w1", message="Livret 1 reçu de Léa")
    (immediate,) = notify(NotificationKind.JURY_APPOINTED, recipient_ids=[member.pk], key="w2", message="Jury")
    (mail,) = wait_sent(OutboundEmail.objects.filter(key=f"notification:{immediate.pk}"), 1)
    assert mail.to == [member.email]
    task_run_daily_job.delay().get(timeout=120)
    task_run_daily_job.delay().get(timeout=120)  # twice: the digest carried once
    (digest,) = wait_sent(OutboundEmail.objects.filter(key__startswith=f"reminder-digest:{oemm.pk}:"), 1)
    assert "Livret 1 reçu de Léa" in digest.text_body
    assert Notification.objects.get(recipient=oemm).email_key == digest.key
