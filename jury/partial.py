"""The road after a validation partielle, read for the pages (dossier, candidate's dashboard), the reminders and the
inscription check: the units acquired and until when, the units still to present (never validated, or expired), the
jury's prescriptions, the approved centres. Several dossiers are read in a constant number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from candidates.enums import DossierState
from cqp.compiled_queries import rows as compiled_rows
from cqp.exceptions import WorkflowError
from referentiels.models import Unit
from vae.selectors import approved_centres

from . import rules
from .enums import FicheState, Outcome
from .models import Certificate, FicheDecision, ValidatedUnit


@dataclass
class AcquiredUnit:
    unit: object
    validated_on: datetime.date
    valid_until: datetime.date | None  # None: durée indéfinie


@dataclass
class PartialRoad:
    dossier: object
    fiche: object  # the latest signed fiche of the dossier (its prescriptions)
    acquired: list[AcquiredUnit]
    to_present: list  # units to present to a jury: never validated, or expired
    expired: list  # units whose validity has ended: asked again
    centres: list = field(default_factory=list)
    still_valid: bool = False  # the validation partielle still counts (rules.partial_validation_valid)

    @property
    def first_end(self) -> datetime.date | None:
        ends = [a.valid_until for a in self.acquired if a.valid_until is not None]
        return min(ends) if ends else None

    @property
    def unit_label(self) -> str:
        return self.dossier.certification.unit_label

    @property
    def awaiting_jury(self) -> bool:
        """Back on the road to a jury (reopened for its missing units, or ready again)."""
        return self.dossier.state != DossierState.DECIDE

    @property
    def problem(self) -> str | None:
        """Why OEMM may not present the dossier again now (None: it may)."""
        return rules.present_again_problem(
            outcome=self.fiche.outcome,
            dossier_state=self.dossier.state,
            has_certificate=False,
            to_present=len(self.to_present),
        )


def _required(units, dossier):
    return [
        u
        for u in units.get(dossier.version_id, [])
        if u.mention_id is None or (dossier.mention_id is not None and u.mention_id == dossier.mention_id)
    ]


def _held(ledger, dossier) -> dict[int, ValidatedUnit]:
    """Best validation of each unit number for the dossier's candidate and CQP (valid first, then the latest)."""
    best: dict[int, ValidatedUnit] = {}
    for row in ledger:
        if row.candidate_id != dossier.candidate_id or row.certification_id != dossier.certification_id:
            continue
        current = best.get(row.unit_number)
        if current is None or (row.valid_until or datetime.date.max, row.validated_on) > (
            current.valid_until or datetime.date.max,
            current.validated_on,
        ):
            best[row.unit_number] = row
    return best


LEDGER = "_validated_units"  # a dossier's ledger rows, kept on the instance by ``ledger_of`` (the page reads it twice)


def ledger_of(dossier) -> list[ValidatedUnit]:
    """The units the dossier's candidate holds for its CQP (the fiches replaced left out), read once per instance."""
    if LEDGER not in dossier.__dict__:
        dossier.__dict__[LEDGER] = compiled_rows(_ledger_rows, dossier.candidate_id, dossier.certification_id)
    return dossier.__dict__[LEDGER]


def _ledger_rows(candidate_id, certification_id):
    """A candidate's units for one CQP (compiled once: cqp/compiled_queries.py)."""
    return (
        ValidatedUnit.objects.filter(candidate_id=candidate_id, certification_id=certification_id)
        .exclude(fiche__state=FicheState.REMPLACEE)
        .order_by("unit_number", "-validated_on")  # the model's order for one CQP, without joining the CQP
    )


def _ledger(dossiers) -> list[ValidatedUnit]:
    if all(LEDGER in d.__dict__ for d in dossiers):
        return [row for d in dossiers for row in d.__dict__[LEDGER]]
    return list(
        ValidatedUnit.objects.filter(
            candidate_id__in={d.candidate_id for d in dossiers},
            certification_id__in={d.certification_id for d in dossiers},
        ).exclude(fiche__state=FicheState.REMPLACEE)
    )


def _units(dossiers) -> dict[int, list]:
    """The units of each version, from the versions' prefetched units when the page read them (next actions)."""
    prefetched = [
        d.version._prefetched_objects_cache.get("units")
        if type(d).version.is_cached(d) and hasattr(d.version, "_prefetched_objects_cache")
        else None
        for d in dossiers
    ]
    if all(p is not None for p in prefetched):
        return {d.version_id: sorted(p, key=lambda u: u.number) for d, p in zip(dossiers, prefetched, strict=True)}
    units: dict[int, list] = {}
    versions = {d.version_id for d in dossiers}
    for unit in (
        Unit.objects.filter(version_id__in=versions).select_related("version__certification").order_by("number")
    ):
        units.setdefault(unit.version_id, []).append(unit)
    return units


_NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _signature(fiche) -> tuple:
    return (fiche.signed_at is None, fiche.signed_at or _NEVER, fiche.pk)


def _latest_from_page(dossiers) -> dict | None:
    """{dossier id: its latest signed fiche} from the jury passages and fiches the dossier page read already
    (pilotage/next_actions/loader.py: each passage with its session and ``current_fiches``, the replaced ones left
    out), in the order of the query below (session date, signature, pk; PostgreSQL puts an empty signature last).
    None when a dossier lacks them."""
    latest = {}
    for dossier in dossiers:
        passages = getattr(dossier, "_prefetched_objects_cache", {}).get("jury_passages")
        if passages is None or not all(hasattr(p, "current_fiches") for p in passages):
            return None
        signed = [(p, f) for p in passages for f in p.current_fiches if f.state == FicheState.SIGNEE]
        if signed:
            passage, fiche = max(signed, key=lambda pf: (pf[0].session.date, *_signature(pf[1])))
            fiche.session_candidate = passage
            latest[dossier.pk] = fiche
    return latest


def roads_for(dossiers, day: datetime.date, *, with_centres=True) -> list[PartialRoad]:
    """The road of each dossier whose latest signed fiche is a validation partielle (or « aucune » with units still
    held) and whose CQP is not delivered; in a constant number of queries, whatever the number of dossiers."""
    dossiers = [d for d in dossiers if d.state != DossierState.CLOS]
    if not dossiers:
        return []
    ids = [d.pk for d in dossiers]
    latest = _latest_from_page(dossiers)
    if latest is not None:  # the dossier page: nothing more to read unless a validation partielle is shown
        if not any(f.outcome in (Outcome.PARTIELLE, Outcome.AUCUNE) for f in latest.values()):
            return []
    else:
        latest = {}
        for fiche in (
            FicheDecision.objects.filter(session_candidate__dossier_id__in=ids, state=FicheState.SIGNEE)
            .select_related("session_candidate__session")
            .order_by("session_candidate__session__date", "signed_at", "pk")
        ):
            latest[fiche.session_candidate.dossier_id] = fiche
    certified = set(
        Certificate.objects.filter(dossier_id__in=ids, revoked_at__isnull=True).values_list("dossier_id", flat=True)
    )
    # Read for every dossier given (not only those with a validation partielle): the same queries whatever the data.
    ledger = _ledger(dossiers)
    units = _units(dossiers)
    dossiers = [
        d
        for d in dossiers
        if d.pk in latest and d.pk not in certified and latest[d.pk].outcome in (Outcome.PARTIELLE, Outcome.AUCUNE)
    ]
    roads = []
    centres_by_cqp = {}
    for dossier in dossiers:
        held = _held(ledger, dossier)
        if not held:
            continue
        required = _required(units, dossier)
        until = {n: row.valid_until for n, row in held.items()}
        numbers = [u.number for u in required]
        to_present = set(rules.units_to_present(numbers, until, day))
        expired = set(rules.expired_units(numbers, until, day))
        acquired = [
            AcquiredUnit(u, held[u.number].validated_on, held[u.number].valid_until)
            for u in required
            if u.number in held and u.number not in to_present
        ]
        centres = []
        if with_centres and to_present:
            if dossier.certification_id not in centres_by_cqp:
                centres_by_cqp[dossier.certification_id] = list(approved_centres(dossier.certification, day))
            centres = centres_by_cqp[dossier.certification_id]
        roads.append(
            PartialRoad(
                dossier=dossier,
                fiche=latest[dossier.pk],
                acquired=acquired,
                to_present=[u for u in required if u.number in to_present],
                expired=[u for u in required if u.number in expired],
                centres=centres,
                still_valid=rules.partial_validation_valid(numbers, until, day),
            )
        )
    return roads


def road_of(dossier, day: datetime.date) -> PartialRoad | None:
    roads = roads_for([dossier], day)
    return roads[0] if roads else None


def check_no_valid_partial(*, candidate, certification, today) -> None:
    """Inscription check (registered in apps.py): a validation partielle still valid for this CQP is continued on its
    own dossier, presented again for the missing units, not in a new dossier."""
    from candidates.models import Dossier

    dossiers = (
        Dossier.objects.filter(candidate=candidate, certification=certification, state=DossierState.DECIDE)
        .filter(Q(jury_passages__fiches__state=FicheState.SIGNEE))
        .select_related("certification", "version")
        .distinct()
        .order_by("-created_at")
    )
    for road in roads_for(dossiers, today, with_centres=False):
        # A path aiming at part of the CQP (commission paritaire) is followed by a new dossier for the other units.
        if road.still_valid and not road.dossier.target_units:
            raise WorkflowError(
                f"Une validation partielle du {certification} est encore valable pour ce candidat "
                f"(dossier n° {road.dossier.number}) : les unités manquantes se présentent au jury avec ce même "
                "dossier, sans nouvelle inscription. L'OEMM le représente au jury depuis la page du dossier."
            )
