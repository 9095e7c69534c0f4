"""Every main page of every main role at phone width (390 px): no horizontal overflow, axe-core clean.

The pages come from the access matrix (tests/security/test_access_matrix.py): for each persona of the access world
(tests/security/access_world.py: a VAE dossier through its jury, a voie formative dossier, an open session...), every
URL pattern the matrix lets that persona open (200), with its arguments from tests/security/access_kwargs.py, and
answering HTML (PDFs, CSV and downloads are left out). A new page in the matrix is checked here without editing this
file. A URL already checked for an earlier persona is not checked again (the legal pages, the catalogue...).

One browser, one context per persona (logged in once). Each page: a screenshot at 390 px
(tests/artifacts/screenshots/390-<persona>-<page>.png; the pages of DESKTOP_SHOTS also at 1366 px, checked too);
``scrollWidth > innerWidth`` fails naming the page and its widest elements, axe-core's serious and critical
violations fail naming the page. All pages are visited before the test fails, so one run lists every problem.
"""

import re

from django.test import Client
from django.urls import reverse

from candidates import workflow as formation_workflow
from cqp.enums import Role
from messagerie import services as messagerie
from vae import workflow
from vae.uploads import check_upload

from ..candidates.formation_support import units_of
from ..factories import user_with_role
from ..security.access_kwargs import url_kwargs
from ..security.access_urls import patterns, row, url_for
from ..security.access_world import build_world
from ..security.test_access_matrix import MATRIX
from ..vae.conftest import PDF, complete, upload
from ..vae.livret2_support import register
from .conftest import AXE_JS, DESKTOP, MOBILE, SCREENSHOTS, format_violations

PERSONAS = ["anonymous", "candidate", "centre", "company", "oemm", "jury", "president"]
# Pages answering 200 that are not worth a phone check: invalid-link pages, the probes, the admin.
SKIPPED = re.compile(
    r"^(admin:|health$|bench_|password_reset_confirm$|signup_confirm$|invitation_accept$"
    r"|email_change_confirm$|verification:verify_document$)"
)

# Also shot at desktop width (1366 px), to look at: the header, the footer, the legal pages, a few main pages.
DESKTOP_SHOTS = {
    "home",
    "legal_notice",
    "privacy",
    "accessibility",
    "referentiels:detail",
    "dashboard_candidat",
    "vae:livret1",
    "dashboard_oemm",
    "jury:session",
    "dashboard_jury",
}

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const wide = [];  // the outermost elements sticking out: their parent fits
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && parent.right <= width + 1) {
      wide.push(name(el) + ' (' + Math.round(box.right) + ' px)');
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6)};
}"""


def pages_of(world):
    """{persona: [(url name, url)]}: the HTML pages each persona may open, each URL once."""
    kwargs, known, seen = url_kwargs(world), patterns(), set()
    pages = {}
    for persona in PERSONAS:
        client = Client()
        if world.people[persona] is not None:
            client.force_login(world.people[persona])
        pages[persona] = []
        for name, entry in MATRIX.items():
            if "get" not in entry or SKIPPED.match(name) or row(entry["get"]).get(persona) != "200":
                continue
            url = url_for(name, *known[name], world, kwargs)
            if url in seen:
                continue
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                seen.add(url)
                pages[persona].append((name, url))
    return pages


def test_every_main_page_fits_a_phone_and_passes_axe(site, _new_page, browser_errors):
    world = build_world()
    world.people["anonymous"] = None
    pages = pages_of(world)
    assert sum(len(p) for p in pages.values()) > 60, pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = AXE_JS.read_text(encoding="utf-8")
    problems = []
    for persona in PERSONAS:
        page = _new_page(viewport=MOBILE)  # not is_mobile: Chromium would widen the layout viewport to the content
        user = world.people[persona]
        if user is not None:
            page.context.add_cookies(_session_cookie(site, user))
        for name, url in pages[persona]:
            problems += check_page(page, source, persona, name, url, desktop=name in DESKTOP_SHOTS)
        page.context.close()
    assert not problems, "\n".join(problems)
    browser_errors.check()


def check_page(page, source, persona, name, url, *, desktop=False) -> list[str]:
    """Open ``url`` at 390 px (and 1366 px with ``desktop``): screenshots, horizontal overflow, axe-core."""
    problems = []
    page.goto(url)
    page.wait_for_load_state("load")
    shot_name = f"{persona}-{name.replace(':', '-')}.png"
    if desktop:
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=SCREENSHOTS / f"1366-{shot_name}", full_page=True)
        if overflow := page.evaluate(OVERFLOW_JS):
            problems.append(f"{persona} {name} ({url}) déborde à 1366 px : {overflow}")
        page.set_viewport_size(MOBILE)
    page.screenshot(path=SCREENSHOTS / f"390-{shot_name}", full_page=True)
    if overflow := page.evaluate(OVERFLOW_JS):
        problems.append(
            f"{persona} {name} ({url}) déborde : {overflow['scrollWidth']} px pour {overflow['width']} px ; "
            + ", ".join(overflow["wide"])
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    if serious:
        problems.append(f"{persona} {name} ({url}) axe-core :\n{format_violations(serious)}")
    return problems


def test_conversation_verdict_and_recap_pages_fit(site, referentiels, designated, candidat, _new_page, browser_errors):
    """Pages in states the access world does not reach, at 390 and 1366 px (issue 21): the message thread of the
    candidate and of the OEMM (messages with attachments and read receipts), the instruction page with a verdict on
    a piece, the candidate's pieces with a piece « à remplacer », the recap before signing the candidate's part of
    the livret d'évaluation finale (some answers written, others empty)."""
    oemm, vae_candidate = user_with_role(Role.OEMM), user_with_role(Role.CANDIDAT)
    dossier = register(vae_candidate)
    livret = complete(workflow.start_livret1(dossier, by=vae_candidate), vae_candidate)
    workflow.submit_livret1(livret, by=vae_candidate)
    piece = livret.pieces.get(kind="identite")
    workflow.give_verdict(piece, by=oemm, verdict="illisible", reason="Le nom ne se lit pas : une copie nette, svp.")
    long_name = "copie-de-la-carte-nationale-d-identite-recto-verso-scannee-en-couleur.pdf"
    first = messagerie.post_message(
        dossier, by=oemm, body="Votre carte est illisible. " * 12, checked=check_upload(upload(long_name, PDF))
    )
    messagerie.mark_read([first], vae_candidate)
    messagerie.post_message(
        dossier, by=vae_candidate, body="Voici une copie.", checked=check_upload(upload("c.pdf", PDF))
    )
    units = units_of(designated)
    formation_workflow.save_candidate_part(
        designated,
        by=candidat,
        activities="Traitement de dossiers santé.",
        answers={units[0].pk: {"questions": ["Ma réponse"] * len(units[0].final_questions)}},
    )
    n = dossier.number
    visits = {
        vae_candidate: [
            ("messagerie:thread", reverse("messagerie:thread", args=[n])),
            ("vae:livret1", reverse("vae:livret1", args=[n])),
        ],
        oemm: [
            ("messagerie:thread", reverse("messagerie:thread", args=[n])),
            ("vae:livret1_decide", reverse("vae:livret1_decide", args=[n])),
        ],
        candidat: [
            (
                "candidates:formation_candidate_sign",
                reverse("candidates:formation_candidate_sign", args=[designated.number]),
            )
        ],
    }
    cookies = {user: _session_cookie(site, user) for user in visits}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = AXE_JS.read_text(encoding="utf-8")
    problems = []
    for user, urls in visits.items():
        page = _new_page(viewport=MOBILE)
        page.context.add_cookies(cookies[user])
        persona = "j21-" + (
            "oemm" if user == oemm else "candidat-vae" if user == vae_candidate else "candidat-formation"
        )
        for name, url in urls:
            problems += check_page(page, source, persona, name, url, desktop=True)
        page.context.close()
    assert not problems, "\n".join(problems)
    browser_errors.check()


def _session_cookie(site, user):
    """The session cookie of a logged-in ``user`` (force_login: no login form per persona)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    return [{"name": "sessionid", "value": cookie.value, "url": site}]
