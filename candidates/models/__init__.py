"""The models of the candidates app: the dossier and its audit trail, the entretien d'accueil et d'orientation, the
voie formative. States and choices live in ``candidates/enums.py``."""

from .dossier import Dossier, DossierEvent, DossierQuerySet
from .entretien import (
    Entretien,
    EntretienCompetence,
    EntretienKnowledge,
    EntretienPrerequisite,
    EntretienUnit,
    ExperiencePeriod,
    ParcoursModule,
)
from .formation import (
    EvaluationFormative,
    EvaluationFormativeRating,
    FinalRating,
    FormationDesignation,
    IntermediateEvaluation,
    IntermediateRating,
    LivretEvaluation,
    LivretEvaluationAnswer,
    LivretSuivi,
    SuiviModule,
    SynthesisLine,
    TutorReview,
    UnitAssessment,
)
from .slots import EntretienSlot

__all__ = [
    "Dossier",
    "DossierEvent",
    "DossierQuerySet",
    "Entretien",
    "EntretienCompetence",
    "EntretienSlot",
    "EntretienKnowledge",
    "EntretienPrerequisite",
    "EntretienUnit",
    "ExperiencePeriod",
    "ParcoursModule",
    "EvaluationFormative",
    "EvaluationFormativeRating",
    "FinalRating",
    "FormationDesignation",
    "IntermediateEvaluation",
    "IntermediateRating",
    "LivretEvaluation",
    "LivretEvaluationAnswer",
    "LivretSuivi",
    "SuiviModule",
    "SynthesisLine",
    "TutorReview",
    "UnitAssessment",
]
