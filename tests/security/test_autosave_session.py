"""Autosave with an expired session: every autosave endpoint answers 401 to htmx (never the login page swapped
into the form), with a login link back to the page being edited; the browser keeps the values
(static/js/autosave.js) and saves them after the login."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

AUTOSAVE_URLS = [
    ("vae:livret1_save", {"number": "VAE-X"}),
    ("vae:livret2_save", {"number": "VAE-X"}),
    ("candidates:entretien_edit", {"number": "VAE-X"}),
    ("candidates:formation_suivi_edit", {"number": "FOR-X"}),
    ("candidates:formation_formative", {"number": "FOR-X", "unit_id": 1}),
    ("candidates:formation_candidate", {"number": "FOR-X"}),
    ("candidates:formation_assessment", {"number": "FOR-X", "unit_id": 1, "slot": 1}),
    ("candidates:formation_synthesis", {"number": "FOR-X"}),
]


@pytest.mark.parametrize("name, kwargs", AUTOSAVE_URLS)
def test_an_autosave_without_session_gets_a_401_message(client, db, name, kwargs):
    response = client.post(
        reverse(name, kwargs=kwargs),
        {"field": "valeur"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/dossiers/FOR-X/page-en-cours/",
    )
    assert response.status_code == 401
    content = html.unescape(response.content.decode())
    assert "Votre session a expiré" in content
    assert "<html" not in content  # a fragment for the status zone, not the login page
    login = re.search(r'href="([^"]+)"', content).group(1)
    assert login.startswith(reverse("login"))


def test_any_other_htmx_request_without_session_gets_the_401_too(client, db):
    """Every view behind login_required_page: a 401 fragment linking to the login page, then back to the page."""
    response = client.get(
        reverse("candidates:entretien", kwargs={"number": "VAE-X"}),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/dossiers/FOR-X/page-en-cours/",
    )
    assert response.status_code == 401
    content = response.content.decode()
    assert "<html" not in content and "Votre session a expiré : rien n'est perdu." in html.unescape(content)
    assert f'href="{reverse("login")}?next=%2Fdossiers%2FFOR-X%2Fpage-en-cours%2F"' in content


def test_without_htmx_an_anonymous_page_view_still_goes_to_the_login_page(client, db):
    response = client.get(reverse("candidates:entretien", kwargs={"number": "VAE-X"}))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_signed_in_htmx_request_reaches_the_view(client, candidat):
    """The 401 is for anonymous people only: a signed-in outsider gets the usual 404."""
    client.force_login(candidat)
    response = client.post(reverse("candidates:entretien_edit", kwargs={"number": "VAE-X"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_every_autosaved_form_is_handled_by_autosave_js():
    """autosave.js keeps the drafts of the forms that post to #autosave-status: every autosaved form does."""
    templates = Path(settings.BASE_DIR) / "templates"
    autosaved = []
    for path in templates.rglob("*.html"):
        for form in re.findall(r"<form\b[^>]*>", path.read_text(), re.S):
            if "hx-trigger=" in form and ("change" in form) and "hx-post=" in form:
                autosaved.append((path.name, form))
    assert len(autosaved) >= 8
    for name, form in autosaved:
        assert 'hx-target="#autosave-status"' in form, name
    source = (Path(settings.BASE_DIR) / "static/js/autosave.js").read_text()
    assert "'#autosave-status'" in source and "Vos saisies non enregistrées ont été restaurées." in source
