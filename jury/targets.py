"""Target units of a dossier and the commission paritaire (seed 003 L36, L81, L183): which units the path aims at,
who validates them (the final jury or a commission paritaire, on dossier), and which session may receive it.
The rules themselves are plain functions in referentiels/targets.py (data: the version's ``target_rules``)."""

import datetime

from django.db import transaction
from django.utils import timezone

from candidates.audit import record_event
from candidates.enums import AWAITING_FIRST_JURY_STATES
from candidates.models import Dossier
from cqp.exceptions import WorkflowError
from cqp.templatetags.french import date_fr
from referentiels import targets as target_rules

from .enums import FicheState, SessionKind
from .models import ValidatedUnit


def unit_numbers(dossier) -> list[int]:
    """The units of the dossier's CQP version (those of its mention, when the unit has one)."""
    return [
        u.number
        for u in dossier.version.units.all()
        if u.mention_id is None or (dossier.mention_id is not None and u.mention_id == dossier.mention_id)
    ]


def acquired_numbers(candidate, certification, day: datetime.date) -> list[int]:
    """Units of the CQP the candidate holds and that are still valid on ``day`` (the validity ledger)."""
    return sorted(
        set(
            ValidatedUnit.objects.of(candidate, certification)
            .valid_on(day)
            .exclude(fiche__state=FicheState.REMPLACEE)
            .values_list("unit_number", flat=True)
        )
    )


def targeted_numbers(dossier, acquired=None) -> list[int]:
    """The units the dossier aims at: its choice, or (empty choice) every unit not already acquired and valid
    (``acquired``: those numbers today, when the caller has read them already)."""
    if dossier.target_units:
        return sorted(dossier.target_units)
    if acquired is None:
        acquired = acquired_numbers(dossier.candidate, dossier.certification, timezone.localdate())
    acquired = set(acquired)
    return [n for n in unit_numbers(dossier) if n not in acquired]


@transaction.atomic
def set_targets(dossier, *, by, numbers) -> Dossier:
    """Choose the units a dossier aims at (at inscription, or at the entretien before the jury): checked against the
    CQP's rule and the ledger, and routed to the jury or to a commission paritaire."""
    locked = Dossier.objects.select_for_update().select_related("version", "certification").get(pk=dossier.pk)
    reason = lock_reason(locked)
    if reason:
        raise WorkflowError(reason)
    numbers = sorted({int(n) for n in numbers})
    rule = locked.version.target_rules
    all_units = unit_numbers(locked)
    acquired = acquired_numbers(locked.candidate, locked.certification, timezone.localdate())
    problem = target_rules.targets_problem(rule, numbers, all_units, acquired)
    if problem:
        raise WorkflowError(problem)
    remaining = [n for n in all_units if n not in acquired]
    route = target_rules.routing(rule, numbers, remaining)
    locked.target_units = [] if numbers == remaining else numbers
    locked.validated_by = route
    locked.save(update_fields=["target_units", "validated_by"])
    label = ", ".join(str(n) for n in numbers)
    record_event(
        locked,
        actor=by,
        action="set_targets",
        label=f"Unités visées : {label} — validées par {locked.validator_label}",
        from_state=locked.state,
        to_state=locked.state,
        data={"targets": numbers, "validated_by": route},
    )
    return locked


def latest_passage(dossier):
    """The dossier's latest passage before a jury, with its session: from the dossier's prefetched passages when the
    page read them already (pilotage/next_actions/loader.py), else in one query."""
    cached = getattr(dossier, "_prefetched_objects_cache", {}).get("jury_passages")
    passages = cached if cached is not None else dossier.jury_passages.select_related("session")
    return max(passages, key=lambda p: (p.session.date, p.pk), default=None)


def lock_reason(dossier) -> str | None:
    """Why the target units of the dossier no longer change (in French), None while they may: from the inscription
    until the dossier is placed in a session (jury or commission paritaire)."""
    passage = latest_passage(dossier)
    if passage is not None:
        session = passage.session
        body = "la commission paritaire" if session.is_commission else "le jury"
        return (
            f"Le dossier a déjà été placé en session ({body} du {date_fr(session.date)}) : "
            "les unités visées ne changent plus."
        )
    if dossier.state not in AWAITING_FIRST_JURY_STATES:
        return f"Le dossier est « {dossier.get_state_display()} » : les unités visées ne changent plus."
    return None


def remaining_numbers(dossier) -> list[int]:
    """The units of the CQP the candidate still has to acquire (not acquired and valid today)."""
    acquired = set(acquired_numbers(dossier.candidate, dossier.certification, timezone.localdate()))
    return [n for n in unit_numbers(dossier) if n not in acquired]


def route_by_count(dossier, remaining: list[int]) -> dict[int, str]:
    """Where the path leads for each number of units chosen among ``remaining`` (the rule depends on the number
    only): « commission » or « jury »."""
    rule = dossier.version.target_rules
    return {n: target_rules.routing(rule, remaining[:n], remaining) for n in range(1, len(remaining) + 1)}


def composition_rule(session) -> dict:
    """Keyword arguments of rules.check_composition for the session: the certifier's jury, or the commission
    paritaire of its CQP's référentiel."""
    certifier = session.certifier
    if session.kind != SessionKind.COMMISSION:
        return certifier.jury_rule()
    version = next((c.current_version for c in session.certifications.all() if c.current_version), None)
    labels = {college: label for college, label, _low, _high in certifier.college_rules()}
    return target_rules.commission_colleges(version.target_rules if version else {}, labels)


def placement_problem(session, dossier) -> str | None:
    """A dossier routed to a commission paritaire goes only to a commission session, and the other way round."""
    if dossier.goes_to_commission and session.kind != SessionKind.COMMISSION:
        return (
            f"Le dossier {dossier.number} vise une partie du CQP : il est examiné par une commission paritaire, "
            "pas par le jury. Placez-le dans une session de commission paritaire."
        )
    if not dossier.goes_to_commission and session.kind == SessionKind.COMMISSION:
        return (
            f"Le dossier {dossier.number} vise le CQP entier : il passe devant le jury final, "
            "pas devant une commission paritaire."
        )
    return None
