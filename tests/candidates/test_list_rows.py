"""The dossiers list's rows (candidates/selectors.py dossier_list_rows): only what people or the référentiel wrote is
escaped per row, and the HTML is what escaping every value wrote before (hostile values included)."""

import datetime as dt
from html import escape

import pytest
from django.urls import clear_script_prefix, set_script_prefix

from candidates import selectors
from candidates.enums import DossierState, Path

HOSTILE = "<script>alert(\"x\")</script> & 'O'Brien"


def _every_value_escaped(row) -> str:
    return selectors.ROW_HTML.format_map({key: escape(value) for key, value in row.items() if key != "html"})


def _values(**changes):
    values = {
        "number": "2026-000001",
        "path": Path.VAE,
        "state": DossierState.INSCRIT,
        "inscription_date": dt.date(2026, 1, 1),
        "first_jury_deadline": dt.date(2027, 11, 23),
        "candidate__first_name": "Élodie",
        "candidate__last_name": "D'Arc",
        "candidate__email": "e@example.org",
        "certification_id": 1,
        "mention_id": 2,
    }
    return {**values, **changes}


CASES = [
    _values(),
    _values(candidate__first_name=HOSTILE, candidate__last_name=HOSTILE),
    _values(candidate__first_name="", candidate__last_name="", candidate__email=f"{HOSTILE}@x.org"),
    _values(number=f"2026-<b>&'{HOSTILE}"),
    _values(path=Path.FORMATION, state="<inconnu & 'x'>"),
    _values(path="<autre>", first_jury_deadline=None),
    *[_values(state=state) for state in DossierState.values],
    *[_values(path=path) for path in Path.values],
]


@pytest.fixture
def hostile_referentiel(monkeypatch):
    monkeypatch.setattr(selectors, "certification_title", lambda pk: f"CQP {HOSTILE}")
    monkeypatch.setattr(selectors, "mention_label", lambda pk: f"mention <i>{pk}</i> & 'co'")


@pytest.mark.parametrize("prefix", ["/", "/a&b'c/"])
def test_rows_html_as_every_value_escaped(hostile_referentiel, prefix):
    set_script_prefix(prefix)
    try:
        rows = selectors.dossier_list_rows(CASES)
    finally:
        clear_script_prefix()
    for row in rows:
        assert row["html"] == _every_value_escaped(row)
    assert "<script>" not in "".join(row["html"] for row in rows)
    assert "&lt;script&gt;" in rows[1]["html"]


def test_every_label_is_escaped_once(hostile_referentiel):
    for state, label in DossierState.choices:
        assert selectors.ESCAPED_STATES[state] == escape(label)
