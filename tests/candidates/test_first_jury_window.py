import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from candidates import workflow
from cqp.exceptions import WorkflowError
from referentiels.models import Certification


@pytest.fixture
def dossier(referentiels, candidat):
    with time_machine.travel(dt.datetime(2023, 6, 1, 10), tick=False):
        return workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="gpac"))


def test_the_deadline_is_stored_at_inscription(dossier):
    assert dossier.first_jury_deadline == dt.date(2026, 6, 1)


@time_machine.travel(dt.datetime(2026, 11, 24, 10), tick=False)
def test_past_the_window_the_dossier_is_flagged_for_oemm(client, dossier, oemm, candidat):
    assert dossier.first_jury_overdue
    client.force_login(oemm)
    page = html.unescape(client.get(dossier.get_absolute_url()).content.decode())
    assert "Délai dépassé" in page and "prolonge le délai" in page
    client.force_login(candidat)
    page = html.unescape(client.get(dossier.get_absolute_url()).content.decode())
    assert "Délai dépassé" in page and "prolonge le délai" not in page


@time_machine.travel(dt.datetime(2026, 11, 24, 10), tick=False)
def test_oemm_extends_with_a_reason(client, dossier, oemm):
    client.force_login(oemm)
    url = reverse("candidates:extend", args=[dossier.number])
    response = client.post(url, {"until": "2027-06-01", "reason": ""})
    assert "obligatoire" in html.unescape(response.content.decode())
    response = client.post(url, {"until": "2026-01-01", "reason": "Arrêt maladie"})
    assert "doit suivre l'échéance" in html.unescape(response.content.decode())
    response = client.post(url, {"until": "2027-06-01", "reason": "Arrêt maladie de 8 mois"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.first_jury_deadline == dt.date(2027, 6, 1) and not dossier.first_jury_overdue
    event = dossier.events.last()
    assert event.action == "extend_first_jury" and event.actor == oemm and event.comment == "Arrêt maladie de 8 mois"
    assert event.data == {"from": "2026-06-01", "to": "2027-06-01"}


@pytest.mark.parametrize("persona", ["candidat", "organisme_user", "entreprise_user", "jury_member"])
def test_only_oemm_extends(client, dossier, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("candidates:extend", args=[dossier.number])).status_code == 403


def test_a_closed_dossier_cannot_be_extended(dossier, oemm):
    workflow.close(dossier, by=oemm, reason="Abandon")
    with pytest.raises(WorkflowError, match="Clos"):
        workflow.extend_first_jury(dossier, by=oemm, until=dt.date(2030, 1, 1), reason="x")
