"""Export of the jury sessions list (jury:list): filtered and sorted like the page, CSV and XLSX, audited."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from cqp.enums import College
from pilotage.models import ExportRecord

from ..jury.conftest import at, member, planned_session


@pytest.fixture
def sessions(referentiels, oemm):
    with at(2024, 1, 10):
        return [
            planned_session(by=oemm, codes={"spsp"}, day=datetime.date(2024, 3, 1), place="Bordeaux"),
            planned_session(by=oemm, codes={"gpac"}, day=datetime.date(2024, 5, 1), place="Caen"),
            planned_session(by=oemm, codes={"cmi", "spsp"}, day=datetime.date(2025, 4, 1), place="Arras"),
        ]


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_export_is_the_filtered_sorted_list_and_is_audited(client, sessions, oemm):
    client.force_login(oemm)
    response = client.get("/oemm/exports/sessions.csv?cqp=spsp&tri=lieu")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="sessions-de-jury-' in response["Content-Disposition"]
    lines = _csv(response)
    assert lines[0][:3] == ["Date", "Heure", "CQP"]
    assert [line[0] for line in lines[1:]] == ["01/04/2025", "01/03/2024"]  # Arras, then Bordeaux
    assert lines[1][3] == "Arras" and lines[1][5] == "0" and lines[1][7] == "Planifiée"
    assert set(lines[1][2].split(", ")) == {c.title for c in sessions[2].certifications.all()}
    record = ExportRecord.objects.get()
    assert (record.user, record.list_key, record.format, record.rows) == (oemm, "sessions", "csv", 2)
    assert record.filters == {"cqp": "spsp", "tri": "['lieu']"}


def test_xlsx_export_by_default_latest_first(client, sessions, oemm):
    client.force_login(oemm)
    response = client.get("/oemm/exports/sessions.xlsx?annee=2024")
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
    assert values[0][0] == "Date" and [row[3] for row in values[1:]] == ["Caen", "Bordeaux"]
    assert ExportRecord.objects.get().format == "xlsx"


@pytest.mark.parametrize("query", ["?tri=password", "?tri=%C2%B2", "?annee=" + "9" * 20, "?cqp=inconnu&tri=--date"])
def test_hostile_params_are_left_out(client, sessions, oemm, query):
    client.force_login(oemm)
    response = client.get(f"/oemm/exports/sessions.csv{query}")
    assert response.status_code == 200
    assert len(_csv(response)) == 1 + len(sessions)


def test_the_export_does_not_grow_its_query_count(client, sessions, oemm):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(oemm)
    client.get("/oemm/exports/sessions.csv")
    with CaptureQueriesContext(connection) as few:
        _csv(client.get("/oemm/exports/sessions.csv?tri=cqp"))
    with at(2024, 1, 10):
        for i in range(10):
            planned_session(by=oemm, codes={"spsp", "gpac"}, day=datetime.date(2024, 6, 1) + datetime.timedelta(i))
    with CaptureQueriesContext(connection) as many:
        assert len(_csv(client.get("/oemm/exports/sessions.csv?tri=cqp"))) == 14
    assert len(many) == len(few)


def test_a_jury_member_cannot_export_the_sessions(client, sessions):
    juror = member(College.SALARIE, "CFDT")
    client.force_login(juror)
    assert client.get("/oemm/exports/sessions.csv").status_code == 403
    assert not ExportRecord.objects.exists()
