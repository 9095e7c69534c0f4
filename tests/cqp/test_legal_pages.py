"""The legal pages (cqp/legal_views.py): public, linked from every page's footer, written in French by the rules of
tests/cqp/test_rendered_wording.py, and showing what the settings say (names, host, retention periods applied)."""

import datetime

import pytest
from django.urls import reverse

from .test_rendered_wording import raw_codes, wording_problems

PAGES = ["legal_notice", "privacy", "accessibility", "terms", "contact"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_legal_page_is_public_linked_from_the_footer_and_reads_in_french(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    for other in PAGES:  # the footer (and the side menu) link to every legal page
        assert f'href="{reverse(other)}"' in html
    assert "Accessibilité : partiellement conforme" in html  # the footer says the conformity level (RGAA)
    assert wording_problems(html, raw_codes()) == []


@pytest.mark.django_db
def test_the_privacy_policy_shows_the_retention_periods_the_platform_applies(client, settings):
    settings.RETENTION_YEARS = 7
    settings.LOGIN_LOG_RETENTION_DAYS = 31
    settings.OUTBOX_RETENTION_DAYS = 45
    settings.BACKUP_KEEP_DAYS = 1
    settings.LEGAL_DPO_EMAIL = "dpo@exemple.fr"
    text = client.get(reverse("privacy")).content.decode()
    assert "anonymisé 7 ans après" in text
    assert "supprimé après 31 jours" in text
    assert "supprimés 45 jours après" in text
    assert "effacées après 1 jour." in text
    assert "dpo@exemple.fr" in text
    assert reverse("my_data") in text  # the candidate's own export and deletion request page
    assert "CNIL" in text


@pytest.mark.django_db
def test_publisher_host_and_statement_date_come_from_the_settings(client, settings):
    settings.LEGAL_PUBLISHER_NAME = "OEMM pour la CPNEFP Mutualité"
    settings.LEGAL_PUBLISHER_ADDRESS = "255 rue de Vaugirard\n75015 Paris"
    settings.LEGAL_HOST_NAME = "Hébergeur Exemple SAS"
    settings.LEGAL_CONTACT_EMAIL = "contact@exemple.fr"
    settings.ACCESSIBILITY_STATEMENT_DATE = datetime.date(2027, 1, 1)
    notice = client.get(reverse("legal_notice")).content.decode()
    assert "OEMM pour la CPNEFP Mutualité" in notice and "75015 Paris" in notice
    assert "Hébergeur Exemple SAS" in notice
    assert "contact@exemple.fr" in client.get(reverse("contact")).content.decode()
    statement = client.get(reverse("accessibility")).content.decode()
    assert "1er janvier 2027" in statement
    assert "partiellement conforme" in statement and "RGAA" in statement and "Défenseur des droits" in statement


@pytest.mark.django_db
def test_a_legal_page_refuses_a_post(client):
    assert client.post(reverse("privacy")).status_code == 405
