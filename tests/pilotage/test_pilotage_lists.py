"""Pilotage's own OEMM lists (« Échéances », deletion requests, retention, e-mails not delivered): sorted by column in
the URL (stable), exported as filtered and sorted in CSV and XLSX (audited), defaults kept, hostile parameters ignored,
constant queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from candidates.enums import OPEN_STATES
from candidates.models import Dossier
from cqp import outbox
from cqp.enums import DeletionRequestState, OutboundEmailState, ReminderKind, Role
from cqp.models import DeletionRequest, OrganismeFormation, OutboundEmail
from pilotage import workflow
from pilotage.cockpit.export_specs import SPECS
from pilotage.management.commands.seed_volume import seed_volume
from pilotage.models import ExportRecord
from tests.factories import user_with_role
from vae.models import Livret1


def quiet(*args):
    pass


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def _numbers(page: str, numbers) -> list:
    """The dossier numbers in the order they appear in the page."""
    found = [(page.find(n), n) for n in numbers if n in page]
    return [n for _, n in sorted(found)]


@pytest.fixture
def volume(referentiels, oemm):
    seed_volume(candidates=30, sessions=0, log=quiet)
    Dossier.objects.update(first_jury_deadline=timezone.localdate() + datetime.timedelta(days=20))  # ties: pk decides


# ------------------------------------------------------------------------------------------------ Échéances


def test_deadlines_sort_by_column_with_a_stable_order(client, volume, oemm):
    client.force_login(oemm)
    open_ = Dossier.objects.visible_to(oemm).filter(state__in=OPEN_STATES)
    numbers = list(open_.values_list("number", flat=True))
    assert len(numbers) > 5
    page = client.get("/oemm/echeances/?tri=-objet&horizon=365").content.decode()
    shown = _numbers(page, numbers)
    assert shown == sorted(shown, reverse=True) and len(shown) == min(25, len(numbers))
    assert 'aria-sort="descending"' in page
    page = client.get("/oemm/echeances/?tri=date&horizon=365").content.decode()  # all on the same date: by pk
    expected = list(open_.order_by("first_jury_deadline", "pk").values_list("number", flat=True))[:25]
    assert _numbers(page, expected) == expected


def test_deadlines_export_follows_kind_filters_and_sort_and_is_audited(client, volume, oemm):
    client.force_login(oemm)
    code = Dossier.objects.values_list("certification__code", flat=True).first()
    response = client.get(f"/oemm/exports/echeances-first_jury.csv?tri=-objet&cqp={code}&horizon=30")
    lines = _csv(response)
    assert lines[0] == ["Dossier", "Nom", "Prénom", "CQP", "État", "Inscription", "Premier jury avant le"]
    numbers = [line[0] for line in lines[1:]]
    assert numbers and numbers == sorted(numbers, reverse=True)
    assert set(Dossier.objects.filter(number__in=numbers).values_list("certification__code", flat=True)) == {code}
    record = ExportRecord.objects.get()
    assert (record.list_key, record.format, record.rows) == ("echeances-first_jury", "csv", len(numbers))
    assert record.filters["cqp"] == code and record.filters["horizon"] == "30"
    page = client.get(f"/oemm/echeances/?tri=-objet&cqp={code}&horizon=30").content.decode()
    assert f"/oemm/exports/echeances-first_jury.xlsx?tri=-objet&amp;cqp={code}&amp;horizon=30" in page


def test_deadlines_horizon_defaults_to_three_months_in_page_and_export(client, volume, oemm):
    far = Dossier.objects.filter(state__in=["inscrit", "oriente"]).first()
    Dossier.objects.filter(pk=far.pk).update(first_jury_deadline=timezone.localdate() + datetime.timedelta(days=200))
    client.force_login(oemm)
    for query in ("", "?horizon=%C2%B2", "?horizon=7"):
        assert far.number not in client.get(f"/oemm/echeances/{query}").content.decode()
        numbers = [line[0] for line in _csv(client.get(f"/oemm/exports/echeances-first_jury.csv{query}"))[1:]]
        assert far.number not in numbers and numbers
    assert far.number in client.get("/oemm/echeances/?horizon=365&tri=-date").content.decode()


@pytest.mark.parametrize("kind", [ReminderKind.INSTRUCTION, ReminderKind.RECEVABILITE_VALIDITY, ReminderKind.AGREMENT])
def test_every_kind_of_deadline_sorts_and_exports_in_xlsx(client, volume, oemm, kind):
    OrganismeFormation.objects.update(agrement_to=timezone.localdate() + datetime.timedelta(days=10))
    Livret1.objects.filter(state="soumis").update(instruction_deadline=timezone.localdate())
    Livret1.objects.filter(state="recevable").update(valid_until=timezone.localdate())
    client.force_login(oemm)
    assert client.get(f"/oemm/echeances/?kind={kind}&tri=-objet").status_code == 200
    response = client.get(f"/oemm/exports/echeances-{kind}.xlsx?tri=-objet")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
    firsts = [row[0] for row in rows[1:]]
    assert firsts == sorted(firsts, reverse=True)
    assert ExportRecord.objects.get().list_key == f"echeances-{kind}"


def test_deadlines_page_queries_do_not_grow_with_the_data(client, referentiels, oemm):
    client.force_login(oemm)
    seed_volume(candidates=8, sessions=0, log=quiet)
    client.get("/oemm/echeances/?tri=objet&horizon=365")
    with CaptureQueriesContext(connection) as small:
        client.get("/oemm/echeances/?tri=objet&horizon=365")
    seed_volume(candidates=40, sessions=0, log=quiet)
    with CaptureQueriesContext(connection) as large:
        client.get("/oemm/echeances/?tri=objet&horizon=365")
    assert len(small.captured_queries) == len(large.captured_queries)


# ------------------------------------------------------------------------------------------------ deletion requests


@pytest.fixture
def requests_(referentiels):
    made = []
    # Names no factory gives: a random first or last name (« Bernard », « Abel ») would be found elsewhere in the page.
    for name in ("Martinez-Refus", "Bernard-Effacement", "Zola-Effacement", "Abel-Effacement"):
        person = user_with_role(Role.CANDIDAT)
        person.first_name, person.last_name = "Personne", name
        person.save()
        made.append(workflow.request_deletion(person, reason=""))
    DeletionRequest.objects.filter(pk=made[0].pk).update(state=DeletionRequestState.REFUSEE)
    return made


def test_deletion_requests_sort_keep_the_pending_tab_and_export(client, requests_, oemm):
    client.force_login(oemm)
    page = client.get("/oemm/donnees-personnelles/?tri=candidat").content.decode()
    names = ["Abel-Effacement", "Bernard-Effacement", "Zola-Effacement"]
    assert _numbers(page, names) == names and "Martinez-Refus" not in page
    assert "state=refusee&amp;tri=candidat" in page  # the tabs keep the sort
    lines = _csv(client.get("/oemm/exports/effacements.csv?tri=-candidat"))
    assert [line[2].split()[-1] for line in lines[1:]] == ["Zola-Effacement", "Bernard-Effacement", "Abel-Effacement"]
    assert ExportRecord.objects.get().filters == {"state": "demandee", "tri": "['-candidat']"}
    lines = _csv(client.get("/oemm/exports/effacements.csv?state=refusee"))
    assert len(lines) == 2 and "Martinez-Refus" in lines[1][2]
    response = client.get("/oemm/exports/effacements.xlsx?tri=numero")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
    assert [row[0] for row in rows[1:]] == sorted(r.pk for r in requests_[1:])


def test_retention_list_sorts_and_exports(client, referentiels, oemm, settings):
    settings.RETENTION_YEARS = 1
    old = timezone.now() - datetime.timedelta(days=800)
    # Names no factory gives: the OEMM's own random name (« Amélie Durand ») is in the page's menu.
    for name in ("Ancien-Durand", "Ancien-Albert"):
        person = user_with_role(Role.CANDIDAT)
        type(person).objects.filter(pk=person.pk).update(last_name=name, date_joined=old, last_login=None)
    client.force_login(oemm)
    page = client.get("/oemm/conservation/?tri=candidat").content.decode()
    assert _numbers(page, ["Ancien-Durand", "Ancien-Albert"]) == ["Ancien-Albert", "Ancien-Durand"]
    lines = _csv(client.get("/oemm/exports/conservation.csv?tri=-candidat"))
    assert [line[1] for line in lines[1:]] == ["Ancien-Durand", "Ancien-Albert"]
    assert ExportRecord.objects.get().list_key == "conservation"


# ------------------------------------------------------------------------------------------------ e-mails


def _failed(subjects):
    for i, subject in enumerate(subjects):
        pk = outbox.enqueue(key=f"echec:{i}", to=[f"p{i}@exemple.fr"], subject=subject, text="Bonjour")
        OutboundEmail.objects.filter(pk=pk).update(
            state=OutboundEmailState.EN_ECHEC, attempts=9 - i, failed_at=timezone.now(), next_attempt_at=None
        )


def test_failed_emails_sort_by_column_and_export(client, oemm):
    _failed(["Bravo", "Alpha", "Charlie"])
    client.force_login(oemm)
    page = client.get("/oemm/e-mails/?tri=objet").content.decode()
    assert _numbers(page, ["Alpha", "Bravo", "Charlie"]) == ["Alpha", "Bravo", "Charlie"]
    page = client.get("/oemm/e-mails/?tri=tentatives").content.decode()
    assert _numbers(page, ["Alpha", "Bravo", "Charlie"]) == ["Charlie", "Alpha", "Bravo"]
    lines = _csv(client.get("/oemm/exports/emails.csv?tri=-objet"))
    assert [line[2] for line in lines[1:]] == ["Charlie", "Bravo", "Alpha"]
    assert lines[1][1] == "p2@exemple.fr"
    record = ExportRecord.objects.get()
    assert (record.list_key, record.rows, record.filters["vue"]) == ("emails", 3, "echec")
    late = _csv(client.get("/oemm/exports/emails.csv?vue=retard"))
    assert len(late) == 1  # none late: the header only


# ------------------------------------------------------------------------------------------------ hostile values

HOSTILE = ["²", "٣", "-", "--objet", "99999999999999999999", "' OR 1=1 --", "x" * 3000, "2026-02-30", ""]


@pytest.mark.parametrize(
    "url",
    [
        "/oemm/echeances/",
        "/oemm/donnees-personnelles/",
        "/oemm/conservation/",
        "/oemm/e-mails/",
        *[f"/oemm/exports/{key}.csv" for key in SPECS],
    ],
)
def test_hostile_parameters_are_ignored(client, referentiels, oemm, url):
    client.force_login(oemm)
    names = ("tri", "kind", "horizon", "cqp", "state", "vue", "page", "q")
    for value in HOSTILE:
        response = client.get(url, {name: value for name in names})
        assert response.status_code == 200, (url, value)
    response = client.get(url, [("tri", "-objet"), ("tri", "²"), ("horizon", "30"), ("horizon", "x")])
    assert response.status_code == 200


# ------------------------------------------------------------------------------------------------ register


def test_register_lines_sort_filter_and_export_as_a_list(client, referentiels, oemm):
    from pilotage.models import HolderRecord
    from pilotage.register.sync import sync_register

    seed_volume(candidates=40, sessions=3, log=quiet)
    sync_register(timezone.localdate())
    records = HolderRecord.objects.all()
    assert records.count() >= 2
    client.force_login(oemm)
    numbers = list(records.values_list("dossier__number", flat=True))
    page = client.get("/oemm/registre/?tri=-dossier").content.decode()
    assert _numbers(page, numbers) == sorted(numbers, reverse=True)[:50]
    lines = _csv(client.get("/oemm/exports/registre.csv?etat=a_transmettre&tri=dossier"))
    assert [line[0] for line in lines[1:]] == sorted(
        records.filter(state="a_transmettre").values_list("dossier__number", flat=True)
    )
    assert ExportRecord.objects.get().filters == {"etat": "a_transmettre", "tri": "['dossier']"}
    assert records.filter(state="exporte").count() == 0  # a list export is not a transmission batch


# ------------------------------------------------------------------------------------------------ cockpit queues


def test_queue_pages_sort_by_their_dates_and_export_as_sorted(client, referentiels, oemm):
    from pilotage.cockpit.queues import BY_KEY

    seed_volume(candidates=40, sessions=0, log=quiet)
    queue = BY_KEY["livrets1-a-instruire"]
    items = queue.scoped_items(timezone.localdate(), oemm)
    assert items.count() >= 2
    client.force_login(oemm)
    page = client.get(f"/oemm/files/{queue.key}/?tri=-echeance").content.decode()
    assert 'aria-sort="descending"' in page and f"/oemm/exports/file-{queue.key}.xlsx?tri=-echeance" in page
    expected = [queue.make(obj).title for obj in items.order_by(f"-{queue.deadline}", "-pk")]
    lines = _csv(client.get(f"/oemm/exports/file-{queue.key}.csv?tri=-echeance"))
    assert lines[0] == ["Élément", "Détail", "En attente depuis", "Échéance"]
    assert [line[0] for line in lines[1:]] == expected
    record = ExportRecord.objects.get()
    assert (record.list_key, record.rows) == (f"file-{queue.key}", len(expected))
    default = _csv(client.get(f"/oemm/exports/file-{queue.key}.csv"))  # no sort: the page's urgent-first order
    assert [line[0] for line in default[1:]] == [queue.make(obj).title for obj in items]
