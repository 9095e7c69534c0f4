"""Every GET parameter of every view fuzzed (issue 19): never a server error.

Every URL pattern of the project (the admin included) is opened by the personas of the access matrix
(tests/security/access_world.py) that may see it. A first request with a recording ``request.GET`` finds the query
parameters the view reads (``get``, ``[]``, ``getlist``, ``in``; iterating over them counts as reading any name).
Those names, plus common ones (``page``, ``q``, ``sort``, ``annee``, ``cqp``...), are then sent with hostile values:
huge, negative, unicode digits (``²``, ``٣``, full-width), NUL, SQL-ish, non-ASCII, very long, impossible dates,
repeated values, broken percent-encoding; first a fixed sweep, then a few hypothesis examples (derandomized).
The answer is always the one of the access matrix (the parameter ignored) or a 400 with a French message.
"""

from functools import cached_property
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.db import transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pilotage.cockpit.export_specs import SPECS

from .access_urls import log_in as _login
from .access_urls import matches as _matches
from .access_world import PERSONAS
from .fuzz import FRENCH_ERROR, page_text
from .test_access_matrix import DOWNLOADS, PATTERNS, entry_for, row, token_of, url_for, url_kwargs

ITERATED = "*"  # the view iterated over the parameters (urlencode, items, a form bound to request.GET...)
COMMON = [
    "page",
    "q",
    "sort",
    "tri",
    "annee",
    "cqp",
    "state",
    "kind",
    "role",
    "horizon",
    "vue",
    "du",
    "au",
    "next",
    "o",
    "p",
]
VALUES = [
    "99999",
    "-1",
    "99999999999999999999",
    "²",
    "٣",
    "１２",
    "1e309",
    "\x00",
    "a\x00b",
    "' OR '1'='1' --",
    "é😀\u202e",
    "x" * 3000,
    "2026-02-30",
    "",
    " ",
    "0",
    "-0",
    "NaN",
    "%00",
]
# Repeated values (``?page=1&page=²...``), without NUL: a NUL is refused before any view (cqp/query_params.py).
REPEATED = [value for value in VALUES if "\x00" not in value][:10]
RAW_QUERIES = ["page=%ff%fe&q=%C0%AF", "annee=%C2%B2&annee=2026&cqp=%00", "=&&=x&%=%&%zz=1", "q" * 2000 + "=1"]
NASTY_TEXT = st.one_of(st.sampled_from(VALUES), st.text(max_size=30), st.integers().map(str))
MAX_PERSONAS = 2  # personas fuzzed per pattern (those whose views read different names first)
HYPOTHESIS_EXAMPLES = 4
# The admin's pages are the same Django views for each model: the full sweep runs on the first model of each kind,
# the others get the repeated values and the raw query strings (every pattern is still tried).
ADMIN_KINDS_SWEPT = set()


class RecordingQueryDict(QueryDict):
    """request.GET that notes the names a view reads."""

    read: set = set()

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)

    def __iter__(self):
        RecordingQueryDict.read.add(ITERATED)
        return super().__iter__()

    def items(self):
        RecordingQueryDict.read.add(ITERATED)
        return super().items()

    def lists(self):
        RecordingQueryDict.read.add(ITERATED)
        return super().lists()

    def urlencode(self, safe=None):
        RecordingQueryDict.read.add(ITERATED)
        return super().urlencode(safe)


@pytest.fixture
def recording(monkeypatch):
    def get(self):
        return RecordingQueryDict(get_bytes_from_wsgi(self.environ, "QUERY_STRING", ""), encoding=self._encoding)

    prop = cached_property(get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)
    return RecordingQueryDict


def _admin_kind(key):
    """The admin's page kind (changelist, add, change, delete, history...): one code for every model."""
    return key.rsplit("_", 1)[-1] if key.startswith("admin:") and not key.startswith("admin:<") else None


def _personas(key, expected):
    """Who opens the page: every persona that gets a 200 (the admin only, for the admin's pages); else one persona
    that gets past the login."""
    if key.startswith("admin:"):
        return ["admin"]
    seeing = [p for p in PERSONAS if "200" in expected.get(p, "").split("|")]
    if seeing:
        return seeing[:1] if key in DOWNLOADS else seeing  # a document is built the same way for each reader
    past_login = [p for p in PERSONAS if p in expected and expected[p] not in ("L", "A")]
    return past_login[:1] or [next(iter(expected))]


def _check(client, url, query, persona, expected, errors):
    with transaction.atomic():
        try:
            response = client.get(f"{url}?{query}")
        except Exception as exc:  # the test client re-raises what the view raised: a 500 in production
            errors.append(f"GET {url}?{query[:200]!r} as {persona}: {type(exc).__name__}: {exc}")
            transaction.set_rollback(True)
            return
        transaction.set_rollback(True)
    got = token_of(response)
    if got == "400":
        if not FRENCH_ERROR.search(page_text(response)):
            errors.append(f"GET {url}?{query[:200]!r} as {persona}: 400 without a French message")
    elif not _matches(expected, got):
        errors.append(
            f"GET {url}?{query[:200]!r} as {persona}: expected {expected} (or 400), got {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(PATTERNS))
def test_no_query_string_breaks_a_page(client, access_world, recording, settings, key):
    settings.THROTTLE_ENABLED = False  # dozens of requests per page: the throttles have their own tests
    w = access_world
    route, pattern = PATTERNS[key]
    url = url_for(key, route, pattern, w, url_kwargs(w))
    expected_row = row(entry_for(key)["get"])
    # 1. which names does the view read, for each persona?
    read_by = {}
    for persona in _personas(key, expected_row):
        _login(client, w.people[persona])
        recording.read = set()
        with transaction.atomic():
            client.get(url)
            transaction.set_rollback(True)
        read_by[persona] = frozenset(recording.read)
    chosen, seen = [], set()
    for persona, names in sorted(read_by.items(), key=lambda item: -len(item[1])):
        if names not in seen and len(chosen) < MAX_PERSONAS:
            chosen.append(persona)
            seen.add(names)
    errors = []
    for persona in chosen:
        names = sorted((read_by[persona] - {ITERATED}) | set(COMMON))
        if ITERATED in read_by[persona]:
            names.append("filtre_inconnu")
        expected = expected_row[persona]
        _login(client, w.people[persona])
        # 2. a fixed sweep: every name at once with each hostile value, then all the values repeated, then raw strings
        queries = [urlencode({name: value for name in names}) for value in VALUES]
        queries.append(urlencode([(name, value) for name in names for value in REPEATED]))
        queries += RAW_QUERIES
        short = _admin_kind(key) in ADMIN_KINDS_SWEPT
        if short:  # the same admin view of another model: the repeated values and the raw query strings
            queries = [queries[len(VALUES)], *RAW_QUERIES[:2]]
        elif not read_by[persona]:  # a view that reads nothing: every common name with every value, once
            queries = [queries[len(VALUES)]]
        for query in queries:
            _check(client, url, query, persona, expected, errors)
        # 3. a few random mixes of the names the view reads
        if read_by[persona] - {ITERATED} and not short:

            @hypothesis_settings(
                max_examples=HYPOTHESIS_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(
                params=st.dictionaries(st.sampled_from(names), st.lists(NASTY_TEXT, min_size=1, max_size=3), max_size=5)
            )
            def fuzz(params):
                # Called right below, in the same iteration: the loop variables are the ones meant.
                _check(client, url, urlencode(params, doseq=True), persona, expected, errors)  # noqa: B023

            fuzz()
    if _admin_kind(key):
        ADMIN_KINDS_SWEPT.add(_admin_kind(key))
    assert not errors, f"{key}:\n" + "\n".join(errors[:20])


# The access matrix opens the export URL with one list (« dossiers »): every other list's export (each its own
# FilterSet, pilotage/cockpit/export_specs*.py) gets the same sweep, as the OEMM, in both formats.
EXPORT_NAMES = ["tri", "q", "cqp", "path", "state", "role", "annee", "kind", "horizon", "vue", "page", "filtre_inconnu"]


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(SPECS))
def test_no_query_string_breaks_an_export(client, referentiels, oemm, key):
    client.force_login(oemm)
    errors = []
    queries = [urlencode({name: value for name in EXPORT_NAMES}) for value in VALUES]
    queries.append(urlencode([(name, value) for name in EXPORT_NAMES for value in REPEATED]))
    queries += RAW_QUERIES
    for fmt in ("csv", "xlsx"):
        url = f"/oemm/exports/{key}.{fmt}"
        for query in queries if fmt == "csv" else queries[-3:]:
            _check(client, url, query, "oemm", "200", errors)
    assert not errors, f"{key}:\n" + "\n".join(errors[:20])
