"""The daily digest carries the notifications not e-mailed at once, combined with the OEMM's reminders (one e-mail a
day per person), each notification once even when the job runs twice; missed deadlines told by the daily job."""

import datetime as dt

from candidates import workflow as dossier_workflow
from cqp.enums import NotificationKind, Role
from cqp.models import Reminder
from cqp.outbox_models import OutboundEmail
from notifications import notify
from notifications.enums import Delivery
from notifications.models import Notification, NotificationPreference
from pilotage.daily import run_daily_job
from referentiels.models import Certification
from vae.models import Livret1

from ..factories import user_with_role

D = dt.date


def digests(user):
    return list(OutboundEmail.objects.filter(key__startswith=f"reminder-digest:{user.pk}:"))


def test_a_notification_waits_for_the_digest_and_is_carried_once(staff):
    oemm = staff["all"]
    notify(NotificationKind.LIVRET2_RECEIVED, recipient_ids=[oemm.pk], key="e1", message="Livret 2 envoyé par Léa")
    run_daily_job(D(2026, 11, 2))
    (email,) = digests(oemm)
    assert "Livret 2 envoyé par Léa" in email.text_body and "Livret 2 envoyé par Léa" in email.html_body
    assert email.subject == "CQP Mutualité : Livret 2 envoyé par Léa"
    notification = Notification.objects.get(recipient=oemm)
    assert notification.emailed_at and notification.email_key == email.key
    run_daily_job(D(2026, 11, 2))  # the job run twice: nothing sent twice
    run_daily_job(D(2026, 11, 3))  # nor the next day
    assert digests(oemm) == [email]


def test_the_oemm_gets_one_digest_with_reminders_and_notifications(referentiels, staff, candidat):
    oemm = staff["mutualite"]
    dossier = dossier_workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="gpac"))
    Livret1.objects.create(
        dossier=dossier, referentiel=dossier.version, state="soumis", received_on=D(2026, 9, 1),
        instruction_deadline=D(2026, 11, 5),
    )  # fmt: skip
    notify(NotificationKind.LIVRET1_RECEIVED, recipient_ids=[oemm.pk], key="e2", message="Livret 1 reçu de Léa")
    run_daily_job(D(2026, 11, 2))
    (email,) = digests(oemm)  # one e-mail, not a digest of reminders and another of notifications
    assert dossier.number in email.text_body and "Livret 1 reçu de Léa" in email.text_body
    assert Reminder.objects.filter(recipient=oemm).count() == 1
    assert Notification.objects.get(recipient=oemm).email_key == email.key
    run_daily_job(D(2026, 11, 2))
    assert digests(oemm) == [email]


def test_someone_who_chose_the_digest_gets_one_and_no_immediate_email(referentiels):
    member = user_with_role(Role.JURY)
    NotificationPreference.objects.create(user=member, delivery=Delivery.DIGEST)
    for key in ("a", "b"):
        notify(NotificationKind.JURY_APPOINTED, recipient_ids=[member.pk], key=key, message=f"Session {key}")
    assert not OutboundEmail.objects.exists()
    run_daily_job(D(2026, 11, 2))
    (email,) = digests(member)
    assert (
        "Session a" in email.text_body and "Session b" in email.text_body and "files de travail" not in email.text_body
    )


def test_an_oemm_person_who_chose_immediate_gets_it_at_once(staff):
    oemm = staff["all"]
    NotificationPreference.objects.create(user=oemm, delivery=Delivery.IMMEDIATE)
    (notification,) = notify(NotificationKind.LIVRET1_RECEIVED, recipient_ids=[oemm.pk], key="c", message="Reçu")
    assert OutboundEmail.objects.filter(key=f"notification:{notification.pk}", to=[oemm.email]).exists()
    run_daily_job(D(2026, 11, 2))
    assert digests(oemm) == []  # already e-mailed: no digest for it


def test_a_missed_deadline_is_told_to_the_certifiers_staff_once(referentiels, staff, candidat):
    dossier = dossier_workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="gpac"))
    Livret1.objects.create(
        dossier=dossier, referentiel=dossier.version, state="soumis", received_on=D(2026, 9, 1),
        instruction_deadline=D(2026, 11, 1),
    )  # fmt: skip
    assert run_daily_job(D(2026, 11, 1))["missed_notified"] == 0  # the deadline is today: not missed yet
    assert run_daily_job(D(2026, 11, 2))["missed_notified"] == 2
    missed = Notification.objects.filter(kind=NotificationKind.DEADLINE_MISSED)
    assert sorted(missed.values_list("recipient_id", flat=True)) == sorted([staff["all"].pk, staff["mutualite"].pk])
    assert "1er novembre 2026" in missed.first().message and missed.first().dossier == dossier
    assert run_daily_job(D(2026, 11, 3))["missed_notified"] == 0  # still missed: told once
    # Carried by the same day's digest as the rest.
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE_MISSED, emailed_at__isnull=True).count() == 0
