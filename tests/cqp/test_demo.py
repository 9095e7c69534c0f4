import pytest
from django.core.management import call_command
from django.urls import reverse

from candidates.models import EntretienSlot
from cqp.models import User
from cqp.roles import DASHBOARD_URL
from pilotage.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD


@pytest.fixture
def demo(referentiels):
    call_command("seed_demo", verbosity=0)


def test_seed_demo_is_idempotent(demo):
    count, slots = User.objects.count(), EntretienSlot.objects.count()
    call_command("seed_demo", verbosity=0)
    assert User.objects.count() == count == len(DEMO_ACCOUNTS)
    assert EntretienSlot.objects.count() == slots == 6


def test_the_demo_candidate_is_led_to_book_an_entretien(client, demo):
    client.force_login(User.objects.get(email="candidat@demo.cqp"))
    html = client.get(reverse(DASHBOARD_URL["candidat"])).content.decode()
    assert "Réservez votre entretien d&#x27;accueil" in html and "Prenez rendez-vous" not in html


@pytest.mark.parametrize("email, first, last, role, details", DEMO_ACCOUNTS)
def test_each_demo_account_logs_in_and_reaches_its_dashboard(client, demo, email, first, last, role, details):
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    if role == "oemm" or User.objects.get(email=email).roles.count() == 1:
        assert response.redirect_chain[-1][0] == reverse(DASHBOARD_URL[role])
    response = client.post(reverse("switch_role"), {"role": role}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(DASHBOARD_URL[role])
    assert first in response.content.decode() or "Pilotage" in response.content.decode()
