"""State changes of a livret 1: one function per transition (lock, check, save, audit, side effects on commit).

Life of a livret 1 (``Livret1State``, table ``TRANSITIONS`` in ``vae/enums.py``)::

    (none) --start_livret1--> brouillon --submit_livret1--> soumis
    soumis --declare_recevable (or tacit_acceptance)--> recevable
    soumis --declare_non_recevable--> non_recevable (dossier closed)
    soumis --request_completion--> incomplet --submit_livret1--> soumis
    an expired recevable --renew_livret1--> a new brouillon (this one inactive)
"""

from django.db import transaction
from django.utils import timezone

from candidates import workflow as dossier_workflow
from candidates.audit import record_event
from candidates.enums import TRANSITIONS as DOSSIER_TRANSITIONS
from candidates.enums import Path
from candidates.models import Dossier, Entretien
from candidates.workflow import check_dossier
from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit
from cqp.transitions import allows, check_transition

from .. import emails, rules
from ..enums import TRANSITIONS, DemandNature, Livret1State
from ..models import CANDIDATE_FIELDS, Experience, Livret1, Piece
from .pieces import store_piece

REASON_MISSING = "Indiquez le motif de la non-recevabilité."
MISSING_NOT_SAID = "Indiquez ce qui manque au livret 1."
PIECES_TO_REPLACE = "Des pièces sont à remplacer par le candidat : {labels}. Attendez leur remplacement."
EXPERIENCE_FIELDS = ["function", "organisation", "status", "start", "end", "hours_per_week", "activities"]
COPIED_ON_RENEWAL = [f for f in CANDIDATE_FIELDS if not f.startswith("declaration_")]


class IncompleteLivretError(WorkflowError):
    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        super().__init__("Le livret 1 ne peut pas encore être envoyé : complétez les éléments manquants.")


def _without_nul(value):
    """Kept input without NUL characters, which PostgreSQL refuses in JSON text (the form already refuses them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _lock(livret) -> Livret1:
    return Livret1.objects.select_for_update().get(pk=livret.pk)


def check_livret1(livret, name) -> str:
    """The livret 1's table says whether ``name`` is allowed in its state; a replaced livret allows nothing."""
    target = check_transition(
        TRANSITIONS, name, livret.state, what="le livret 1", state_label=livret.get_state_display()
    )
    if not livret.is_active:
        raise WorkflowError("Action impossible : ce livret 1 a été remplacé par une nouvelle demande.")
    return target


def _audit(livret, *, by, name, label, from_state="", to_state="", comment="", data=None):
    record_event(
        livret.dossier,
        actor=by,
        action=f"livret1_{name}",
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data={"livret1": livret.pk, **(data or {})},
    )


def _notify_decision_on_commit(livret):
    from ..tasks import task_notify_recevabilite_decision

    pk = livret.pk
    transaction.on_commit(lambda: task_notify_recevabilite_decision.delay(livret_id=pk))


def _prefill_from_user(livret, user):
    livret.birth_name = user.last_name
    livret.first_names = user.first_name
    livret.email = user.email
    livret.phone = getattr(user, "phone", "")


@transaction.atomic
def start_livret1(dossier, *, by) -> Livret1:
    """The candidate opens their livret 1 (première demande). Idempotent: returns the active one if it exists."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    existing = Livret1.objects.filter(dossier=locked, is_active=True).first()
    if existing:
        return existing
    if locked.path != Path.VAE:
        raise WorkflowError("Le livret 1 ne concerne que les candidats en VAE.")
    check_dossier(locked, "start_livret1")
    livret = Livret1(dossier=locked, referentiel=locked.version, nature=DemandNature.PREMIERE)
    _prefill_from_user(livret, locked.candidate)
    livret.save()
    _audit(livret, by=by, name="start", label="Livret 1 commencé (première demande)", to_state=livret.state)
    return livret


@transaction.atomic
def save_draft(livret, *, by, values: dict, experiences: list[dict], unsaved: dict) -> Livret1:
    """Autosave of the candidate's draft. The version is checked and raised by cqp/autosave.py around this call."""
    locked = _lock(livret)
    check_livret1(locked, "save_draft")
    for name in CANDIDATE_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    locked.unsaved_input = _without_nul(unsaved)
    locked.save()
    locked.experiences.all().delete()
    Experience.objects.bulk_create(
        [
            Experience(livret=locked, position=index, **{k: row.get(k) for k in EXPERIENCE_FIELDS})
            for index, row in enumerate(experiences)
        ]
    )
    return locked


@transaction.atomic
def add_piece(livret, *, by, kind, checked) -> Piece:
    """Attach a checked upload (vae.uploads.check_upload) to the livret, stored under a random name."""
    locked = _lock(livret)
    check_livret1(locked, "add_piece")
    piece = Piece(dossier_id=locked.dossier_id, livret1=locked, kind=kind, uploaded_by=by)
    return store_piece(piece, checked)


@transaction.atomic
def delete_piece(piece, *, by):
    """Remove a piece while the livret is still a draft; the file goes once the deletion is committed."""
    locked = _lock(piece.livret1)
    check_livret1(locked, "delete_piece")
    storage, name = piece.file.storage, piece.file.name
    piece.delete()
    transaction.on_commit(lambda: storage.delete(name))


def entretien_first_reason(livret) -> str:
    """Why a draft livret 1 waits for the entretien d'accueil ('' when it does not): rule of the référentiel."""
    if livret.state != Livret1State.BROUILLON:
        return ""
    state = Entretien.objects.filter(dossier_id=livret.dossier_id).values_list("state", flat=True).first() or ""
    return rules.entretien_gate(required=livret.referentiel.entretien_before_livret1, entretien_state=state)


def check_entretien_first(livret) -> None:
    reason = entretien_first_reason(livret)
    if reason:
        raise WorkflowError(reason)


@transaction.atomic
def submit_livret1(livret, *, by) -> Livret1:
    """The candidate sends the livret 1: received today, instruction deadline set, acknowledgement e-mailed."""
    locked = _lock(livret)
    target = check_livret1(locked, "submit")
    check_dossier(locked.dossier, "work_on_livrets")
    check_entretien_first(locked)
    missing = locked.missing()
    if missing:
        raise IncompleteLivretError(missing)
    previous = locked.state
    today = timezone.localdate()
    locked.state = target
    locked.submitted_at = timezone.now()
    locked.received_on = today
    locked.instruction_deadline = rules.instruction_deadline(today, locked.referentiel.instruction_delay_months)
    locked.unsaved_input = {}
    locked.save()
    label = "Livret 1 envoyé" if previous == Livret1State.BROUILLON else "Livret 1 complété et envoyé de nouveau"
    _audit(
        locked,
        by=by,
        name="submit",
        label=label,
        from_state=previous,
        to_state=target,
        data={"received_on": today.isoformat(), "instruction_deadline": locked.instruction_deadline.isoformat()},
    )
    emails.send_livret1_received(locked)
    publish_on_commit(NotificationKind.LIVRET1_RECEIVED, by=by, livret1=locked.pk)
    return locked


def _decide(locked, name, *, by, today, **fields):
    previous = locked.state
    target = TRANSITIONS[name].target
    locked.state = target
    locked.decided_on = today
    locked.decided_by = by if (by and by.pk) else None
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.save()
    return previous, target


def check_decidable(livret, name="declare_recevable") -> str:
    """Whether the OEMM may decide on the livret now (the decision page asks it before showing its form)."""
    target = check_livret1(livret, name)
    check_dossier(livret.dossier, "work_on_livrets")
    return target


def check_no_piece_to_replace(livret) -> None:
    """Refuse a decision while a piece awaits its replacement (french list of the pieces)."""
    waiting = [p.original_name for p in livret.pieces.all() if p.to_replace]
    if waiting:
        raise WorkflowError(PIECES_TO_REPLACE.format(labels=", ".join(f"« {name} »" for name in waiting)))


def _make_dossier_recevable(locked, *, by, comment, data):
    dossier = locked.dossier
    if allows(DOSSIER_TRANSITIONS, "declare_recevable", dossier.state):
        dossier_workflow.declare_recevable(dossier, by=by, comment=comment, data=data)


@transaction.atomic
def declare_recevable(livret, *, by, gap_analysis="", recommended_training="", comment="") -> Livret1:
    """OEMM (or the certifier's commission) declares the demand recevable; valid for the CQP's period."""
    locked = _lock(livret)
    check_decidable(locked, "declare_recevable")
    check_no_piece_to_replace(locked)
    today = timezone.localdate()
    valid_until = rules.recevabilite_valid_until(today, locked.referentiel.recevabilite_validity_months)
    previous, target = _decide(
        locked,
        "declare_recevable",
        by=by,
        today=today,
        tacit=False,
        gap_analysis=gap_analysis,
        recommended_training=recommended_training,
        decision_comment=comment,
        valid_until=valid_until,
    )
    data = {"valid_until": valid_until.isoformat() if valid_until else None, "nature": locked.nature}
    _audit(
        locked,
        by=by,
        name="declare_recevable",
        label="Livret 1 : demande recevable",
        from_state=previous,
        to_state=target,
        comment=comment,
        data=data,
    )
    _make_dossier_recevable(locked, by=by, comment=comment, data={"livret1": locked.pk, **data})
    _notify_decision_on_commit(locked)
    return locked


@transaction.atomic
def declare_non_recevable(livret, *, by, reason, gap_analysis="", recommended_training="") -> Livret1:
    """The demand is not recevable: the dossier is closed with the reason."""
    if not (reason or "").strip():
        raise WorkflowError(REASON_MISSING)
    locked = _lock(livret)
    check_decidable(locked, "declare_non_recevable")
    previous, target = _decide(
        locked,
        "declare_non_recevable",
        by=by,
        today=timezone.localdate(),
        tacit=False,
        gap_analysis=gap_analysis,
        recommended_training=recommended_training,
        decision_comment=reason,
        valid_until=None,
    )
    _audit(
        locked,
        by=by,
        name="declare_non_recevable",
        label="Livret 1 : demande non recevable",
        from_state=previous,
        to_state=target,
        comment=reason,
    )
    dossier_workflow.close(locked.dossier, by=by, reason=f"Demande de recevabilité non recevable : {reason}")
    _notify_decision_on_commit(locked)
    return locked


@transaction.atomic
def request_completion(livret, *, by, missing, gap_analysis="", recommended_training="") -> Livret1:
    """The livret is incomplete: back to the candidate with what is missing; the delay restarts on resubmission."""
    if not (missing or "").strip():
        raise WorkflowError(MISSING_NOT_SAID)
    locked = _lock(livret)
    check_decidable(locked, "request_completion")
    previous, target = _decide(
        locked,
        "request_completion",
        by=by,
        today=timezone.localdate(),
        tacit=False,
        gap_analysis=gap_analysis,
        recommended_training=recommended_training,
        decision_comment=missing,
    )
    _audit(
        locked,
        by=by,
        name="request_completion",
        label="Livret 1 incomplet : renvoyé au candidat",
        from_state=previous,
        to_state=target,
        comment=missing,
    )
    _notify_decision_on_commit(locked)
    return locked


DECISIONS = {
    "recevable": lambda livret, by, d: declare_recevable(
        livret,
        by=by,
        gap_analysis=d["gap_analysis"],
        recommended_training=d["recommended_training"],
        comment=d["comment"],
    ),
    "non_recevable": lambda livret, by, d: declare_non_recevable(
        livret,
        by=by,
        reason=d["comment"],
        gap_analysis=d["gap_analysis"],
        recommended_training=d["recommended_training"],
    ),
    "incomplet": lambda livret, by, d: request_completion(
        livret,
        by=by,
        missing=d["comment"],
        gap_analysis=d["gap_analysis"],
        recommended_training=d["recommended_training"],
    ),
}


def apply_tacit_acceptance(today) -> int:
    """Silence means acceptance (Ucanss): submitted livrets past their deadline become recevable at the deadline.

    Idempotent: each row is locked (skip_locked), re-checked, then changed once.
    """
    accepted = 0
    for pk in list(Livret1.objects.due_for_tacit_acceptance(today).values_list("pk", flat=True)):
        with transaction.atomic():
            locked = Livret1.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if (
                locked is None
                or not locked.is_active
                or not locked.dossier.is_open
                or not rules.tacit_acceptance_due(
                    is_submitted=allows(TRANSITIONS, "tacit_acceptance", locked.state),
                    deadline=locked.instruction_deadline,
                    silence_is_acceptance=locked.referentiel.silence_is_acceptance,
                    today=today,
                )
            ):
                continue
            deadline = locked.instruction_deadline
            valid_until = rules.recevabilite_valid_until(deadline, locked.referentiel.recevabilite_validity_months)
            previous, target = _decide(
                locked, "tacit_acceptance", by=None, today=deadline, tacit=True, valid_until=valid_until
            )
            label = f"Recevabilité tacite (silence de {locked.referentiel.instruction_delay_months} mois)"
            data = {"valid_until": valid_until.isoformat() if valid_until else None, "tacit": True}
            _audit(
                locked, by=None, name="tacit_acceptance", label=label, from_state=previous, to_state=target, data=data
            )
            _make_dossier_recevable(locked, by=None, comment=label, data={"livret1": locked.pk, **data})
            _notify_decision_on_commit(locked)
            accepted += 1
    return accepted


@transaction.atomic
def renew_livret1(livret, *, by) -> Livret1:
    """After expiry, a new livret 1 draft: prorogation (same référentiel) or renouvellement (newer version)."""
    locked = _lock(livret)
    today = timezone.localdate()
    if not locked.is_active or not locked.is_expired(today):
        raise WorkflowError("La recevabilité est encore valable : une nouvelle demande n'est pas nécessaire.")
    check_dossier(locked.dossier, "work_on_livrets")
    current = locked.dossier.certification.current_version
    kind = rules.renewal_kind(locked.referentiel, current)
    locked.is_active = False
    locked.save(update_fields=["is_active", "updated_at"])
    new = Livret1(
        dossier=locked.dossier,
        referentiel=current or locked.referentiel,
        previous=locked,
        nature=kind,
        **{name: getattr(locked, name) for name in COPIED_ON_RENEWAL},
    )
    new.save()
    Experience.objects.bulk_create(
        [
            Experience(livret=new, position=e.position, **{k: getattr(e, k) for k in EXPERIENCE_FIELDS})
            for e in locked.experiences.all()
        ]
    )
    _audit(
        new,
        by=by,
        name="renew",
        label=f"Nouvelle demande de recevabilité ({DemandNature(kind).label.lower()})",
        from_state=locked.state,
        to_state=new.state,
        data={
            "previous": locked.pk,
            "expired_on": locked.valid_until.isoformat(),
            "referentiel": new.referentiel.number,
        },
    )
    return new
