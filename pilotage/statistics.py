"""Statistics of the certification (reads): dossiers per CQP, year of inscription, path, state and jury outcome.

They read only dossiers and signed fiches de décision, never the people: they are the same before and after
a candidate is anonymised (tests/security/test_personal_data_anonymisation.py).
"""

from django.db.models import Count, OuterRef, Subquery

from candidates.models import Dossier
from jury.enums import FicheState
from jury.models import FicheDecision


def dossier_statistics(dossiers=None) -> list[dict]:
    """One row per (CQP code, year, path, state, outcome) with its count, sorted; outcome "" when no jury decided."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    outcome = (
        FicheDecision.objects.filter(session_candidate__dossier=OuterRef("pk"), state=FicheState.SIGNEE)
        .order_by("-signed_at", "-pk")
        .values("outcome")[:1]
    )
    rows = (
        dossiers.annotate(outcome=Subquery(outcome))
        .values("certification__code", "certification__title", "inscription_date__year", "path", "state", "outcome")
        .annotate(count=Count("pk"))
        .order_by("certification__code", "inscription_date__year", "path", "state", "outcome")
    )
    return [
        {
            "cqp": r["certification__code"],
            "cqp_title": r["certification__title"],
            "year": r["inscription_date__year"],
            "path": r["path"],
            "state": r["state"],
            "outcome": r["outcome"] or "",
            "count": r["count"],
        }
        for r in rows
    ]
