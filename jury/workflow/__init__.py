"""State changes of the jury: one function per transition (lock, check with the tables of ``jury/enums.py``, save,
audit in the session's trail and the dossier's, mails and PDFs queued on commit).

- ``sessions.py``: planning a session, opening it with its president, closing it;
- ``convocations.py``: convocations and attendance;
- ``deliberation.py``: conflicts of interest, deliberation, signature and correction of the fiche de décision;
- ``second_presentation.py``: a partially validated dossier presented again for its missing units;
- ``checks.py``: the session lock, the table checks, the role check, the tasks queued on commit.

The public transitions are importable from here (``from jury.workflow import sign_fiche``).
"""

from .checks import enqueue_fiche
from .convocations import convoke, record_attendance
from .deliberation import (
    check_may_deliberate,
    correct_fiche,
    declare_conflict,
    record_deliberation,
    request_fiche_pdf,
    sign_fiche,
    signatory_problem,
)
from .second_presentation import present_missing_units
from .sessions import (
    add_candidate,
    add_member,
    close_session,
    create_session,
    move_candidate_up,
    open_session,
    proposed_president_college,
    remove_candidate,
    remove_member,
    reschedule_session,
)

__all__ = [
    "enqueue_fiche",
    "convoke",
    "record_attendance",
    "check_may_deliberate",
    "correct_fiche",
    "declare_conflict",
    "record_deliberation",
    "request_fiche_pdf",
    "sign_fiche",
    "signatory_problem",
    "present_missing_units",
    "add_candidate",
    "add_member",
    "close_session",
    "create_session",
    "move_candidate_up",
    "open_session",
    "proposed_president_college",
    "remove_candidate",
    "remove_member",
    "reschedule_session",
]
