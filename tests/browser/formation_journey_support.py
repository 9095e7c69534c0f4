"""Helpers of the voie formative browser journey (tests/browser/test_formation_journey.py): the autosave probe,
the clock, confirmations and navigation."""

import datetime as dt
import zoneinfo

import time_machine
from playwright.sync_api import expect

NEW_PASSWORD = "Un-mot-de-passe-solide-2026"

# Autosave (htmx, « change delay:500ms »): remember the last change and whether a request started after it
# came back successfully. Installed in every page of an actor before any of its scripts runs.
AUTOSAVE_PROBE = """
(() => {
  const s = window.__autosave = {lastChange: 0, saved: false};
  document.addEventListener('change', () => { s.lastChange = performance.now(); s.saved = false; }, true);
  document.addEventListener('htmx:beforeRequest', (e) => { e.detail.xhr.__startedAt = performance.now(); });
  document.addEventListener('htmx:afterRequest', (e) => {
    if (e.detail.successful && e.detail.xhr.__startedAt > s.lastChange) s.saved = true;
  });
})();
"""


PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def travel(request, day: dt.date, at: dt.time):
    """The clock moves on to ``day`` (browser and server alike) for the rest of the test."""
    traveller = time_machine.travel(dt.datetime.combine(day, at, tzinfo=PARIS))
    traveller.start()
    request.addfinalizer(traveller.stop)


def person(page):
    """A page that can wait for the htmx autosave of what was typed."""
    page.add_init_script(AUTOSAVE_PROBE)
    return page


def autosaved(page):
    """Leave the field being typed in (a « change » event), then wait until the autosave of everything is back."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_function("() => window.__autosave.saved && !document.querySelector('.htmx-request')")
    expect(page.locator("#autosave-status")).to_contain_text("Enregistré à")


def check_all(page, selector):
    boxes = page.locator(selector)
    count = boxes.count()
    assert count, f"aucun champ {selector}"
    for i in range(count):
        boxes.nth(i).check()
    return count


def confirm(page, label, button):
    """A confirmation page: tick the box, press the button (the window.confirm dialog is accepted)."""
    page.get_by_label(label).check()
    page.get_by_role("button", name=button, exact=True).click()


def success(page, text):
    expect(page.locator(".alert-success").filter(has_text=text)).to_be_visible()


def nav(page, name):
    """A link of the main navigation bar."""
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name=name, exact=True).click()


def open_dossier(page, number):
    """From the actor's dashboard (or the dossier list), the link with the dossier number."""
    page.get_by_role("link", name=number, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Dossier {number}")
