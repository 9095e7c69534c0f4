"""No lost work, server side: the entretien d'accueil and the livrets of the voie formative refuse a stale save.

Like livret 1: the page carries the version it was loaded with; an older version is refused with 409 and a
French message (with a link to reload); a save returns the next version; an expired session gets a 401.
"""

import html
import re

from django.urls import reverse

from candidates.formation_file import build_file
from candidates.models import Entretien, LivretEvaluation, LivretSuivi, UnitAssessment

from ..candidates.formation_support import assessment_post, synthesis_post, units_of
from ..candidates.test_entretien_workflow import entretien_data

HX = {"HX-Request": "true"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_version(response) -> str:
    return re.search(r'name="version" id="livret-version" value="(\d+)"', text(response)).group(1)


# --- entretien d'accueil ------------------------------------------------------------------------------------


def test_entretien_autosave_increments_the_version_and_refuses_an_older_one(client, setup):  # noqa: F811
    dossier, staff = setup["dossier"], setup["organisme_staff"]
    url = reverse("candidates:entretien_edit", args=[dossier.number])
    client.force_login(staff)
    start = Entretien.objects.get(dossier=dossier).version
    assert page_version(client.get(url)) == str(start)
    data = {**entretien_data(dossier), "synthesis": "Premier onglet", "version": str(start)}
    response = client.post(url, data, headers=HX)
    assert response.status_code == 200
    assert f'id="livret-version" value="{start + 1}" hx-swap-oob="true"' in text(response)
    # A second tab still holds the first version: refused, nothing written.
    response = client.post(url, {**data, "synthesis": "Second onglet"}, headers=HX)
    assert response.status_code == 409
    content = text(response)
    assert "Enregistrement refusé" in content and "version plus récente" in content
    assert f'href="{url}"' in content and "Recharger la version la plus récente" in content
    entretien = Entretien.objects.get(dossier=dossier)
    assert entretien.synthesis == "Premier onglet" and entretien.version == start + 1


def test_entretien_full_form_stale_save_redisplays_what_was_typed(client, setup):  # noqa: F811
    dossier, staff = setup["dossier"], setup["organisme_staff"]
    url = reverse("candidates:entretien_edit", args=[dossier.number])
    client.force_login(staff)
    start = Entretien.objects.get(dossier=dossier).version
    client.post(url, {**entretien_data(dossier), "version": str(start)}, headers=HX)
    response = client.post(
        url, {**entretien_data(dossier), "synthesis": "Tapé dans l'onglet périmé", "version": str(start)}
    )
    assert response.status_code == 409
    content = text(response)
    assert "Non enregistré" in content and "version plus récente" in content and "Tapé dans l'onglet périmé" in content
    assert page_version(response) == str(start)  # still stale: a second submit is refused too
    assert Entretien.objects.get(dossier=dossier).synthesis != "Tapé dans l'onglet périmé"


def test_entretien_autosave_with_an_expired_session_gets_401_and_saves_nothing(client, setup):  # noqa: F811
    dossier = setup["dossier"]
    url = reverse("candidates:entretien_edit", args=[dossier.number])
    before = Entretien.objects.get(dossier=dossier)
    response = client.post(
        url, {**entretien_data(dossier), "synthesis": "Après expiration", "version": str(before.version)}, headers=HX
    )
    assert response.status_code == 401
    assert "Votre session a expiré" in text(response) and reverse("login") in text(response)
    after = Entretien.objects.get(dossier=dossier)
    assert after.synthesis == before.synthesis and after.version == before.version
    # Without htmx too (a full page, still 401, nothing saved); a page view still goes to the login page.
    assert client.post(url, {"synthesis": "x"}).status_code == 401
    assert client.get(url).status_code == 302


# --- voie formative ----------------------------------------------------------------------------------------


def test_candidate_part_refuses_a_stale_save(client, designated, candidat):  # noqa: F811
    url = reverse("candidates:formation_candidate", args=[designated.number])
    client.force_login(candidat)
    assert page_version(client.get(url)) == "1"  # not created yet: version 1
    response = client.post(url, {"activities": "Premier onglet", "version": "1"}, headers=HX)
    assert response.status_code == 200 and 'id="livret-version" value="2"' in text(response)
    response = client.post(url, {"activities": "Second onglet", "version": "1"}, headers=HX)
    assert response.status_code == 409 and "Enregistrement refusé" in text(response)
    livret = LivretEvaluation.objects.get(dossier=designated)
    assert livret.candidate_activities == "Premier onglet" and livret.version == 2
    assert page_version(client.get(url)) == "2"
    # A garbled version is refused as well.
    assert client.post(url, {"activities": "x", "version": "abc"}, headers=HX).status_code == 409


def test_candidate_part_and_synthesis_have_separate_counters(client, designated, candidat, manager):  # noqa: F811
    client.force_login(candidat)
    client.post(
        reverse("candidates:formation_candidate", args=[designated.number]),
        {"activities": "a", "version": "1"},
        headers=HX,
    )
    client.force_login(manager)
    url = reverse("candidates:formation_synthesis", args=[designated.number])
    response = client.post(url, {**synthesis_post(units_of(designated)), "version": "1"}, headers=HX)
    assert response.status_code == 200
    livret = LivretEvaluation.objects.get(dossier=designated)
    assert (livret.version, livret.synthesis_version) == (2, 2)


def test_unit_assessment_refuses_a_stale_save_and_full_form_keeps_the_input(client, designated, manager):  # noqa: F811
    unit = units_of(designated)[0]
    url = reverse("candidates:formation_assessment", args=[designated.number, unit.pk, 1])
    client.force_login(manager)
    assert client.post(url, {**assessment_post(unit), "version": "1"}, headers=HX).status_code == 200
    response = client.post(url, {**assessment_post(unit, comments="Commentaire de l'onglet périmé"), "version": "1"})
    assert response.status_code == 409
    assert "Commentaire de l'onglet périmé" in text(response) and "Recharger la version la plus récente" in text(
        response
    )
    assessment = UnitAssessment.objects.get(livret__dossier=designated, unit=unit, slot=1)
    assert assessment.comments == "Très bonne maîtrise." and assessment.version == 2


def test_livret_suivi_versions_and_expired_session(client, designated, organisme_staff):  # noqa: F811
    url = reverse("candidates:formation_suivi_edit", args=[designated.number])
    client.force_login(organisme_staff)
    page = client.get(url)
    version = page_version(page)
    data = {
        "training_manager": "Mme Leroy",
        "version": version,
        "modules-TOTAL_FORMS": "0",
        "modules-INITIAL_FORMS": "0",
    }
    response = client.post(url, data, headers=HX)
    assert response.status_code == 200, text(response)
    assert LivretSuivi.objects.get(dossier=designated).version == int(version) + 1
    assert client.post(url, {**data, "training_manager": "Autre"}, headers=HX).status_code == 409
    client.logout()
    response = client.post(url, {**data, "version": str(int(version) + 1)}, headers=HX)
    assert response.status_code == 401 and "Votre session a expiré" in text(response)
    assert LivretSuivi.objects.get(dossier=designated).training_manager == "Mme Leroy"


def test_a_post_without_version_is_refused_like_a_stale_one(client, designated, candidat):
    """A post that carries no version (not from our pages, or a page cached from before versions existed) is refused
    on every autosaved page, with the same French message (cqp/autosave.py)."""
    client.force_login(candidat)
    url = reverse("candidates:formation_candidate", args=[designated.number])
    response = client.post(url, {"activities": "Sans version"}, headers=HX)
    assert response.status_code == 409
    assert "Enregistrement refusé" in text(response) and "n'indique pas la version" in text(response)
    assert build_file(designated).livret is None or build_file(designated).livret.candidate_activities != "Sans version"


# --- the tutor's points d'étape and grilles (plain forms) ------------------------------------------------------


def test_a_tutor_entry_edited_in_two_tabs_refuses_the_older_save_and_keeps_what_was_typed(client, designated, tutor):  # noqa: F811
    from candidates.models import TutorReview

    client.force_login(tutor)
    new = reverse("candidates:formation_review_new", args=[designated.number])
    assert client.post(new, {"held_on": "2026-11-02", "with_whom": "La candidate"}).status_code == 302
    review = TutorReview.objects.get(dossier=designated)
    url = reverse("candidates:formation_review", args=[designated.number, review.pk])
    first_tab, second_tab = client.get(url), client.get(url)
    assert 'name="version" value="1"' in text(first_tab) and 'name="version" value="1"' in text(second_tab)
    saved = client.post(
        url, {"held_on": "2026-11-02", "with_whom": "La candidate", "strengths": "Premier onglet", "version": "1"}
    )
    assert saved.status_code == 302
    stale = client.post(
        url, {"held_on": "2026-11-02", "with_whom": "La candidate", "strengths": "Second onglet", "version": "1"}
    )
    assert stale.status_code == 409
    page = text(stale)
    assert "Second onglet" in page and "version plus récente" in page and "Recharger la version la plus récente" in page
    assert 'name="version" value="1"' in page  # saving again from this page is still refused until it is reloaded
    review.refresh_from_db()
    assert review.strengths == "Premier onglet" and review.version == 2
    assert 'name="version" value="2"' in text(client.get(url))
