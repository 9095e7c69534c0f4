"""Transitions of the voie formative: designations, livret de suivi, tutorat (the livret d'évaluation finale and the
readiness for the jury: ``livret_evaluation.py``; the file shown on the pages: ``candidates/formation_file.py``; the
completeness rules: ``candidates/formation_rules.py``).

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

Life of a livret d'évaluation (``LivretEvaluationState``, table ``LIVRET_EVALUATION_TRANSITIONS``)::

    (none) --first save--> en_cours --transmit_livret_evaluation--> transmis   (then OEMM: dossier → pret_jury)

Decisions:

- All the work on the livrets happens while the dossier is « oriente » (entretien validated). Designations
  may be made as soon as the dossier exists (``TRANSITIONS`` « work_on_formation », « designate_formation_actors »).
  Once the livret d'évaluation is transmitted, nothing of the voie formative is editable any more (designations
  included).
- An evaluator who signed anything (a unit, or the fiche de synthèse) can no longer be replaced.
- The évaluations formatives are information for the jury: they are not required for the transmission
  (a unit oriented to « évaluation directe » has none); the transmission page shows how many are signed.
- Autosaves are not audited; starts, signatures, designations, tutor entries and the transmission are.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cqp import accounts
from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.mail import queue_mail
from cqp.models import User, UserRole
from cqp.transitions import check_transition
from referentiels.enums import CriterionKind

from ..audit import record_event
from ..entretien_sheet import guide_units, unit_label
from ..enums import LIVRET_EVALUATION_TRANSITIONS, LivretEvaluationState, Path
from ..formation_file import unit_criteria
from ..formation_rules import SLOTS, formative_missing
from ..models import (
    Dossier,
    EvaluationFormative,
    EvaluationFormativeRating,
    FormationDesignation,
    IntermediateEvaluation,
    IntermediateRating,
    LivretEvaluation,
    LivretSuivi,
    SuiviModule,
    TutorReview,
)
from ..permissions import is_dossier_rh, is_dossier_tutor, keeps_livret_suivi
from .dossier import check_dossier

NOT_FORMATIVE = "Ce dossier n'est pas sur la voie formative."
FORMATIVE_SIGNED = "Cette évaluation formative est signée : elle n'est plus modifiable."


class FormationIncomplete(WorkflowError):
    """A signature or the transmission is refused: ``missing`` lists what is still to do (French)."""

    def __init__(self, missing, intro="Il manque"):
        self.missing = list(missing)
        super().__init__(f"{intro} : " + " ; ".join(self.missing) + ".")


# --- checks and locks ---------------------------------------------------------------------------------------


def lock_dossier(dossier) -> Dossier:
    """Lock the dossier: serialises the creation of its livrets and every write on them."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("certification", "version", "entreprise", "organisme")
        .get(pk=dossier.pk)
    )


def check_formation(dossier):
    if dossier.path != Path.FORMATION:
        raise WorkflowError(NOT_FORMATIVE)


def check_livret_evaluation(livret, name) -> str:
    """The livret d'évaluation's table says whether ``name`` is allowed; a dossier without one counts as « en
    cours ».
    """
    state = livret.state if livret is not None else LivretEvaluationState.EN_COURS
    label = livret.get_state_display() if livret is not None else LivretEvaluationState.EN_COURS.label
    return check_transition(LIVRET_EVALUATION_TRANSITIONS, name, state, what="le livret", state_label=label)


def check_open_for_work(dossier) -> None:
    """Raise a WorkflowError (French) when the livrets of the dossier may not be written now (pages ask it too)."""
    check_formation(dossier)
    check_dossier(dossier, "work_on_formation")
    check_livret_evaluation(LivretEvaluation.objects.filter(dossier=dossier).only("state").first(), "work_on_formation")


def check_formative_editable(dossier, evaluation) -> None:
    """The évaluation formative of a unit may be written now (the page asks it before showing the form)."""
    check_open_for_work(dossier)
    if evaluation is not None and evaluation.is_signed:
        raise WorkflowError(FORMATIVE_SIGNED)


def require(allowed, message):
    """The role checks of the transitions (the predicates of ``permissions.py``, asked again under lock)."""
    if not allowed:
        raise WorkflowError(message)


def unit_of(dossier, unit):
    if unit is None or not any(u.pk == unit.pk for u in guide_units(dossier)):
        raise WorkflowError("Cette unité n'appartient pas au référentiel du dossier.")
    return unit


def replace_ratings(model, owner_field, owner, ratings, value_field, criteria):
    allowed = {c.pk for c in criteria}
    model.objects.filter(**{owner_field: owner}).delete()
    model.objects.bulk_create(
        model(**{owner_field: owner, "criterion_id": pk, value_field: value})
        for pk, value in ratings.items()
        if value and pk in allowed
    )


# --- designations ------------------------------------------------------------------------------------------


def _check_member(dossier, person, what):
    if person is None:
        return
    if person.pk == dossier.candidate_id:
        raise WorkflowError(f"Le candidat ne peut pas être son propre {what}.")
    if not UserRole.objects.filter(user=person, role=Role.ENTREPRISE, entreprise_id=dossier.entreprise_id).exists():
        raise WorkflowError(
            f"{person} n'est pas membre de l'entreprise {dossier.entreprise} : choisissez un membre ou invitez-le."
        )


def _has_signed(livret, slot) -> bool:
    return livret is not None and bool(
        livret.signed_at(slot) or livret.assessments.filter(slot=slot, signed_at__isnull=False).exists()
    )


@transaction.atomic
def designate(
    dossier, *, by, tutor=None, evaluator1=None, evaluator1_function="", evaluator2=None, evaluator2_function=""
) -> FormationDesignation:
    """The company's RH names the tutor and the two evaluators (each a member of the entreprise)."""
    check_formation(dossier)
    require(
        is_dossier_rh(by, dossier),
        "Seul le responsable RH de l'entreprise du dossier désigne le tuteur et les évaluateurs.",
    )
    dossier = lock_dossier(dossier)
    check_dossier(dossier, "designate_formation_actors")
    livret = LivretEvaluation.objects.select_for_update().filter(dossier=dossier).first()
    check_livret_evaluation(livret, "designate_formation_actors")
    _check_member(dossier, tutor, "tuteur")
    _check_member(dossier, evaluator1, "évaluateur")
    _check_member(dossier, evaluator2, "évaluateur")
    if evaluator1 is not None and evaluator1 == evaluator2:
        raise WorkflowError(
            "L'évaluateur 1 (responsable hiérarchique) et l'évaluateur 2 doivent être deux personnes différentes."
        )
    designation, _ = FormationDesignation.objects.select_for_update().get_or_create(dossier=dossier)
    wanted = {"tutor": tutor, "evaluator1": evaluator1, "evaluator2": evaluator2}
    for slot in SLOTS:
        person = wanted[f"evaluator{slot}"]
        if (
            designation.evaluator_id(slot)
            and designation.evaluator_id(slot) != (person.pk if person else None)
            and _has_signed(livret, slot)
        ):
            raise WorkflowError(
                f"L'évaluateur {slot} ({designation.evaluator(slot)}) a déjà signé une partie du livret : il ne peut "
                "plus être remplacé."
            )
    newly = [
        (name, person)
        for name, person in wanted.items()
        if person is not None and getattr(designation, f"{name}_id") != person.pk
    ]
    for name, person in wanted.items():
        setattr(designation, name, person)
    designation.evaluator1_function = (evaluator1_function or "").strip() if evaluator1 else ""
    designation.evaluator2_function = (evaluator2_function or "").strip() if evaluator2 else ""
    designation.updated_by = by
    designation.save()
    labels = {"tutor": "tuteur", "evaluator1": "évaluateur 1", "evaluator2": "évaluateur 2"}
    record_event(
        dossier,
        actor=by,
        action="formation_designate",
        label="Tuteur et évaluateurs désignés",
        comment=" ; ".join(
            f"{labels[name].capitalize()} : {person or 'non désigné'}" for name, person in wanted.items()
        ),
        data={name: person.pk if person else None for name, person in wanted.items()},
    )
    for name, person in newly:
        send_designation(dossier, person, labels[name])
    return designation


@transaction.atomic
def invite_member(dossier, *, by, email, first_name, last_name, function) -> User:
    """The RH invites a colleague (role entreprise of the dossier's entreprise) to be designated."""
    check_formation(dossier)
    require(
        is_dossier_rh(by, dossier),
        "Seul le responsable RH de l'entreprise du dossier invite un tuteur ou un évaluateur.",
    )
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
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.ENTREPRISE,
        by=by,
        entreprise=dossier.entreprise,
        entreprise_function=function,
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
    require(
        keeps_livret_suivi(by, dossier),
        "Seul l'organisme de formation du dossier tient le livret de suivi de la formation.",
    )


@transaction.atomic
def save_livret_suivi(dossier, *, by, training_manager, modules) -> LivretSuivi:
    """The centre stores the header and the modules (replaced as a whole: saving twice changes nothing)."""
    check_formation(dossier)
    _check_keeper(dossier, by)
    dossier = lock_dossier(dossier)
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
    check_formation(dossier)
    _check_keeper(dossier, by)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    unit_of(dossier, unit)
    suivi = _suivi(dossier, by)
    evaluation = _formative(suivi, unit)
    if evaluation is not None and evaluation.is_signed:
        raise WorkflowError(FORMATIVE_SIGNED)
    if evaluation is None:
        evaluation = EvaluationFormative(livret=suivi, unit=unit)
    for name in ("held_on", "result", "trainer_name", "progress_objectives"):
        setattr(evaluation, name, data.get(name) or ("" if name != "held_on" else None))
    evaluation.save()
    replace_ratings(
        EvaluationFormativeRating,
        "evaluation",
        evaluation,
        data.get("ratings", {}),
        "rating",
        unit_criteria(unit, CriterionKind.FORMATIVE),
    )
    return evaluation


@transaction.atomic
def sign_evaluation_formative(dossier, unit, *, by) -> EvaluationFormative:
    """The centre signs the évaluation formative of a unit; refused with the list of what is missing."""
    check_formation(dossier)
    _check_keeper(dossier, by)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    unit_of(dossier, unit)
    suivi = LivretSuivi.objects.filter(dossier=dossier).first()
    evaluation = _formative(suivi, unit) if suivi else None
    if evaluation is None:
        raise WorkflowError("L'évaluation formative de cette unité n'a pas commencé.")
    if evaluation.is_signed:
        raise WorkflowError("Cette évaluation formative est déjà signée.")
    missing = formative_missing(
        held_on=evaluation.held_on,
        result=evaluation.result,
        trainer_name=evaluation.trainer_name,
        criteria=unit_criteria(unit, CriterionKind.FORMATIVE),
        ratings={r.criterion_id: r.rating for r in evaluation.ratings.all()},
    )
    if missing:
        raise FormationIncomplete(missing, "L'évaluation formative est incomplète, il manque")
    evaluation.signed_at = timezone.now()
    evaluation.signed_by = by
    evaluation.save(update_fields=["signed_at", "signed_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="evaluation_formative_sign",
        label=f"Évaluation formative signée — {unit_label(dossier, unit)}",
        data={"unit": unit.number, "result": evaluation.result},
    )
    return evaluation


# --- tutorat --------------------------------------------------------------------------------------------------------


def _check_tutor(dossier, by):
    require(
        is_dossier_tutor(by, dossier),
        "Seul le tuteur désigné pour ce dossier saisit les évaluations intermédiaires et les points d'étape.",
    )


@transaction.atomic
def save_intermediate_evaluation(dossier, unit, *, by, data, evaluation=None) -> IntermediateEvaluation:
    """The tutor records (or corrects) an evaluation on the grille intermédiaire of a unit."""
    check_formation(dossier)
    _check_tutor(dossier, by)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    unit_of(dossier, unit)
    created = evaluation is None
    if created:
        evaluation = IntermediateEvaluation(dossier=dossier, unit=unit, author=by)
    elif evaluation.dossier_id != dossier.pk or evaluation.unit_id != unit.pk:
        raise WorkflowError("Cette évaluation intermédiaire n'appartient pas à ce dossier.")
    evaluation.held_on = data["held_on"]
    evaluation.progress_objectives = data.get("progress_objectives", "")
    evaluation.save()
    replace_ratings(
        IntermediateRating,
        "evaluation",
        evaluation,
        data.get("ratings", {}),
        "rating",
        unit_criteria(unit, CriterionKind.INTERMEDIATE),
    )
    if created:
        record_event(
            dossier,
            actor=by,
            action="intermediate_evaluation",
            label=f"Évaluation intermédiaire du tuteur — {unit_label(dossier, unit)}",
            data={"unit": unit.number, "held_on": evaluation.held_on.isoformat()},
        )
    return evaluation


@transaction.atomic
def save_tutor_review(dossier, *, by, data, review=None) -> TutorReview:
    """The tutor records (or corrects) a « faire le point » review."""
    check_formation(dossier)
    _check_tutor(dossier, by)
    dossier = lock_dossier(dossier)
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
        record_event(
            dossier,
            actor=by,
            action="tutor_review",
            label="Point d'étape du tuteur",
            data={"held_on": review.held_on.isoformat()},
        )
    return review


@transaction.atomic
def delete_tutor_entry(dossier, entry, *, by) -> None:
    """The tutor deletes one of the entries (evaluation or review) while the livret is not transmitted."""
    check_formation(dossier)
    _check_tutor(dossier, by)
    dossier = lock_dossier(dossier)
    check_open_for_work(dossier)
    if entry.dossier_id != dossier.pk:
        raise WorkflowError("Cette saisie n'appartient pas à ce dossier.")
    entry.delete()


# --- e-mails ----------------------------------------------------------------------------------------------------------


def send_designation(dossier, person, role_label):
    url = settings.SITE_URL + reverse("candidates:formation", kwargs={"number": dossier.number})
    queue_mail(
        "formation_designation",
        {"dossier": dossier, "person": person, "role_label": role_label, "url": url},
        [person.email],
    )
