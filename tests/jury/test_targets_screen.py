"""The screen to choose the units a dossier aims at (issue 17, jury/views/targets.py): the OEMM and the centre of the
entretien d'accueil choose them from the inscription until the dossier is placed in a session (then read-only, with
the reason); the page shows where each choice leads; a CQP without the rule shows the whole CQP only. And the
candidate told the date of the commission paritaire when their dossier is placed in one (not a convocation)."""

import datetime

import pytest
from django.urls import reverse

from candidates import workflow as dossier_workflow
from candidates.models import DossierEvent
from cqp.enums import NotificationKind, Role
from cqp.exceptions import WorkflowError
from cqp.outbox_models import OutboundEmail
from jury import targets, workflow
from jury.enums import SessionKind
from notifications.models import Notification
from referentiels.models import Certification

from ..factories import EntrepriseFactory, user_with_role
from .conftest import SESSION_DAY, at, ready_dossier

GPAC = "gpac"


def _page(response) -> str:
    return " ".join(response.content.decode().split())


def _url(dossier):
    return reverse("jury:choose_targets", kwargs={"number": dossier.number})


def _registered(code=GPAC, organisme=None):
    certification = Certification.objects.get(code=code)
    return dossier_workflow.register_vae(
        candidate=user_with_role(Role.CANDIDAT),
        certification=certification,
        mention=certification.current_version.mentions.first(),
        organisme=organisme,
    )


def _commission(oemm, *, kind=SessionKind.COMMISSION):
    return workflow.create_session(
        by=oemm,
        certifications=Certification.objects.filter(code=GPAC),
        date=SESSION_DAY,
        start_time=datetime.time(9, 0),
        place="OEMM, Paris",
        capacity=8,
        kind=kind,
    )


@pytest.fixture
def centre(approved_centre):
    return approved_centre


def test_the_oemm_chooses_one_bloc_and_the_dossier_goes_to_the_commission(referentiels, oemm, client):
    with at(2026, 9, 1):
        dossier = _registered()
        client.force_login(oemm)
        page = _page(client.get(_url(dossier)))
        assert "CQP entier (toutes les unités restant à acquérir)" in page
        assert "Bloc 1 : Assurer l&#x27;accueil des clients/adhérents" in page
        assert "Où mène le parcours" in page
        assert "De 1 à 4 unités : Commission paritaire" in page
        assert "Les 5 unités restant à acquérir : Jury final" in page
        assert "Ce choix mène à : <strong data-route-label>Jury final</strong>" in page  # by default the whole CQP
        response = client.post(_url(dossier), {"units": ["1"]})
    assert response.status_code == 302 and response.url == dossier.get_absolute_url()
    dossier.refresh_from_db()
    assert dossier.target_units == [1] and dossier.validated_by == "commission"
    event = DossierEvent.objects.get(dossier=dossier, action="set_targets")  # audited, with who did it
    assert event.actor == oemm and "commission paritaire" in event.label
    with at(2026, 9, 1):
        card = _page(client.get(dossier.get_absolute_url()))
    assert "Choisir les unités visées" in card and "la commission paritaire valide ces unités" in card


def test_cqp_entier_goes_back_to_the_final_jury(referentiels, oemm, client):
    with at(2026, 9, 1):
        dossier = targets.set_targets(_registered(), by=oemm, numbers=[2, 3])
        client.force_login(oemm)
        page = _page(client.get(_url(dossier)))
        assert "Ce choix mène à : <strong data-route-label>Commission paritaire</strong>" in page
        client.post(_url(dossier), {"whole": "on", "units": ["2"]})  # the shortcut wins: every unit left
    dossier.refresh_from_db()
    assert dossier.target_units == [] and dossier.validated_by == "jury"


def test_no_unit_chosen_is_refused_in_french(referentiels, oemm, client):
    with at(2026, 9, 1):
        dossier = _registered()
        client.force_login(oemm)
        response = client.post(_url(dossier), {})
    assert response.status_code == 200
    assert "Cochez au moins une unité, ou « CQP entier »." in _page(response)
    assert not DossierEvent.objects.filter(dossier=dossier, action="set_targets").exists()


def test_a_refusal_of_set_targets_is_shown_and_the_choice_kept(referentiels, oemm, client, monkeypatch):
    def refuse(dossier, *, by, numbers):
        raise WorkflowError("Unité déjà acquise et encore valable, elle n'est pas visée de nouveau : 3.")

    monkeypatch.setattr(targets, "set_targets", refuse)
    with at(2026, 9, 1):
        dossier = _registered()
        client.force_login(oemm)
        page = _page(client.post(_url(dossier), {"units": ["3", "4"]}))
    assert "Unité déjà acquise et encore valable" in page
    assert 'value="3" class="form-check-input" id="id_units_2" checked' in page
    assert 'value="4" class="form-check-input" id="id_units_3" checked' in page


def test_the_centre_of_the_entretien_chooses_too_and_sees_the_link_on_the_entretien_page(referentiels, centre, client):
    staff = user_with_role(Role.ORGANISME, organisme=centre)
    with at(2026, 9, 1):
        dossier = _registered(organisme=centre)
        client.force_login(staff)
        entretien = _page(client.get(reverse("candidates:entretien", kwargs={"number": dossier.number})))
        assert _url(dossier) in entretien and "Unités visées par ce parcours" in entretien
        response = client.post(_url(dossier), {"units": ["4", "5"]})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.target_units == [4, 5] and dossier.validated_by == "commission"


def test_outsiders_get_a_404_and_the_candidate_a_403(referentiels, centre, client):
    with at(2026, 9, 1):
        dossier = _registered(organisme=centre)
    for outsider in (
        user_with_role(Role.ORGANISME),
        user_with_role(Role.CANDIDAT),
        user_with_role(Role.ENTREPRISE, entreprise=EntrepriseFactory()),
        user_with_role(Role.JURY),
    ):
        client.force_login(outsider)
        assert client.get(_url(dossier)).status_code == 404
        assert client.post(_url(dossier), {"units": ["1"]}).status_code == 404
    client.force_login(dossier.candidate)
    assert client.get(_url(dossier)).status_code == 403
    assert client.post(_url(dossier), {"units": ["1"]}).status_code == 403
    with at(2026, 9, 1):
        assert "Choisir les unités visées" not in _page(client.get(dossier.get_absolute_url()))
    dossier.refresh_from_db()
    assert dossier.target_units == [] and dossier.validated_by == "jury"


def test_placed_in_a_session_the_units_are_read_only_with_the_reason(referentiels, oemm, client):
    with at(2026, 9, 1):
        dossier = targets.set_targets(ready_dossier(GPAC, by=oemm), by=oemm, numbers=[1])
        workflow.add_candidate(_commission(oemm), by=oemm, dossier=dossier)
        client.force_login(oemm)
        page = _page(client.get(_url(dossier)))
        assert "déjà été placé en session (la commission paritaire du 23 novembre 2026)" in page
        assert "<form" not in page.split("<main", 1)[-1].split("</main>")[0]
        response = client.post(_url(dossier), {"whole": "on"}, follow=True)
        assert "les unités visées ne changent plus" in _page(response)
        assert "Choisir les unités visées" not in _page(client.get(dossier.get_absolute_url()))
    dossier.refresh_from_db()
    assert dossier.target_units == [1]


def test_a_closed_dossier_is_read_only(referentiels, oemm, client):
    with at(2026, 9, 1):
        dossier = _registered()
        dossier_workflow.close(dossier, by=oemm, reason="Abandon du candidat")
        client.force_login(oemm)
        assert "Le dossier est « Clos » : les unités visées ne changent plus." in _page(client.get(_url(dossier)))
        with pytest.raises(WorkflowError, match="ne changent plus"):
            targets.set_targets(dossier, by=oemm, numbers=[1])


def test_a_cqp_without_the_rule_shows_the_whole_cqp_only(referentiels, oemm, client):
    code = Certification.objects.exclude(code=GPAC).filter(certifier__code="cpnefp_mutualite").first().code
    with at(2026, 9, 1):
        dossier = _registered(code)
        client.force_login(oemm)
        page = _page(client.get(_url(dossier)))
        assert "Ce CQP se prépare en entier" in page and 'name="units"' not in page
        assert "Choisir les unités visées" not in _page(client.get(dossier.get_absolute_url()))


def test_the_candidate_is_told_the_date_of_the_commission_not_convoked(referentiels, oemm, on_commit):
    with at(2026, 9, 1):
        dossier = targets.set_targets(ready_dossier(GPAC, by=oemm), by=oemm, numbers=[2])
        whole = ready_dossier(GPAC, by=oemm)
        with on_commit():
            workflow.add_candidate(_commission(oemm), by=oemm, dossier=dossier)
            workflow.add_candidate(_commission(oemm, kind=SessionKind.JURY), by=oemm, dossier=whole)
    notification = Notification.objects.get(kind=NotificationKind.COMMISSION_SCHEDULED)
    assert notification.recipient == dossier.candidate
    assert notification.message.startswith(
        "Votre dossier sera examiné par la commission paritaire du 23 novembre 2026. Vous n'êtes pas convoqué"
    )
    email = OutboundEmail.objects.get(key=f"notification:{notification.pk}")
    assert email.to == [dossier.candidate.email] and "commission paritaire du 23 novembre 2026" in email.text_body
    assert not Notification.objects.filter(recipient=whole.candidate).exists()  # a jury: convoked later, not this
    assert DossierEvent.objects.filter(dossier=dossier, action="commission_placed").exists()


def test_the_candidate_is_told_a_new_commission_date(referentiels, oemm, on_commit):
    with at(2026, 9, 1):
        dossier = targets.set_targets(ready_dossier(GPAC, by=oemm), by=oemm, numbers=[2])
        session = _commission(oemm)
        with on_commit():
            workflow.add_candidate(session, by=oemm, dossier=dossier)
        with on_commit():  # the place only: nothing new to tell
            workflow.reschedule_session(
                session, by=oemm, date=SESSION_DAY, start_time=datetime.time(9, 0), place="OEMM, Lyon", capacity=8
            )
        assert Notification.objects.filter(kind=NotificationKind.COMMISSION_SCHEDULED).count() == 1
        with on_commit():
            workflow.reschedule_session(
                session,
                by=oemm,
                date=SESSION_DAY + datetime.timedelta(days=7),
                start_time=datetime.time(9, 0),
                place="OEMM, Lyon",
                capacity=8,
            )
    latest = Notification.objects.filter(kind=NotificationKind.COMMISSION_SCHEDULED).order_by("-pk").first()
    assert Notification.objects.filter(kind=NotificationKind.COMMISSION_SCHEDULED).count() == 2
    assert latest.recipient == dossier.candidate and "commission paritaire du 30 novembre 2026" in latest.message


def test_the_candidate_is_told_when_taken_off_the_commission(referentiels, oemm, on_commit):
    with at(2026, 9, 1):
        dossier = targets.set_targets(ready_dossier(GPAC, by=oemm), by=oemm, numbers=[2])
        with on_commit():
            seat = workflow.add_candidate(_commission(oemm), by=oemm, dossier=dossier)
        with on_commit():
            workflow.remove_candidate(seat, by=oemm)
    notification = Notification.objects.get(kind=NotificationKind.SESSION_PLACE_WITHDRAWN)
    assert notification.recipient == dossier.candidate and notification.url == dossier.get_absolute_url()
    assert notification.message == (
        "Votre dossier ne sera pas examiné par la commission paritaire du 23 novembre 2026 : l'OEMM l'a retiré de "
        "cette séance et vous indiquera la prochaine date."
    )


def test_the_commission_decides_on_the_target_units_only(referentiels, oemm, members, client):
    with at(2026, 9, 1):
        dossier = targets.set_targets(ready_dossier(GPAC, by=oemm), by=oemm, numbers=[3])
        session = _commission(oemm)
        for user in members.values():
            workflow.add_member(session, by=oemm, user=user)
        seat = workflow.add_candidate(session, by=oemm, dossier=dossier)
    with at(2026, 11, 23, 8, 30):
        workflow.open_session(session, by=oemm, president=members["emp1"])
        client.force_login(members["emp2"])
        page = client.get(reverse("jury:candidate", args=[session.pk, seat.pk])).content.decode()
        unit = dossier.version.units.get(number=3)
        assert f'name="unit_{unit.pk}"' in page
        assert all(
            f'name="unit_{other.pk}"' not in page for other in dossier.version.units.exclude(number=3)
        )  # the commission is not asked about the units not aimed at
        response = client.post(
            reverse("jury:deliberate", args=[session.pk, seat.pk]), {f"unit_{unit.pk}": "1"}, follow=True
        )
    assert response.status_code == 200
    seat.refresh_from_db()
    assert list(seat.current_fiche.unit_decisions.values_list("unit__number", flat=True)) == [3]
