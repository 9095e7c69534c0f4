"""The « Historique » of a dossier: who changed what and when, visible to the OEMM only."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from candidates.audit_views import PAGE_SIZE
from candidates.models import Entretien
from candidates.workflow import entretien as service

from ..autosave_support import post_as_page
from ..candidates.entretien_support import _data
from ..candidates.test_entretien_workflow import entretien_data


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def url(dossier):
    return reverse("candidates:audit", args=[dossier.number])


def edit(dossier, staff, **header):
    data = _data(dossier)
    data["header"].update(header)
    service.save_entretien(dossier, by=staff, data=data)


def test_oemm_sees_transitions_and_field_changes_with_who_and_old_new_values(client, setup, oemm):  # noqa: F811
    dossier, staff = setup["dossier"], setup["organisme_staff"]
    edit(dossier, staff, synthesis="Première synthèse")
    # Through the page: the request's user is recorded as the author of the change.
    client.force_login(staff)
    edit_url = reverse("candidates:entretien_edit", args=[dossier.number])
    post = {**entretien_data(dossier), "synthesis": "Synthèse corrigée"}
    assert post_as_page(client, edit_url, post, headers={"HX-Request": "true"}).status_code == 200
    client.force_login(oemm)
    response = client.get(url(dossier))
    assert response.status_code == 200
    content = text(response)
    assert "Historique du dossier" in content
    # The simple-history change of the entretien: French label, old → new, who.
    assert "Synthèse de l'entretien : Première synthèse → Synthèse corrigée" in content
    assert f"{staff} Entretien d'accueil et d'orientation (n° " in content
    # The DossierEvent audit rows (transitions) are there too.
    assert "Entretien d'accueil commencé" in content and "Étape du dossier" in content
    # Newest first.
    assert content.index("Synthèse corrigée") < content.index("Entretien d'accueil commencé")


def test_the_creation_of_a_dossier_is_one_record_with_its_real_number(client, setup, oemm):  # noqa: F811
    dossier = setup["dossier"]
    created = dossier.history.get(history_type="+")
    assert created.number == dossier.number and not dossier.history.filter(number__startswith="tmp-").exists()
    client.force_login(oemm)
    content = text(client.get(url(dossier)))
    assert "tmp-" not in content and "Dossier Création" in content


def test_the_dossier_page_links_to_the_history_for_oemm_only(client, setup, oemm, candidat):  # noqa: F811
    dossier = setup["dossier"]
    client.force_login(oemm)
    assert f'href="{url(dossier)}"' in client.get(dossier.get_absolute_url()).content.decode()
    client.force_login(candidat)
    assert url(dossier) not in client.get(dossier.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", 302),
        ("candidate", 403),
        ("organisme_of_dossier", 403),
        ("entreprise_of_dossier", 403),
        ("other_candidate", 404),
        ("jury", 404),
        ("oemm", 200),
    ],
)
def test_only_oemm_reads_the_history(
    client,
    setup,
    who,
    expected,
    candidat,
    other_candidat,
    entreprise_user,  # noqa: F811
    oemm,
    jury_member,
):
    user = {
        "anonymous": None,
        "candidate": candidat,
        "organisme_of_dossier": setup["organisme_staff"],
        "entreprise_of_dossier": entreprise_user,
        "other_candidate": other_candidat,
        "jury": jury_member,
        "oemm": oemm,
    }[who]
    if user:
        client.force_login(user)
    response = client.get(url(setup["dossier"]))
    assert response.status_code == expected
    if who == "anonymous":
        assert reverse("login") in response["Location"]


def test_query_count_does_not_grow_with_the_rows_and_pages_are_numbered(client, setup, oemm):  # noqa: F811
    dossier, staff = setup["dossier"], setup["organisme_staff"]
    client.force_login(oemm)
    edit(dossier, staff, synthesis="v1")
    client.get(url(dossier))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as small:
        client.get(url(dossier))
    for i in range(PAGE_SIZE + 5):
        edit(dossier, staff, synthesis=f"version {i}", recommendations=f"recommandation {i}")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(dossier))
    assert len(large.captured_queries) <= len(small.captured_queries) + 2, [q["sql"] for q in large.captured_queries]
    assert "Page 1 sur 2" in text(response) and f"version {PAGE_SIZE + 4}" in text(response)
    older = client.get(url(dossier) + "?page=2")
    assert older.status_code == 200 and "Entretien d'accueil commencé" in text(older)
    assert Entretien.history.filter(dossier_id=dossier.pk).count() >= PAGE_SIZE + 5


# ------------------------------------------------------------------------------------------------ wrong state


def test_the_history_of_an_unknown_dossier_is_a_french_404(client, db, oemm):
    client.force_login(oemm)
    for number in ("2026-999999", "n-importe-quoi"):
        response = client.get(reverse("candidates:audit", args=[number]))
        assert response.status_code == 404 and "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", ""])
def test_a_wrong_page_number_shows_a_page_not_an_error(client, setup, oemm, page):  # noqa: F811
    client.force_login(oemm)
    response = client.get(url(setup["dossier"]) + f"?page={page}")
    assert response.status_code == 200 and "Entretien d'accueil commencé" in text(response)


def test_the_history_of_an_anonymised_candidates_dossier_still_opens(client, setup, oemm, candidat):  # noqa: F811
    from candidates import workflow
    from pilotage import personal_data

    dossier = setup["dossier"]
    email = candidat.email
    workflow.close(dossier, by=oemm, reason="Abandon")
    personal_data.anonymise_candidate(candidat, by=oemm, reason="Demande du candidat")
    client.force_login(oemm)
    response = client.get(url(dossier))
    assert response.status_code == 200
    content = text(response)
    assert "Données personnelles anonymisées" in content and "Demande du candidat" in content
    assert email not in content
