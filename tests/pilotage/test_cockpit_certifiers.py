"""The cockpit's queues show a certifier's staff the items of their certifier only (issue 16)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cqp.enums import Role
from pilotage.cockpit.queues import BY_KEY
from referentiels.models import Certifier
from tests.factories import user_with_role
from tests.jury.conftest import at, ready_dossier


@pytest.fixture
def dossiers(referentiels, oemm):
    with at(2026, 9, 1):
        return {"gpac": ready_dossier("gpac", by=oemm), "cos": ready_dossier("cos", by=oemm)}


@pytest.mark.django_db
@pytest.mark.parametrize("code, mine, theirs", [("ucanss", "cos", "gpac"), ("cpnefp_mutualite", "gpac", "cos")])
def test_each_staff_sees_only_their_certifiers_dossiers_in_a_queue(client, dossiers, oemm, code, mine, theirs):
    staff = user_with_role(Role.OEMM, certifier=Certifier.objects.get(code=code))
    queue = BY_KEY["dossiers-a-placer"]
    today = timezone.localdate()
    assert queue.summarize(today, oemm).count == 2  # an account of both certifiers
    assert queue.summarize(today, staff).count == 1
    client.force_login(staff)
    page = client.get(reverse("oemm_queue", kwargs={"key": "dossiers-a-placer"})).content.decode()
    assert dossiers[mine].number in page and dossiers[theirs].number not in page
    # a bulk action on the other certifier's dossier finds nothing to act on
    response = client.post(
        reverse("oemm_queue_bulk", kwargs={"key": "dossiers-a-placer"}), {"ids": [dossiers[theirs].pk]}, follow=True
    )
    assert response.status_code == 200
    dossiers[theirs].refresh_from_db()
    assert dossiers[theirs].state == "pret_jury"
