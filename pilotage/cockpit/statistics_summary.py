"""The statistics page reads its figures from a summary (StatisticsSnapshot), not from the live data at each view.

Computing the figures aggregates every dossier, livret 1, signed fiche and unit decision (≈ 1 s at 10,000 candidates on
PostgreSQL); reading a snapshot is one indexed query whatever the data. A snapshot is the live computation
(statistics.compute and pilotage/statistics.dossier_statistics) stored as it came out, for one choice of filters
(CQP, period): the same figures, to the decimal (tests/pilotage/test_statistics_summary.py). It is fresh for
MAX_AGE and on the day it was computed for (the figures « today » — dossiers waiting, validations expiring — change
with the date); a stale or missing one is recomputed on demand. The daily job computes the unfiltered one in
advance, and deletes those of earlier days (a filter chosen once does not stay forever). The page says when its
figures were computed.
"""

import dataclasses
import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from cqp.models import User

from ..models import StatisticsSnapshot
from ..statistics import dossier_statistics
from .statistics import Figure, compute

MAX_AGE = datetime.timedelta(hours=1)


def snapshot_key(certification=None, start=None, end=None) -> str:
    """The filters as a short key: ``<certification pk>|<du>|<au>``, empty parts for no filter."""
    parts = [str(certification.pk) if certification else "", start.isoformat() if start else ""]
    parts.append(end.isoformat() if end else "")
    return "|".join(parts)


def live(*, certification=None, start=None, end=None, today) -> dict:
    """The figures computed now from the live data, in the stored form (JSON values: lists, numbers, text)."""
    figures = compute(start=start, end=end, certification=certification, today=today)
    stored = {
        "figures": [dataclasses.asdict(figure) for figure in figures],
        "detail": dossier_statistics(),
        "anonymised": User.objects.filter(anonymised_at__isnull=False).count(),
    }
    # through JSON once, so what is returned is exactly what a snapshot gives back (tuples as lists)
    return json.loads(json.dumps(stored, cls=DjangoJSONEncoder))


def figures_of(snapshot: StatisticsSnapshot) -> list[Figure]:
    """The stored figures as Figure objects, charts as (label, value) pairs again."""
    out = []
    for stored in snapshot.figures:
        data = dict(stored)
        chart = [tuple(item) for item in data.pop("chart", [])]
        out.append(Figure(**data, chart=chart))
    return out


def refresh(*, certification=None, start=None, end=None, today=None) -> StatisticsSnapshot:
    """Compute the figures for these filters now and store them (replacing any earlier ones)."""
    today = today or timezone.localdate()
    values = live(certification=certification, start=start, end=end, today=today)
    snapshot, _ = StatisticsSnapshot.objects.update_or_create(
        key=snapshot_key(certification, start, end),
        defaults={
            "certification": certification,
            "start": start,
            "end": end,
            "computed_for": today,
            "computed_at": timezone.now(),
            **values,
        },
    )
    return snapshot


def is_fresh(snapshot: StatisticsSnapshot, today, now) -> bool:
    return snapshot.computed_for == today and now - snapshot.computed_at < MAX_AGE


def current(*, certification=None, start=None, end=None, today=None) -> StatisticsSnapshot:
    """The snapshot for these filters: the stored one while fresh (one query), else computed now."""
    today = today or timezone.localdate()
    snapshot = StatisticsSnapshot.objects.filter(key=snapshot_key(certification, start, end)).first()
    if snapshot is not None and is_fresh(snapshot, today, timezone.now()):
        return snapshot
    return refresh(certification=certification, start=start, end=end, today=today)


def refresh_daily(today=None) -> int:
    """The daily job's part: drop the snapshots of earlier days (one per filter chosen), compute the unfiltered one
    (the page as first opened; a CQP's or a period's is computed when first asked). Returns the number dropped."""
    today = today or timezone.localdate()
    dropped, _ = StatisticsSnapshot.objects.filter(computed_for__lt=today).delete()
    refresh(today=today)
    return dropped
