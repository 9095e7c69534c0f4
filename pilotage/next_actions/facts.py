"""Plain facts about a dossier, read once from every app, and what the step tracker and the next actions return.

The rules (``steps.py`` and one module per role) read only these values: no ORM, table-tested. ``loader.py`` builds
them from the database in a number of queries that does not grow with the number of dossiers.
"""

import datetime
from dataclasses import dataclass, field

from candidates.deadlines import livret2_due


@dataclass(frozen=True)
class UnitFact:
    id: int
    number: int
    title: str


@dataclass(frozen=True)
class PassageFact:
    """The dossier's latest passage before a jury session, and its fiche de décision (the version in force)."""

    session_id: int
    session_candidate_id: int
    date: datetime.date
    start_time: datetime.time | None = None
    session_state: str = "planifiee"
    president_id: int | None = None
    attendance: str = "attendu"
    fiche_id: int | None = None
    fiche_state: str = ""  # "" (no fiche yet), brouillon, signee
    fiche_outcome: str = ""
    fiche_outcome_label: str = ""
    fiche_signed_on: datetime.date | None = None
    commission: bool = False  # a commission paritaire: examines the dossier without the candidate (issue 17)


@dataclass(frozen=True)
class DossierFacts:
    number: str
    path: str  # vae, formation
    state: str  # candidates.enums.DossierState
    inscription_date: datetime.date
    first_jury_deadline: datetime.date
    candidate_id: int = 0
    candidate_name: str = ""
    organisme_id: int | None = None
    entreprise_id: int | None = None
    unit_label: str = "unité"  # of the CQP: bloc, domaine, activité
    livret2_due_months: int = 1  # months before the session (référentiel version)
    # entretien d'accueil et d'orientation ("" : not started)
    entretien_state: str = ""
    entretien_held_on: datetime.date | None = None
    entretien_validated_on: datetime.date | None = None
    # créneau of the entretien (issue 21): the booked one (Paris time), and whether a centre of the dossier has one free
    entretien_slot_at: datetime.datetime | None = None
    entretien_slot_organisme_id: int | None = None
    entretien_slots_open: bool = False
    entretien_before_livret1: bool = False  # VAE: the référentiel asks the entretien validated before the livret 1
    # livret 1 (VAE), the active demand
    livret1_state: str = ""
    livret1_sent_on: datetime.date | None = None
    livret1_instruction_deadline: datetime.date | None = None
    livret1_decided_on: datetime.date | None = None
    livret1_valid_until: datetime.date | None = None
    # livret 2 (VAE)
    livret2_state: str = ""
    livret2_sent_on: datetime.date | None = None
    # accompagnement VAE: the open convention, its centre, and whether the centre accepted it
    convention_state: str = ""
    convention_organisme_id: int | None = None
    convention_organisme_accepted: bool = False
    # voie formative
    units: tuple[UnitFact, ...] = ()
    tutor_id: int | None = None
    evaluator_ids: dict[int, int | None] = field(default_factory=dict)  # slot -> user id
    suivi_started_on: datetime.date | None = None  # first module of the fiche de synthèse du parcours
    suivi_hours: int = 0
    formative_signed: frozenset[int] = frozenset()  # unit ids whose évaluation formative is signed
    formative_last_on: datetime.date | None = None
    livret_evaluation_state: str = ""
    candidate_part_signed_on: datetime.date | None = None
    evaluator_signed: dict[int, bool] = field(default_factory=dict)  # slot -> synthèse and attestation signed
    assessments_signed: frozenset[tuple[int, int]] = frozenset()  # (unit id, slot)
    livret_evaluation_transmitted_on: datetime.date | None = None
    # jury
    passage: PassageFact | None = None
    target_units: tuple[int, ...] = ()  # the units aimed at; () : the whole CQP
    to_commission: bool = False  # validated by a commission paritaire rather than the final jury

    @property
    def is_vae(self) -> bool:
        return self.path == "vae"

    def livret_due(self) -> datetime.date | None:
        """Livret 2 (or livret d'évaluation finale) due before the planned session, if any."""
        if self.passage is None or self.passage.fiche_state:
            return None
        return livret2_due(self.passage.date, self.livret2_due_months)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    status: str  # done, current, upcoming, skipped
    date: datetime.date | None = None
    detail: str = ""

    @property
    def status_label(self) -> str:
        return {
            "done": "étape terminée",
            "current": "étape en cours",
            "upcoming": "étape à venir",
            "skipped": "étape non réalisée",
        }[self.status]


@dataclass(frozen=True)
class NextAction:
    """What a person must do next: on which dossier (or session), by which date, and the page where it is done."""

    label: str
    url: str
    button: str
    subject: str = ""  # « Dossier 2026-000123 — Camille Martin », « Session du 6 janvier 2027 »
    due: datetime.date | None = None
    due_label: str = "avant le"  # « avant le », « le », « au plus tard le »
    overdue: bool = False


def sort_actions(actions: list[NextAction]) -> list[NextAction]:
    """Dated actions first, the nearest first; then the others in their order."""
    return sorted(actions, key=lambda a: (a.due is None, a.due or datetime.date.max))


@dataclass(frozen=True)
class SessionFact:
    """A jury session as one of its members sees it: for the president, who still awaits deliberation or signature."""

    id: int
    date: datetime.date
    start_time: datetime.time | None = None
    state: str = "planifiee"
    is_president: bool = False
    candidates: int = 0
    to_deliberate: tuple[tuple[int, str], ...] = ()  # (session candidate id, candidate's name): no outcome yet
    to_sign: tuple[tuple[int, str], ...] = ()  # deliberated, fiche not signed
