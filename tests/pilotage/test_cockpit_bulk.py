"""Bulk actions of the cockpit: one action for all, each item through its workflow function, refusals reported."""

import datetime

from django.contrib.messages import get_messages

from jury.enums import Attendance
from jury.models import Convocation
from tests.factories import give_jury_documents
from tests.jury.conftest import at, planned_session, ready_dossier
from vae.models import Livret2


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_convoke_all_twenty_candidates_in_one_action(client, referentiels, oemm, members, on_commit):
    with at(2026, 6, 1):
        dossiers = [ready_dossier("gpac", by=oemm) for _ in range(20)]
        session = planned_session(by=oemm, codes=["gpac"], members=members)
        session.capacity = 20
        session.save(update_fields=["capacity"])
        from jury import workflow

        for dossier in dossiers:
            workflow.add_candidate(session, by=oemm, dossier=dossier)
        # one candidate noted absent: skipped, said so
        absent = session.candidates.order_by("position").last()
        workflow.record_attendance(absent, by=oemm, attendance=Attendance.EXCUSE)
        client.force_login(oemm)
        response = client.post(f"/oemm/sessions/{session.pk}/convoquer-tous/", follow=True)
        text = " ".join(_messages(response))
        again = client.post(f"/oemm/sessions/{session.pk}/convoquer-tous/", follow=True)
    assert "Convocations envoyées : 19" in text
    assert "noté absent" in text
    assert Convocation.objects.filter(session_candidate__session=session).count() == 19
    assert "déjà convoqué à cet horaire" in again.content.decode()


def test_convoke_all_reports_each_refusal_with_its_reason(client, referentiels, oemm, members):
    from jury import workflow

    with at(2026, 6, 1):
        ready = ready_dossier("gpac", by=oemm)
        session = planned_session(by=oemm, codes=["gpac"], members=members, dossiers=[ready])
        # a VAE dossier only recevable (livret 2 not received): the workflow refuses its convocation
        from candidates import workflow as dossier_workflow
        from cqp.enums import Role
        from referentiels.models import Certification
        from tests.factories import user_with_role

        other = dossier_workflow.register_vae(
            candidate=user_with_role(Role.CANDIDAT), certification=Certification.objects.get(code="gpac")
        )
        dossier_workflow.declare_recevable(other, by=oemm)
        give_jury_documents(other)
        workflow.add_candidate(session, by=oemm, dossier=other)
        client.force_login(oemm)
        response = client.post(f"/oemm/sessions/{session.pk}/convoquer-tous/", follow=True)
    text = _messages(response)
    assert any(m.startswith(f"Refusé pour {other.number}") and "livret 2" in m for m in text)
    assert any("Convocations envoyées : 1" in m for m in text)


def test_attendance_for_all(client, referentiels, oemm, members):
    from jury import workflow

    with at(2026, 9, 1):
        dossiers = [ready_dossier("gpac", by=oemm) for _ in range(3)]
        session = planned_session(by=oemm, codes=["gpac"], members=members, dossiers=dossiers)
    with at(2026, 11, 23, 8, 30):
        workflow.open_session(session, by=oemm, president=members["emp1"])
        first = session.candidates.order_by("position").first()
        workflow.record_attendance(first, by=oemm, attendance=Attendance.ABSENT)
        client.force_login(oemm)
        response = client.post(f"/oemm/sessions/{session.pk}/presence-tous/", {"attendance": "absent"}, follow=True)
    # only « présent » is offered in bulk: a hostile value falls back to it
    assert sorted(session.candidates.values_list("attendance", flat=True)) == ["absent", "present", "present"]
    assert any("Présence enregistrée : 2" in m for m in _messages(response))


def test_acknowledge_several_livrets2_from_the_queue(client, referentiels, oemm):
    from candidates import workflow as dossier_workflow
    from cqp.enums import Role
    from referentiels.models import Certification
    from tests.factories import user_with_role
    from vae import workflow as vae_workflow

    with at(2026, 6, 1):
        livrets = []
        for _ in range(3):
            candidate = user_with_role(Role.CANDIDAT)
            dossier = dossier_workflow.register_vae(
                candidate=candidate, certification=Certification.objects.get(code="gpac")
            )
            dossier_workflow.declare_recevable(dossier, by=oemm)
            give_jury_documents(dossier)
            livret = vae_workflow.start_livret2(dossier, by=candidate)
            Livret2.objects.filter(pk=livret.pk).update(
                state="soumis", submitted_at=datetime.datetime(2026, 5, 30, 12, tzinfo=datetime.UTC)
            )
            livrets.append(livret)
        client.force_login(oemm)
        page = client.get("/oemm/files/livrets2-recus/").content.decode()
        assert all(livret.dossier.number in page for livret in livrets)
        response = client.post(
            "/oemm/files/livrets2-recus/action/",
            {"ids": [livrets[0].pk, livrets[1].pk, "999999", "²"], "received_on": "2026-06-01"},
            follow=True,
        )
    assert sorted(Livret2.objects.values_list("state", flat=True)) == ["recu", "recu", "soumis"]
    text = " ".join(_messages(response))
    assert "Réception enregistrée : 2" in text and "n'attend plus dans cette file" in text


def test_place_several_dossiers_in_a_session(client, referentiels, oemm, members):
    with at(2026, 6, 1):
        dossiers = [ready_dossier("gpac", by=oemm) for _ in range(2)] + [ready_dossier("cos", by=oemm)]
        session = planned_session(by=oemm, codes=["gpac"], members=members)
        client.force_login(oemm)
        response = client.post(
            "/oemm/files/dossiers-a-placer/action/",
            {"ids": [d.pk for d in dossiers], "session": session.pk},
            follow=True,
        )
        refused = client.post("/oemm/files/dossiers-a-placer/action/", {"ids": [dossiers[2].pk], "session": "x"})
    assert session.candidates.count() == 2
    text = _messages(response)
    assert any(m.startswith(f"Refusé pour {dossiers[2].number}") and "relève de l'Ucanss" in m for m in text)
    assert refused.status_code == 302


def test_president_goes_from_candidate_to_candidate(client, referentiels, oemm, open_session_with, members):
    session, candidates = open_session_with(("gpac", None), ("gpac", None), ("gpac", None))
    client.force_login(members["emp1"])
    page = client.get(f"/jury/sessions/{session.pk}/").content.decode()
    assert "Délibérer" in page
    second = client.get(f"/jury/sessions/{session.pk}/candidats/{candidates[1].pk}/").content.decode()
    assert f"/candidats/{candidates[2].pk}/#deliberation" in second
    assert f"/candidats/{candidates[0].pk}/#deliberation" in second
    assert "Candidat 2 sur 3" in second
