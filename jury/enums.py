"""States, choices and transition tables of the jury: the session and the fiche de décision. The tables are checked
by ``cqp.transitions.check_transition`` in ``jury/workflow/`` and read by the predicates through ``allows``."""

from django.db import models

from cqp.transitions import Transition


class SessionKind(models.TextChoices):
    """Who examines the dossiers: the final jury (the candidate is interviewed) or a commission paritaire (on dossier,
    without the candidate: seed 003 L81, L183)."""

    JURY = "jury", "jury"
    COMMISSION = "commission", "commission paritaire"


class SessionState(models.TextChoices):
    PLANIFIEE = "planifiee", "Planifiée"
    OUVERTE = "ouverte", "Ouverte (en séance)"
    CLOSE = "close", "Close"


# Named groups used by queries and templates.
ACTIVE_STATES = [SessionState.PLANIFIEE, SessionState.OUVERTE]
EDITABLE_STATES = [SessionState.PLANIFIEE]

# Allowed transitions of a session, written once (name -> from, to; None: the state is kept).
SESSION_TRANSITIONS = {
    "open_session": Transition([SessionState.PLANIFIEE], SessionState.OUVERTE),
    "close_session": Transition([SessionState.OUVERTE], SessionState.CLOSE),
    # Planning (date, place, members, candidates, their order, convocations): only before the session opens.
    "plan": Transition(EDITABLE_STATES, None),
    "record_attendance": Transition(ACTIVE_STATES, None, refusal="La session est close."),
    "deliberate": Transition(
        [SessionState.OUVERTE],
        None,
        refusal="La délibération n'a lieu qu'en séance : la session n'est pas ouverte.",
    ),
    "sign_fiche": Transition(
        [SessionState.OUVERTE], None, refusal="La fiche se signe en séance : la session n'est pas ouverte."
    ),
}


class Attendance(models.TextChoices):
    ATTENDU = "attendu", "Attendu"
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSE = "excuse", "Absent excusé"


NOT_PRESENT = [Attendance.ABSENT, Attendance.EXCUSE]


class FicheState(models.TextChoices):
    BROUILLON = "brouillon", "En délibération"
    SIGNEE = "signee", "Signée"
    REMPLACEE = "remplacee", "Remplacée par une version rectifiée"


LOCKED_FICHE_STATES = [FicheState.SIGNEE, FicheState.REMPLACEE]

# Allowed transitions of a fiche de décision, written once (name -> from, to; None: the state is kept). A candidate
# without a fiche counts as « en délibération »: the first deliberation creates it.
FICHE_TRANSITIONS = {
    "sign_fiche": Transition(
        [FicheState.BROUILLON],
        FicheState.SIGNEE,
        refusal="La fiche de décision est déjà signée : elle ne se modifie plus.",
    ),
    "correct_fiche": Transition(
        [FicheState.SIGNEE],
        FicheState.REMPLACEE,
        refusal="Seule la version en vigueur d'une fiche signée se rectifie.",
    ),
    "deliberate": Transition(
        [FicheState.BROUILLON],
        None,
        refusal="La fiche de décision est signée : elle ne se modifie plus.",
    ),
    "record_attendance": Transition(
        [FicheState.BROUILLON],
        None,
        refusal="La fiche de décision est signée : la présence ne se modifie plus.",
    ),
    "declare_conflict": Transition([FicheState.BROUILLON], None, refusal="La fiche de décision est signée."),
    "rebuild_pdf": Transition(LOCKED_FICHE_STATES, None, refusal="La fiche n'est pas signée."),
}


class Outcome(models.TextChoices):
    TOTALE = "totale", "Validation totale"
    PARTIELLE = "partielle", "Validation partielle"
    AUCUNE = "aucune", "Aucune validation"


class PdfStatus(models.TextChoices):
    NONE = "", "Non demandé"
    PENDING = "pending", "En cours de fabrication"
    READY = "ready", "Prêt"
    FAILED = "failed", "Échec"


# Choice: the seeds give no length for the deliberation phase (rules.md §12); 10 minutes per candidate.
DELIBERATION_MINUTES = 10
