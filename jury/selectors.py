"""Reads for jury sessions, scoped to the person asking (outsiders get a 404)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.shortcuts import get_object_or_404

from candidates.enums import DossierState
from candidates.models import Dossier

from .enums import ACTIVE_STATES, SessionState
from .models import FicheDecision, JurySession, SessionCandidate, ValidatedUnit


def sessions_for(user):
    return JurySession.objects.visible_to(user).prefetch_related("certifications")


def sessions_listed(user):
    """The sessions list (page and export): each with its number of candidates and the first title of its CQPs."""
    return (
        sessions_for(user)
        .prefetch_related("members__user")
        .annotate(candidate_count=Count("candidates", distinct=True), first_cqp=Min("certifications__title"))
    )


def get_session_for(user, pk) -> JurySession:
    return get_object_or_404(sessions_for(user), pk=pk)


def get_session_candidate_for(user, pk, cid) -> SessionCandidate:
    session = get_session_for(user, pk)
    return get_object_or_404(
        SessionCandidate.objects.select_related(
            "session",
            "dossier__candidate",
            "dossier__certification",
            "dossier__version",
            "dossier__mention",
            "dossier__organisme",
            "dossier__entreprise",
        ),
        session=session,
        pk=cid,
    )


def get_fiche_for(user, pk) -> FicheDecision:
    return get_object_or_404(
        FicheDecision.objects.visible_to(user).select_related(
            "session_candidate__session",
            "session_candidate__dossier__candidate",
            "session_candidate__dossier__certification",
            "session_candidate__dossier__version",
        ),
        pk=pk,
    )


def dossiers_ready_for_jury(user=None):
    """Dossiers to place in a session, not yet placed in an active one.

    « Prêt pour le jury », and VAE dossiers declared recevable: the favourable recevabilité lets the
    candidate register for a session (seed 004 L27), and their livret 2 is then due the CQP's delay
    before it (checked at convocation).
    """
    from django.db.models import Q

    from candidates.enums import Path

    placed = SessionCandidate.objects.filter(session__state__in=ACTIVE_STATES).values("dossier_id")
    scope = user.staff_certifier_ids() if user is not None else None
    dossiers = Dossier.objects.all() if scope is None else Dossier.objects.filter(certification__certifier_id__in=scope)
    return (
        dossiers.filter(
            Q(state=DossierState.PRET_JURY)
            | Q(state__in=[DossierState.RECEVABLE, DossierState.COMPLEMENT], path=Path.VAE)
        )
        .exclude(pk__in=placed)
        .annotate(presented_before=Exists(SessionCandidate.objects.filter(dossier=OuterRef("pk"))))
        .select_related("candidate", "certification", "version", "mention")
        .order_by("inscription_date")
    )


def previous_president_college(session) -> str | None:
    """The college that presided the latest earlier session sharing a CQP with this one."""
    previous = (
        JurySession.objects.filter(
            certifications__in=session.certifications.all(),
            state__in=[SessionState.OUVERTE, SessionState.CLOSE],
        )
        .exclude(pk=session.pk)
        .exclude(president_college="")
        .filter(Q(date__lt=session.date) | Q(date=session.date, opened_at__isnull=False))
        .order_by("-date", "-opened_at")
        .first()
    )
    return previous.president_college if previous else None


def required_units(dossier):
    """Units of the dossier's référentiel version that the CQP needs (the common ones and those of its mention)."""
    units = dossier.version.units.all()
    if dossier.mention_id:
        units = units.filter(Q(mention__isnull=True) | Q(mention_id=dossier.mention_id))
    else:
        units = units.filter(mention__isnull=True)
    return list(units.order_by("number"))


@dataclass
class UnitStatus:
    unit: object
    earlier: ValidatedUnit | None  # best earlier validation (valid if any, else the latest expired)
    still_valid: bool

    @property
    def expired(self) -> bool:
        return self.earlier is not None and not self.still_valid


def unit_statuses(dossier, day: datetime.date, *, exclude_fiche=None) -> list[UnitStatus]:
    """For each required unit: is it held from an earlier jury, still valid on ``day`` or expired?

    Units of different versions are matched by number.
    """
    earlier = ValidatedUnit.objects.of(dossier.candidate, dossier.certification).select_related("session")
    if exclude_fiche is not None:
        earlier = earlier.exclude(fiche__session_candidate=exclude_fiche.session_candidate)
    by_number: dict[int, list[ValidatedUnit]] = {}
    for vu in earlier:
        by_number.setdefault(vu.unit_number, []).append(vu)
    result = []
    for unit in required_units(dossier):
        rows = by_number.get(unit.number, [])
        valid = [r for r in rows if r.is_valid_on(day)]
        if valid:
            best = max(valid, key=lambda r: (r.valid_until or datetime.date.max, r.validated_on))
            result.append(UnitStatus(unit, best, True))
        elif rows:
            result.append(UnitStatus(unit, max(rows, key=lambda r: r.validated_on), False))
        else:
            result.append(UnitStatus(unit, None, False))
    return result


def examined_statuses(statuses, dossier) -> list[UnitStatus]:
    """The statuses a jury or commission works on: a path aiming at part of the CQP (issue 17) is examined on its
    target units only (and the units held and still valid, carried over)."""
    if not dossier.target_units:
        return statuses
    return [s for s in statuses if s.still_valid or s.unit.number in dossier.target_units]
