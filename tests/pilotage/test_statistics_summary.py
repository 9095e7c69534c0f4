"""The statistics page reads a summary (StatisticsSnapshot): the same figures as the live computation, before and after
anonymisation; recomputed when stale; the unfiltered one by the daily job; a constant number of queries."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Dossier
from pilotage.cockpit import statistics_summary as summary
from pilotage.cockpit.statistics import compute
from pilotage.daily import run_daily_job
from pilotage.management.commands.seed_volume import seed_volume
from pilotage.models import StatisticsSnapshot
from pilotage.statistics import dossier_statistics
from referentiels.models import Certification


def quiet(*args):
    pass


def grow(n):
    seed_volume(candidates=n, sessions=1, log=quiet)


def same_as_live(snapshot, *, certification=None, start=None, end=None):
    live = compute(start=start, end=end, certification=certification, today=snapshot.computed_for)
    assert summary.figures_of(snapshot) == live
    assert snapshot.detail == dossier_statistics()


def anonymise_some_closed(oemm):
    from pilotage.personal_data import anonymise_candidate

    for dossier in Dossier.objects.filter(state__in=["decide", "clos"]).select_related("candidate")[:5]:
        others = Dossier.objects.filter(candidate=dossier.candidate).exclude(state__in=["decide", "clos"])
        if dossier.candidate.anonymised_at is None and not others.exists():
            anonymise_candidate(dossier.candidate, by=oemm, reason="test")
    assert Dossier.objects.filter(candidate__anonymised_at__isnull=False).exists()


def test_summary_gives_the_live_figures_before_and_after_anonymisation(referentiels, oemm):
    grow(25)
    certification = Certification.objects.order_by("pk").first()
    filters = [
        {},
        {"certification": certification},
        {"start": datetime.date(2020, 1, 1), "end": timezone.localdate()},
    ]
    before = []
    for chosen in filters:
        snapshot = summary.refresh(**chosen)
        snapshot.refresh_from_db()  # what a later page reads: through the database's JSON
        same_as_live(snapshot, **chosen)
        before.append(summary.figures_of(snapshot))
    anonymise_some_closed(oemm)
    for chosen, figures in zip(filters, before, strict=True):
        snapshot = summary.refresh(**chosen)
        snapshot.refresh_from_db()
        same_as_live(snapshot, **chosen)
        assert summary.figures_of(snapshot) == figures
        assert snapshot.anonymised > 0


def test_page_reads_the_summary_and_says_when_it_was_computed(client, referentiels, oemm):
    grow(10)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 5, tzinfo=datetime.UTC), tick=False):
        client.force_login(oemm)
        page = client.get("/oemm/statistiques/").content.decode()
        assert "Chiffres calculés le 23 novembre 2026 à 10:05" in page  # Europe/Paris
        count = Dossier.objects.count()
        assert f"{count} dossiers par CQP" in page
        grow(3)  # within the hour: the figures as computed, the time says so
        assert f"{count} dossiers par CQP" in client.get("/oemm/statistiques/").content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 6, tzinfo=datetime.UTC), tick=False):
        client.force_login(oemm)
        page = client.get("/oemm/statistiques/").content.decode()  # stale: computed again
        assert "Chiffres calculés le 23 novembre 2026 à 11:06" in page
        assert f"{Dossier.objects.count()} dossiers par CQP" in page
    assert StatisticsSnapshot.objects.count() == 1


def test_csv_reads_the_same_figures_as_the_page(client, referentiels, oemm):
    grow(10)
    client.force_login(oemm)
    client.get("/oemm/statistiques/?du=2020-01-01")
    snapshot = StatisticsSnapshot.objects.get()
    body = b"".join(client.get("/oemm/statistiques/inscriptions.csv?du=2020-01-01").streaming_content).decode()
    rows = dict((f.key, f.rows) for f in summary.figures_of(snapshot))["inscriptions"]
    assert len(body.strip().splitlines()) == 1 + len(rows)
    assert StatisticsSnapshot.objects.count() == 1


def test_daily_job_computes_the_unfiltered_figures_and_drops_old_ones(referentiels):
    grow(5)
    certification = Certification.objects.order_by("pk").first()
    day = datetime.date(2026, 11, 23)
    summary.refresh(certification=certification, today=day - datetime.timedelta(days=1))
    result = run_daily_job(day)
    assert "statistics_failed" not in result and result["statistics"] == 1
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.key == "||" and snapshot.computed_for == day
    same_as_live(snapshot)


def test_yesterdays_summary_is_stale_today(referentiels):
    grow(5)
    today = timezone.localdate()
    old = summary.refresh(today=today - datetime.timedelta(days=1))
    fresh = summary.current(today=today)
    assert fresh.pk == old.pk and fresh.computed_for == today


def test_page_queries_do_not_grow_with_the_data_fresh_or_stale(client, referentiels, oemm):
    client.force_login(oemm)
    grow(10)
    with CaptureQueriesContext(connection) as stale_small:
        client.get("/oemm/statistiques/")
    with CaptureQueriesContext(connection) as fresh_small:
        client.get("/oemm/statistiques/")
    grow(40)
    StatisticsSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as stale_large:
        client.get("/oemm/statistiques/")
    with CaptureQueriesContext(connection) as fresh_large:
        client.get("/oemm/statistiques/")
    assert len(stale_small.captured_queries) == len(stale_large.captured_queries)
    assert len(fresh_small.captured_queries) == len(fresh_large.captured_queries)
    assert len(fresh_large.captured_queries) < len(stale_large.captured_queries)
