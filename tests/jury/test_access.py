"""Who sees what: members of the session, other members, OEMM, candidates, organismes, entreprises, anonymous."""

import pytest
from django.urls import reverse

from cqp.enums import Role
from jury import workflow

from ..factories import user_with_role
from .conftest import all_units, at, planned_session, ready_dossier


@pytest.fixture
def signed(open_session_with, members, on_commit, outsider_member, oemm):
    session, (candidate,) = open_session_with(("cos", None))
    fiche = workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
    with on_commit():
        workflow.sign_fiche(fiche, by=members["emp1"])
    # The outsider sits on another session.
    planned_session(by=oemm, codes=["cos"], members={"x": outsider_member})
    fiche.refresh_from_db()
    return {"session": session, "candidate": candidate, "fiche": fiche}


def persona(name, signed, members, outsider_member, oemm):
    dossier = signed["candidate"].dossier
    return {
        "member": members["sal2"],
        "president": members["emp1"],
        "other_member": outsider_member,
        "oemm": oemm,
        "candidate": dossier.candidate,
        "other_candidate": user_with_role(Role.CANDIDAT),
        "organisme": user_with_role(Role.ORGANISME),
        "entreprise": user_with_role(Role.ENTREPRISE),
    }[name]


@pytest.mark.parametrize(
    "who, session_page, candidate_page, fiche_pdf",
    [
        ("member", 200, 200, 200),
        ("president", 200, 200, 200),
        ("other_member", 404, 404, 404),
        ("oemm", 200, 200, 200),
        ("candidate", 403, 403, 200),
        ("other_candidate", 403, 403, 404),
        ("organisme", 403, 403, 404),
        ("entreprise", 403, 403, 404),
    ],
)
def test_access_per_persona(
    client, signed, members, outsider_member, oemm, who, session_page, candidate_page, fiche_pdf
):
    client.force_login(persona(who, signed, members, outsider_member, oemm))
    assert client.get(signed["session"].get_absolute_url()).status_code == session_page
    assert client.get(signed["candidate"].get_absolute_url()).status_code == candidate_page
    response = client.get(reverse("jury:fiche_pdf", kwargs={"pk": signed["fiche"].pk}))
    assert response.status_code == fiche_pdf
    if fiche_pdf == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["candidate", "organisme", "entreprise"])
def test_a_role_without_jury_pages_gets_the_same_refusal_for_a_missing_session(
    client, signed, members, outsider_member, oemm, who
):
    """The 403 comes from the role, before any lookup: it tells nothing about which sessions exist."""
    client.force_login(persona(who, signed, members, outsider_member, oemm))
    missing = signed["session"].pk + 10_000
    existing = client.get(signed["session"].get_absolute_url())
    absent = client.get(reverse("jury:session", kwargs={"pk": missing}))
    assert existing.status_code == absent.status_code == 403
    for response in (existing, absent):
        assert "Vous n'avez pas accès à cette page avec votre rôle actuel." in response.content.decode()


def test_anonymous_goes_to_login(client, signed):
    urls = [
        reverse("jury:list"),
        signed["session"].get_absolute_url(),
        signed["candidate"].get_absolute_url(),
        reverse("jury:fiche_pdf", kwargs={"pk": signed["fiche"].pk}),
        reverse("jury:my_jury"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("who, status", [("member", 403), ("candidate", 403), ("organisme", 403), ("oemm", 302)])
def test_management_actions_are_oemm_only(client, signed, members, outsider_member, oemm, who, status):
    client.force_login(persona(who, signed, members, outsider_member, oemm))
    session, candidate = signed["session"], signed["candidate"]
    response = client.post(
        reverse("jury:attendance", kwargs={"pk": session.pk, "cid": candidate.pk}), {"attendance": "absent"}
    )
    assert response.status_code == status
    assert client.get(reverse("jury:create")).status_code == (200 if who == "oemm" else 403)


def test_wrong_state_actions_give_a_message(client, signed, members, oemm):
    session, candidate, fiche = signed["session"], signed["candidate"], signed["fiche"]
    client.force_login(members["emp1"])
    response = client.post(reverse("jury:fiche_sign", kwargs={"pk": fiche.pk}), follow=True)
    assert "déjà signée" in response.content.decode()
    response = client.post(reverse("jury:deliberate", kwargs={"pk": session.pk, "cid": candidate.pk}), {}, follow=True)
    assert "signée" in response.content.decode() or "Décidez" in response.content.decode()
    # A correction is OEMM's: a member gets a 403; OEMM on a planned session's edit page after opening: 403.
    assert client.get(reverse("jury:fiche_correct", kwargs={"pk": fiche.pk})).status_code == 403
    client.force_login(oemm)
    assert client.get(reverse("jury:edit", kwargs={"pk": session.pk})).status_code == 403
    assert client.get(reverse("jury:fiche_correct", kwargs={"pk": fiche.pk})).status_code == 200


def test_jury_dashboard_lists_my_sessions_only(client, referentiels, oemm, members, outsider_member):
    with at(2026, 9, 1):
        mine = planned_session(by=oemm, codes=["cos"], members=members, dossiers=[ready_dossier("cos", by=oemm)])
        planned_session(by=oemm, codes=["gpac"], day=mine.date.replace(day=25), members={"x": outsider_member})
        client.force_login(members["sal1"])
        page = client.get(reverse("dashboard_jury")).content.decode()
    assert reverse("jury:session", kwargs={"pk": mine.pk}) in page and "23 novembre 2026" in page
    assert "25 novembre 2026" not in page
    with at(2026, 12, 1):
        client.force_login(outsider_member)
        page = client.get(reverse("dashboard_jury")).content.decode()
    assert "Sessions passées" in page and "25 novembre 2026" in page


def test_conflicted_member_sees_it_and_has_no_deliberation_form(client, open_session_with, members):
    session, (candidate,) = open_session_with(("cos", None))
    client.force_login(members["sal1"])
    url = reverse("jury:conflict", kwargs={"pk": session.pk, "cid": candidate.pk})
    client.post(url, {"reason": "Même employeur"})
    page = client.get(candidate.get_absolute_url()).content.decode()
    assert "Conflit d&#x27;intérêts déclaré" in page or "Conflit d'intérêts déclaré" in page
    assert "Enregistrer la délibération" not in page
    response = client.post(
        reverse("jury:deliberate", kwargs={"pk": session.pk, "cid": candidate.pk}),
        {f"unit_{pk}": "1" for pk in all_units(candidate)},
        follow=True,
    )
    assert "conflit d" in response.content.decode()
    assert not candidate.fiches.exists()


def test_oemm_reschedules_through_the_page_and_the_candidate_gets_the_new_convocation(
    client, referentiels, oemm, members, on_commit
):
    from django.core import mail

    with at(2026, 9, 1):
        dossier = ready_dossier("gpac", by=oemm)
        session = planned_session(by=oemm, codes=["gpac"], members=members, dossiers=[dossier])
        candidate = session.candidates.get()
        client.force_login(oemm)
        with on_commit():
            client.post(reverse("jury:convoke", kwargs={"pk": session.pk, "cid": candidate.pk}))
        edit = reverse("jury:edit", kwargs={"pk": session.pk})
        assert client.get(edit).status_code == 200
        mail.outbox.clear()
        with on_commit():
            response = client.post(
                edit,
                {
                    "date": "2026-11-23",
                    "start_time": "14:00",
                    "place": "",
                    "video_link": "https://visio.example.org/jury",
                    "capacity": "4",
                },
                follow=True,
            )
        assert "1 nouvelle convocation envoyée" in response.content.decode()
        sent = {tuple(m.to): m for m in mail.outbox}
        convocation = sent.pop((dossier.candidate.email,))
        assert "nouvelle convocation" in convocation.subject and "https://visio.example.org/jury" in convocation.body
        # The members: each told the new time, by the e-mail of their notification.
        assert sorted(sent) == sorted((m.email,) for m in members.values())
        assert all("elle se tient le 23 novembre 2026 à 14:00" in m.body for m in sent.values())
        # Without place nor link: refused by the form.
        response = client.post(
            edit, {"date": "2026-11-23", "start_time": "14:00", "place": "", "video_link": "", "capacity": "4"}
        )
        assert "Indiquez le lieu" in response.content.decode()
        client.force_login(dossier.candidate)
        page = client.get(reverse("jury:my_jury")).content.decode()
        assert "23 novembre 2026 à 14:00" in page
        latest = candidate.convocations.order_by("-version").first()
        response = client.get(reverse("jury:convocation_pdf", kwargs={"pk": latest.pk}))
        assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
        client.force_login(user_with_role(Role.CANDIDAT))
        assert client.get(reverse("jury:convocation_pdf", kwargs={"pk": latest.pk})).status_code == 404
        client.force_login(members["sal1"])
        assert client.get(reverse("jury:list")).status_code == 200
