"""Exports of the OEMM's lists: the list as filtered and sorted, CSV (BOM, « ; ») and XLSX, streamed, audited."""

import csv
import io

import pytest
from openpyxl import load_workbook

from candidates.models import Dossier
from pilotage.management.commands.seed_volume import seed_volume
from pilotage.models import ExportRecord


def quiet(*args):
    pass


@pytest.fixture
def dossiers(referentiels, oemm):
    seed_volume(candidates=12, sessions=0, log=quiet)
    return Dossier.objects.all()


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_export_is_the_filtered_sorted_list_and_is_audited(client, dossiers, oemm):
    client.force_login(oemm)
    response = client.get("/oemm/exports/dossiers.csv?path=vae&tri=-number&q=")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = _csv(response)
    assert lines[0][:3] == ["Numéro", "Nom", "Prénom"]
    expected = list(Dossier.objects.filter(path="vae").order_by("-number").values_list("number", flat=True))
    assert [line[0] for line in lines[1:]] == expected
    record = ExportRecord.objects.get()
    assert (record.user, record.list_key, record.format, record.rows) == (oemm, "dossiers", "csv", len(expected))
    assert record.filters == {"path": "vae", "tri": "['-number']"}


def test_xlsx_export(client, dossiers, oemm):
    client.force_login(oemm)
    response = client.get("/oemm/exports/dossiers.xlsx?tri=inscription")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    values = list(sheet.values)
    assert values[0][0] == "Numéro" and len(values) == Dossier.objects.count() + 1
    assert ExportRecord.objects.get().format == "xlsx"


def test_a_formula_is_not_exported_as_a_formula(client, dossiers, oemm):
    dossier = Dossier.objects.first()
    dossier.candidate.last_name = '=HYPERLINK("http://x")'
    dossier.candidate.save()
    client.force_login(oemm)
    lines = _csv(client.get(f"/oemm/exports/dossiers.csv?q={dossier.number}"))
    assert lines[1][1] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("query", ["?tri=password", "?state=%C2%B2", "?cqp=inconnu&path=x", "?q=" + "a" * 5000])
def test_hostile_params_are_left_out(client, dossiers, oemm, query):
    client.force_login(oemm)
    assert client.get(f"/oemm/exports/dossiers.csv{query}").status_code == 200
    assert client.get(f"/dossiers/{query}").status_code == 200


def test_exports_are_for_the_oemm_only(client, dossiers, oemm, candidat, organisme_user):
    assert client.get("/oemm/exports/dossiers.csv").status_code == 302
    for user in (candidat, organisme_user):
        client.force_login(user)
        assert client.get("/oemm/exports/dossiers.csv").status_code == 403
    client.force_login(oemm)
    assert client.get("/oemm/exports/inconnu.csv").status_code == 404
    assert client.get("/oemm/exports/dossiers.pdf").status_code == 404
    assert not ExportRecord.objects.exists()


def test_dossier_list_sorts_by_its_columns(client, dossiers, oemm):
    client.force_login(oemm)
    page = client.get("/dossiers/?tri=-number").content.decode()
    numbers = list(Dossier.objects.order_by("-number").values_list("number", flat=True))
    assert page.index(numbers[0]) < page.index(numbers[1])
    assert 'aria-sort="descending"' in page
    assert "/oemm/exports/dossiers.csv?tri=-number" in page


@pytest.mark.parametrize(
    "page, key, first",
    [
        ("/oemm/comptes/?tri=-email", "comptes", "Nom"),
        ("/oemm/organismes/?tri=siret", "organismes", "Nom"),
        ("/oemm/entreprises/?tri=nom", "entreprises", "Raison sociale"),
        ("/vae/recevabilite/?tri=-limite", "recevabilite", "Dossier"),
    ],
)
def test_every_oemm_list_sorts_and_exports(client, dossiers, oemm, page, key, first):
    client.force_login(oemm)
    response = client.get(page)
    assert response.status_code == 200
    query = page.split("?")[1]
    assert f"/oemm/exports/{key}.csv?{query}" in response.content.decode()
    assert 'aria-sort="' in response.content.decode()
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/oemm/exports/{key}.{fmt}?{query}").status_code == 200
    assert _csv(client.get(f"/oemm/exports/{key}.csv?{query}"))[0][0] == first
