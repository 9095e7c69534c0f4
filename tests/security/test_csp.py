"""Content-Security-Policy: no inline script anywhere in the pages, the header on every response, confirmations as
data-confirm.
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from candidates import workflow as dossier_workflow

from ..jury.conftest import _private_storage  # noqa: F401  (autouse fixture of the jury tests, wanted here too)
from ..vae.conftest import cqp

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PDF_MODULES = ["jury/pdf.py", "vae/pdf.py", "candidates/entretien_pdf.py"]


def _pdf_templates():
    """Templates rendered by WeasyPrint (named in the PDF modules), and what they include or extend."""
    names = set()
    for module in PDF_MODULES:
        source = (Path(settings.BASE_DIR) / module).read_text()
        names.update(re.findall(r"""["']([\w/.-]+\.html)["']""", source))
    todo = list(names)
    while todo:
        text = (TEMPLATES / todo.pop()).read_text()
        for name in re.findall(r"""{%\s*(?:include|extends)\s+["']([\w/.-]+)["']""", text):
            if name not in names:
                names.add(name)
                todo.append(name)
    return names


def page_templates():
    """Every template that can end up in a page: not the e-mails, not the PDFs."""
    pdfs = _pdf_templates()
    assert {"jury/pdf/fiche.html", "vae/livret2_pdf.html", "candidates/entretien_pdf.html"} <= pdfs
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("emails/") or name in pdfs:
            continue
        yield name


TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.I)
EVAL_HTMX = re.compile(r"\shx-on[:\-]|\shx-vars\s*=|\s(?:hx-vals|hx-headers)\s*=\s*[\"']\s*js:", re.I)


def problems(text):
    found = []
    for match in INLINE_SCRIPT.finditer(text):
        found.append(f"script en ligne : {match.group(0)}")
    if re.search(r"<style\b", text, re.I):
        found.append("bloc <style> en ligne (refusé par style-src 'self')")
    if re.search(r"javascript:", text, re.I):
        found.append("URL javascript:")
    for tag in TAG.findall(text):
        if EVENT_ATTRIBUTE.search(tag):
            found.append(f"attribut on…= : {tag[:120]}")
        if re.search(r"\sstyle\s*=", tag, re.I):
            found.append(f"attribut style= (refusé par style-src 'self') : {tag[:120]}")
        if EVAL_HTMX.search(tag):
            found.append(f"htmx évalué (hx-on, hx-vars, js:) : {tag[:120]}")
    return found


def test_the_scan_catches_what_it_is_meant_to():
    assert problems("<script>alert(1)</script>")
    assert problems("<form onsubmit=\"return confirm('x')\">")
    assert problems('<a href="javascript:void(0)">')
    assert problems('<div class="progress-bar" style="width: 3%">')
    assert problems('<button hx-on:click="x()">')
    assert problems("<style>body { color: red }</style>")
    assert not problems('<script src="/static/js/app.js"></script><form data-confirm="Clore ?" class="one">')


@pytest.mark.parametrize("name", list(page_templates()))
def test_page_templates_have_no_inline_script_handler_or_style(name):
    assert problems((TEMPLATES / name).read_text()) == []


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_carries_the_policy(client, db):
    directives = csp_directives(client.get(reverse("home")))
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def test_error_and_fragment_responses_carry_it_too(client, db):
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404 and "script-src 'self'" in response["Content-Security-Policy"]
    response = client.post(reverse("candidates:entretien_edit", args=["X"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_load_scripts_from_static_files_and_htmx_without_eval(client, db):
    page = client.get(reverse("home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,"allowEval":false}\'>' in page
    assert "/static/js/app.js" in page and "/static/js/autosave.js" in page
    assert not INLINE_SCRIPT.search(page)


def test_vendored_htmx_knows_the_configuration_keys():
    source = (Path(settings.BASE_DIR) / "static/vendor/htmx/htmx.min.js").read_text()
    assert "allowEval" in source and "includeIndicatorStyles" in source


# The confirmations that were onsubmit="return confirm(…)": same messages, now data-confirm (static/js/app.js).
CONFIRMED_FORMS = [
    (
        "jury/candidate_detail.html",
        "jury:fiche_sign",
        "Signer la fiche de décision ? Elle sera verrouillée et envoyée au candidat : la décision est sans recours.",
    ),
    (
        "jury/candidate_detail.html",
        "jury:conflict",
        "Déclarer un conflit d'intérêts ? Vous ne délibérerez pas sur ce candidat.",
    ),
    ("candidates/dossier.html", "candidates:close", "Clore définitivement ce dossier ?"),
    ("jury/session_detail.html", "jury:close", "Clore la session ?"),
    ("jury/session_detail.html", "jury:open", "Ouvrir la session et désigner ce président ?"),
    ("jury/session_detail.html", "jury:member_remove", "Retirer ce membre du jury ?"),
    ("jury/session_detail.html", "jury:candidate_remove", "Retirer ce candidat de la session ?"),
    (
        "candidates/entretien_detail.html",
        "candidates:entretien_reopen",
        "Rouvrir l'entretien pour le corriger ? Il devra être validé de nouveau.",
    ),
    ("candidates/formation_detail.html", "candidates:formation_ready", "Déclarer ce dossier prêt pour le jury ?"),
    ("candidates/_formation_section.html", "candidates:formation_ready", "Déclarer ce dossier prêt pour le jury ?"),
    ("candidates/formation_tutorat.html", "candidates:formation_tutor_delete", "Supprimer ce point d'étape ?"),
    ("vae/accompagnement.html", "vae:accompagnement_request", "Demander un accompagnement à cet organisme ?"),
    ("vae/accompagnement.html", "vae:accompagnement_accept", "Accepter cette convention d'accompagnement ?"),
    ("vae/accompagnement.html", "vae:accompagnement_cancel", "Annuler cette convention ?"),
    ("vae/livret2_acknowledge.html", None, "Enregistrer la réception du livret 2 ?"),
    ("vae/livret1_detail.html", "vae:livret1_renew", "Commencer une demande de {{ renewal_kind|lower }} ?"),
    ("vae/_livret1_section.html", "vae:livret1_renew", "Commencer une demande de {{ l1.renewal_kind|lower }} ?"),
]


@pytest.mark.parametrize("template, url_name, message", CONFIRMED_FORMS)
def test_confirmed_forms_use_data_confirm(template, url_name, message):
    text = (TEMPLATES / template).read_text()
    forms = re.findall(r"<form\b[^>]*>", text)
    if url_name:
        forms = [form for form in forms if f"{{% url '{url_name}'" in form]
    assert any(f'data-confirm="{message}"' in form for form in forms), forms


def test_the_dossier_closing_form_asks_for_confirmation(client, referentiels, candidat, oemm):
    dossier = dossier_workflow.register_vae(candidate=candidat, certification=cqp("gpac"))
    client.force_login(oemm)
    page = html.unescape(client.get(reverse("candidates:dossier", args=[dossier.number])).content.decode())
    close_url = reverse("candidates:close", args=[dossier.number])
    form = re.search(rf'<form[^>]*action="{re.escape(close_url)}"[^>]*>', page).group(0)
    assert 'data-confirm="Clore définitivement ce dossier ?"' in form


def test_the_fiche_signing_form_asks_for_confirmation(client, open_session_with, members, oemm):
    from jury import workflow as jury_workflow

    from ..jury.conftest import all_units, at

    session, (candidate,) = open_session_with(("cos", None))
    with at(2026, 11, 23, 9, 0):
        fiche = jury_workflow.record_deliberation(candidate, by=members["emp2"], decisions=all_units(candidate))
        client.force_login(members["emp1"])
        page = html.unescape(client.get(candidate.get_absolute_url()).content.decode())
    sign_url = reverse("jury:fiche_sign", kwargs={"pk": fiche.pk})
    form = re.search(rf'<form[^>]*action="{re.escape(sign_url)}"[^>]*>', page).group(0)
    assert (
        'data-confirm="Signer la fiche de décision ? Elle sera verrouillée et envoyée au candidat : '
        'la décision est sans recours."'
    ) in form
