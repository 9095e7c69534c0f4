"""The OEMM cockpit's work queues: counts against the states, one query each, constant queries on every page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.enums import OPEN_STATES, DossierState
from candidates.models import Dossier
from cqp.work_queues import QueueSummary, WorkQueue, get_work_queue, register_work_queue, work_queues
from jury import selectors as jury_selectors
from jury import workflow as jury_workflow
from pilotage.cockpit.queues import BY_KEY, QUEUES
from pilotage.management.commands.seed_volume import seed_volume
from referentiels.models import Certification
from vae.models import Livret1, Livret2

STATES = [
    DossierState.INSCRIT,
    DossierState.ORIENTE,
    DossierState.RECEVABLE,
    DossierState.PRET_JURY,
    DossierState.DECIDE,
    DossierState.CLOS,
]


def quiet(*args):
    pass


def grow(n):
    seed_volume(candidates=n, sessions=0, states=STATES, log=quiet)
    # one first-jury deadline passed at every size (an empty page skips its items query)
    first = Dossier.objects.filter(state__in=OPEN_STATES).order_by("pk").first()
    Dossier.objects.filter(pk=first.pk).update(first_jury_deadline=timezone.localdate() - datetime.timedelta(days=3))


def queries(client, url):
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_every_pilotage_queue_is_registered_and_others_can_add_theirs():
    keys = [q.key for q in work_queues()]
    assert set(BY_KEY) <= set(keys)
    extra = WorkQueue(
        key="test-extra", label="File ajoutée", group="Envois", summarize=lambda today: QueueSummary(count=3),
        url=lambda: "/ailleurs/",
    )  # fmt: skip
    register_work_queue(extra)
    try:
        assert get_work_queue("test-extra") is extra
    finally:
        from cqp import work_queues as registry

        registry._queues.pop("test-extra")
    with pytest.raises(ValueError):
        register_work_queue(WorkQueue(key="a b", label="x", group="x", summarize=None, url=None))


def test_each_queue_summary_is_one_query(referentiels, oemm):
    grow(12)
    today = timezone.localdate()
    for queue in QUEUES:
        with CaptureQueriesContext(connection) as ctx:
            queue.summarize(today)
        # the late livrets 2 read the candidates of planned sessions, then aggregate: two queries
        assert len(ctx.captured_queries) <= 2, queue.key


def test_counts_match_the_states(referentiels, oemm):
    grow(24)
    today = timezone.localdate()
    summary = {q.key: q.summarize(today) for q in QUEUES}
    soumis = Livret1.objects.filter(is_active=True, state="soumis")
    assert summary["livrets1-a-instruire"].count == soumis.count() > 0
    assert summary["livrets1-a-instruire"].deadline == min(soumis.values_list("instruction_deadline", flat=True))
    assert summary["livrets1-a-instruire"].overdue == soumis.filter(instruction_deadline__lt=today).count()
    assert summary["livrets1-incomplets"].count == Livret1.objects.filter(is_active=True, state="incomplet").count()
    assert summary["livrets2-recus"].count == Livret2.objects.filter(state="soumis").count()
    assert summary["dossiers-a-placer"].count == jury_selectors.dossiers_ready_for_jury().count() > 0
    passed = Dossier.objects.filter(state__in=OPEN_STATES, first_jury_deadline__lt=today)
    assert summary["premier-jury-depasse"].count == passed.count() >= 1
    assert summary["premier-jury-depasse"].overdue == passed.count()


def test_session_queues_follow_the_session(referentiels, oemm):
    from tests.jury.conftest import ready_dossier

    today = timezone.localdate()
    dossier = ready_dossier("gpac", by=oemm)
    before = BY_KEY["dossiers-a-placer"].summarize(today).count
    session = jury_workflow.create_session(
        by=oemm,
        certifications=Certification.objects.filter(code="gpac"),
        date=today + datetime.timedelta(days=120),
        start_time=datetime.time(9, 0),
        place="OEMM, Paris",
        capacity=8,
    )
    assert BY_KEY["sessions-a-composer"].summarize(today).count == 1
    assert BY_KEY["sessions-a-convoquer"].summarize(today).count == 0
    jury_workflow.add_candidate(session, by=oemm, dossier=dossier)
    assert BY_KEY["dossiers-a-placer"].summarize(today).count == before - 1
    assert BY_KEY["sessions-a-convoquer"].summarize(today).count == 1
    jury_workflow.convoke(session.candidates.get(), by=oemm)
    assert BY_KEY["sessions-a-convoquer"].summarize(today).count == 0
    assert BY_KEY["sessions-a-ouvrir"].summarize(today).count == 0


def test_dashboard_and_queue_pages_make_constant_queries(client, referentiels, oemm):
    client.force_login(oemm)
    urls = ["/oemm/"] + [f"/oemm/files/{q.key}/" for q in QUEUES]
    grow(12)
    small = {url: queries(client, url) for url in urls}
    grow(60)
    large = {url: queries(client, url) for url in urls}
    assert small == large


def test_queue_page_shows_items_with_days_left(client, referentiels, oemm):
    grow(12)
    client.force_login(oemm)
    response = client.get("/oemm/files/livrets1-a-instruire/")
    livret = Livret1.objects.filter(is_active=True, state="soumis").order_by("instruction_deadline").first()
    assert livret.dossier.number in response.content.decode()
    assert "Instruire" in response.content.decode()
    dashboard = client.get("/oemm/").content.decode()
    assert "Livrets 1 à instruire" in dashboard and "Ce qui vous attend" in dashboard


@pytest.mark.parametrize("query", ["?page=%C2%B2", "?page=-1", "?page=99999999999999999999", "?page=abc"])
def test_queue_page_ignores_hostile_params(client, referentiels, oemm, query):
    client.force_login(oemm)
    assert client.get(f"/oemm/files/dossiers-a-placer/{query}").status_code == 200


def test_queue_pages_are_for_the_oemm_only(client, referentiels, oemm, candidat, jury_member):
    assert client.get("/oemm/files/dossiers-a-placer/").status_code == 302
    for user in (candidat, jury_member):
        client.force_login(user)
        assert client.get("/oemm/files/dossiers-a-placer/").status_code == 403
        assert client.post("/oemm/files/dossiers-a-placer/action/", {"ids": ["1"]}).status_code == 403
    client.force_login(oemm)
    assert client.get("/oemm/files/inconnue/").status_code == 404
    assert client.post("/oemm/files/sessions-a-ouvrir/action/").status_code == 404
