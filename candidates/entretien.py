"""Entretien d'accueil et d'orientation: the guide, its rules and its transitions.

Life of an entretien (``EntretienState``)::

    (none) --save_entretien--> en_cours --validate_as_interviewer--> valide_interviewer
    valide_interviewer --reopen--> en_cours                (interviewer side, before the candidate validated)
    valide_interviewer --validate_as_candidate--> valide   (then the dossier is oriented, or closed)

Decisions:

- Who conducts: a member of the dossier's organisme, and on the voie formative
  also a member of its entreprise (``permissions.can_conduct_entretien``). Any
  of them may fill and validate the draft (the entretien is « conduit en
  concertation »); ``interviewer`` is the person who started it and
  ``interviewer_validated_by`` the one who validated it.
- The first save creates the entretien (nothing is created by opening a page).
- The entretien is editable only while ``en_cours`` and while the dossier is
  still « inscrit ». After the interviewer's validation nobody edits it; the
  interviewer side may **reopen** it as long as the candidate has not
  validated (to correct a mistake the candidate points out). Once the
  candidate validated it is read-only for everyone, for good.
- A « Non » on a prerequisite re-orients the candidate: the completeness check
  then asks only for the header, the prerequisites and the synthesis, and the
  candidate's validation closes the dossier (``workflow.close``) with the
  prerequisite(s) as the reason. Otherwise every compétence must be assessed,
  every unit oriented, and every unit oriented to formation needs a module.
- The parcours's total hours outside the CQP's norm is a warning, never a block.
- When the entretien is validated by both and holds a parcours de formation,
  an e-mail describing it goes to the OEMM users (« un exemplaire du parcours
  individualisé adressé à l'OEMM », rules.md §3), queued on commit.
- Autosaves are not written to the audit trail (one row per keystroke would
  drown it): the start, the validations and the reopening are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.mail import queue_mail

from . import workflow
from .audit import record_event
from .enums import DossierState
from .experience import ExperienceCheck, Period, check_experience
from .models import (
    ENTRETIEN_TRANSITIONS, PREREQUISITE_CHOICES, Dossier, Entretien, EntretienCompetence, EntretienPrerequisite,
    EntretienState, EntretienUnit, ExperiencePeriod, ParcoursModule, UnitOrientation, scale_choices,
)
from .permissions import can_conduct_entretien, is_dossier_candidate


class EntretienIncomplete(WorkflowError):
    """The interviewer's validation is refused: ``missing`` lists what is still to fill in (French)."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__("L'entretien est incomplet : " + " ; ".join(self.missing) + ".")


# --- the guide, read from the dossier's référentiel version ---------------------------------------


def guide_units(dossier):
    """Units of the dossier's version (those of its mention, if the CQP has mentions), with compétences."""
    units = dossier.version.units.prefetch_related("competences")
    return units.filter(Q(mention__isnull=True) | Q(mention_id=dossier.mention_id))


def guide_prerequisites(dossier):
    return dossier.version.prerequisites.all()


def unit_label(dossier, unit) -> str:
    return f"{dossier.certification.unit_label.capitalize()} {unit.number} : {unit.title}"


# --- plain rules ----------------------------------------------------------------------------------


def parcours_total_hours(hours) -> int:
    return sum(h or 0 for h in hours)


def parcours_norm_warning(total: int, minimum: int | None, maximum: int | None) -> str:
    """A French warning when the parcours's total is outside the CQP's norm; '' when inside or no norm."""
    if minimum is None and maximum is None:
        return ""
    if minimum is not None and total < minimum:
        return f"Le parcours totalise {total} h, en dessous de la durée de référence du CQP ({norm_label(minimum, maximum)})."
    if maximum is not None and total > maximum:
        return f"Le parcours totalise {total} h, au-dessus de la durée de référence du CQP ({norm_label(minimum, maximum)})."
    return ""


def norm_label(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f"{minimum} à {maximum} h"
    if minimum is not None:
        return f"au moins {minimum} h"
    if maximum is not None:
        return f"au plus {maximum} h"
    return "pas de durée de référence"


def experience_verdict(periods, declared_months, *, required_months, window_years, today) -> ExperienceCheck | None:
    """Periods when the candidate declared some (counted by check_experience), else the declared months."""
    if periods:
        return check_experience(periods, required_months=required_months, window_years=window_years, today=today)
    if declared_months is not None:
        return ExperienceCheck(months=float(declared_months), required_months=required_months, window_years=window_years)
    return None


# --- the filled-in sheet, for pages, PDF and checks -----------------------------------------------


@dataclass
class CompetenceLine:
    competence: object
    assessment: str = ""
    assessment_label: str = ""
    training_wanted: bool = False
    training_note: str = ""


@dataclass
class UnitBlock:
    unit: object
    label: str
    orientation: str = ""
    orientation_label: str = ""
    competences: list = field(default_factory=list)


@dataclass
class PrerequisiteLine:
    prerequisite: object
    answer: str = ""
    answer_label: str = ""


@dataclass
class Sheet:
    entretien: object
    dossier: object
    scale_label: str
    units: list
    prerequisites: list
    modules: list
    periods: list
    total_hours: int
    norm: str
    norm_warning: str
    experience: ExperienceCheck | None
    experience_rule: str
    missing: list
    failed_prerequisites: list

    @property
    def has_formation(self) -> bool:
        return any(u.orientation == UnitOrientation.FORMATION for u in self.units)

    @property
    def has_vae(self) -> bool:
        return any(u.orientation == UnitOrientation.VAE for u in self.units)


def missing_items(*, held_on, interviewer_function, organisation, synthesis, prerequisites, units, modules) -> list[str]:
    """What the interviewer must still fill in before validating (plain values in, French lines out)."""
    missing = []
    if not held_on:
        missing.append("la date de l'entretien")
    if not (interviewer_function or "").strip():
        missing.append("la fonction de l'intervieweur")
    if not (organisation or "").strip():
        missing.append("l'organisation de l'intervieweur")
    for line in prerequisites:
        if not line.answer:
            missing.append(f"la réponse (Oui / Non) au prérequis « {line.prerequisite.text} »")
    refused = any(line.answer == "non" for line in prerequisites)
    if not refused:
        for block in units:
            for comp in block.competences:
                if not comp.assessment:
                    missing.append(f"l'appréciation de la compétence « {comp.competence.text} » ({block.label})")
            if not block.orientation:
                missing.append(f"l'orientation (VAE, évaluation directe ou formation) de : {block.label}")
            elif block.orientation == UnitOrientation.FORMATION and not any(m.unit_id == block.unit.pk for m in modules):
                missing.append(f"au moins un module du parcours de formation pour : {block.label}")
    if not (synthesis or "").strip():
        missing.append("la synthèse de l'entretien")
    return missing


def build_sheet(dossier, entretien=None) -> Sheet:
    """The guide of the dossier's version with the entretien's answers (an empty one if not started)."""
    version = dossier.version
    choices = dict(scale_choices(version.entretien_scale))
    prereq_labels = dict(PREREQUISITE_CHOICES)
    comp_answers, unit_answers, prereq_answers, modules, periods = {}, {}, {}, [], []
    if entretien is not None and entretien.pk:
        comp_answers = {a.competence_id: a for a in entretien.competence_answers.all()}
        unit_answers = {a.unit_id: a.orientation for a in entretien.unit_orientations.all()}
        prereq_answers = {a.prerequisite_id: a.answer for a in entretien.prerequisite_answers.all()}
        modules = list(entretien.modules.select_related("unit"))
        periods = list(entretien.experience_periods.all())
    units = []
    for unit in guide_units(dossier):
        orientation = unit_answers.get(unit.pk, "")
        block = UnitBlock(
            unit=unit, label=unit_label(dossier, unit), orientation=orientation,
            orientation_label=UnitOrientation(orientation).label if orientation else "",
        )
        for comp in unit.competences.all():
            answer = comp_answers.get(comp.pk)
            block.competences.append(CompetenceLine(
                competence=comp, assessment=answer.assessment if answer else "",
                assessment_label=choices.get(answer.assessment, "") if answer else "",
                training_wanted=bool(answer and answer.training_wanted), training_note=answer.training_note if answer else "",
            ))
        units.append(block)
    prerequisites = [
        PrerequisiteLine(prerequisite=p, answer=prereq_answers.get(p.pk, ""), answer_label=prereq_labels.get(prereq_answers.get(p.pk, ""), ""))
        for p in guide_prerequisites(dossier)
    ]
    total = parcours_total_hours(m.hours for m in modules)
    held_on = entretien.held_on if entretien else None
    experience = experience_verdict(
        [Period(p.start_on, p.end_on, p.status) for p in periods],
        entretien.declared_experience_months if entretien else None,
        required_months=version.min_experience_months, window_years=version.experience_window_years,
        today=held_on or timezone.localdate(),
    )
    return Sheet(
        entretien=entretien, dossier=dossier, scale_label=version.get_entretien_scale_display(), units=units,
        prerequisites=prerequisites, modules=modules, periods=periods, total_hours=total,
        norm=norm_label(version.training_hours_min, version.training_hours_max),
        norm_warning=parcours_norm_warning(total, version.training_hours_min, version.training_hours_max) if modules else "",
        experience=experience,
        experience_rule=ExperienceCheck(0, version.min_experience_months, version.experience_window_years).rule,
        missing=missing_items(
            held_on=held_on, interviewer_function=entretien.interviewer_function if entretien else "",
            organisation=entretien.organisation if entretien else "", synthesis=entretien.synthesis if entretien else "",
            prerequisites=prerequisites, units=units, modules=modules,
        ),
        failed_prerequisites=[line.prerequisite.text for line in prerequisites if line.answer == "non"],
    )


def default_function(user) -> str:
    """The interviewer's function, when their entreprise role says it (RH, tuteur...)."""
    role = next((r for r in user.roles.all() if r.role == Role.ENTREPRISE and r.entreprise_function), None)
    return role.get_entreprise_function_display() if role else ""


def default_organisation(dossier, user) -> str:
    """The organisation the interviewer speaks for: the dossier's organisme, or its entreprise."""
    roles = {r.role: r for r in user.roles.all()}
    if Role.ORGANISME in roles and dossier.organisme_id == roles[Role.ORGANISME].organisme_id:
        return dossier.organisme.name
    if dossier.entreprise_id:
        return dossier.entreprise.name
    return ""


# --- transitions ----------------------------------------------------------------------------------


def check_can_edit(dossier, entretien) -> None:
    """Raise a WorkflowError (French) when the entretien may not be edited now."""
    if entretien is not None and entretien.state == EntretienState.VALIDE:
        raise WorkflowError("L'entretien est validé par l'intervieweur et le candidat : il n'est plus modifiable.")
    if entretien is not None and entretien.state == EntretienState.VALIDE_INTERVIEWER:
        raise WorkflowError(
            "L'entretien a été validé par l'intervieweur : il n'est plus modifiable. "
            "Rouvrez-le (tant que le candidat ne l'a pas validé) pour le corriger."
        )
    if dossier.state != DossierState.INSCRIT:
        raise WorkflowError(
            f"L'entretien d'accueil ne peut plus être saisi : le dossier est « {dossier.get_state_display()} »."
        )


def _check_conductor(dossier, by):
    if not can_conduct_entretien(by, dossier):
        raise WorkflowError("Seuls l'organisme de formation du dossier (et l'entreprise, en voie formative) conduisent l'entretien.")


def _lock(dossier):
    """Lock the dossier (serialises the creation of its entretien) and return (dossier, entretien or None)."""
    locked = Dossier.objects.select_for_update(of=("self",)).select_related("certification", "version").get(pk=dossier.pk)
    return locked, Entretien.objects.select_for_update().filter(dossier=locked).first()


def _transition(entretien, name):
    sources, target = ENTRETIEN_TRANSITIONS[name]
    if entretien.state not in sources:
        raise WorkflowError(f"Action impossible : l'entretien est « {entretien.get_state_display()} ».")
    previous = entretien.state
    entretien.state = target
    return previous, target


@transaction.atomic
def save_entretien(dossier, *, by, data) -> Entretien:
    """Store what the interviewer typed (``EntretienForm.get_data()``); the first save starts the entretien.

    Answers, modules and periods are replaced as a whole: saving the same data twice changes nothing.
    """
    _check_conductor(dossier, by)
    dossier, entretien = _lock(dossier)
    check_can_edit(dossier, entretien)
    if entretien is None:
        entretien = Entretien.objects.create(
            dossier=dossier, interviewer=by, organisation=default_organisation(dossier, by),
        )
        record_event(dossier, actor=by, action="entretien_start", label="Entretien d'accueil commencé")
    header = data["header"]
    for name, value in header.items():
        setattr(entretien, name, value)
    entretien.updated_by = by
    entretien.save()

    entretien.prerequisite_answers.all().delete()
    EntretienPrerequisite.objects.bulk_create(
        EntretienPrerequisite(entretien=entretien, prerequisite_id=pk, answer=answer)
        for pk, answer in data["prerequisites"].items() if answer
    )
    entretien.competence_answers.all().delete()
    EntretienCompetence.objects.bulk_create(
        EntretienCompetence(entretien=entretien, competence_id=pk, assessment=a["assessment"],
                            training_wanted=a["training_wanted"], training_note=a["training_note"])
        for pk, a in data["competences"].items() if a["assessment"] or a["training_wanted"] or a["training_note"]
    )
    entretien.unit_orientations.all().delete()
    EntretienUnit.objects.bulk_create(
        EntretienUnit(entretien=entretien, unit_id=pk, orientation=o) for pk, o in data["units"].items() if o
    )
    entretien.modules.all().delete()
    ParcoursModule.objects.bulk_create(
        ParcoursModule(entretien=entretien, position=i, **m) for i, m in enumerate(data["modules"])
    )
    entretien.experience_periods.all().delete()
    ExperiencePeriod.objects.bulk_create(
        ExperiencePeriod(entretien=entretien, position=i, **p) for i, p in enumerate(data["periods"])
    )
    return entretien


@transaction.atomic
def validate_as_interviewer(entretien, *, by) -> Entretien:
    """The interviewer side signs the entretien: refused with the list of what is missing if incomplete."""
    dossier = entretien.dossier
    _check_conductor(dossier, by)
    dossier, locked = _lock(dossier)
    if locked is None:
        raise WorkflowError("L'entretien n'a pas commencé.")
    if dossier.state != DossierState.INSCRIT:
        raise WorkflowError(f"Action impossible : le dossier est « {dossier.get_state_display()} ».")
    previous, target = _transition(locked, "validate_as_interviewer")
    sheet = build_sheet(dossier, locked)
    if sheet.missing:
        raise EntretienIncomplete(sheet.missing)
    locked.interviewer_validated_at = timezone.now()
    locked.interviewer_validated_by = by
    locked.save(update_fields=["state", "interviewer_validated_at", "interviewer_validated_by", "updated_at"])
    record_event(
        dossier, actor=by, action="entretien_validate_interviewer", label="Entretien d'accueil validé par l'intervieweur",
        data={"entretien_state": {"from": previous, "to": target}, "failed_prerequisites": sheet.failed_prerequisites},
    )
    send_entretien_to_validate(locked)
    entretien.refresh_from_db()
    return locked


@transaction.atomic
def reopen(entretien, *, by) -> Entretien:
    """The interviewer side reopens its validated entretien, as long as the candidate has not validated it."""
    dossier = entretien.dossier
    _check_conductor(dossier, by)
    dossier, locked = _lock(dossier)
    if locked is None:
        raise WorkflowError("L'entretien n'a pas commencé.")
    if locked.state == EntretienState.VALIDE:
        raise WorkflowError("Le candidat a validé l'entretien : il ne peut plus être rouvert.")
    previous, target = _transition(locked, "reopen")
    locked.interviewer_validated_at = None
    locked.interviewer_validated_by = None
    locked.save(update_fields=["state", "interviewer_validated_at", "interviewer_validated_by", "updated_at"])
    record_event(
        dossier, actor=by, action="entretien_reopen", label="Entretien d'accueil rouvert pour correction",
        data={"entretien_state": {"from": previous, "to": target}},
    )
    entretien.refresh_from_db()
    return locked


def closing_reason(sheet) -> str:
    texts = " ; ".join(f"« {t} »" for t in sheet.failed_prerequisites)
    reason = f"Réorientation à l'entretien d'accueil : prérequis non maîtrisé(s) : {texts}."
    if sheet.entretien.synthesis.strip():
        reason += f"\n{sheet.entretien.synthesis.strip()}"
    return reason


@transaction.atomic
def validate_as_candidate(entretien, *, by, comment="") -> Entretien:
    """The candidate validates; the entretien becomes read-only and the dossier is oriented (or closed)."""
    dossier = entretien.dossier
    if not is_dossier_candidate(by, dossier):
        raise WorkflowError("Seul le candidat du dossier valide l'entretien de son côté.")
    dossier, locked = _lock(dossier)
    if locked is None:
        raise WorkflowError("L'entretien n'a pas commencé.")
    if locked.state == EntretienState.EN_COURS:
        raise WorkflowError("L'intervieweur n'a pas encore validé l'entretien.")
    previous, target = _transition(locked, "validate_as_candidate")
    locked.candidate_validated_at = timezone.now()
    locked.candidate_comment = (comment or "").strip()
    locked.save(update_fields=["state", "candidate_validated_at", "candidate_comment", "updated_at"])
    record_event(
        dossier, actor=by, action="entretien_validate_candidate", label="Entretien d'accueil validé par le candidat",
        comment=locked.candidate_comment, data={"entretien_state": {"from": previous, "to": target}},
    )
    sheet = build_sheet(dossier, locked)
    if sheet.failed_prerequisites:
        workflow.close(dossier, by=by, reason=closing_reason(sheet))
    else:
        workflow.orient(dossier, by=by)
        if sheet.modules:
            send_parcours_to_oemm(sheet)
    entretien.refresh_from_db()
    return locked


# --- e-mails --------------------------------------------------------------------------------------


def _entretien_url(dossier) -> str:
    return settings.SITE_URL + reverse("candidates:entretien", kwargs={"number": dossier.number})


def send_entretien_to_validate(entretien):
    dossier = entretien.dossier
    queue_mail("entretien_to_validate", {"dossier": dossier, "entretien": entretien, "url": _entretien_url(dossier)},
               [dossier.candidate.email])


def send_parcours_to_oemm(sheet):
    from cqp.models import User

    recipients = sorted(
        User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("email", flat=True).distinct()
    )
    if not recipients:
        return
    dossier = sheet.dossier
    queue_mail("entretien_parcours", {
        "dossier": dossier, "sheet": sheet, "url": _entretien_url(dossier),
        "pdf_url": settings.SITE_URL + reverse("candidates:entretien_pdf", kwargs={"number": dossier.number}),
    }, recipients)
