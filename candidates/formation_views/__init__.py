"""Pages of the voie formative (thin: fetch, check, call the transitions of candidates.workflow, answer).

Access: anonymous → login; cannot see the dossier (or it is not formative) → 404 (``get_dossier_for``);
sees the dossier but may not do this → 403; wrong state or signed → a French message.

By what they show: ``documents`` (the printable livrets), ``designations`` (overview, designations), ``suivi``
(livret de suivi, tutorat), ``evaluation`` (livret d'évaluation finale); what they share is in ``common``.
candidates/urls.py names the views from here.
"""

from .designations import formation_designations, formation_detail
from .documents import formation_livret_pdf, formation_suivi_pdf
from .evaluation import (
    formation_assessment,
    formation_assessment_sign,
    formation_candidate,
    formation_candidate_sign,
    formation_evaluator_sign,
    formation_livret,
    formation_ready,
    formation_synthesis,
    formation_transmit,
)
from .suivi import (
    formation_formative,
    formation_formative_sign,
    formation_intermediate,
    formation_review,
    formation_suivi,
    formation_suivi_edit,
    formation_tutor_delete,
    formation_tutorat,
)

__all__ = [
    "formation_assessment",
    "formation_assessment_sign",
    "formation_candidate",
    "formation_candidate_sign",
    "formation_designations",
    "formation_detail",
    "formation_evaluator_sign",
    "formation_formative",
    "formation_formative_sign",
    "formation_intermediate",
    "formation_livret",
    "formation_livret_pdf",
    "formation_ready",
    "formation_review",
    "formation_suivi",
    "formation_suivi_edit",
    "formation_suivi_pdf",
    "formation_synthesis",
    "formation_transmit",
    "formation_tutor_delete",
    "formation_tutorat",
]
