"""Retention: a candidate's data is anonymised RETENTION_YEARS after the end of their last dossier (daily job,
``manage.py anonymise_expired``, and the OEMM's « Durée de conservation échue » page)."""

import datetime
import logging

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from candidates.enums import CLOSED_STATES, OPEN_STATES
from candidates.models import Dossier
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.models import User

from .anonymisation import anonymise_candidate

logger = logging.getLogger(__name__)


def retention_cutoff(today) -> datetime.date:
    """Dossiers ended on or before this day are past retention (RETENTION_YEARS years, 29 February → 28)."""
    years = settings.RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def past_retention(today):
    """Candidates (accounts holding no other role), not yet anonymised, whose every dossier ended before the cutoff.

    A dossier ends at its last change from an open state to « décision rendue » or « clos » (audit trail); each row
    gets ``ended_at``, the most recent end among the person's dossiers. An account without any dossier is past
    retention when it was created, and last used, before the cutoff.
    """
    limit = timezone.make_aware(datetime.datetime.combine(retention_cutoff(today), datetime.time.min))
    other_roles = [r for r in Role.values if r != Role.CANDIDAT]
    ended = Q(dossiers__events__to_state__in=CLOSED_STATES, dossiers__events__from_state__in=OPEN_STATES)
    return (
        User.objects.filter(anonymised_at__isnull=True, roles__role=Role.CANDIDAT, is_staff=False, is_superuser=False)
        .exclude(roles__role__in=other_roles)
        .exclude(pk__in=Dossier.objects.filter(state__in=OPEN_STATES).values("candidate_id"))
        .annotate(ended_at=Max("dossiers__events__at", filter=ended), dossier_count=Count("dossiers", distinct=True))
        .filter(
            Q(dossier_count__gt=0, ended_at__lt=limit)
            | (Q(dossier_count=0, date_joined__lt=limit) & (Q(last_login__isnull=True) | Q(last_login__lt=limit)))
        )
        .order_by("ended_at", "pk")
    )


def retention_reason() -> str:
    return f"Durée de conservation ({settings.RETENTION_YEARS} ans) échue"


def anonymise_past_retention(today=None, *, by=None) -> list[int]:
    """Anonymise every candidate past retention (the daily job and the management command); returns their ids.

    Idempotent: anonymised people are no longer selected; a person whose situation changed meanwhile is skipped.
    """
    today = today or timezone.localdate()
    done = []
    for user in past_retention(today):
        try:
            summary = anonymise_candidate(user, by=by, reason=retention_reason())
        except WorkflowError:
            continue
        if not summary.get("already"):
            done.append(user.pk)
    if done:
        logger.info("Conservation : %d compte(s) anonymisé(s)", len(done))
    return done
