import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from candidates import workflow
from cqp.models import Reminder
from referentiels.models import Certification
from vae.models import Livret1

from ..factories import OrganismeFactory
from .run import send_reminders

D = dt.date


@pytest.fixture
def cos_dossier(referentiels, candidat):
    with time_machine.travel(dt.datetime(2026, 9, 1, 10), tick=False):
        return workflow.register_vae(candidate=candidat, certification=Certification.objects.get(code="cos"))


def _livret(dossier, **fields):
    return Livret1.objects.create(dossier=dossier, referentiel=dossier.version, **fields)


def test_instruction_reminders_go_to_oemm_at_two_weeks_and_three_days(cos_dossier, oemm):
    _livret(cos_dossier, state="soumis", received_on=D(2026, 11, 10), instruction_deadline=D(2027, 1, 10))
    assert send_reminders(D(2026, 12, 26)).sent == []
    assert len(send_reminders(D(2026, 12, 27)).sent) == 1
    assert mail.outbox[-1].to == [oemm.email] and "tacite" in mail.outbox[-1].body
    assert len(send_reminders(D(2027, 1, 7)).sent) == 1
    assert list(Reminder.objects.values_list("threshold", flat=True).order_by("id")) == ["14d", "3d"]


def test_validity_reminder_offers_the_right_demand(cos_dossier, candidat):
    _livret(cos_dossier, state="recevable", decided_on=D(2026, 1, 15), valid_until=D(2027, 7, 15))
    send_reminders(D(2027, 4, 15))
    assert mail.outbox[-1].to == [candidat.email]
    assert "15 juillet 2027" in mail.outbox[-1].body and "prorogation" in mail.outbox[-1].body


@time_machine.travel(dt.datetime(2026, 12, 1, 10), tick=False)
def test_oemm_deadlines_page_filters_by_kind_cqp_and_horizon(client, cos_dossier, oemm, django_assert_max_num_queries):
    _livret(cos_dossier, state="soumis", received_on=D(2026, 10, 1), instruction_deadline=D(2026, 12, 1))
    OrganismeFactory(name="Institut Epsilon", agrement_to=D(2026, 11, 30))
    client.force_login(oemm)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("oemm_deadlines"), {"kind": "instruction", "horizon": 30}).content.decode()
    assert cos_dossier.number in page
    page = client.get(reverse("oemm_deadlines"), {"kind": "agrement"}).content.decode()
    assert "Institut Epsilon" in page and "dépassée" in page
    page = client.get(reverse("oemm_deadlines"), {"kind": "instruction", "cqp": "gpac"}).content.decode()
    assert cos_dossier.number not in page and "Aucune échéance" in page
    page = client.get(reverse("oemm_deadlines"), {"kind": "first_jury", "horizon": 30}).content.decode()
    assert cos_dossier.number not in page  # 1 September 2029 is beyond 30 days
    page = client.get(reverse("oemm_deadlines"), {"kind": "first_jury", "horizon": "oups"}).content.decode()
    assert "Aucune échéance" in page


@pytest.mark.parametrize("persona", ["candidat", "organisme_user", "entreprise_user", "jury_member"])
def test_deadlines_page_is_oemm_only(client, db, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("oemm_deadlines")).status_code == 403


@time_machine.travel(dt.datetime(2026, 12, 1, 10), tick=False)
def test_the_candidate_sees_their_own_coming_deadlines(client, cos_dossier, candidat, other_candidat):
    _livret(cos_dossier, state="soumis", received_on=D(2026, 10, 1), instruction_deadline=D(2026, 12, 1))
    client.force_login(candidat)
    page = client.get(reverse("dashboard_candidat")).content.decode()
    assert "Prochaines échéances" in page and "1er décembre 2026" in page
    client.force_login(other_candidat)
    assert "Aucune échéance" in client.get(reverse("dashboard_candidat")).content.decode()
