"""CPNEFP statistics: charts and tables by CQP name, a CSV per figure, constant queries, same after anonymisation."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Dossier
from pilotage.cockpit.charts import bar_chart
from pilotage.cockpit.statistics import compute
from pilotage.management.commands.seed_volume import seed_volume
from pilotage.models import ExportRecord
from referentiels.models import Certification


def quiet(*args):
    pass


def grow(n):
    seed_volume(candidates=n, sessions=1, log=quiet)


def test_bar_chart_is_accessible_svg_without_style():
    svg = bar_chart("c", "Taux <b>", [("Assistant <x>", 50.0), ("B", 25)], unit=" %", maximum=100)
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "style" not in svg and "<b>" not in svg and "&lt;x&gt;" in svg
    assert bar_chart("c", "vide", []) == ""


def test_page_shows_charts_and_tables_with_names(client, referentiels, oemm):
    grow(20)
    client.force_login(oemm)
    page = client.get("/oemm/statistiques/").content.decode()
    for key in ("inscriptions", "centres", "recevabilite", "resultats", "delais", "unites", "attente"):
        assert f'id="fig-{key}"' in page
        assert f"/oemm/statistiques/{key}.csv" in page
    assert page.count("<svg") >= 4
    title = Dossier.objects.select_related("certification").first().certification.title
    assert title in page


def test_figures_count_the_dossiers(referentiels, oemm):
    grow(20)
    figures = {f.key: f for f in compute()}
    assert sum(row[-1] for row in figures["inscriptions"].rows) == Dossier.objects.count()
    certification = Certification.objects.order_by("pk").first()
    only = {f.key: f for f in compute(certification=certification)}
    assert (
        sum(row[-1] for row in only["inscriptions"].rows) == Dossier.objects.filter(certification=certification).count()
    )


def test_statistics_make_constant_queries(client, referentiels, oemm):
    client.force_login(oemm)
    grow(10)
    client.get("/oemm/statistiques/")
    with CaptureQueriesContext(connection) as small:
        client.get("/oemm/statistiques/")
    grow(40)
    with CaptureQueriesContext(connection) as large:
        client.get("/oemm/statistiques/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_csv_of_a_figure_is_audited(client, referentiels, oemm):
    grow(10)
    client.force_login(oemm)
    response = client.get("/oemm/statistiques/inscriptions.csv?du=2020-01-01")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[0] == ["CQP", "Année", "VAE", "Voie formative", "Total"]
    assert ExportRecord.objects.get().list_key == "stats-inscriptions"
    assert client.get("/oemm/statistiques/inconnu.csv").status_code == 404


@pytest.mark.parametrize(
    "query", ["?du=2026-02-30", "?cqp=%C2%B2", "?au=abc&du=2099-01-01", "?du=2026-12-31&au=2020-01-01"]
)
def test_hostile_params(client, referentiels, oemm, query):
    client.force_login(oemm)
    assert client.get(f"/oemm/statistiques/{query}").status_code == 200
    assert client.get(f"/oemm/statistiques/inscriptions.csv{query}").status_code == 200


def test_same_figures_after_anonymisation(referentiels, oemm):
    from pilotage.personal_data import anonymise_candidate

    grow(20)
    before = [(f.key, f.rows) for f in compute()]
    closed = Dossier.objects.filter(state__in=["decide", "clos"]).select_related("candidate")
    for dossier in closed[:5]:
        if (
            dossier.candidate.anonymised_at is None
            and not Dossier.objects.filter(candidate=dossier.candidate).exclude(state__in=["decide", "clos"]).exists()
        ):
            anonymise_candidate(dossier.candidate, by=oemm, reason="test")
    assert Dossier.objects.filter(candidate__anonymised_at__isnull=False).exists()
    assert [(f.key, f.rows) for f in compute()] == before
