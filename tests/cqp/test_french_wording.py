"""French wording of what people read: « 1er » of the month, no « (s) » plurals, no raw codes or doubled
parentheses in the official documents' templates. These read the sources; test_rendered_wording.py reads what is
rendered: every e-mail and every official PDF, from a world of real objects."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from cqp.templatetags.french import first_of_month

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 janvier 2027", "1er janvier 2027"),
        ("lundi 1 mars 2027", "lundi 1er mars 2027"),
        ("11 janvier 2027", "11 janvier 2027"),
        ("21 août 2027", "21 août 2027"),
        ("23 novembre 2026", "23 novembre 2026"),
    ],
)
def test_first_of_month(text, expected):
    assert first_of_month(text) == expected


def test_the_date_fr_filter_is_a_builtin():
    rendered = Template("{{ d|date_fr }} · {{ d|date_fr:'l j F Y' }} · {{ none|date_fr }}").render(
        Context({"d": datetime.date(2027, 1, 1), "none": None})
    )
    assert rendered == "1er janvier 2027 · vendredi 1er janvier 2027 · "


def _sources():
    return [(p.relative_to(TEMPLATES), p.read_text(encoding="utf-8")) for p in sorted(TEMPLATES.rglob("*.*"))]


def test_no_template_writes_a_plural_in_parentheses_or_a_date_without_1er():
    problems = []
    for name, text in _sources():
        if "(s)" in text:
            problems.append(f"{name} : « (s) »")
        if re.search(r'\|date:"[^"]*j F', text):
            problems.append(f"{name} : date sans « 1er » (utilisez |date_fr)")
    assert not problems, problems


def test_official_documents_read_the_certifier_not_a_fixed_body():
    """Convocation, fiche, certificate, notification: « OEMM », « UGEM » or a decree come from the certifier."""
    for name in (
        "jury/pdf/convocation.html",
        "jury/pdf/fiche.html",
        "jury/pdf/certificate.html",
        "vae/notification_pdf.html",
        "official/base.html",
    ):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        for fixed in ("OEMM", "UGEM", "Ucanss", "CPNEFP", "décret", "get_college_display", "))"):
            assert fixed not in text, (name, fixed)
