"""The file of a formative dossier, for the pages and the checks: the grids of its référentiel version and what
each person wrote (designations, livret de suivi, tutorat, livret d'évaluation finale)."""

from dataclasses import dataclass, field

from django.utils import timezone

from cqp.enums import Role
from cqp.models import User
from cqp.transitions import allows
from referentiels.enums import CriterionKind

from .entretien_rules import norm_label
from .entretien_sheet import guide_units, unit_label
from .enums import (
    LIVRET_EVALUATION_TRANSITIONS,
    TRANSITIONS,
    FinalAnswer,
    FormativeRating,
    IntermediateRatingChoice,
    LivretEvaluationState,
)
from .formation_rules import SLOTS, livret_evaluation_missing, module_done, parcours_missing, synthesis_line_complete
from .models import Entretien, FormationDesignation, IntermediateEvaluation, LivretEvaluation, LivretSuivi, TutorReview


def formation_units(dossier):
    return guide_units(dossier).prefetch_related("criteria")


def get_unit(dossier, unit_id):
    """A unit of the dossier's version, or None."""
    return next((u for u in formation_units(dossier) if u.pk == int(unit_id)), None)


def unit_criteria(unit, kind) -> list:
    return [c for c in unit.criteria.all() if c.kind == kind]


def _lines(criteria, ratings, choices):
    labels = dict(choices)
    return [(c, ratings.get(c.pk, ""), labels.get(ratings.get(c.pk, ""), "")) for c in criteria]


@dataclass
class AssessmentView:
    slot: int
    evaluator: object
    assessment: object
    lines: list

    @property
    def signed(self) -> bool:
        return bool(self.assessment and self.assessment.signed_at)

    @property
    def started(self) -> bool:
        return self.assessment is not None


@dataclass
class UnitFile:
    unit: object
    label: str
    formative_criteria: list
    intermediate_criteria: list
    final_criteria: list
    modules: list = field(default_factory=list)
    formative: object = None
    formative_lines: list = field(default_factory=list)
    intermediates: list = field(default_factory=list)
    answer: str = ""  # the free answer (units without questions, or written before the unit had questions)
    question_answers: list = field(default_factory=list)  # [(question, answer)] in the référentiel's order
    candidate_comment: str = ""
    assessments: list = field(default_factory=list)
    synthesis: object = None

    @property
    def hours(self) -> int:
        return sum(m.hours or 0 for m in self.modules)

    @property
    def formative_signed(self) -> bool:
        return bool(self.formative and self.formative.signed_at)

    @property
    def synthesis_complete(self) -> bool:
        return synthesis_line_complete(self.synthesis)

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip()) or any(a.strip() for _, a in self.question_answers)

    @property
    def done_steps(self) -> int:
        return sum([self.answered, *[a.signed for a in self.assessments], self.synthesis_complete])

    @property
    def total_steps(self) -> int:
        return 4

    @property
    def percent(self) -> int:
        return round(100 * self.done_steps / self.total_steps)


@dataclass
class FormationFile:
    dossier: object
    designation: object
    suivi: object
    livret: object
    units: list
    reviews: list
    planned_modules: list
    missing: list

    @property
    def suivi_modules(self) -> list:
        return [m for u in self.units for m in u.modules]

    @property
    def total_hours(self) -> int:
        return sum(u.hours for u in self.units)

    @property
    def formative_signed_count(self) -> int:
        return sum(1 for u in self.units if u.formative_signed)

    @property
    def intermediate_count(self) -> int:
        return sum(len(u.intermediates) for u in self.units)

    @property
    def is_transmitted(self) -> bool:
        return bool(self.livret and self.livret.is_transmitted)

    @property
    def is_editable(self) -> bool:
        """Whether the livrets may be written now (the same tables as ``check_open_for_work``)."""
        livret_state = self.livret.state if self.livret else LivretEvaluationState.EN_COURS
        return allows(TRANSITIONS, "work_on_formation", self.dossier.state) and allows(
            LIVRET_EVALUATION_TRANSITIONS, "work_on_formation", livret_state
        )

    def evaluator(self, slot):
        return self.designation.evaluator(slot) if self.designation else None

    @property
    def evaluator_signatures(self) -> list:
        """[(slot, evaluator, function, signed_at)] for the cover and the fiche de synthèse."""
        return [
            (
                slot,
                self.evaluator(slot),
                self.designation.evaluator_function(slot) if self.designation else "",
                self.livret.signed_at(slot) if self.livret else None,
            )
            for slot in SLOTS
        ]


def question_answers(unit, stored) -> list[tuple[str, str]]:
    """The unit's questions of the livret d'évaluation finale with the candidate's answers, in order."""
    given = list(stored.question_answers or []) if stored is not None else []
    return [(q, given[i] if i < len(given) else "") for i, q in enumerate(unit.final_questions or [])]


def build_file(dossier) -> FormationFile:
    designation = (
        FormationDesignation.objects.select_related("tutor", "evaluator1", "evaluator2").filter(dossier=dossier).first()
    )
    suivi = LivretSuivi.objects.filter(dossier=dossier).first()
    livret = (
        LivretEvaluation.objects.select_related("evaluator1_signed_by", "evaluator2_signed_by", "transmitted_by")
        .filter(dossier=dossier)
        .first()
    )
    modules, formatives, answers, assessments, lines = {}, {}, {}, {}, {}
    if suivi:
        for m in suivi.modules.all():
            modules.setdefault(m.unit_id, []).append(m)
        formatives = {e.unit_id: e for e in suivi.evaluations.select_related("signed_by").prefetch_related("ratings")}
    if livret:
        answers = {a.unit_id: a for a in livret.answers.all()}
        assessments = {
            (a.unit_id, a.slot): a for a in livret.assessments.select_related("signed_by").prefetch_related("ratings")
        }
        lines = {line.unit_id: line for line in livret.synthesis_lines.all()}
    intermediates = {}
    for ev in (
        IntermediateEvaluation.objects.filter(dossier=dossier).select_related("author").prefetch_related("ratings")
    ):
        intermediates.setdefault(ev.unit_id, []).append(ev)
    entretien = Entretien.objects.filter(dossier=dossier).first()
    plan = list(entretien.modules.select_related("unit")) if entretien is not None else []
    orientations = dict(entretien.unit_orientations.values_list("unit_id", "orientation")) if entretien else {}
    planned = plan if suivi is None else []

    units = []
    for unit in formation_units(dossier):
        file = UnitFile(
            unit=unit,
            label=unit_label(dossier, unit),
            formative_criteria=unit_criteria(unit, CriterionKind.FORMATIVE),
            intermediate_criteria=unit_criteria(unit, CriterionKind.INTERMEDIATE),
            final_criteria=unit_criteria(unit, CriterionKind.FINAL),
            modules=modules.get(unit.pk, []),
            formative=formatives.get(unit.pk),
            answer=answers[unit.pk].text if unit.pk in answers else "",
            question_answers=question_answers(unit, answers.get(unit.pk)),
            candidate_comment=answers[unit.pk].candidate_comment if unit.pk in answers else "",
            synthesis=lines.get(unit.pk),
        )
        ratings = {r.criterion_id: r.rating for r in file.formative.ratings.all()} if file.formative else {}
        file.formative_lines = _lines(file.formative_criteria, ratings, FormativeRating.choices)
        file.intermediates = [
            (
                ev,
                _lines(
                    file.intermediate_criteria,
                    {r.criterion_id: r.rating for r in ev.ratings.all()},
                    IntermediateRatingChoice.choices,
                ),
            )
            for ev in intermediates.get(unit.pk, [])
        ]
        for slot in SLOTS:
            a = assessments.get((unit.pk, slot))
            ratings = {r.criterion_id: r.answer for r in a.ratings.all()} if a else {}
            file.assessments.append(
                AssessmentView(
                    slot=slot,
                    evaluator=designation.evaluator(slot) if designation else None,
                    assessment=a,
                    lines=_lines(file.final_criteria, ratings, FinalAnswer.choices),
                )
            )
        units.append(file)

    today = timezone.localdate()
    planned_hours, done_hours = {}, {}
    for m in plan:
        planned_hours[m.unit_id] = planned_hours.get(m.unit_id, 0) + (m.hours or 0)
    for unit_modules in modules.values():
        for m in unit_modules:
            if module_done(m.end_on, today):
                done_hours[m.unit_id] = done_hours.get(m.unit_id, 0) + (m.hours or 0)
    version = dossier.version
    missing = parcours_missing(
        units=[(u.unit.pk, u.label) for u in units],
        orientations=orientations,
        planned_hours=planned_hours,
        done_hours=done_hours,
        formative_signed={u.unit.pk for u in units if u.formative_signed},
        norm=norm_label(version.training_hours_min, version.training_hours_max)
        if (version.training_hours_min or version.training_hours_max)
        else "",
    )
    missing += livret_evaluation_missing(
        units=[(u.unit.pk, u.label) for u in units],
        evaluators={slot: designation.evaluator_id(slot) if designation else None for slot in SLOTS},
        candidate_signed=bool(livret and livret.candidate_signed_at),
        signed_assessments={key for key, a in assessments.items() if a.signed_at},
        complete_lines={u.unit.pk for u in units if u.synthesis_complete},
        evaluator_signed={slot: bool(livret and livret.signed_at(slot)) for slot in SLOTS},
    )
    reviews = list(TutorReview.objects.filter(dossier=dossier).select_related("author"))
    return FormationFile(
        dossier=dossier,
        designation=designation,
        suivi=suivi,
        livret=livret,
        units=units,
        reviews=reviews,
        planned_modules=planned,
        missing=missing,
    )


def entreprise_members(dossier):
    """People who may be designated: members (role entreprise) of the dossier's entreprise, but not the candidate."""
    if not dossier.entreprise_id:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, roles__role=Role.ENTREPRISE, roles__entreprise_id=dossier.entreprise_id)
        .exclude(pk=dossier.candidate_id)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
