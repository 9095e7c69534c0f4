"""Autosave drafts kept in the browser (static/js/autosave.js): an expired session loses nothing, and a newer
version saved elsewhere is never overwritten silently."""

import re

from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from cqp.autosave import Versioned
from vae import workflow
from vae.models import Livret1

from ..factories import PASSWORD
from ..vae.conftest import make_dossier

DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('cqp-draft:'))"


def _livret_page(site, actor, candidat, referentiels):
    dossier = make_dossier(candidat, "cos")
    livret = workflow.start_livret1(dossier, by=candidat)
    page = actor(candidat.email)
    page.goto(livret_edit_url(livret))
    return page, livret


def livret_edit_url(livret):
    from django.urls import reverse

    return reverse("vae:livret1", args=[livret.dossier.number])


def test_an_expired_session_keeps_the_values_and_restores_them_after_login(
    site, actor, candidat, referentiels, browser_errors
):
    page, livret = _livret_page(site, actor, candidat, referentiels)
    status = page.locator("#autosave-status")
    page.get_by_label("Nom de naissance").fill("Avant")
    page.get_by_label("Nom de naissance").press("Tab")
    expect(status).to_contain_text("Enregistré à")
    # The progress bar (swapped out of band) gets its width from app.js, not from a style attribute.
    bar = page.locator("#livret1-progress .progress-bar")
    assert bar.evaluate("el => el.style.width") == bar.get_attribute("data-width") + "%"

    # The session expires on the server; the person keeps typing.
    browser_errors.ignore(r"status of 401")
    Session.objects.all().delete()
    page.get_by_label("Nom de naissance").fill("Saisi pendant l'expiration")
    page.get_by_label("Nom de naissance").press("Tab")
    expect(status).to_contain_text("Votre session a expiré : rien n'est perdu.")
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    livret.refresh_from_db()
    assert livret.birth_name == "Avant"

    # Log in again through the link: back on the page, the values are restored, then saved.
    with page.expect_navigation():
        status.get_by_role("link", name="Reconnectez-vous").click()
    assert "/connexion/" in page.url and "next=" in page.url
    page.get_by_label("Adresse e-mail").fill(candidat.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert page.url.endswith(livret_edit_url(livret))
    expect(page.locator("[data-draft-notice]")).to_contain_text("Vos saisies non enregistrées ont été restaurées.")
    expect(page.get_by_label("Nom de naissance")).to_have_value("Saisi pendant l'expiration")
    expect(status).to_contain_text("Enregistré à")
    livret.refresh_from_db()
    assert livret.birth_name == "Saisi pendant l'expiration"
    assert page.evaluate(DRAFT_KEYS) == []


def test_a_newer_version_is_shown_and_the_kept_values_restored_only_on_request(
    site, actor, candidat, referentiels, browser_errors
):
    page, livret = _livret_page(site, actor, candidat, referentiels)
    status = page.locator("#autosave-status")
    # Another tab saves first: this page now holds an older version.
    livret = Livret1.objects.get(pk=livret.pk)
    workflow.save_draft(
        livret,
        by=candidat,
        values={"birth_name": "Autre onglet"},
        experiences=[],
        unsaved={},
    )
    Versioned(Livret1, {"pk": livret.pk}).bump()  # as cqp/autosave.py does after the other tab's save
    browser_errors.ignore(r"status of 409")
    page.get_by_label("Nom de naissance").fill("Cette page")
    page.get_by_label("Nom de naissance").press("Tab")
    expect(status).to_contain_text("Enregistrement refusé")
    expect(status.locator("[data-draft-conflict]")).to_contain_text("conservées dans ce navigateur")

    with page.expect_navigation():
        status.get_by_role("button", name="Afficher la version enregistrée").click()
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_contain_text("Une version plus récente a été enregistrée")
    expect(page.get_by_label("Nom de naissance")).to_have_value("Autre onglet")  # not overwritten silently
    livret.refresh_from_db()
    assert livret.birth_name == "Autre onglet"

    notice.get_by_role("button", name="Restaurer mes saisies").click()
    expect(page.get_by_label("Nom de naissance")).to_have_value("Cette page")
    expect(status).to_contain_text("Enregistré à")
    livret.refresh_from_db()
    assert livret.birth_name == "Cette page"
    assert page.evaluate(DRAFT_KEYS) == []
    assert re.search(r"Vos saisies non enregistrées ont été restaurées", page.inner_text("body"))
