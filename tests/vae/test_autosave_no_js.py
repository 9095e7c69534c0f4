"""Livrets 1 and 2 without JavaScript: two browsers load the page, one saves, the other posts its stale version with
the « Enregistrer » button. The whole page comes back (409) with what was typed and the French conflict message;
nothing is saved (cqp/autosave.py)."""

import html
import re

from django.urls import reverse

from vae.models import Livret1, Livret2
from vae.workflow import livret2

from .conftest import post_data
from .livret2_support import livret2_post

TYPED = "Tapé dans l'onglet périmé"


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_version(response) -> str:
    return re.search(r'name="version" id="livret-version" value="(-?\d+)"', text(response)).group(1)


def assert_conflict_page(response, page_url):
    assert response.status_code == 409
    content = text(response)
    assert "<html" in content  # the whole page, never a bare fragment
    assert TYPED in content
    assert "Non enregistré" in content and "version plus récente" in content
    assert f'href="{page_url}"' in content and "Recharger la version la plus récente" in content
    return content


def test_livret1_stale_save_without_javascript_redisplays_the_page(client, livret, candidat):
    client.force_login(candidat)
    number = livret.dossier.number
    page_url = reverse("vae:livret1", args=[number])
    first, second = client.get(page_url), client.get(page_url)
    version = page_version(first)
    assert page_version(second) == version
    save_url = reverse("vae:livret1_save", args=[number])
    saved = client.post(save_url, post_data(livret, version=version, birth_name="Premier onglet"))
    assert saved.status_code == 302
    stale = client.post(save_url, post_data(livret, version=version, birth_name=TYPED))
    assert_conflict_page(stale, page_url)
    assert page_version(stale) == version  # saving again from this page is refused until it is reloaded
    livret = Livret1.objects.get(pk=livret.pk)
    assert livret.birth_name == "Premier onglet" and livret.version == int(version) + 1


def test_livret2_stale_save_without_javascript_redisplays_the_page(client, recevable_dossier, candidat):
    livret = livret2.start_livret2(recevable_dossier, by=candidat)
    client.force_login(candidat)
    number = recevable_dossier.number
    page_url = reverse("vae:livret2", args=[number])
    first, second = client.get(page_url), client.get(page_url)
    version = page_version(first)
    assert page_version(second) == version
    save_url = reverse("vae:livret2_save", args=[number])
    saved = client.post(save_url, livret2_post(livret, version=version, context="Premier onglet"))
    assert saved.status_code == 302
    stale = client.post(save_url, livret2_post(livret, version=version, context=TYPED))
    assert_conflict_page(stale, page_url)
    livret = Livret2.objects.get(pk=livret.pk)
    assert livret.context == "Premier onglet" and livret.version == int(version) + 1


def test_livret1_post_without_version_is_refused_with_the_page(client, livret, candidat):
    client.force_login(candidat)
    data = post_data(livret, birth_name=TYPED)
    del data["version"]
    response = client.post(reverse("vae:livret1_save", args=[livret.dossier.number]), data)
    assert response.status_code == 409 and TYPED in text(response) and "n'indique pas la version" in text(response)
    assert Livret1.objects.get(pk=livret.pk).birth_name != TYPED
