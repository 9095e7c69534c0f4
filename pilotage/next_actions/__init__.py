"""« Prochaine action » and the step tracker: what each person must do next, on which dossier, by which date.

The rules are plain functions of plain facts, one small module per role (``candidate``, ``centre``, ``company``,
``jury``, ``oemm``) and ``steps`` for the tracker; ``loader`` reads the facts of many dossiers in a constant number of
queries. This module gathers them for a dashboard or a dossier page.
"""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from candidates.enums import OPEN_STATES, SlotState
from candidates.models import Dossier, EntretienSlot
from cqp.enums import EntrepriseFunction, Role
from jury.enums import FicheState, SessionState
from jury.models import FicheDecision, JurySession, SessionCandidate, SessionMember
from vae.enums import CONVENTION_OPEN_STATES
from vae.models import ConventionAccompagnement

from .candidate import candidate_actions
from .centre import centre_actions, upcoming_entretiens
from .company import company_actions
from .facts import DossierFacts, NextAction, SessionFact, Step, sort_actions
from .jury import dossier_jury_actions, session_actions
from .loader import facts_of, load_facts, load_facts_onto
from .oemm import dossier_oemm_actions, queue_actions
from .steps import current_step, dossier_steps

# A staff dashboard reads the open dossiers most pressing first, at most this many (the lists below show fewer).
STAFF_DOSSIERS = 200
SHOWN = 10

__all__ = [
    "DossierFacts",
    "NextAction",
    "SessionFact",
    "Step",
    "candidate_dashboard",
    "centre_dashboard",
    "company_dashboard",
    "dossier_guidance",
    "dossier_steps",
    "jury_dashboard",
    "oemm_dashboard",
]


def _membership(user, role):
    return next((r for r in user.roles.all() if r.role == role), None)


def candidate_dashboard(user, today: datetime.date) -> dict:
    """The candidate's next actions across their dossiers, and the compact tracker of each dossier."""
    facts = load_facts(Dossier.objects.filter(candidate=user).order_by("-created_at"))
    actions = sort_actions([a for f in facts for a in candidate_actions(f, today)])
    progress = []
    for f in facts:
        steps = dossier_steps(f, today)
        done = sum(1 for s in steps if s.status == "done")
        progress.append({"number": f.number, "steps": steps, "current": current_step(steps), "done": done})
    return {"actions": actions, "progress": progress}


def _staff_dossiers(query):
    """The open dossiers matching ``query`` (no join: no duplicates), the nearest first-jury deadline first."""
    return Dossier.objects.filter(query, state__in=OPEN_STATES).order_by("first_jury_deadline", "pk")


def _shown(actions: list[NextAction]) -> dict:
    actions = sort_actions(actions)
    return {"actions": actions[:SHOWN], "more": max(0, len(actions) - SHOWN)}


def centre_dashboard(organisme_id: int, today: datetime.date) -> dict:
    accompanied = ConventionAccompagnement.objects.filter(
        organisme_id=organisme_id, state__in=CONVENTION_OPEN_STATES
    ).values("dossier_id")
    query = Q(organisme_id=organisme_id) | Q(pk__in=accompanied)
    dossiers = Dossier.objects.filter(pk__in=_staff_dossiers(query).values("pk")[:STAFF_DOSSIERS])
    facts = load_facts(dossiers.order_by("first_jury_deadline", "pk"))
    bookings = [
        (timezone.localtime(s.starts_at), str(s.booked_by.candidate), s.booked_by.number)
        for s in EntretienSlot.objects.filter(
            organisme_id=organisme_id, state=SlotState.RESERVE, starts_at__gte=timezone.now()
        ).select_related("booked_by__candidate")[:SHOWN]
    ]
    entretiens = upcoming_entretiens(bookings, today)
    return _shown(entretiens + [a for f in facts for a in centre_actions(f, organisme_id, today)])


def company_dashboard(user, membership, today: datetime.date) -> dict:
    is_rh = membership.entreprise_function in (EntrepriseFunction.RH, "")
    query = Q(entreprise_id=membership.entreprise_id, path="formation")
    dossiers = Dossier.objects.filter(pk__in=_staff_dossiers(query).values("pk")[:STAFF_DOSSIERS])
    facts = load_facts(dossiers.order_by("first_jury_deadline", "pk"))
    return _shown([a for f in facts for a in company_actions(f, user_id=user.pk, is_rh=is_rh, today=today)])


def _session_facts(user, today: datetime.date) -> list[SessionFact]:
    sessions = (
        JurySession.objects.filter(members__user=user)
        .filter(Q(state=SessionState.OUVERTE) | Q(state=SessionState.PLANIFIEE, date__gte=today))
        .distinct()
        .order_by("date", "start_time")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=SessionCandidate.objects.select_related("dossier__candidate")
                .order_by("position", "pk")
                .prefetch_related(
                    Prefetch(
                        "fiches",
                        queryset=FicheDecision.objects.exclude(state=FicheState.REMPLACEE),
                        to_attr="current_fiches",
                    )
                ),
                to_attr="all_candidates",
            )
        )
    )
    result = []
    for s in sessions:
        to_deliberate, to_sign = [], []
        for c in s.all_candidates:
            fiche = c.current_fiches[0] if c.current_fiches else None
            if fiche is None or (fiche.state == FicheState.BROUILLON and not fiche.outcome):
                to_deliberate.append((c.pk, str(c.dossier.candidate)))
            elif fiche.state == FicheState.BROUILLON:
                to_sign.append((c.pk, str(c.dossier.candidate)))
        result.append(
            SessionFact(
                id=s.pk,
                date=s.date,
                start_time=s.start_time,
                state=s.state,
                is_president=s.president_id == user.pk,
                candidates=len(s.all_candidates),
                to_deliberate=tuple(to_deliberate),
                to_sign=tuple(to_sign),
            )
        )
    return result


def jury_dashboard(user, today: datetime.date) -> dict:
    return _shown([a for s in _session_facts(user, today) for a in session_actions(s, today)])


def oemm_dashboard(queue_groups, today: datetime.date) -> dict:
    """From the cockpit's queues already summarised for the dashboard (no query here)."""
    rows = [(queue, summary) for _, group in queue_groups for queue, summary, _ in group]
    return _shown(queue_actions(rows, today))


def dossier_guidance(user, dossier, today: datetime.date) -> dict:
    """The step tracker of ``dossier`` and the next actions of ``user`` on it (every role they hold on it). The
    créneau d'entretien is read for the candidate only: only their actions show it."""
    facts = facts_of(load_facts_onto(dossier, slots=dossier.candidate_id == user.pk))
    actions: list[NextAction] = []
    if facts.candidate_id == user.pk:
        actions += candidate_actions(facts, today)
    organisme = _membership(user, Role.ORGANISME)
    if organisme is not None and organisme.organisme_id:
        actions += centre_actions(facts, organisme.organisme_id, today)
    entreprise = _membership(user, Role.ENTREPRISE)
    if entreprise is not None and entreprise.entreprise_id == facts.entreprise_id:
        is_rh = entreprise.entreprise_function in (EntrepriseFunction.RH, "")
        actions += company_actions(facts, user_id=user.pk, is_rh=is_rh, today=today)
    p = facts.passage
    if p is not None and user.has_role(Role.JURY):
        # Membership of the session is read only when there is a jury action to show (none once decided).
        jury = dossier_jury_actions(facts, is_president=p.president_id == user.pk, today=today)
        if jury and SessionMember.objects.filter(session_id=p.session_id, user=user).exists():
            actions += jury
    if user.has_role(Role.OEMM) or user.has_role(Role.ADMIN):
        actions += dossier_oemm_actions(facts, today)
    steps = dossier_steps(facts, today)
    return {"steps": steps, "current": current_step(steps), "actions": sort_actions(actions), "facts": facts}
