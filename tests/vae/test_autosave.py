"""Autosave of the livret 1 draft: nothing typed is lost, stale versions are refused, expired sessions keep the
draft.
"""

import html

from django.urls import reverse

from vae.models import Livret1

from .conftest import post_data


def save_url(livret):
    return reverse("vae:livret1_save", args=[livret.dossier.number])


def test_edit_page_shows_every_section_with_labels(client, livret, candidat):
    client.force_login(candidat)
    response = client.get(reverse("vae:livret1", args=[livret.dossier.number]))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    for title in (
        "1. Nature de la demande",
        "2. Certification visée",
        "3. État civil",
        "4. Situation actuelle",
        "5. Niveau de formation",
        "6. Expériences en rapport direct",
        "7. Déclaration sur l'honneur",
        "8. Pièces justificatives",
    ):
        assert title in page
    assert "Nom de naissance" in page and "Conseiller offres de services" in page
    assert "ne pas déposer plus de trois demandes de Validation des Acquis de l'Expérience" in page
    assert (
        "Déclare sur l'honneur que les informations fournies sont exactes et que j'ai renseigné moi-même ce dossier."
        in page
    )
    assert 'hx-post="' + save_url(livret) in page and 'name="version"' in page
    assert "Minimum demandé pour ce CQP : 1 an." in page


def test_autosave_stores_the_draft_and_returns_time_progress_and_total(client, livret, candidat):
    client.force_login(candidat)
    response = client.post(save_url(livret), post_data(livret), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Enregistré à" in content
    assert 'id="livret-version" value="2"' in content and 'hx-swap-oob="true"' in content
    assert 'id="livret1-progress"' in content and 'id="experience-total"' in content
    assert "La durée minimale est atteinte." in content
    livret.refresh_from_db()
    assert livret.version == 2 and livret.birth_name == "Martin" and livret.experiences.count() == 1
    assert livret.experiences.get().end is None


def test_a_save_carrying_an_older_version_is_refused(client, livret, candidat):
    client.force_login(candidat)
    client.post(save_url(livret), post_data(livret, birth_name="Premier onglet"), HTTP_HX_REQUEST="true")
    # A second tab still holds version 1.
    response = client.post(
        save_url(livret), post_data(livret, version="1", birth_name="Second onglet"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "Enregistrement refusé" in html.unescape(response.content.decode())
    livret.refresh_from_db()
    assert livret.birth_name == "Premier onglet" and livret.version == 2


def test_expired_session_gets_a_401_message_and_the_draft_is_intact_after_login(client, livret, candidat):
    client.force_login(candidat)
    client.post(save_url(livret), post_data(livret, birth_name="Déjà enregistré"), HTTP_HX_REQUEST="true")
    client.logout()
    livret.refresh_from_db()
    response = client.post(
        save_url(livret), post_data(livret, birth_name="Tapé après expiration"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 401
    content = html.unescape(response.content.decode())
    assert "Votre session a expiré" in content and "rien n'est perdu" in content and reverse("login") in content
    livret.refresh_from_db()
    assert livret.birth_name == "Déjà enregistré" and livret.version == 2
    # Logged in again (another tab), the page saves what it kept, with the same version.
    client.force_login(candidat)
    response = client.post(
        save_url(livret), post_data(livret, version="2", birth_name="Tapé après expiration"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    livret.refresh_from_db()
    assert livret.birth_name == "Tapé après expiration"


def test_invalid_input_is_kept_and_shown_back(client, livret, candidat):
    client.force_login(candidat)
    data = post_data(
        livret,
        email="pas-une-adresse",
        **{"experiences-0-start": "31/02/2020", "experiences-0-hours_per_week": "beaucoup"},
    )
    response = client.post(save_url(livret), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "non valides" in content and "Adresse e-mail" in content
    livret.refresh_from_db()
    assert livret.unsaved_input == {
        "email": "pas-une-adresse",
        "experiences-0-start": "31/02/2020",
        "experiences-0-hours_per_week": "beaucoup",
    }
    assert livret.birth_name == "Martin"  # valid fields were saved
    page = html.unescape(client.get(reverse("vae:livret1", args=[livret.dossier.number])).content.decode())
    assert 'value="pas-une-adresse"' in page and "31/02/2020" in page and 'value="beaucoup"' in page
    assert "Des saisies non valides ont été conservées" in page


def test_deleted_and_blank_experience_rows_are_dropped(client, livret, candidat):
    client.force_login(candidat)
    data = post_data(
        livret,
        **{
            "experiences-TOTAL_FORMS": "3",
            "experiences-1-function": "À supprimer",
            "experiences-1-DELETE": "on",
            "experiences-2-function": "",
        },
    )
    client.post(save_url(livret), data, HTTP_HX_REQUEST="true")
    assert list(livret.experiences.values_list("function", flat=True)) == ["Conseillère offres de services"]


def test_without_htmx_the_save_redirects_back_with_a_message(client, livret, candidat):
    client.force_login(candidat)
    response = client.post(save_url(livret), post_data(livret))
    assert response.status_code == 302 and response.url == reverse("vae:livret1", args=[livret.dossier.number])


def test_submitted_livret_cannot_be_saved(client, complete_livret, candidat):
    from vae import workflow

    workflow.submit_livret1(complete_livret, by=candidat)
    client.force_login(candidat)
    complete_livret.refresh_from_db()
    response = client.post(
        save_url(complete_livret), post_data(complete_livret, birth_name="X"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert Livret1.objects.get().birth_name == "Martin"
