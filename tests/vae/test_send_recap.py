"""The « Vérifier et envoyer » recap of livrets 1 and 2: every section filled or to complete (linked), the documents
joined, the experience counted, the sworn statement; read from the livrets' own completeness rules."""

import html

from django.urls import reverse

from vae.enums import Livret1State
from vae.workflow import livret2

from .conftest import complete
from .livret2_support import fill


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_livret1_recap_lists_sections_with_links_and_refuses_sending(client, livret, candidat):
    client.force_login(candidat)
    url = reverse("vae:livret1_submit", args=[livret.dossier.number])
    page = _page(client, url)
    edit = reverse("vae:livret1", args=[livret.dossier.number])
    assert "Ce qui sera envoyé" in page and "à compléter" in page
    assert f'href="{edit}#section-declaration"' in page  # an empty required section, linked to where to fill it
    assert "Aucun document joint." in page
    assert "Pas encore cochée" in page and "Déclare sur l'honneur" in page
    assert "Expérience comptée" in page
    assert 'name="confirm"' not in page  # no sending form while something required is missing
    response = client.post(url, {"confirm": "on"})
    assert "ne peut pas être envoyé" in html.unescape(response.content.decode()) or "Indiquez" in html.unescape(
        response.content.decode()
    )
    livret.refresh_from_db()
    assert livret.state == Livret1State.BROUILLON


def test_livret1_recap_of_a_complete_livret(client, complete_livret, candidat):
    client.force_login(candidat)
    page = _page(client, reverse("vae:livret1_submit", args=[complete_livret.dossier.number]))
    assert "à compléter" not in page and "rempli" in page
    piece = complete_livret.pieces.first()
    assert piece.original_name in page
    assert "Cochée" in page and 'name="confirm"' in page and "data-confirm" in page


def test_livret1_recap_queries_do_not_grow_with_pieces(client, livret, candidat, django_assert_max_num_queries):
    client.force_login(candidat)
    complete(livret, candidat)
    url = reverse("vae:livret1_submit", args=[livret.dossier.number])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    complete(livret, candidat)  # more pieces and experiences
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_livret1_recap_is_not_for_outsiders(client, livret, other_candidat):
    client.force_login(other_candidat)
    assert client.get(reverse("vae:livret1_submit", args=[livret.dossier.number])).status_code == 404


def test_livret2_recap(client, recevable_dossier, candidat):
    client.force_login(candidat)
    livret = livret2.start_livret2(recevable_dossier, by=candidat)
    url = reverse("vae:livret2_submit", args=[recevable_dossier.number])
    page = _page(client, url)
    assert "Ce qui sera envoyé" in page and "à compléter" in page and 'name="confirm"' not in page
    assert f"{reverse('vae:livret2', args=[recevable_dossier.number])}#section-" in page
    fill(livret, candidat)
    page = _page(client, url)
    assert "à compléter" not in page and 'name="confirm"' in page
