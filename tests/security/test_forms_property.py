"""Property-based tests of every form of the project, posted through its view (hypothesis).

For each form: a user allowed to use it, the objects in the right state, random data (unicode, right-to-left, emoji,
NUL and control characters, 100 000-character values, impossible dates, huge or negative numbers) read from the
rendered form. The answer is never a server error; it is a redirect (saved, or refused with a message) or a page with a
French error message; a refused form saves nothing (every row of our tables compared before and after).
Deterministic: ``derandomize=True``. ``test_every_form_class_is_fuzzed`` makes a new form class fail until it is added.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..vae.conftest import PDF
from .form_scenarios import SCENARIOS
from .form_world import World
from .fuzz import (
    FRENCH_ERROR,
    HTML_ERROR_MARKERS,
    NASTY,
    diff,
    messages_of,
    page_text,
    post_data,
    read_fields,
    snapshot,
)

PARIS = ZoneInfo("Europe/Paris")
MAX_EXAMPLES = 12
OUR_FORM_MODULES = ("cqp", "referentiels", "candidates", "vae", "jury", "notifications", "messagerie", "pilotage")


# ------------------------------------------------------------------------------------------ the property


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def recorded_forms(monkeypatch):
    """The form classes the views instantiate while the test posts."""
    seen = set()
    original = django_forms.BaseForm.__init__

    def init(self, *args, **kwargs):
        seen.add(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(django_forms.BaseForm, "__init__", init)
    return seen


FILE_CONTENT = st.sampled_from(
    [PDF, b"", b"\x00" * 64, b"MZ\x90\x00 not a pdf", b"%PDF-1.4 truncated", "é✓".encode() * 50]
)
FILE_NAME = st.sampled_from(
    [
        "piece.pdf",
        "",
        ".pdf",
        "a" * 300 + ".pdf",
        "../../etc/passwd",
        "x\x00.pdf",
        "نص.pdf",
        "<b>x</b>.pdf",
        "piece.exe",
        "piece",
    ]
)


def _refused_page_is_french(text: str) -> bool:
    return bool(FRENCH_ERROR.search(text)) or any(marker in text for marker in HTML_ERROR_MARKERS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_random_posts_never_break_a_form(name, client, referentiels, frozen, recorded_forms, settings_private_storage):
    scenario = SCENARIOS[name]
    world = World()
    context = scenario.build(world)
    if context["user"] is not None:
        client.force_login(context["user"])
    if "prepare" in context:
        context["prepare"](client)
    page = client.get(context["page"])
    assert page.status_code == 200, (name, page.status_code)
    fields = read_fields(page.content.decode(), context["action"], context["page"])
    assert fields, f"{name}: no field found on {context['page']} for {context['action']}"
    recorded_forms.clear()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=post_data(fields),
        htmx=st.booleans() if scenario.htmx else st.just(False),
        file_content=FILE_CONTENT,
        file_name=FILE_NAME,
    )
    def check(data, htmx, file_content, file_name):
        if scenario.fixed:
            data.update(scenario.fixed(world))
        for file_field in scenario.files:
            data[file_field] = SimpleUploadedFile(file_name or "sans-nom", file_content, content_type="application/pdf")
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with transaction.atomic():  # each example starts from the same state: rolled back at the end
            before = snapshot()
            try:
                response = client.post(context["action"], data, **headers)
            except Exception as exc:  # the test client re-raises what the view raised: a 500 in production
                pytest.fail(f"{name}: {type(exc).__name__}: {exc} with {_short(data)} (htmx={htmx})")
            after = snapshot()
            transaction.set_rollback(True)
        changed = diff(before, after)
        status = response.status_code
        assert status in scenario.ok_status, (name, status, _short(data))
        if status in (301, 302, 303):
            # Saved (something changed) or refused with a message explaining why.
            assert changed or messages_of(response), (name, "redirect without a save nor a message", _short(data))
            return
        text = page_text(response)
        if changed and (scenario.autosave or "Enregistré" in text or status == 200 and htmx and not _has_error(text)):
            return  # an autosave stored the valid fields (by design), or an htmx save answered with its status
        assert not changed, (name, "refused but saved", changed, status, _short(data))
        assert _refused_page_is_french(text), (name, status, "no French error message", _short(data), text[:500])

    check()
    missing = set(scenario.forms) - recorded_forms
    assert not missing, f"{name}: the view never built {missing}"


def _has_error(text):
    return any(marker in text for marker in HTML_ERROR_MARKERS)


def _short(data):
    return {
        k: (v[:60] + f"…({len(v)})" if isinstance(v, str) and len(v) > 60 else v)
        for k, v in data.items()
        if not hasattr(v, "read")
    }


@pytest.fixture
def settings_private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


# ------------------------------------------------------------------------------------------ coverage


def our_form_classes() -> set:
    """Every form class defined in our apps' modules (found by importing them all)."""
    found = set()
    for package_name in OUR_FORM_MODULES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            if (
                ".migrations" in info.name
                or ".management" in info.name
                or info.name.endswith(("settings", "wsgi", "asgi"))
            ):
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, django_forms.BaseForm) and obj.__module__ == info.name:
                    found.add(obj)
    return found


def test_every_form_class_is_fuzzed():
    covered = {form for scenario in SCENARIOS.values() for form in scenario.forms}
    missing = sorted(f"{c.__module__}.{c.__name__}" for c in our_form_classes() - covered)
    assert not missing, f"Forms without a property-based test (add a Scenario in {__name__}): {missing}"


def test_the_nasty_values_include_what_the_brief_asks():
    joined = "".join(NASTY)
    assert "\x00" in joined and "2026-02-30" in joined and "9999-12-31" in joined and "0001-01-01" in joined
    assert any(len(v) >= 100_000 for v in NASTY) and "\u202e" in joined
