"""Voie formative: designations, livret de suivi, tutorat, livret d'évaluation finale, readiness for the jury.

Who writes what (predicates in ``permissions.py``; every function re-checks them):

- the company's **RH** (member of the dossier's entreprise, function RH or unspecified) designates the
  tutor and the two evaluators (members of the same entreprise, invited if needed) and transmits the
  livret d'évaluation finale to the OEMM;
- the **training centre** (a member of ``dossier.organisme``; the RH when the dossier has none) keeps the
  livret de suivi: modules per unit, and per unit the évaluation formative of the référentiel, signed by
  the centre (then read-only);
- the **tutor** writes the intermediate evaluations (grilles intermédiaires) and « faire le point » reviews;
- the **candidate** writes and signs their part of the livret d'évaluation (activities, one answer per unit);
- each **evaluator** writes and signs their own assessment of each unit (slot 1 = line manager, slot 2 =
  the second person), then signs the fiche de synthèse together with the sworn statement. Evaluator 1 never
  writes or signs slot 2 and the reverse. The fiche de synthèse is filled by either evaluator and becomes
  read-only at the first evaluator's signature (a signature covers what was signed);
- **OEMM** marks the dossier ready for the jury once the livret is transmitted.

Life of a livret d'évaluation (``LivretEvaluationState``)::

    (none) --first save--> en_cours --transmit_livret_evaluation--> transmis   (then OEMM: dossier → pret_jury)

Decisions:

- All the work on the livrets happens while the dossier is « oriente » (entretien validated). Designations
  may be made as soon as the dossier exists. Once the livret d'évaluation is transmitted, nothing of the voie
  formative is editable any more (designations included).
- An evaluator who signed anything (a unit, or the fiche de synthèse) can no longer be replaced.
- The évaluations formatives are information for the jury: they are not required for the transmission
  (a unit oriented to « évaluation directe » has none); the transmission page shows how many are signed.
- Autosaves are not audited; starts, signatures, designations, tutor entries and the transmission are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cqp import accounts
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.mail import queue_mail
from cqp.models import User, UserRole
from referentiels.enums import CriterionKind

from . import workflow
from .audit import record_event
from .entretien import guide_units, unit_label
from .enums import DossierState, Path
from .models import (
    LIVRET_EVALUATION_TRANSITIONS, Dossier, Entretien, EvaluationFormative, EvaluationFormativeRating, FinalAnswer, FinalRating,
    FormationDesignation, FormativeRating, IntermediateEvaluation, IntermediateRating,
    IntermediateRatingChoice, LivretEvaluation, LivretEvaluationAnswer, LivretSuivi, SuiviModule,
    SynthesisLine, TutorReview, UnitAssessment,
)
from .permissions import (
    is_dossier_candidate, is_dossier_rh, is_dossier_tutor, is_evaluator, is_oemm, keeps_livret_suivi,
)

SLOTS = (1, 2)
DESIGNATION_STATES = [DossierState.INSCRIT, DossierState.ORIENTE]


class FormationIncomplete(WorkflowError):
    """A signature or the transmission is refused: ``missing`` lists what is still to do (French)."""

    def __init__(self, missing, intro="Il manque"):
        self.missing = list(missing)
        super().__init__(f"{intro} : " + " ; ".join(self.missing) + ".")


# --- the grids, read from the dossier's référentiel version ---------------------------------------------


def formation_units(dossier):
    return guide_units(dossier).prefetch_related("criteria")


def get_unit(dossier, unit_id):
    """A unit of the dossier's version, or None."""
    return next((u for u in formation_units(dossier) if u.pk == int(unit_id)), None)


def unit_criteria(unit, kind) -> list:
    return [c for c in unit.criteria.all() if c.kind == kind]


# --- plain rules (plain values in, French lines out) -------------------------------------------------------


def formative_missing(*, held_on, result, trainer_name, criteria, ratings) -> list[str]:
    missing = []
    if not held_on:
        missing.append("la date de l'évaluation formative")
    if not result:
        missing.append("le résultat (objectif non atteint, atteint ou en progression)")
    if not (trainer_name or "").strip():
        missing.append("le nom du formateur ayant procédé à l'évaluation")
    missing += [f"l'évaluation du critère « {c.text} »" for c in criteria if not ratings.get(c.pk)]
    return missing


def assessment_missing(*, evaluated_on, mastery, criteria, ratings) -> list[str]:
    missing = []
    if not evaluated_on:
        missing.append("la date de l'évaluation")
    missing += [f"la réponse OUI / NON au critère « {c.text} »" for c in criteria if not ratings.get(c.pk)]
    if not mastery:
        missing.append("votre avis sur la maîtrise (maîtrisé ou pas totalement maîtrisé)")
    return missing


def candidate_missing(*, activities, answers, units) -> list[str]:
    missing = []
    if not (activities or "").strip():
        missing.append("le descriptif des activités réalisées en entreprise")
    missing += [f"votre réponse pour : {label}" for unit_id, label in units if not (answers.get(unit_id) or "").strip()]
    return missing


def synthesis_line_complete(line) -> bool:
    return line is not None and line.activities_exercised is not None and line.evaluated_from is not None and bool(
        (line.conditions or "").strip()
    )


def evaluator_sign_missing(*, slot, units, signed_units, complete_lines) -> list[str]:
    missing = [f"votre évaluation signée pour : {label}" for unit_id, label in units if unit_id not in signed_units]
    missing += [f"la ligne de la fiche de synthèse pour : {label}" for unit_id, label in units if unit_id not in complete_lines]
    return missing


def livret_evaluation_missing(*, units, evaluators, candidate_signed, signed_assessments, complete_lines, evaluator_signed) -> list[str]:
    """What must still be done before the RH transmits the livret (plain values)."""
    missing = []
    for slot in SLOTS:
        if not evaluators.get(slot):
            missing.append(f"la désignation de l'évaluateur {slot}")
    if not candidate_signed:
        missing.append("la partie du candidat, remplie et signée par le candidat")
    for unit_id, label in units:
        for slot in SLOTS:
            if (unit_id, slot) not in signed_assessments:
                missing.append(f"l'évaluation signée de l'évaluateur {slot} pour : {label}")
    for unit_id, label in units:
        if unit_id not in complete_lines:
            missing.append(f"la ligne de la fiche de synthèse pour : {label}")
    for slot in SLOTS:
        if not evaluator_signed.get(slot):
            missing.append(f"la signature de la fiche de synthèse et de l'attestation par l'évaluateur {slot}")
    return missing


# --- the file of a formative dossier, for pages and checks ------------------------------------------------


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
    answer: str = ""
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
    def done_steps(self) -> int:
        return sum([bool(self.answer.strip()), *[a.signed for a in self.assessments], self.synthesis_complete])

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
        return self.dossier.state == DossierState.ORIENTE and not self.is_transmitted

    def evaluator(self, slot):
        return self.designation.evaluator(slot) if self.designation else None

    @property
    def evaluator_signatures(self) -> list:
        """[(slot, evaluator, function, signed_at)] for the cover and the fiche de synthèse."""
        return [
            (slot, self.evaluator(slot), self.designation.evaluator_function(slot) if self.designation else "",
             self.livret.signed_at(slot) if self.livret else None)
            for slot in SLOTS
        ]


def build_file(dossier) -> FormationFile:
    designation = FormationDesignation.objects.select_related("tutor", "evaluator1", "evaluator2").filter(dossier=dossier).first()
    suivi = LivretSuivi.objects.filter(dossier=dossier).first()
    livret = LivretEvaluation.objects.select_related("evaluator1_signed_by", "evaluator2_signed_by", "transmitted_by").filter(dossier=dossier).first()
    modules, formatives, answers, assessments, lines = {}, {}, {}, {}, {}
    if suivi:
        for m in suivi.modules.all():
            modules.setdefault(m.unit_id, []).append(m)
        formatives = {e.unit_id: e for e in suivi.evaluations.select_related("signed_by").prefetch_related("ratings")}
    if livret:
        answers = {a.unit_id: a.text for a in livret.answers.all()}
        assessments = {(a.unit_id, a.slot): a for a in livret.assessments.select_related("signed_by").prefetch_related("ratings")}
        lines = {line.unit_id: line for line in livret.synthesis_lines.all()}
    intermediates = {}
    for ev in IntermediateEvaluation.objects.filter(dossier=dossier).select_related("author").prefetch_related("ratings"):
        intermediates.setdefault(ev.unit_id, []).append(ev)
    planned = []
    if suivi is None:
        entretien = Entretien.objects.filter(dossier=dossier).first()
        if entretien is not None:
            planned = list(entretien.modules.select_related("unit"))

    units = []
    for unit in formation_units(dossier):
        file = UnitFile(
            unit=unit, label=unit_label(dossier, unit),
            formative_criteria=unit_criteria(unit, CriterionKind.FORMATIVE),
            intermediate_criteria=unit_criteria(unit, CriterionKind.INTERMEDIATE),
            final_criteria=unit_criteria(unit, CriterionKind.FINAL),
            modules=modules.get(unit.pk, []), formative=formatives.get(unit.pk), answer=answers.get(unit.pk, ""),
            synthesis=lines.get(unit.pk),
        )
        ratings = {r.criterion_id: r.rating for r in file.formative.ratings.all()} if file.formative else {}
        file.formative_lines = _lines(file.formative_criteria, ratings, FormativeRating.choices)
        file.intermediates = [
            (ev, _lines(file.intermediate_criteria, {r.criterion_id: r.rating for r in ev.ratings.all()}, IntermediateRatingChoice.choices))
            for ev in intermediates.get(unit.pk, [])
        ]
        for slot in SLOTS:
            a = assessments.get((unit.pk, slot))
            ratings = {r.criterion_id: r.answer for r in a.ratings.all()} if a else {}
            file.assessments.append(AssessmentView(
                slot=slot, evaluator=designation.evaluator(slot) if designation else None, assessment=a,
                lines=_lines(file.final_criteria, ratings, FinalAnswer.choices),
            ))
        units.append(file)

    missing = livret_evaluation_missing(
        units=[(u.unit.pk, u.label) for u in units],
        evaluators={slot: designation.evaluator_id(slot) if designation else None for slot in SLOTS},
        candidate_signed=bool(livret and livret.candidate_signed_at),
        signed_assessments={key for key, a in assessments.items() if a.signed_at},
        complete_lines={u.unit.pk for u in units if u.synthesis_complete},
        evaluator_signed={slot: bool(livret and livret.signed_at(slot)) for slot in SLOTS},
    )
    reviews = list(TutorReview.objects.filter(dossier=dossier).select_related("author"))
    return FormationFile(
        dossier=dossier, designation=designation, suivi=suivi, livret=livret, units=units, reviews=reviews,
        planned_modules=planned, missing=missing,
    )


def entreprise_members(dossier):
    """People who may be designated: members (role entreprise) of the dossier's entreprise, but not the candidate."""
    if not dossier.entreprise_id:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, roles__role=Role.ENTREPRISE, roles__entreprise_id=dossier.entreprise_id
    ).exclude(pk=dossier.candidate_id).distinct().order_by("last_name", "first_name", "email")


# --- checks and locks ---------------------------------------------------------------------------------------


def _lock(dossier) -> Dossier:
    """Lock the dossier: serialises the creation of its livrets and every write on them."""
    return Dossier.objects.select_for_update(of=("self",)).select_related("certification", "version", "entreprise", "organisme").get(pk=dossier.pk)


def _check_formation(dossier):
    if dossier.path != Path.FORMATION:
        raise WorkflowError("Ce dossier n'est pas sur la voie formative.")


def _transmitted(dossier) -> bool:
    return LivretEvaluation.objects.filter(dossier=dossier, state="transmis").exists()


def check_open_for_work(dossier) -> None:
    """Raise a WorkflowError (French) when the livrets of the dossier may not be written now."""
    _check_formation(dossier)
    if dossier.state == DossierState.INSCRIT:
        raise WorkflowError("L'entretien d'accueil et d'orientation doit d'abord être validé : le suivi de la formation commence ensuite.")
    if dossier.state != DossierState.ORIENTE:
        raise WorkflowError(f"Le suivi de la formation n'est plus modifiable : le dossier est « {dossier.get_state_display()} ».")
    if _transmitted(dossier):
        raise WorkflowError("Le livret d'évaluation finale a été transmis à l'OEMM : le suivi de la formation n'est plus modifiable.")


def _require(allowed, message):
    if not allowed:
        raise WorkflowError(message)


def _unit_of(dossier, unit):
    if unit is None or not any(u.pk == unit.pk for u in guide_units(dossier)):
        raise WorkflowError("Cette unité n'appartient pas au référentiel du dossier.")
    return unit


def _replace_ratings(model, owner_field, owner, ratings, value_field, criteria):
    allowed = {c.pk for c in criteria}
    model.objects.filter(**{owner_field: owner}).delete()
    model.objects.bulk_create(
        model(**{owner_field: owner, "criterion_id": pk, value_field: value})
        for pk, value in ratings.items() if value and pk in allowed
    )


# --- designations ------------------------------------------------------------------------------------------


def _check_member(dossier, person, what):
    if person is None:
        return
    if person.pk == dossier.candidate_id:
        raise WorkflowError(f"Le candidat ne peut pas être son propre {what}.")
    if not UserRole.objects.filter(user=person, role=Role.ENTREPRISE, entreprise_id=dossier.entreprise_id).exists():
        raise WorkflowError(f"{person} n'est pas membre de l'entreprise {dossier.entreprise} : choisissez un membre ou invitez-le.")


def _has_signed(livret, slot) -> bool:
    return livret is not None and bool(
        livret.signed_at(slot) or livret.assessments.filter(slot=slot, signed_at__isnull=False).exists()
    )


@transaction.atomic
def designate(dossier, *, by, tutor=None, evaluator1=None, evaluator1_function="", evaluator2=None, evaluator2_function="") -> FormationDesignation:
    """The company's RH names the tutor and the two evaluators (each a member of the entreprise)."""
    _check_formation(dossier)
    _require(is_dossier_rh(by, dossier), "Seul le responsable RH de l'entreprise du dossier désigne le tuteur et les évaluateurs.")
    dossier = _lock(dossier)
    if dossier.state not in DESIGNATION_STATES:
        raise WorkflowError(f"Les désignations ne sont plus modifiables : le dossier est « {dossier.get_state_display()} ».")
    livret = LivretEvaluation.objects.select_for_update().filter(dossier=dossier).first()
    if livret is not None and livret.is_transmitted:
        raise WorkflowError("Le livret d'évaluation finale a été transmis : les désignations ne sont plus modifiables.")
    _check_member(dossier, tutor, "tuteur")
    _check_member(dossier, evaluator1, "évaluateur")
    _check_member(dossier, evaluator2, "évaluateur")
    if evaluator1 is not None and evaluator1 == evaluator2:
        raise WorkflowError("L'évaluateur 1 (responsable hiérarchique) et l'évaluateur 2 doivent être deux personnes différentes.")
    designation, _ = FormationDesignation.objects.select_for_update().get_or_create(dossier=dossier)
    wanted = {"tutor": tutor, "evaluator1": evaluator1, "evaluator2": evaluator2}
    for slot in SLOTS:
        person = wanted[f"evaluator{slot}"]
        if designation.evaluator_id(slot) and designation.evaluator_id(slot) != (person.pk if person else None) and _has_signed(livret, slot):
            raise WorkflowError(
                f"L'évaluateur {slot} ({designation.evaluator(slot)}) a déjà signé une partie du livret : il ne peut plus être remplacé."
            )
    newly = [(name, person) for name, person in wanted.items() if person is not None and getattr(designation, f"{name}_id") != person.pk]
    for name, person in wanted.items():
        setattr(designation, name, person)
    designation.evaluator1_function = (evaluator1_function or "").strip() if evaluator1 else ""
    designation.evaluator2_function = (evaluator2_function or "").strip() if evaluator2 else ""
    designation.updated_by = by
    designation.save()
    labels = {"tutor": "tuteur", "evaluator1": "évaluateur 1", "evaluator2": "évaluateur 2"}
    record_event(
        dossier, actor=by, action="formation_designate", label="Tuteur et évaluateurs désignés",
        comment=" ; ".join(f"{labels[name].capitalize()} : {person or 'non désigné'}" for name, person in wanted.items()),
        data={name: person.pk if person else None for name, person in wanted.items()},
    )
    for name, person in newly:
        send_designation(dossier, person, labels[name])
    return designation


@transaction.atomic
def invite_member(dossier, *, by, email, first_name, last_name, function) -> User:
    """The RH invites a colleague (role entreprise of the dossier's entreprise) to be designated."""
    _check_formation(dossier)
    _require(is_dossier_rh(by, dossier), "Seul le responsable RH de l'entreprise du dossier invite un tuteur ou un évaluateur.")
    email = (email or "").strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.pk == dossier.candidate_id:
            raise WorkflowError("C'est l'adresse du candidat : il ne peut être ni son tuteur ni son évaluateur.")
        role = existing.roles.filter(role=Role.ENTREPRISE).first()
        if role is not None:
            if role.entreprise_id != dossier.entreprise_id:
                raise WorkflowError("Cette personne est déjà rattachée à une autre entreprise.")
            return existing
    user, _ = accounts.invite(
        email=email, first_name=first_name, last_name=last_name, role=Role.ENTREPRISE, by=by,
        entreprise=dossier.entreprise, entreprise_function=function,
    )
    record_event(dossier, actor=by, action="formation_invite", label=f"{user} invité(e) comme membre de l'entreprise")
    return user


# --- livret de suivi de la formation -------------------------------------------------------------------------


def _suivi(dossier, by) -> LivretSuivi:
    suivi, created = LivretSuivi.objects.select_for_update().get_or_create(dossier=dossier)
    if created:
        record_event(dossier, actor=by, action="livret_suivi_start", label="Livret de suivi de la formation commencé")
    return suivi


def _check_keeper(dossier, by):
    _require(keeps_livret_suivi(by, dossier), "Seul l'organisme de formation du dossier tient le livret de suivi de la formation.")


@transaction.atomic
def save_livret_suivi(dossier, *, by, training_manager, modules) -> LivretSuivi:
    """The centre stores the header and the modules (replaced as a whole: saving twice changes nothing)."""
    _check_formation(dossier)
    _check_keeper(dossier, by)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    units = {u.pk for u in guide_units(dossier)}
    suivi = _suivi(dossier, by)
    suivi.training_manager = (training_manager or "").strip()
    suivi.updated_by = by
    suivi.save()
    suivi.modules.all().delete()
    SuiviModule.objects.bulk_create(
        SuiviModule(livret=suivi, position=i, **m) for i, m in enumerate(modules) if m["unit_id"] in units
    )
    return suivi


def _formative(suivi, unit):
    return EvaluationFormative.objects.select_for_update().filter(livret=suivi, unit=unit).first()


@transaction.atomic
def save_evaluation_formative(dossier, unit, *, by, data) -> EvaluationFormative:
    """``data``: held_on, result, trainer_name, progress_objectives, ratings {criterion id: rating}."""
    _check_formation(dossier)
    _check_keeper(dossier, by)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    _unit_of(dossier, unit)
    suivi = _suivi(dossier, by)
    evaluation = _formative(suivi, unit)
    if evaluation is not None and evaluation.is_signed:
        raise WorkflowError("Cette évaluation formative est signée : elle n'est plus modifiable.")
    if evaluation is None:
        evaluation = EvaluationFormative(livret=suivi, unit=unit)
    for name in ("held_on", "result", "trainer_name", "progress_objectives"):
        setattr(evaluation, name, data.get(name) or ("" if name != "held_on" else None))
    evaluation.save()
    _replace_ratings(EvaluationFormativeRating, "evaluation", evaluation, data.get("ratings", {}), "rating",
                     unit_criteria(unit, CriterionKind.FORMATIVE))
    return evaluation


@transaction.atomic
def sign_evaluation_formative(dossier, unit, *, by) -> EvaluationFormative:
    """The centre signs the évaluation formative of a unit; refused with the list of what is missing."""
    _check_formation(dossier)
    _check_keeper(dossier, by)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    _unit_of(dossier, unit)
    suivi = LivretSuivi.objects.filter(dossier=dossier).first()
    evaluation = _formative(suivi, unit) if suivi else None
    if evaluation is None:
        raise WorkflowError("L'évaluation formative de cette unité n'a pas commencé.")
    if evaluation.is_signed:
        raise WorkflowError("Cette évaluation formative est déjà signée.")
    missing = formative_missing(
        held_on=evaluation.held_on, result=evaluation.result, trainer_name=evaluation.trainer_name,
        criteria=unit_criteria(unit, CriterionKind.FORMATIVE),
        ratings={r.criterion_id: r.rating for r in evaluation.ratings.all()},
    )
    if missing:
        raise FormationIncomplete(missing, "L'évaluation formative est incomplète, il manque")
    evaluation.signed_at = timezone.now()
    evaluation.signed_by = by
    evaluation.save(update_fields=["signed_at", "signed_by", "updated_at"])
    record_event(
        dossier, actor=by, action="evaluation_formative_sign", label=f"Évaluation formative signée — {unit_label(dossier, unit)}",
        data={"unit": unit.number, "result": evaluation.result},
    )
    return evaluation


# --- tutorat --------------------------------------------------------------------------------------------------------


def _check_tutor(dossier, by):
    _require(is_dossier_tutor(by, dossier), "Seul le tuteur désigné pour ce dossier saisit les évaluations intermédiaires et les points d'étape.")


@transaction.atomic
def save_intermediate_evaluation(dossier, unit, *, by, data, evaluation=None) -> IntermediateEvaluation:
    """The tutor records (or corrects) an evaluation on the grille intermédiaire of a unit."""
    _check_formation(dossier)
    _check_tutor(dossier, by)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    _unit_of(dossier, unit)
    created = evaluation is None
    if created:
        evaluation = IntermediateEvaluation(dossier=dossier, unit=unit, author=by)
    elif evaluation.dossier_id != dossier.pk or evaluation.unit_id != unit.pk:
        raise WorkflowError("Cette évaluation intermédiaire n'appartient pas à ce dossier.")
    evaluation.held_on = data["held_on"]
    evaluation.progress_objectives = data.get("progress_objectives", "")
    evaluation.save()
    _replace_ratings(IntermediateRating, "evaluation", evaluation, data.get("ratings", {}), "rating",
                     unit_criteria(unit, CriterionKind.INTERMEDIATE))
    if created:
        record_event(dossier, actor=by, action="intermediate_evaluation",
                     label=f"Évaluation intermédiaire du tuteur — {unit_label(dossier, unit)}",
                     data={"unit": unit.number, "held_on": evaluation.held_on.isoformat()})
    return evaluation


@transaction.atomic
def save_tutor_review(dossier, *, by, data, review=None) -> TutorReview:
    """The tutor records (or corrects) a « faire le point » review."""
    _check_formation(dossier)
    _check_tutor(dossier, by)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    created = review is None
    if created:
        review = TutorReview(dossier=dossier, author=by)
    elif review.dossier_id != dossier.pk:
        raise WorkflowError("Ce point d'étape n'appartient pas à ce dossier.")
    for name in ("held_on", "with_whom", "strengths", "progress_objectives"):
        setattr(review, name, data.get(name, ""))
    review.save()
    if created:
        record_event(dossier, actor=by, action="tutor_review", label="Point d'étape du tuteur",
                     data={"held_on": review.held_on.isoformat()})
    return review


@transaction.atomic
def delete_tutor_entry(dossier, entry, *, by) -> None:
    """The tutor deletes one of the entries (evaluation or review) while the livret is not transmitted."""
    _check_formation(dossier)
    _check_tutor(dossier, by)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    if entry.dossier_id != dossier.pk:
        raise WorkflowError("Cette saisie n'appartient pas à ce dossier.")
    entry.delete()


# --- livret d'évaluation finale en entreprise ------------------------------------------------------------------------


def _livret(dossier, by) -> LivretEvaluation:
    livret, created = LivretEvaluation.objects.select_for_update().get_or_create(dossier=dossier)
    if created:
        record_event(dossier, actor=by, action="livret_evaluation_start", label="Livret d'évaluation finale en entreprise commencé")
    return livret


@transaction.atomic
def save_candidate_part(dossier, *, by, activities, answers) -> LivretEvaluation:
    """The candidate stores their part: activities carried out, one answer per unit (before signing)."""
    _check_formation(dossier)
    _require(is_dossier_candidate(by, dossier), "Seul le candidat remplit sa partie du livret d'évaluation finale.")
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.candidate_signed_at:
        raise WorkflowError("Vous avez signé votre partie du livret : elle n'est plus modifiable.")
    livret.candidate_activities = (activities or "").strip()
    livret.save(update_fields=["candidate_activities", "updated_at"])
    units = {u.pk for u in guide_units(dossier)}
    for unit_id, text in answers.items():
        if unit_id in units:
            LivretEvaluationAnswer.objects.update_or_create(livret=livret, unit_id=unit_id, defaults={"text": (text or "").strip()})
    return livret


@transaction.atomic
def sign_candidate_part(dossier, *, by) -> LivretEvaluation:
    _check_formation(dossier)
    _require(is_dossier_candidate(by, dossier), "Seul le candidat signe sa partie du livret d'évaluation finale.")
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.candidate_signed_at:
        raise WorkflowError("Vous avez déjà signé votre partie du livret.")
    missing = candidate_missing(
        activities=livret.candidate_activities, answers={a.unit_id: a.text for a in livret.answers.all()},
        units=[(u.pk, unit_label(dossier, u)) for u in guide_units(dossier)],
    )
    if missing:
        raise FormationIncomplete(missing, "Votre partie est incomplète, il manque")
    livret.candidate_signed_at = timezone.now()
    livret.save(update_fields=["candidate_signed_at", "updated_at"])
    record_event(dossier, actor=by, action="livret_evaluation_sign_candidate", label="Livret d'évaluation finale : partie du candidat signée")
    return livret


def _check_evaluator(dossier, by, slot):
    _require(is_evaluator(by, dossier, slot), f"Vous n'êtes pas l'évaluateur {slot} de ce dossier : vous ne pouvez ni remplir ni signer sa partie.")


def _assessment(livret, unit, slot):
    return UnitAssessment.objects.select_for_update().filter(livret=livret, unit=unit, slot=slot).first()


@transaction.atomic
def save_unit_assessment(dossier, unit, slot, *, by, data) -> UnitAssessment:
    """Evaluator ``slot`` stores their assessment of a unit: ``data`` evaluated_on, modality_used, mastery, comments, ratings."""
    _check_formation(dossier)
    _check_evaluator(dossier, by, slot)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    _unit_of(dossier, unit)
    livret = _livret(dossier, by)
    assessment = _assessment(livret, unit, slot)
    if assessment is not None and assessment.is_signed:
        raise WorkflowError("Votre évaluation de cette unité est signée : elle n'est plus modifiable.")
    if assessment is None:
        assessment = UnitAssessment(livret=livret, unit=unit, slot=slot)
    assessment.evaluated_on = data.get("evaluated_on")
    for name in ("modality_used", "mastery", "comments"):
        setattr(assessment, name, (data.get(name) or "").strip())
    assessment.updated_by = by
    assessment.save()
    _replace_ratings(FinalRating, "assessment", assessment, data.get("ratings", {}), "answer",
                     unit_criteria(unit, CriterionKind.FINAL))
    return assessment


@transaction.atomic
def sign_unit_assessment(dossier, unit, slot, *, by) -> UnitAssessment:
    """Evaluator ``slot`` signs their assessment of a unit (then read-only); refused with what is missing."""
    _check_formation(dossier)
    _check_evaluator(dossier, by, slot)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    _unit_of(dossier, unit)
    livret = _livret(dossier, by)
    assessment = _assessment(livret, unit, slot)
    if assessment is None:
        raise FormationIncomplete(["votre évaluation de cette unité (elle n'a pas commencé)"], "Signature impossible, il manque")
    if assessment.is_signed:
        raise WorkflowError("Vous avez déjà signé votre évaluation de cette unité.")
    missing = assessment_missing(
        evaluated_on=assessment.evaluated_on, mastery=assessment.mastery,
        criteria=unit_criteria(unit, CriterionKind.FINAL), ratings={r.criterion_id: r.answer for r in assessment.ratings.all()},
    )
    if missing:
        raise FormationIncomplete(missing, "Votre évaluation est incomplète, il manque")
    assessment.signed_at = timezone.now()
    assessment.signed_by = by
    assessment.save(update_fields=["signed_at", "signed_by", "updated_at"])
    record_event(
        dossier, actor=by, action="unit_assessment_sign",
        label=f"Évaluation finale signée par l'évaluateur {slot} — {unit_label(dossier, unit)}",
        data={"unit": unit.number, "slot": slot, "mastery": assessment.mastery},
    )
    return assessment


@transaction.atomic
def save_synthesis(dossier, *, by, lines) -> LivretEvaluation:
    """Either evaluator fills the fiche de synthèse: ``lines`` {unit id: {activities_exercised, evaluated_from, evaluated_to, conditions}}."""
    _check_formation(dossier)
    _require(is_evaluator(by, dossier, 1) or is_evaluator(by, dossier, 2),
             "Seuls les deux évaluateurs du dossier remplissent la fiche de synthèse.")
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.synthesis_locked:
        raise WorkflowError("La fiche de synthèse a été signée : elle n'est plus modifiable.")
    units = {u.pk for u in guide_units(dossier)}
    for unit_id, values in lines.items():
        if unit_id in units:
            SynthesisLine.objects.update_or_create(livret=livret, unit_id=unit_id, defaults=values)
    livret.save(update_fields=["updated_at"])
    return livret


@transaction.atomic
def sign_as_evaluator(dossier, slot, *, by) -> LivretEvaluation:
    """Evaluator ``slot`` signs the fiche de synthèse and the sworn statement of the cover."""
    _check_formation(dossier)
    _check_evaluator(dossier, by, slot)
    dossier = _lock(dossier)
    check_open_for_work(dossier)
    livret = _livret(dossier, by)
    if livret.signed_at(slot):
        raise WorkflowError("Vous avez déjà signé la fiche de synthèse et l'attestation.")
    units = [(u.pk, unit_label(dossier, u)) for u in guide_units(dossier)]
    lines = {line.unit_id: line for line in livret.synthesis_lines.all()}
    missing = evaluator_sign_missing(
        slot=slot, units=units,
        signed_units=set(livret.assessments.filter(slot=slot, signed_at__isnull=False).values_list("unit_id", flat=True)),
        complete_lines={pk for pk, _ in units if synthesis_line_complete(lines.get(pk))},
    )
    if missing:
        raise FormationIncomplete(missing, "Signature impossible, il manque")
    setattr(livret, f"evaluator{slot}_signed_at", timezone.now())
    setattr(livret, f"evaluator{slot}_signed_by", by)
    livret.save(update_fields=[f"evaluator{slot}_signed_at", f"evaluator{slot}_signed_by", "updated_at"])
    record_event(
        dossier, actor=by, action=f"livret_evaluation_sign_evaluator{slot}",
        label=f"Fiche de synthèse et attestation sur l'honneur signées par l'évaluateur {slot}",
    )
    return livret


@transaction.atomic
def transmit_livret_evaluation(dossier, *, by) -> LivretEvaluation:
    """The company's RH transmits the complete livret to the OEMM; refused with the list of what is missing."""
    _check_formation(dossier)
    _require(is_dossier_rh(by, dossier), "Seul le responsable RH de l'entreprise transmet le livret d'évaluation finale à l'OEMM.")
    dossier = _lock(dossier)
    if dossier.state != DossierState.ORIENTE:
        raise WorkflowError(f"Transmission impossible : le dossier est « {dossier.get_state_display()} ».")
    livret = LivretEvaluation.objects.select_for_update().filter(dossier=dossier).first()
    sources, target = LIVRET_EVALUATION_TRANSITIONS["transmit_livret_evaluation"]
    if livret is not None and livret.state not in sources:
        raise WorkflowError(f"Transmission impossible : le livret est « {livret.get_state_display()} ».")
    missing = build_file(dossier).missing
    if livret is None or missing:
        raise FormationIncomplete(missing or ["le livret d'évaluation finale (il n'a pas commencé)"],
                                  "Le livret d'évaluation finale ne peut pas être transmis, il manque")
    previous = livret.state
    livret.state = target
    livret.transmitted_at = timezone.now()
    livret.transmitted_by = by
    livret.save(update_fields=["state", "transmitted_at", "transmitted_by", "updated_at"])
    record_event(
        dossier, actor=by, action="transmit_livret_evaluation", label="Livret d'évaluation finale transmis à l'OEMM",
        data={"livret_evaluation_state": {"from": previous, "to": target}},
    )
    send_livret_transmitted(dossier)
    return livret


@transaction.atomic
def mark_ready_for_jury(dossier, *, by, comment="") -> Dossier:
    """OEMM declares the formative dossier ready for the jury, once the livret d'évaluation is transmitted."""
    _check_formation(dossier)
    _require(is_oemm(by), "Seul l'OEMM déclare un dossier prêt pour le jury.")
    locked = _lock(dossier)
    livret = LivretEvaluation.objects.select_for_update().filter(dossier=locked).first()
    if livret is None or not livret.is_transmitted:
        raise WorkflowError("L'entreprise n'a pas encore transmis le livret d'évaluation finale : le dossier ne peut pas être déclaré prêt pour le jury.")
    return workflow.mark_ready_for_jury(dossier, by=by, comment=comment or "Livret d'évaluation finale en entreprise reçu.")


# --- e-mails ----------------------------------------------------------------------------------------------------------


def _formation_url(dossier) -> str:
    return settings.SITE_URL + reverse("candidates:formation", kwargs={"number": dossier.number})


def send_designation(dossier, person, role_label):
    queue_mail("formation_designation", {"dossier": dossier, "person": person, "role_label": role_label,
                                         "url": _formation_url(dossier)}, [person.email])


def send_livret_transmitted(dossier):
    recipients = sorted(User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("email", flat=True).distinct())
    if recipients:
        queue_mail("formation_livret_transmitted", {"dossier": dossier, "url": settings.SITE_URL + dossier.get_absolute_url()}, recipients)

