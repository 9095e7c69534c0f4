"""The candidate's personal data held by this app (dossiers, entretien d'accueil, livrets of the voie formative),
registered for the export and the anonymisation (cqp/personal_data_registry.py, read by pilotage/personal_data/)."""

from cqp.personal_data_registry import (
    PersonalData,
    exported,
    keep_history,
    register_dossier_export,
    register_personal_data,
    unit_of,
)

from .models import (
    Dossier,
    DossierEvent,
    Entretien,
    EntretienCompetence,
    EntretienKnowledge,
    EntretienPrerequisite,
    EntretienUnit,
    EvaluationFormative,
    EvaluationFormativeRating,
    ExperiencePeriod,
    FinalRating,
    IntermediateEvaluation,
    IntermediateRating,
    LivretEvaluation,
    LivretEvaluationAnswer,
    LivretSuivi,
    ParcoursModule,
    SuiviModule,
    SynthesisLine,
    TutorReview,
    UnitAssessment,
)

AUDIT = "historique du dossier, conservé à l'anonymisation (qui, quand, de, vers, pourquoi)"
TRAINING = "formation suivie, décrite par l'organisme de formation"
SIGNED = "contenu d'une évaluation signée par l'organisme ou l'entreprise, conservé avec le dossier"

# Text fields holding no personal data of a candidate (tests/test_personal_data_registry.py).
NON_PERSONAL = [
    (
        "EntretienSlot",
        ["place", "video_url", "note", "uid", "message"],
        "créneau publié par l'organisme de formation (lieu, lien, note, message au candidat), pas une donnée du "
        "candidat ; la réservation est une clé vers le dossier",
    ),
    ("Dossier", ["target_units", "validated_by"], "unités visées par le parcours et instance qui les valide"),
    (
        "FormationDesignation",
        ["evaluator1_function", "evaluator2_function"],
        "fonction des évaluateurs désignés par l'entreprise, pas une donnée du candidat",
    ),
    (
        "LivretEvaluation",
        ["reopened_units"],
        "numéros des unités rouvertes après une validation partielle, pas une donnée du candidat",
    ),
]

for entry in [
    PersonalData(
        Dossier,
        "candidate",
        export=["number", "path", "state", "inscription_date", "first_jury_deadline", "closed_reason", "created_at"],
        kept={
            "number": "numéro du dossier, conservé avec le dossier (statistiques, actes du jury)",
            "closed_reason": AUDIT,
        },
    ),
    PersonalData(
        DossierEvent,
        "dossier__candidate",
        export=["at", "action", "label", "from_state", "to_state", "comment", "data"],
        kept={name: AUDIT for name in ("action", "label", "from_state", "to_state", "comment", "data")},
    ),
    PersonalData(
        Entretien,
        "dossier__candidate",
        export=[
            "state",
            "interviewer_function",
            "organisation",
            "held_on",
            "synthesis",
            "recommendations",
            "declared_experience_months",
            "candidate_comment",
            "interviewer_validated_at",
            "candidate_validated_at",
            "created_at",
            "updated_at",
        ],
        erase={"synthesis": "", "recommendations": "", "candidate_comment": ""},
        kept={
            "interviewer_function": "fonction de la personne qui a mené l'entretien, pas du candidat",
            "organisation": "organisme ou entreprise qui a mené l'entretien, pas le candidat",
        },
    ),
    PersonalData(EntretienPrerequisite, "entretien__dossier__candidate", export=["answer"]),
    PersonalData(
        EntretienCompetence,
        "entretien__dossier__candidate",
        export=["assessment", "training_wanted", "training_note"],
        erase={"training_note": ""},
        kept={"assessment": "appréciation codée sur l'échelle du CQP, sans texte libre"},
    ),
    PersonalData(
        EntretienKnowledge,
        "entretien__dossier__candidate",
        export=["assessment"],
        kept={"assessment": "appréciation codée sur l'échelle du CQP, sans texte libre"},
    ),
    PersonalData(EntretienUnit, "entretien__dossier__candidate", export=["orientation"]),
    PersonalData(
        ParcoursModule,
        "entretien__dossier__candidate",
        export=["position", "title", "hours", "start_on", "end_on"],
        kept={"title": "intitulé d'un module de formation du parcours, pas une donnée du candidat"},
    ),
    PersonalData(
        ExperiencePeriod,
        "entretien__dossier__candidate",
        export=["position", "start_on", "end_on", "status", "description"],
        erase={"description": ""},
    ),
    PersonalData(
        LivretSuivi,
        "dossier__candidate",
        export=["training_manager", "created_at", "updated_at"],
        kept={"training_manager": "responsable de formation de l'organisme, pas le candidat"},
    ),
    PersonalData(
        SuiviModule,
        "livret__dossier__candidate",
        export=["position", "title", "hours", "start_on", "end_on", "content"],
        kept={"title": TRAINING, "content": TRAINING},
    ),
    PersonalData(
        EvaluationFormative,
        "livret__dossier__candidate",
        export=["held_on", "result", "trainer_name", "progress_objectives", "signed_at"],
        kept={"trainer_name": "formateur de l'organisme, pas le candidat", "progress_objectives": SIGNED},
    ),
    PersonalData(EvaluationFormativeRating, "evaluation__livret__dossier__candidate", export=["rating"]),
    PersonalData(
        IntermediateEvaluation,
        "dossier__candidate",
        export=["held_on", "progress_objectives", "created_at"],
        erase={"progress_objectives": ""},
    ),
    PersonalData(IntermediateRating, "evaluation__dossier__candidate", export=["rating"]),
    PersonalData(
        TutorReview,
        "dossier__candidate",
        export=["held_on", "with_whom", "strengths", "progress_objectives", "created_at"],
        erase={"with_whom": "", "strengths": "", "progress_objectives": ""},
    ),
    PersonalData(
        LivretEvaluation,
        "dossier__candidate",
        export=[
            "state",
            "candidate_activities",
            "candidate_signed_at",
            "evaluator1_signed_at",
            "evaluator2_signed_at",
            "transmitted_at",
            "created_at",
            "updated_at",
        ],
        erase={"candidate_activities": ""},
    ),
    PersonalData(
        LivretEvaluationAnswer,
        "livret__dossier__candidate",
        export=["text", "question_answers", "candidate_comment"],
        erase={"text": "", "question_answers": [], "candidate_comment": ""},
    ),
    PersonalData(
        SynthesisLine,
        "livret__dossier__candidate",
        export=["activities_exercised", "evaluated_from", "evaluated_to", "conditions"],
        erase={"conditions": ""},
    ),
    PersonalData(
        UnitAssessment,
        "livret__dossier__candidate",
        export=["slot", "evaluated_on", "modality_used", "mastery", "comments", "signed_at"],
        erase={"comments": ""},
        kept={"modality_used": "modalité d'évaluation mise en œuvre par l'entreprise"},
    ),
    PersonalData(FinalRating, "assessment__livret__dossier__candidate", export=["answer"]),
]:
    register_personal_data(entry)

keep_history(Dossier, "le dossier (CQP, voie, dates, états) est conservé pour les statistiques et les actes du jury")


def _entretien(entretien) -> dict | None:
    if entretien is None:
        return None
    data = exported(entretien)
    data["prerequisites"] = [
        {"prerequisite": a.prerequisite.text, **exported(a)} for a in entretien.prerequisite_answers.all()
    ]
    data["competences"] = [{"competence": a.competence.text, **exported(a)} for a in entretien.competence_answers.all()]
    data["knowledge"] = [{"knowledge": a.knowledge.text, **exported(a)} for a in entretien.knowledge_answers.all()]
    data["unit_orientations"] = [{"unit": unit_of(a.unit), **exported(a)} for a in entretien.unit_orientations.all()]
    data["parcours_modules"] = [{"unit": unit_of(m.unit), **exported(m)} for m in entretien.modules.all()]
    data["experience_periods"] = [exported(p) for p in entretien.experience_periods.all()]
    return data


def _ratings(evaluation) -> list:
    return [{"criterion": r.criterion.text, **exported(r)} for r in evaluation.ratings.all()]


def _formation(dossier) -> dict | None:
    suivi = getattr(dossier, "livret_suivi", None)
    evaluation = getattr(dossier, "livret_evaluation", None)
    intermediate = list(dossier.intermediate_evaluations.all())
    reviews = list(dossier.tutor_reviews.all())
    if not (suivi or evaluation or intermediate or reviews):
        return None
    data = {"livret_suivi": None, "intermediate_evaluations": [], "tutor_reviews": [], "livret_evaluation": None}
    if suivi is not None:
        data["livret_suivi"] = {
            **exported(suivi),
            "modules": [{"unit": unit_of(m.unit), **exported(m)} for m in suivi.modules.all()],
            "evaluations_formatives": [
                {"unit": unit_of(e.unit), **exported(e), "ratings": _ratings(e)} for e in suivi.evaluations.all()
            ],
        }
    data["intermediate_evaluations"] = [
        {"unit": unit_of(e.unit), **exported(e), "ratings": _ratings(e)} for e in intermediate
    ]
    data["tutor_reviews"] = [exported(r) for r in reviews]
    if evaluation is not None:
        data["livret_evaluation"] = {
            **exported(evaluation),
            "answers": [{"unit": unit_of(a.unit), **exported(a)} for a in evaluation.answers.all()],
            "synthesis_lines": [{"unit": unit_of(s.unit), **exported(s)} for s in evaluation.synthesis_lines.all()],
            "unit_assessments": [
                {"unit": unit_of(a.unit), **exported(a), "ratings": _ratings(a)} for a in evaluation.assessments.all()
            ],
        }
    return data


def dossier_export(dossier, user, files) -> dict:
    """The dossier itself, its history, its entretien d'accueil and the livrets of the voie formative."""
    data = exported(dossier)
    data["certification"] = {"code": dossier.certification.code, "title": dossier.certification.title}
    data["referentiel_version"] = dossier.version.number
    data["mention"] = dossier.mention.label if dossier.mention else None
    data["entreprise"] = dossier.entreprise.name if dossier.entreprise else None
    data["organisme"] = dossier.organisme.name if dossier.organisme else None
    data["events"] = [{**exported(e), "by_you": e.actor_id == user.pk} for e in dossier.events.all()]
    data["entretien"] = _entretien(getattr(dossier, "entretien", None))
    data["formation"] = _formation(dossier)
    return data


register_dossier_export(
    dossier_export,
    select=[
        "certification",
        "version",
        "mention",
        "entreprise",
        "organisme",
        "entretien",
        "livret_suivi",
        "livret_evaluation",
    ],
    prefetch=[
        "events",
        "entretien__prerequisite_answers__prerequisite",
        "entretien__competence_answers__competence",
        "entretien__knowledge_answers__knowledge",
        "entretien__unit_orientations__unit",
        "entretien__modules__unit",
        "entretien__experience_periods",
        "livret_suivi__modules__unit",
        "livret_suivi__evaluations__unit",
        "livret_suivi__evaluations__ratings__criterion",
        "intermediate_evaluations__unit",
        "intermediate_evaluations__ratings__criterion",
        "tutor_reviews",
        "livret_evaluation__answers__unit",
        "livret_evaluation__synthesis_lines__unit",
        "livret_evaluation__assessments__unit",
        "livret_evaluation__assessments__ratings__criterion",
    ],
)
