from django.db import models


class SessionState(models.TextChoices):
    PLANIFIEE = "planifiee", "Planifiée"
    OUVERTE = "ouverte", "Ouverte (en séance)"
    CLOSE = "close", "Close"


# Named groups used by queries and templates.
ACTIVE_STATES = [SessionState.PLANIFIEE, SessionState.OUVERTE]
EDITABLE_STATES = [SessionState.PLANIFIEE]

# Allowed transitions of a session, written once (name -> (from, to)).
SESSION_TRANSITIONS = {
    "open_session": ([SessionState.PLANIFIEE], SessionState.OUVERTE),
    "close_session": ([SessionState.OUVERTE], SessionState.CLOSE),
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

FICHE_TRANSITIONS = {
    "sign_fiche": ([FicheState.BROUILLON], FicheState.SIGNEE),
    "correct_fiche": ([FicheState.SIGNEE], FicheState.REMPLACEE),
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
