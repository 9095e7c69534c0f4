import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cqp.enums import Role
from cqp.models import Reminder

from ..factories import OrganismeFactory, user_with_role
from .run import send_reminders

D = dt.date


@pytest.fixture
def organisme(db):
    return OrganismeFactory(name="Institut Alpha", agrement_from=D(2024, 1, 1), agrement_to=D(2027, 3, 31))


def test_agrement_reminder_is_sent_once_to_each_oemm(organisme, oemm, admin_user):
    report = send_reminders(D(2026, 12, 31))  # 3 months before 31 March
    assert len(report.sent) == 1 and mail.outbox[0].to == [oemm.email]
    assert "Institut Alpha" in mail.outbox[0].subject and "31 mars 2027" in mail.outbox[0].body
    assert mail.outbox[0].alternatives
    assert send_reminders(D(2026, 12, 31)).sent == []  # twice: nothing twice
    assert send_reminders(D(2027, 1, 15)).sent == []  # same threshold later: nothing
    assert len(send_reminders(D(2027, 2, 28)).sent) == 1  # the 1-month threshold
    assert len(mail.outbox) == 2


def test_a_missed_day_catches_up_with_the_nearest_threshold_only(organisme, oemm):
    report = send_reminders(D(2027, 3, 1))  # both 3m and 1m crossed, none sent
    assert len(report.sent) == 1
    assert Reminder.objects.get().threshold == "1m"
    assert send_reminders(D(2027, 3, 2)).sent == []


def test_nothing_after_the_deadline_and_nothing_too_early(organisme, oemm):
    assert send_reminders(D(2026, 12, 30)).sent == []
    assert send_reminders(D(2027, 4, 1)).sent == []
    assert not mail.outbox


def test_a_mail_server_failure_on_one_digest_does_not_stop_the_others(organisme, oemm, monkeypatch, caplog):
    """The job records the reminders and writes their e-mails to the outbox (one digest per OEMM person); an e-mail
    the mail server refuses is retried by the outbox (cqp/outbox.py), the others are sent, and the reminders are not
    recorded twice."""
    import datetime

    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from cqp.enums import OutboundEmailState
    from cqp.models import OutboundEmail
    from cqp.outbox import sweep

    OrganismeFactory(name="Institut Beta", agrement_to=D(2027, 3, 31))
    second = user_with_role(Role.OEMM)
    real = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("SMTP indisponible")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    report = send_reminders(D(2026, 12, 31))
    assert len(report.sent) == 4 and report.failed == [] and len(mail.outbox) == 1  # two digests, one refused
    waiting = OutboundEmail.objects.get(state=OutboundEmailState.EN_ATTENTE)
    assert waiting.attempts == 1 and "SMTP indisponible" in waiting.last_error
    assert oemm.email not in caplog.text and second.email not in caplog.text
    assert send_reminders(D(2027, 1, 1)).sent == []  # recorded: not again
    assert sweep(timezone.now() + datetime.timedelta(hours=1))["sent"] == 1
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 4


def test_dry_run_records_nothing_and_the_command_prints(organisme, oemm, capsys):
    call_command("send_reminders", "--dry-run", "--date", "2026-12-31")
    out = capsys.readouterr().out
    assert "Agrément de Institut Alpha" in out and "1 rappel(s) seraient envoyés" in out
    assert not Reminder.objects.exists() and not mail.outbox
    call_command("send_reminders", "--date", "2026-12-31")
    assert "1 rappel(s) envoyé(s)" in capsys.readouterr().out


def test_bad_date_is_refused(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("send_reminders", "--date", "31/12/2026")


def test_each_person_sees_the_reminders_they_were_sent(client, organisme, oemm, candidat):
    send_reminders(D(2026, 12, 31))
    client.force_login(oemm)
    page = client.get(reverse("my_reminders")).content.decode()
    assert "Agrément de Institut Alpha" in page
    client.force_login(candidat)
    page = client.get(reverse("my_reminders")).content.decode()
    assert "Aucun rappel" in page
    client.logout()
    assert client.get(reverse("my_reminders")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(oemm):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent row locks need PostgreSQL")
    for _ in range(20):
        OrganismeFactory(agrement_to=D(2027, 3, 31))
    results = []

    def run():
        from django.db import connections

        try:
            results.append(send_reminders(D(2026, 12, 31)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [len(r.failed) for r in results] == [0, 0]
    # Both runs may count a reminder the other recorded at the same time; it is recorded once and the OEMM's digest,
    # keyed by the reminders it carries, is sent once.
    assert 20 <= sum(len(r.sent) for r in results) <= 40
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 20


@pytest.fixture
def gpac(referentiels):
    from referentiels.models import Certification

    return Certification.objects.get(code="gpac")


def test_first_jury_reminders_go_to_candidate_oemm_and_company(gpac, candidat, oemm, entreprise_user):
    from candidates import workflow

    with time_machine.travel(dt.datetime(2024, 5, 10, 10), tick=False):
        vae = workflow.register_vae(candidate=candidat, certification=gpac)
        formation = workflow.register_employee(
            by=entreprise_user,
            entreprise=entreprise_user.roles.get().entreprise,
            email="s@exemple.fr",
            first_name="S",
            last_name="A",
            certification=gpac,
        )
    mail.outbox.clear()
    # 6 months before 10 May 2027.
    report = send_reminders(D(2026, 11, 10))
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(report.sent) == 5
    # the OEMM gets one digest for both dossiers
    assert recipients == sorted([candidat.email, oemm.email, "s@exemple.fr", entreprise_user.email])
    assert all("10 mai 2027" in m.body for m in mail.outbox)
    digest = next(m for m in mail.outbox if m.to == [oemm.email])
    assert "2 échéances à suivre" in digest.subject
    assert Reminder.objects.filter(subject_key=f"dossier:{vae.pk}", recipient=candidat, threshold="6m").exists()
    assert send_reminders(D(2026, 11, 11)).sent == []
    # A closed dossier is not reminded.
    workflow.close(formation, by=oemm, reason="Abandon")
    mail.outbox.clear()
    send_reminders(D(2027, 2, 10))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([candidat.email, oemm.email])


def test_the_oemm_digest_groups_reminders_and_links_the_queues(organisme, oemm):
    """Three agréments due: one e-mail, three reminders, the agréments queue linked."""
    OrganismeFactory(name="Institut Beta", agrement_to=D(2027, 3, 31))
    OrganismeFactory(name="Institut Delta", agrement_to=D(2027, 3, 31))
    report = send_reminders(D(2026, 12, 31))
    assert len(report.sent) == 3 and len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert all(name in body for name in ("Institut Alpha", "Institut Beta", "Institut Delta"))
    assert "3 échéances à suivre" in mail.outbox[0].subject
    assert "Agréments échus ou échéant sous 3 mois : 3" in body and "/oemm/files/agrements-a-renouveler/" in body
    html = mail.outbox[0].alternatives[0][0]
    assert "Institut Beta" in html
    assert send_reminders(D(2026, 12, 31)).sent == [] and len(mail.outbox) == 1
