"""Each event told to the right people, once: the workflow functions publish on commit (cqp/staff_events.py), the
notifications app builds the notifications (notifications/events.py). The person who acts is not told."""

import datetime

import pytest
from django.urls import reverse

from candidates import workflow as dossier_workflow
from cqp.enums import NotificationKind, Role
from cqp.outbox_models import OutboundEmail
from cqp.staff_events import dispatch
from jury import workflow as jury_workflow
from notifications.models import Notification
from referentiels.models import Certification
from vae import workflow as vae_workflow
from vae.workflow import accompagnement

from ..factories import user_with_role, validated_entretien
from ..jury.conftest import all_units, at, planned_session, ready_dossier
from ..vae.conftest import complete


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def register(candidate, code="cos", organisme=None):
    certification = Certification.objects.get(code=code)
    dossier = dossier_workflow.register_vae(
        candidate=candidate,
        certification=certification,
        mention=certification.current_version.mentions.first(),
        organisme=organisme,
    )
    if dossier.version.entretien_before_livret1:  # the entretien d'accueil comes first (seeds 001 to 003)
        validated_entretien(dossier)
    return dossier


@pytest.mark.parametrize(
    ("code", "expected"),
    [("cos", ["all", "ucanss"]), ("gpac", ["all", "mutualite"])],
)
def test_a_livret1_sent_tells_its_certifiers_staff(staff, candidat, on_commit, code, expected):
    dossier = register(candidat, code)
    livret = complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    with on_commit():
        vae_workflow.submit_livret1(livret, by=candidat)
    assert told(NotificationKind.LIVRET1_RECEIVED) == sorted(staff[name].pk for name in expected)
    notification = Notification.objects.filter(recipient=staff["all"]).get()
    assert notification.dossier == dossier and str(candidat) in notification.message
    assert notification.url == f"/vae/{dossier.number}/livret1/instruction/"
    # The same event dispatched again (a retried callback): nobody is told twice.
    dispatch(NotificationKind.LIVRET1_RECEIVED, livret1=livret.pk)
    assert len(told(NotificationKind.LIVRET1_RECEIVED)) == len(expected)


def test_nothing_is_told_when_the_change_is_rolled_back(staff, candidat, django_capture_on_commit_callbacks):
    dossier = register(candidat)
    livret = complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vae_workflow.submit_livret1(livret, by=candidat)
    assert callbacks and not Notification.objects.exists()  # told only once the transaction commits


def test_a_livret2_sent_tells_the_staff(staff, candidat, on_commit):
    from ..vae.livret2_support import fill

    dossier = register(candidat)
    livret1 = complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    vae_workflow.submit_livret1(livret1, by=candidat)
    vae_workflow.declare_recevable(livret1, by=staff["all"])
    dossier.refresh_from_db()
    livret2 = fill(vae_workflow.start_livret2(dossier, by=candidat), candidat)
    with on_commit():
        vae_workflow.submit_livret2(livret2, by=candidat)
    assert told(NotificationKind.LIVRET2_RECEIVED) == sorted([staff["all"].pk, staff["ucanss"].pk])


def test_the_livret_evaluation_transmitted_tells_the_staff(staff, referentiels):
    candidate = user_with_role(Role.CANDIDAT)
    dossier = register(candidate, "gpac")
    dispatch(NotificationKind.LIVRET_EVALUATION_RECEIVED, dossier=dossier.pk)
    assert told(NotificationKind.LIVRET_EVALUATION_RECEIVED) == sorted([staff["all"].pk, staff["mutualite"].pk])


def test_the_chosen_centre_is_told(staff, candidat, centre_member, on_commit):
    other = user_with_role(Role.ORGANISME)
    with on_commit():
        dossier = register(candidat, organisme=centre_member.roles.get().organisme)
    assert told(NotificationKind.CENTRE_CHOSEN) == [centre_member.pk]
    assert Notification.objects.get().url == dossier.get_absolute_url()
    with on_commit():
        register(user_with_role(Role.CANDIDAT))  # no centre chosen: nobody told
    assert not Notification.objects.filter(recipient=other).exists() and Notification.objects.count() == 1


def test_an_accompagnement_request_tells_the_centre_in_the_app(staff, candidat, centre_member, on_commit):
    dossier = register(candidat)
    with on_commit():
        accompagnement.request_accompagnement(dossier, by=candidat, organisme=centre_member.roles.get().organisme)
    assert told(NotificationKind.ACCOMPAGNEMENT_REQUESTED) == [centre_member.pk]


def test_appointed_members_are_told_once_each(referentiels, oemm, members, on_commit):
    with at(2026, 9, 1), on_commit():
        session = planned_session(by=oemm, codes=["cos"], members=members)
    assert told(NotificationKind.JURY_APPOINTED) == sorted(m.pk for m in members.values())
    assert set(Notification.objects.values_list("session_id", flat=True)) == {session.pk}


def test_members_are_told_when_every_candidate_is_convoked(referentiels, oemm, members, on_commit):
    with at(2026, 9, 1):
        first, second = ready_dossier("cos", by=oemm), ready_dossier("cos", by=oemm)
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[first, second])
    c1, c2 = session.ordered_candidates()
    with at(2026, 9, 1, 10, 0), on_commit():
        jury_workflow.convoke(c1, by=oemm)
    assert told(NotificationKind.SESSION_DOSSIERS_READY) == []  # one candidate still to convoke
    with at(2026, 9, 1, 10, 5), on_commit():
        jury_workflow.convoke(c2, by=oemm)
    assert told(NotificationKind.SESSION_DOSSIERS_READY) == sorted(m.pk for m in members.values())


def test_the_president_is_told_a_fiche_awaits_signature(open_session_with, members, on_commit):
    session, (first, second) = open_session_with(("cos", None), ("cos", None))
    with at(2026, 11, 23, 10, 0), on_commit():
        jury_workflow.record_deliberation(first, by=members["emp2"], decisions=all_units(first))
    assert told(NotificationKind.FICHE_TO_SIGN) == [members["emp1"].pk]
    notification = Notification.objects.get(kind=NotificationKind.FICHE_TO_SIGN)
    assert notification.url == first.get_absolute_url() and notification.session == session
    # Deliberated by the president: they are not told what they just did.
    with at(2026, 11, 23, 10, 30), on_commit():
        jury_workflow.record_deliberation(second, by=members["emp1"], decisions=all_units(second))
    assert told(NotificationKind.FICHE_TO_SIGN) == [members["emp1"].pk]


def test_immediate_delivery_writes_one_email_per_notification(staff, candidat, centre_member, on_commit):
    with on_commit():
        register(candidat, organisme=centre_member.roles.get().organisme)
    notification = Notification.objects.get()
    email = OutboundEmail.objects.get(key=f"notification:{notification.pk}")
    assert email.to == [centre_member.email] and "choisi votre organisme" in email.text_body
    assert notification.emailed_at and notification.email_key == email.key
    dispatch(NotificationKind.CENTRE_CHOSEN, dossier=notification.dossier_id)
    assert OutboundEmail.objects.filter(key__startswith="notification:").count() == 1


def test_the_staff_wait_for_their_digest_by_default(staff, candidat, on_commit):
    dossier = register(candidat)
    livret = complete(vae_workflow.start_livret1(dossier, by=candidat), candidat)
    with on_commit():
        vae_workflow.submit_livret1(livret, by=candidat)
    assert Notification.objects.count() == 2 and not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert not OutboundEmail.objects.filter(key__startswith="notification:").exists()


# ------------------------------------------------------------------------------------------------ taken off a session


def test_a_member_taken_off_the_jury_is_told_once_and_not_sent_to_the_session(referentiels, oemm, members, on_commit):
    with at(2026, 9, 1), on_commit():
        session = planned_session(by=oemm, codes=["cos"], members=members)
    seat = session.members.get(user=members["emp1"])
    with at(2026, 9, 2), on_commit():
        jury_workflow.remove_member(seat, by=oemm)
    notification = Notification.objects.get(kind=NotificationKind.JURY_MEMBER_REMOVED)
    assert notification.recipient == members["emp1"] and notification.session == session
    assert notification.message.startswith("Vous ne siégez plus au jury de la session du 23 novembre 2026")
    assert notification.url == "/"  # not the session's page, no longer theirs
    email = OutboundEmail.objects.get(key=f"notification:{notification.pk}")  # a jury member: at once
    assert email.to == [members["emp1"].email] and "ne siégez plus" in email.text_body
    # Appointed again, then taken off again: a new seat, told again.
    with at(2026, 9, 3), on_commit():
        jury_workflow.remove_member(jury_workflow.add_member(session, by=oemm, user=members["emp1"]), by=oemm)
    assert told(NotificationKind.JURY_MEMBER_REMOVED) == [members["emp1"].pk] * 2


def test_the_members_are_told_a_new_date_time_or_place_not_a_new_capacity(referentiels, oemm, members, on_commit):
    with at(2026, 9, 1), on_commit():
        session = planned_session(by=oemm, codes=["cos"], members=members)
    base = {"date": session.date, "start_time": session.start_time, "place": session.place}
    with at(2026, 9, 2), on_commit():
        jury_workflow.reschedule_session(session, by=oemm, **base, capacity=10)
    assert told(NotificationKind.JURY_SESSION_MOVED) == []
    with at(2026, 9, 2), on_commit():
        jury_workflow.reschedule_session(session, by=oemm, **{**base, "start_time": datetime.time(14, 0)}, capacity=10)
    assert told(NotificationKind.JURY_SESSION_MOVED) == sorted(m.pk for m in members.values())
    message = Notification.objects.filter(kind=NotificationKind.JURY_SESSION_MOVED).first().message
    assert message == (
        "La session de jury où vous siégez est modifiée : elle se tient le 23 novembre 2026 à 14:00, "
        "OEMM, 255 rue de Vaugirard, Paris"
    )
    with at(2026, 9, 3), on_commit():  # back to the morning, then a new place: each change told, with its values
        jury_workflow.reschedule_session(session, by=oemm, **base, capacity=10)
        jury_workflow.reschedule_session(session, by=oemm, **{**base, "place": "OEMM, Lyon"}, capacity=10)
    messages = Notification.objects.filter(kind=NotificationKind.JURY_SESSION_MOVED, recipient=members["sal1"])
    assert [m.message.split("se tient ")[1] for m in messages.order_by("pk")] == [
        "le 23 novembre 2026 à 14:00, OEMM, 255 rue de Vaugirard, Paris",
        "le 23 novembre 2026 à 09:00, OEMM, 255 rue de Vaugirard, Paris",
        "le 23 novembre 2026 à 09:00, OEMM, Lyon",
    ]
    assert messages.first().url == session.get_absolute_url()


def test_a_convoked_candidate_taken_off_the_session_is_told_the_convocation_is_cancelled(
    referentiels, oemm, members, on_commit
):
    with at(2026, 9, 1):
        convoked, placed = ready_dossier("cos", by=oemm), ready_dossier("cos", by=oemm)
        session = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[convoked, placed])
        seat, other = session.ordered_candidates()
    with at(2026, 9, 1, 10, 0), on_commit():
        jury_workflow.convoke(seat, by=oemm)
    with at(2026, 9, 2), on_commit():
        jury_workflow.remove_candidate(seat, by=oemm)
        jury_workflow.remove_candidate(other, by=oemm)  # never convoked: never told of the session, nor now
    notification = Notification.objects.get(kind=NotificationKind.SESSION_PLACE_WITHDRAWN)
    assert notification.recipient == convoked.candidate and notification.dossier == convoked
    assert notification.message == (
        "Votre convocation au jury du 23 novembre 2026 est annulée : ne vous présentez pas. "
        "L'OEMM vous proposera une autre session."
    )
    assert OutboundEmail.objects.filter(key=f"notification:{notification.pk}", to=[convoked.candidate.email]).exists()


def test_the_oemm_removing_through_the_page_reads_who_is_told(client, referentiels, oemm, members, on_commit):
    with at(2026, 9, 1), on_commit():
        session = planned_session(by=oemm, codes=["cos"], members=members)
    seat = session.members.get(user=members["sal2"])
    client.force_login(oemm)
    with at(2026, 9, 2), on_commit():
        response = client.post(reverse("jury:member_remove", args=[session.pk, seat.pk]), follow=True)
    assert "Membre retiré du jury : il en est prévenu par une notification." in response.content.decode()
    assert told(NotificationKind.JURY_MEMBER_REMOVED) == [members["sal2"].pk]
    outsider = members["sal2"]  # no longer on the jury: the session's page is closed to them
    client.force_login(outsider)
    assert client.get(session.get_absolute_url()).status_code == 404
