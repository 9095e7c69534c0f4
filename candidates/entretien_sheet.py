"""The guide d'entretien of a dossier (read from its référentiel version) and the filled-in sheet, for the pages,
the PDF and the checks of ``candidates/workflow/entretien.py``."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from cqp.enums import Role
from referentiels.info import VAE_REMINDER

from .entretien_rules import (
    direct_evaluation_refusal,
    direct_evaluation_rule,
    experience_verdict,
    missing_items,
    norm_label,
    parcours_norm_warning,
    parcours_total_hours,
    vae_experience_line,
    vae_experience_warning,
)
from .enums import PREREQUISITE_CHOICES, UnitOrientation, scale_choices
from .experience import ExperienceCheck, Period


def guide_units(dossier):
    """Units of the dossier's version (those of its mention, if the CQP has mentions), with compétences."""
    units = dossier.version.units.prefetch_related("competences", "knowledge")
    return units.filter(Q(mention__isnull=True) | Q(mention_id=dossier.mention_id))


def guide_prerequisites(dossier):
    return dossier.version.prerequisites.all()


def unit_label(dossier, unit) -> str:
    return f"{dossier.certification.unit_label.capitalize()} {unit.number} : {unit.title}"


@dataclass
class CompetenceLine:
    competence: object
    assessment: str = ""
    assessment_label: str = ""
    training_wanted: bool = False
    training_note: str = ""


@dataclass
class KnowledgeLine:
    knowledge: object
    assessment: str = ""
    assessment_label: str = ""


@dataclass
class UnitBlock:
    unit: object
    label: str
    orientation: str = ""
    orientation_label: str = ""
    competences: list = field(default_factory=list)
    direct_evaluation_refusal: str = ""  # why « évaluation directe » is refused for this unit ('' when allowed)
    knowledge: list = field(default_factory=list)  # savoirs rated, when the entretien asks them


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
    direct_evaluation_rule: str = ""  # the CQP's rule, in French (rules.direct_evaluation)
    vae_experience: str = ""  # « Expérience comptée : … — seuil du CQP : … »
    vae_warning: str = ""  # the experience is under the threshold (a warning, not a refusal)

    vae_reminder = VAE_REMINDER  # seed 001 L1369-1370, shown to the interviewer when the VAE is chosen or the path

    @property
    def refusals(self) -> list[str]:
        """Orientations the CQP's rules refuse (the interviewer's validation is refused while there is one)."""
        if self.failed_prerequisites:
            return []
        return [u.direct_evaluation_refusal for u in self.units if u.direct_evaluation_refusal]

    @property
    def has_formation(self) -> bool:
        return any(u.orientation == UnitOrientation.FORMATION for u in self.units)

    @property
    def has_vae(self) -> bool:
        return any(u.orientation == UnitOrientation.VAE for u in self.units)


def build_sheet(dossier, entretien=None) -> Sheet:
    """The guide of the dossier's version with the entretien's answers (an empty one if not started)."""
    version = dossier.version
    choices = dict(scale_choices(version.entretien_scale))
    prereq_labels = dict(PREREQUISITE_CHOICES)
    comp_answers, unit_answers, prereq_answers, modules, periods = {}, {}, {}, [], []
    knowledge_answers = {}
    asks_knowledge = entretien is None or entretien.knowledge_asked
    if entretien is not None and entretien.pk:
        comp_answers = {a.competence_id: a for a in entretien.competence_answers.all()}
        knowledge_answers = {a.knowledge_id: a.assessment for a in entretien.knowledge_answers.all()}
        unit_answers = {a.unit_id: a.orientation for a in entretien.unit_orientations.all()}
        prereq_answers = {a.prerequisite_id: a.answer for a in entretien.prerequisite_answers.all()}
        modules = list(entretien.modules.select_related("unit"))
        periods = list(entretien.experience_periods.all())
    units = []
    for unit in guide_units(dossier):
        orientation = unit_answers.get(unit.pk, "")
        block = UnitBlock(
            unit=unit,
            label=unit_label(dossier, unit),
            orientation=orientation,
            orientation_label=UnitOrientation(orientation).label if orientation else "",
        )
        for comp in unit.competences.all():
            answer = comp_answers.get(comp.pk)
            block.competences.append(
                CompetenceLine(
                    competence=comp,
                    assessment=answer.assessment if answer else "",
                    assessment_label=choices.get(answer.assessment, "") if answer else "",
                    training_wanted=bool(answer and answer.training_wanted),
                    training_note=answer.training_note if answer else "",
                )
            )
        if orientation == UnitOrientation.EVALUATION_DIRECTE:
            block.direct_evaluation_refusal = direct_evaluation_refusal(
                version.direct_evaluation,
                block.label,
                [(line.competence.text, line.assessment) for line in block.competences],
                choices,
            )
        if asks_knowledge:
            block.knowledge = [
                KnowledgeLine(
                    knowledge=k,
                    assessment=knowledge_answers.get(k.pk, ""),
                    assessment_label=choices.get(knowledge_answers.get(k.pk, ""), ""),
                )
                for k in unit.knowledge.all()
            ]
        units.append(block)
    prerequisites = [
        PrerequisiteLine(
            prerequisite=p,
            answer=prereq_answers.get(p.pk, ""),
            answer_label=prereq_labels.get(prereq_answers.get(p.pk, ""), ""),
        )
        for p in guide_prerequisites(dossier)
    ]
    total = parcours_total_hours(m.hours for m in modules)
    held_on = entretien.held_on if entretien else None
    experience = experience_verdict(
        [Period(p.start_on, p.end_on, p.status) for p in periods],
        entretien.declared_experience_months if entretien else None,
        required_months=version.min_experience_months,
        window_years=version.experience_window_years,
        today=held_on or timezone.localdate(),
    )
    rule = ExperienceCheck(0, version.min_experience_months, version.experience_window_years).rule
    return Sheet(
        entretien=entretien,
        dossier=dossier,
        scale_label=version.get_entretien_scale_display(),
        units=units,
        prerequisites=prerequisites,
        modules=modules,
        periods=periods,
        total_hours=total,
        norm=norm_label(version.training_hours_min, version.training_hours_max),
        norm_warning=parcours_norm_warning(total, version.training_hours_min, version.training_hours_max)
        if modules
        else "",
        experience=experience,
        experience_rule=rule,
        missing=missing_items(
            held_on=held_on,
            interviewer_function=entretien.interviewer_function if entretien else "",
            organisation=entretien.organisation if entretien else "",
            synthesis=entretien.synthesis if entretien else "",
            prerequisites=prerequisites,
            units=units,
            modules=modules,
        ),
        failed_prerequisites=[line.prerequisite.text for line in prerequisites if line.answer == "non"],
        direct_evaluation_rule=direct_evaluation_rule(version.direct_evaluation, choices),
        vae_experience=vae_experience_line(experience, rule),
        vae_warning=vae_experience_warning(experience),
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
