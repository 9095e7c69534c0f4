"""Transitions of the entretien d'accueil et d'orientation (the guide and the filled-in sheet:
``candidates/entretien_sheet.py``; its plain rules: ``candidates/entretien_rules.py``).

Life of an entretien (``EntretienState``, table ``ENTRETIEN_TRANSITIONS`` in ``candidates/enums.py``)::

    (none) --save_entretien--> en_cours --validate_as_interviewer--> valide_interviewer
    valide_interviewer --reopen_entretien--> en_cours                (interviewer side, before the candidate validated)
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
  candidate's validation closes the dossier (``close``) with the
  prerequisite(s) as the reason. Otherwise every compétence must be assessed,
  every unit oriented, and every unit oriented to formation needs a module.
- « Évaluation directe » is refused where the CQP's rule (``rules.direct_evaluation`` of its référentiel,
  ``entretien_rules.direct_evaluation_refusal``) does not allow it: the interviewer's validation says why, and the
  form shows it next to the orientation choice. Experience under the CQP's threshold on a « VAE » orientation is a
  warning, never a block (« Vous n'êtes en aucune manière en situation d'inciter le candidat à ne pas déposer sa
  demande de VAE », seed 001 L1369–1370).
- The parcours's total hours outside the CQP's norm is a warning, never a block.
- When the entretien is validated by both and holds a parcours de formation,
  an e-mail describing it goes to the OEMM users (« un exemplaire du parcours
  individualisé adressé à l'OEMM », rules.md §3), queued on commit.
- Autosaves are not written to the audit trail (one row per keystroke would
  drown it): the start, the validations and the reopening are.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cqp.enums import Role
from cqp.exceptions import WorkflowError
from cqp.mail import queue_mail
from cqp.models import User
from cqp.transitions import check_transition

from ..audit import record_event
from ..entretien_sheet import build_sheet, default_organisation
from ..enums import ENTRETIEN_TRANSITIONS
from ..models import (
    Dossier,
    Entretien,
    EntretienCompetence,
    EntretienKnowledge,
    EntretienPrerequisite,
    EntretienUnit,
    ExperiencePeriod,
    ParcoursModule,
)
from ..permissions import can_conduct_entretien, is_dossier_candidate
from . import dossier as dossier_workflow
from .dossier import check_dossier


class EntretienIncomplete(WorkflowError):
    """The interviewer's validation is refused: ``missing`` lists what is still to fill in (French)."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__("L'entretien est incomplet : " + " ; ".join(self.missing) + ".")


class OrientationRefused(WorkflowError):
    """The interviewer's validation is refused: an orientation the CQP's rules do not allow (``refusals``, French)."""

    def __init__(self, refusals):
        self.refusals = list(refusals)
        super().__init__(" ".join(self.refusals))


NOT_STARTED = "L'entretien n'a pas commencé."


def _check(entretien, name) -> str:
    return check_transition(
        ENTRETIEN_TRANSITIONS, name, entretien.state, what="l'entretien", state_label=entretien.get_state_display()
    )


def check_can_edit(dossier, entretien) -> None:
    """Raise a WorkflowError (French) when the entretien may not be edited now (a page asks it before showing the
    form; ``save_entretien`` asks it again under lock)."""
    if entretien is not None:
        _check(entretien, "save_entretien")
    check_dossier(dossier, "conduct_entretien")


def check_can_validate_as_interviewer(dossier, entretien) -> str:
    """The target state, or a WorkflowError saying why the interviewer side may not validate now."""
    if entretien is None:
        raise WorkflowError(NOT_STARTED)
    target = _check(entretien, "validate_as_interviewer")
    check_dossier(dossier, "conduct_entretien")
    return target


def check_can_reopen(entretien) -> str:
    if entretien is None:
        raise WorkflowError(NOT_STARTED)
    return _check(entretien, "reopen")


def check_can_validate_as_candidate(entretien) -> str:
    if entretien is None:
        raise WorkflowError(NOT_STARTED)
    return _check(entretien, "validate_as_candidate")


def _check_conductor(dossier, by):
    if not can_conduct_entretien(by, dossier):
        raise WorkflowError(
            "Seuls l'organisme de formation du dossier (et l'entreprise, en voie formative) conduisent l'entretien."
        )


def _lock(dossier):
    """Lock the dossier (serialises the creation of its entretien) and return (dossier, entretien or None)."""
    locked = (
        Dossier.objects.select_for_update(of=("self",)).select_related("certification", "version").get(pk=dossier.pk)
    )
    return locked, Entretien.objects.select_for_update().filter(dossier=locked).first()


def _move(entretien, target):
    previous, entretien.state = entretien.state, target
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
            dossier=dossier,
            interviewer=by,
            organisation=default_organisation(dossier, by),
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
        for pk, answer in data["prerequisites"].items()
        if answer
    )
    entretien.competence_answers.all().delete()
    EntretienCompetence.objects.bulk_create(
        EntretienCompetence(
            entretien=entretien,
            competence_id=pk,
            assessment=a["assessment"],
            training_wanted=a["training_wanted"],
            training_note=a["training_note"],
        )
        for pk, a in data["competences"].items()
        if a["assessment"] or a["training_wanted"] or a["training_note"]
    )
    entretien.knowledge_answers.all().delete()
    EntretienKnowledge.objects.bulk_create(
        EntretienKnowledge(entretien=entretien, knowledge_id=pk, assessment=a)
        for pk, a in data.get("knowledge", {}).items()
        if a
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
    previous, target = _move(locked, check_can_validate_as_interviewer(dossier, locked))
    sheet = build_sheet(dossier, locked)
    if sheet.missing:
        raise EntretienIncomplete(sheet.missing)
    if sheet.refusals:
        raise OrientationRefused(sheet.refusals)
    locked.interviewer_validated_at = timezone.now()
    locked.interviewer_validated_by = by
    locked.save(update_fields=["state", "interviewer_validated_at", "interviewer_validated_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="entretien_validate_interviewer",
        label="Entretien d'accueil validé par l'intervieweur",
        data={"entretien_state": {"from": previous, "to": target}, "failed_prerequisites": sheet.failed_prerequisites},
    )
    send_entretien_to_validate(locked)
    entretien.refresh_from_db()
    return locked


@transaction.atomic
def reopen_entretien(entretien, *, by) -> Entretien:
    """The interviewer side reopens its validated entretien, as long as the candidate has not validated it."""
    dossier = entretien.dossier
    _check_conductor(dossier, by)
    dossier, locked = _lock(dossier)
    previous, target = _move(locked, check_can_reopen(locked))
    locked.interviewer_validated_at = None
    locked.interviewer_validated_by = None
    locked.save(update_fields=["state", "interviewer_validated_at", "interviewer_validated_by", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="entretien_reopen",
        label="Entretien d'accueil rouvert pour correction",
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
    previous, target = _move(locked, check_can_validate_as_candidate(locked))
    locked.candidate_validated_at = timezone.now()
    locked.candidate_comment = (comment or "").strip()
    locked.save(update_fields=["state", "candidate_validated_at", "candidate_comment", "updated_at"])
    record_event(
        dossier,
        actor=by,
        action="entretien_validate_candidate",
        label="Entretien d'accueil validé par le candidat",
        comment=locked.candidate_comment,
        data={"entretien_state": {"from": previous, "to": target}},
    )
    sheet = build_sheet(dossier, locked)
    if sheet.failed_prerequisites:
        dossier_workflow.close(dossier, by=by, reason=closing_reason(sheet))
    else:
        dossier_workflow.orient(dossier, by=by)
        if sheet.modules:
            send_parcours_to_oemm(sheet)
    entretien.refresh_from_db()
    return locked


# --- e-mails --------------------------------------------------------------------------------------


def _entretien_url(dossier) -> str:
    return settings.SITE_URL + reverse("candidates:entretien", kwargs={"number": dossier.number})


def send_entretien_to_validate(entretien):
    dossier = entretien.dossier
    queue_mail(
        "entretien_to_validate",
        {"dossier": dossier, "entretien": entretien, "url": _entretien_url(dossier)},
        [dossier.candidate.email],
    )


def send_parcours_to_oemm(sheet):
    recipients = sorted(
        User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("email", flat=True).distinct()
    )
    if not recipients:
        return
    dossier = sheet.dossier
    queue_mail(
        "entretien_parcours",
        {
            "dossier": dossier,
            "sheet": sheet,
            "url": _entretien_url(dossier),
            "pdf_url": settings.SITE_URL + reverse("candidates:entretien_pdf", kwargs={"number": dossier.number}),
        },
        recipients,
    )
