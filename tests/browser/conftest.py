"""Browser tests: real pages in Debian's headless Chromium, driven by Playwright, against Django's live server.

Everything a browser test needs is here; a test module only asks for these fixtures (all marked ``browser``
automatically, and skipped with a clear reason when Chromium or axe-core is missing: ``make browser-deps``).

Stable fixtures (used by test_vae_journey.py and test_formation_journey.py):

``site``
    The base URL of the live server (``"http://localhost:PORT"``), without a trailing slash. Asking for it
    starts pytest-django's ``live_server`` and makes the test transactional (the server thread sees the data).
    The database is empty: load the référentiels with the ``referentiels`` fixture (tests/conftest.py).
    Celery runs eagerly (tests/conftest.py): PDFs are built in the server thread; mails land in
    ``django.core.mail.outbox`` (same process). Uploaded and generated files go to a temporary folder.
    Time is NOT frozen: the browser would drop cookies whose expiry lies in its past; compute dates from today.

``anonymous()`` -> Page
    A new page in its own, new browser context (no cookies): for sign-up or public pages.

``actor(email, password=PASSWORD)`` -> Page
    Logs in through /connexion/ in its own, new browser context and returns the page, left on the page the
    login redirected to (the dashboard). Each call is a separate person: separate cookies, separate pages.
    ``PASSWORD`` is tests.factories.PASSWORD, the password of every factory-made user.

``shot(page, name)``
    Saves a full-page screenshot of the page at desktop width (1366×900) as
    ``tests/artifacts/screenshots/<name>-desktop.png`` and of the same URL, reloaded in a mobile context
    (390×844, is_mobile, same cookies), as ``<name>-mobile.png``. Files are kept after the run (the folder is
    gitignored). The mobile copy is a new GET of ``page.url``: take shots of pages reached by GET. Use a name
    prefix of your own (``vae-``, ``formation-``) so the files of two tests never collide.

``axe(page, *, context=None, disable=())``
    Runs axe-core (tests/browser/node_modules, ``npm ci --prefix tests/browser``) on the current page and fails
    with a readable list when a violation of impact « serious » or « critical » is found. ``context`` is an axe
    context (a selector) to restrict the check; ``disable`` is a list of axe rule ids to skip (say why).

Failure screenshots: when a test fails, every page still open is saved as
``tests/artifacts/screenshots/echec-<test>-<context>-<page>.png``.

``browser_errors``
    The collector of the page errors of the test. Every page made by ``anonymous``, ``actor`` and ``shot``
    accepts ``window.confirm``/``alert`` dialogs automatically (the ``data-confirm`` confirmations) and reports
    uncaught JavaScript errors and console messages of type « error » (Content-Security-Policy violations
    included, failed resource loads too). The test fails at teardown when any was reported; ``shot`` and ``axe``
    check too, so a failure shows up at the step that caused it. For an expected one (an htmx request answered
    400 on purpose, say): ``browser_errors.ignore(r"status of 400")`` (a regular expression), or read
    ``browser_errors.messages`` and call ``browser_errors.clear()``. ``browser_errors.dialogs`` lists the
    messages of the dialogs accepted, in order.

Also available from pytest-playwright: ``browser`` (session-scoped, launched with the arguments below).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from cqp.enums import College

from ..factories import PASSWORD
from ..jury.conftest import member

# Playwright's sync API runs an event loop in the main thread: Django would refuse ORM calls from the test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent / "artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000  # generous: PDFs are built in the server thread, and CI machines are shared

try:
    import playwright  # noqa: F401

    MISSING = None
except ImportError:  # pragma: no cover - the dev extra installs it
    MISSING = "Playwright n'est pas installé (pip install -e '.[dev]')."
if MISSING is None and not shutil.which(CHROMIUM):
    MISSING = (
        f"Chromium introuvable ({CHROMIUM}) : sudo apt-get install -y chromium chromium-driver (ou make browser-deps)."
    )
if MISSING is None and not AXE_JS.exists():
    MISSING = "axe-core absent : npm ci --prefix tests/browser (ou make browser-deps)."


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if MISSING and not os.environ.get("CI"):  # in CI a missing browser fails the tests, never hides them
                item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's launch options: Debian's Chromium, headless, never a downloaded browser."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(autouse=True)
def _browser_private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def site(live_server, settings):
    url = live_server.url.rstrip("/")
    settings.SITE_URL = url  # links in e-mails point at the live server
    yield url
    _flush_past_sqlite_triggers()


def _flush_past_sqlite_triggers():
    """Empty the tables as pytest-django's teardown would, SQLite triggers set aside for the time of it.

    The database triggers that keep signed fiches and certificates (jury 0003) refuse the DELETE that flush runs
    on SQLite (PostgreSQL's TRUNCATE fires no row trigger); they are dropped, the tables emptied, and the
    triggers created again, exactly as they were.
    """
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", verbosity=0, interactive=False, allow_cascade=False, inhibit_post_migrate=True)
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


class BrowserErrors:
    """JavaScript errors and console errors of every page of one test; dialogs accepted."""

    def __init__(self):
        self.messages: list[str] = []
        self.dialogs: list[str] = []
        self._ignored: list[re.Pattern] = []

    def ignore(self, pattern: str):
        self._ignored.append(re.compile(pattern))

    def clear(self):
        self.messages.clear()

    def watch(self, page):
        page.on("dialog", self._accept)
        page.on("pageerror", lambda error: self._add(f"Erreur JavaScript sur {page.url} : {error}"))
        page.on(
            "console",
            lambda msg: msg.type == "error"
            and self._add(f"Console (erreur) sur {page.url} : {msg.text} [{msg.location.get('url', '')}]"),
        )
        return page

    def _accept(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _add(self, message):
        if not any(p.search(message) for p in self._ignored):
            self.messages.append(message)

    def check(self):
        assert not self.messages, "Erreurs dans le navigateur :\n" + "\n".join(self.messages)


@pytest.fixture
def members(site):
    return {
        "emp1": member(College.EMPLOYEUR, "UGEM"),
        "emp2": member(College.EMPLOYEUR, "UGEM"),
        "sal1": member(College.SALARIE, "CFDT"),
        "sal2": member(College.SALARIE, "CGT"),
    }


@pytest.fixture
def browser_errors():
    errors = BrowserErrors()
    yield errors
    errors.check()


@pytest.fixture
def _new_page(request, browser, site, browser_errors):
    contexts = []

    def new_page(**context_options):
        options = {
            "base_url": site,
            "locale": "fr-FR",
            "timezone_id": "Europe/Paris",
            "viewport": DESKTOP,
            **context_options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return browser_errors.watch(context.new_page())

    yield new_page
    failed = getattr(request.node, "browser_test_failed", False)
    for n, context in enumerate(contexts):
        if failed:  # what each person saw when the test failed
            for m, page in enumerate(context.pages):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"[^\w-]+", "-", request.node.name)
                page.screenshot(path=SCREENSHOTS / f"echec-{name}-{n}-{m}.png", full_page=True)
        context.close()


@pytest.fixture
def anonymous(_new_page):
    return lambda: _new_page()


@pytest.fixture
def actor(_new_page):
    def login(email, password=PASSWORD):
        page = _new_page()
        page.goto("/connexion/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        assert "/connexion/" not in page.url, f"Connexion refusée pour {email} : {page.inner_text('body')[:600]}"
        return page

    return login


@pytest.fixture
def shot(_new_page, browser_errors):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
        mobile = _new_page(viewport=MOBILE, is_mobile=True, has_touch=True, storage_state=page.context.storage_state())
        mobile.goto(page.url)
        mobile.wait_for_load_state("networkidle")
        mobile.screenshot(path=SCREENSHOTS / f"{name}-mobile.png", full_page=True)
        mobile.context.close()
        browser_errors.check()

    return take


@pytest.fixture
def document_shot():
    """``document_shot(name, pdf_bytes)`` writes the first page of a PDF as ``<name>-page1.png`` next to the pages'
    screenshots (pdftoppm from poppler-utils, installed by `make setup`)."""
    import shutil
    import subprocess
    import tempfile

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name, data: bytes):
        if shutil.which("pdftoppm") is None:
            pytest.skip("pdftoppm manque (apt-get install poppler-utils) : pas de capture des documents")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(data)
            pdf.flush()
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    pdf.name,
                    str(SCREENSHOTS / f"{name}-page1"),
                ],
                check=True,
                timeout=60,
            )

    return take


def format_violations(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']} : {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(
                f"    {' '.join(node['target'])}\n      {node['html'][:200]}\n      {node['failureSummary']}".replace(
                    "\n  ", "\n        "
                )
            )
    return "\n".join(lines)


@pytest.fixture
def axe(browser_errors):
    source = AXE_JS.read_text(encoding="utf-8") if AXE_JS.exists() else ""

    def check(page, *, context=None, disable=()):
        page.wait_for_load_state("networkidle")
        # evaluate() is not subject to the page's Content-Security-Policy, unlike an injected <script> tag.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in disable}}
        result = page.evaluate("([context, options]) => axe.run(context || document, options)", [context, options])
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"Accessibilité (axe-core) sur {page.url} :\n{format_violations(serious)}"
        browser_errors.check()

    return check
