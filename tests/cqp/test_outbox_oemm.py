"""The OEMM's « E-mails non remis » page (pilotage/outbox_views.py), the resend, and the admins' daily summary
(cqp/outbox_report.py)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cqp import outbox
from cqp.enums import OutboundEmailState
from cqp.models import OutboundEmail
from cqp.outbox_report import send_failure_report
from pilotage.daily import run_daily_job


def _failed(n=1, *, key="echec", failed_at=None, **extra):
    rows = []
    for i in range(n):
        pk = outbox.enqueue(key=f"{key}:{i}", to=[f"personne{i}@exemple.fr"], subject=f"Objet {i}", text="Bonjour")
        OutboundEmail.objects.filter(pk=pk).update(
            state=OutboundEmailState.EN_ECHEC,
            attempts=9,
            last_error="ConnectionRefusedError : [Errno 111] Connection refused",
            failed_at=failed_at or timezone.now(),
            next_attempt_at=None,
            **extra,
        )
        rows.append(OutboundEmail.objects.get(pk=pk))
    return rows


def test_the_page_lists_failed_emails_with_their_error(client, oemm):
    (email,) = _failed()
    client.force_login(oemm)
    response = client.get(reverse("oemm_emails"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "personne0@exemple.fr" in page and "Objet 0" in page and "Connection refused" in page
    assert reverse("oemm_email_resend", args=[email.pk]) in page and "Tout renvoyer" in page


def test_the_late_view_lists_pending_emails_overdue(client, oemm, settings):
    settings.OUTBOX_LATE_SECONDS = 120
    pk = outbox.enqueue(key="late", to=["tard@exemple.fr"], subject="En retard", text="Bonjour")
    OutboundEmail.objects.filter(pk=pk).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=2))
    outbox.enqueue(key="fresh", to=["frais@exemple.fr"], subject="Tout frais", text="Bonjour")
    client.force_login(oemm)
    page = client.get(reverse("oemm_emails"), {"vue": "retard"}).content.decode()
    assert "tard@exemple.fr" in page and "frais@exemple.fr" not in page


@pytest.mark.parametrize("query", [{}, {"vue": "inconnue"}, {"vue": "\x00"}, {"page": "²"}])
def test_empty_state_and_hostile_parameters(client, oemm, query):
    client.force_login(oemm)
    response = client.get(reverse("oemm_emails"), query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "Aucun e-mail en échec" in response.content.decode()


def test_the_page_query_count_does_not_grow_with_the_rows(client, oemm, django_assert_max_num_queries):
    client.force_login(oemm)
    _failed(1, key="a")
    client.get(reverse("oemm_emails"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("oemm_emails"))
    _failed(20, key="b")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("oemm_emails"))


def test_resend_sends_it_and_is_audited(client, oemm, on_commit):
    (email,) = _failed()
    client.force_login(oemm)
    with on_commit():
        response = client.post(reverse("oemm_email_resend", args=[email.pk]))
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.state == OutboundEmailState.ENVOYE and len(mail.outbox) == 1
    assert email.history.filter(history_user=oemm, history_change_reason__startswith="renvoyé").exists()
    # Sent meanwhile (a second tab): refused with the reason, nothing sent twice.
    response = client.post(reverse("oemm_email_resend", args=[email.pk]), follow=True)
    assert "déjà « Envoyé »" in response.content.decode() and len(mail.outbox) == 1


def test_resend_all(client, oemm, on_commit):
    _failed(3)
    client.force_login(oemm)
    with on_commit():
        response = client.post(reverse("oemm_emails_resend_all"), follow=True)
    assert "3 e-mails en échec renvoyés" in response.content.decode()
    assert len(mail.outbox) == 3 and outbox.failed_count() == 0


def test_an_unknown_email_is_a_404(client, oemm):
    client.force_login(oemm)
    assert client.post(reverse("oemm_email_resend", args=[999999])).status_code == 404


def test_outsiders_cannot_see_or_resend(client, candidat, organisme_user):
    (email,) = _failed()
    for user in (candidat, organisme_user):
        client.force_login(user)
        assert client.get(reverse("oemm_emails")).status_code == 403
        assert client.post(reverse("oemm_email_resend", args=[email.pk])).status_code == 403
    email.refresh_from_db()
    assert email.state == OutboundEmailState.EN_ECHEC


def test_the_daily_summary_goes_to_the_admins_and_does_not_loop(db, settings, oemm, on_commit):
    settings.ADMINS = [("Exploitation", "exploitation@exemple.fr")]
    now = timezone.now()
    _failed(2, key="today")
    _failed(1, key="old", failed_at=now - datetime.timedelta(days=3))
    with on_commit():
        pk = send_failure_report(now=now)
    report = OutboundEmail.objects.get(pk=pk)
    assert report.is_failure_report and report.to == ["exploitation@exemple.fr"]
    (message,) = mail.outbox
    assert "2 e-mails non remis" in message.subject and "Objet 0" in message.body and "Objet 1" in message.body
    assert "personne0@exemple.fr" not in message.body  # no recipient's address in the summary
    assert send_failure_report(now=now) == pk  # once a day
    # The summary itself failing is not summarised the next day: no summary of summaries.
    OutboundEmail.objects.exclude(pk=pk).delete()
    OutboundEmail.objects.filter(pk=pk).update(state=OutboundEmailState.EN_ECHEC, failed_at=now)
    assert send_failure_report(now=now + datetime.timedelta(hours=1)) is None


def test_without_admins_the_oemm_gets_the_summary(db, settings, oemm):
    settings.ADMINS = []
    _failed()
    report = OutboundEmail.objects.get(pk=send_failure_report())
    assert report.to == [oemm.email]


def test_no_failure_no_summary(db, settings):
    settings.ADMINS = [("Exploitation", "exploitation@exemple.fr")]
    assert send_failure_report() is None and not OutboundEmail.objects.exists()


def test_the_daily_job_sends_the_summary(db, settings, on_commit):
    settings.ADMINS = [("Exploitation", "exploitation@exemple.fr")]
    _failed()
    with on_commit():
        result = run_daily_job(timezone.localdate())
    assert result["failure_report"] is True
    assert [m.to for m in mail.outbox] == [["exploitation@exemple.fr"]]
