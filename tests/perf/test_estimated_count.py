"""The whole OEMM list is counted by PostgreSQL's estimate when large (cqp/pagination.py, issue 20): the page says
« environ … dossiers », its pages still lead to the last row, and a filtered list stays exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Dossier
from cqp import pagination
from pilotage.management.commands.seed_volume import seed_volume


def quiet(*args):
    pass


@pytest.mark.parametrize(
    "count, estimated, label",
    [
        (0, False, "0 dossier"),
        (1, False, "1 dossier"),
        (12, False, "12 dossiers"),
        (12345, False, "12\u00a0345 dossiers"),
        (100_002, True, "environ 100\u00a0000 dossiers"),
        (10_499, True, "environ 10\u00a0000 dossiers"),
    ],
)
def test_count_label(count, estimated, label):
    assert pagination.count_label(count, estimated, "dossier", "dossiers") == label


@pytest.mark.django_db
def test_whole_table_only_when_nothing_filters():
    assert pagination.is_whole_table(Dossier.objects.order_by("-pk"))
    assert pagination.is_whole_table(Dossier.objects.values("number"))
    assert not pagination.is_whole_table(Dossier.objects.filter(path="vae"))
    assert not pagination.is_whole_table(Dossier.objects.distinct())


@pytest.mark.django_db
def test_sqlite_counts_exactly(referentiels):
    seed_volume(candidates=3, sessions=0, log=quiet)
    assert pagination.table_count(Dossier) == (Dossier.objects.count(), False)


@pytest.fixture
def thirty(referentiels, oemm, client):
    seed_volume(candidates=30, sessions=0, log=quiet)
    client.force_login(oemm)
    return Dossier.objects.count()


@pytest.fixture
def fake_estimate(monkeypatch):
    """PostgreSQL's estimate of a large table, whatever the database of the tests."""
    calls = []

    def table_count(model, using="default"):
        calls.append(model)
        return 100_002, True

    monkeypatch.setattr(pagination, "table_count", table_count)
    return calls


@pytest.mark.django_db
def test_the_whole_list_shows_the_estimate_and_pages_to_the_last_row(client, thirty, fake_estimate):
    first = client.get("/dossiers/")
    text = first.content.decode()
    assert "environ 100\u00a0000 dossiers" in text
    assert "sur environ 4001" in text or "sur environ 4\u00a0001" in text
    assert "page=2" in text and "Suivante" in text
    assert fake_estimate == [Dossier]

    last = client.get("/dossiers/?page=2").content.decode()  # 30 rows: the real last page, whatever the estimate
    assert last.count("<tr>") == 1 + (thirty - 25)
    assert "Suivante" not in last and "Précédente" in last

    beyond = client.get("/dossiers/?page=7").content.decode()
    assert "Cette page est au-delà de la dernière" in beyond
    assert "Revenir à la première page" in beyond


@pytest.mark.django_db
def test_an_estimated_list_does_not_count_its_rows(client, thirty, fake_estimate):
    client.get("/dossiers/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/dossiers/")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "candidates_dossier" in q["sql"]]
    assert counts == []


@pytest.mark.django_db
def test_a_filtered_list_is_counted_exactly(client, thirty, fake_estimate):
    vae = Dossier.objects.filter(path="vae").count()
    text = client.get("/dossiers/?path=vae").content.decode()
    assert fake_estimate == []
    assert "environ" not in text
    assert f"{vae} dossier" in text


def test_the_list_writes_dates_as_the_date_fr_filter():
    import datetime

    from candidates.selectors import french_date
    from cqp.templatetags.french import date_fr

    day = datetime.date(2026, 1, 1)
    while day < datetime.date(2027, 1, 1):
        assert french_date(day) == date_fr(day)
        day += datetime.timedelta(days=1)
    assert french_date(None) == date_fr(None) == ""
