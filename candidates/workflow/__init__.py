"""State changes of the candidates app: one function per transition (lock, check with the tables of
``candidates/enums.py``, save, audit, side effects on commit).

- ``dossier.py``: inscription and the dossier's own transitions (orient, recevable, ready for the jury, decision,
  close, first-jury window);
- ``entretien.py``: the entretien d'accueil et d'orientation;
- ``formation.py``: the voie formative's designations, livret de suivi and tutorat;
- ``livret_evaluation.py``: the livret d'évaluation finale en entreprise and the formative dossier's readiness.

The public transitions are importable from here (``from candidates.workflow import close``).
"""

from .dossier import (
    check_dossier,
    close,
    declare_recevable,
    extend_first_jury,
    mark_ready_for_jury,
    orient,
    present_missing_units,
    record_decision,
    register_employee,
    register_vae,
)
from .entretien import (
    EntretienIncomplete,
    OrientationRefused,
    reopen_entretien,
    save_entretien,
    validate_as_candidate,
    validate_as_interviewer,
)
from .formation import (
    FormationIncomplete,
    check_open_for_work,
    delete_tutor_entry,
    designate,
    invite_member,
    save_evaluation_formative,
    save_intermediate_evaluation,
    save_livret_suivi,
    save_tutor_review,
    sign_evaluation_formative,
)
from .livret_evaluation import (
    mark_formation_ready_for_jury,
    reopen_livret_evaluation_for_units,
    save_candidate_part,
    save_synthesis,
    save_unit_assessment,
    sign_as_evaluator,
    sign_candidate_part,
    sign_unit_assessment,
    transmit_livret_evaluation,
)

__all__ = [
    "check_dossier",
    "close",
    "declare_recevable",
    "extend_first_jury",
    "mark_ready_for_jury",
    "orient",
    "present_missing_units",
    "record_decision",
    "register_employee",
    "register_vae",
    "EntretienIncomplete",
    "OrientationRefused",
    "reopen_entretien",
    "save_entretien",
    "validate_as_candidate",
    "validate_as_interviewer",
    "FormationIncomplete",
    "check_open_for_work",
    "delete_tutor_entry",
    "designate",
    "invite_member",
    "save_evaluation_formative",
    "save_intermediate_evaluation",
    "save_livret_suivi",
    "save_tutor_review",
    "sign_evaluation_formative",
    "mark_formation_ready_for_jury",
    "reopen_livret_evaluation_for_units",
    "save_candidate_part",
    "save_synthesis",
    "save_unit_assessment",
    "sign_as_evaluator",
    "sign_candidate_part",
    "sign_unit_assessment",
    "transmit_livret_evaluation",
]
