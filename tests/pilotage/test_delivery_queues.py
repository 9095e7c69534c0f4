"""The cockpit's « Envois » queues: e-mails not delivered and documents whose PDF is late (issue 18)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cqp.enums import OutboundEmailState
from cqp.models import OutboundEmail
from cqp.work_queues import get_work_queue


def _email(key, **fields):
    return OutboundEmail.objects.create(
        key=key, to=["claire@exemple.fr"], subject="Objet", text_body="Bonjour", **fields
    )


@pytest.mark.django_db
def test_failed_and_late_emails_are_a_queue_of_the_cockpit(client, oemm):
    now = timezone.now()
    queue = get_work_queue("emails-non-remis")
    today = timezone.localdate()
    assert queue.summarize(today).count == 0
    _email("a", state=OutboundEmailState.EN_ECHEC, attempts=9, failed_at=now)
    _email("b", next_attempt_at=now - datetime.timedelta(hours=2))  # pending, long overdue
    _email("c", next_attempt_at=now)  # pending, on time: not in the queue
    summary = queue.summarize(today)
    assert (summary.count, summary.overdue) == (2, 1)
    assert queue.url() == reverse("oemm_emails")
    client.force_login(oemm)
    page = client.get(reverse("dashboard_oemm")).content.decode()
    assert "E-mails non remis (en échec ou en retard)" in page and reverse("oemm_emails") in page


@pytest.mark.django_db
def test_documents_queue_counts_nothing_without_pending_documents():
    queue = get_work_queue("documents-en-attente")
    assert queue.summarize(timezone.localdate()).count == 0
    assert queue.url() == reverse("jury:list")
