"""Shared fixtures of the créneaux tests (registered in tests/conftest.py): a centre with a member, a VAE dossier
of ``candidat`` followed by it, and a frozen « now » (20 November 2026, 9 h in Paris)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from candidates import workflow
from candidates.workflow import slots as service
from cqp.enums import Role
from referentiels.models import Certification

from ..factories import OrganismeFactory, user_with_role

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=PARIS)
SLOT_AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture
def slot_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def slot_centre(referentiels):
    organisme = OrganismeFactory(name="Centre Alpha", contact_email="contact@alpha.example.org")
    organisme.certifications.add(*Certification.objects.all())
    return organisme


@pytest.fixture
def slot_staff(slot_centre):
    return user_with_role(Role.ORGANISME, organisme=slot_centre)


@pytest.fixture
def slot_dossier(slot_now, candidat, slot_centre):
    return workflow.register_vae(
        candidate=candidat, certification=Certification.objects.get(code="gpac"), organisme=slot_centre
    )


@pytest.fixture
def free_slot(slot_now, slot_centre, slot_staff):
    (published,) = service.publish(slot_centre, by=slot_staff, starts=[SLOT_AT], place="12 rue de la Paix, 75002 Paris")
    return published
