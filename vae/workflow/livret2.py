"""State changes of the livret 2 (dossier VAE): one function per transition (lock, check, save, audit, mails on commit).

Life of a livret 2 (``Livret2State``, table ``LIVRET2_TRANSITIONS`` in ``vae/enums.py``)::

    (none) --start_livret2--> brouillon --submit_livret2--> soumis --acknowledge_livret2--> recu   (dossier: pret_jury)
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from candidates import workflow as dossier_workflow
from candidates.audit import record_event
from candidates.enums import TRANSITIONS as DOSSIER_TRANSITIONS
from candidates.enums import Path
from candidates.models import Dossier
from candidates.workflow import check_dossier
from cqp.enums import NotificationKind
from cqp.exceptions import WorkflowError
from cqp.staff_events import publish_on_commit
from cqp.transitions import allows, check_transition

from .. import emails, livret2_rules
from ..enums import LIVRET2_TRANSITIONS, PieceSection
from ..livret2_structure import missing_of, recevabilite_obtained, units_of
from ..models import Livret2, Livret2Situation, Piece
from .pieces import store_piece


class IncompleteLivret2Error(WorkflowError):
    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        super().__init__("Le livret 2 ne peut pas encore être envoyé : complétez les éléments manquants.")


def _audit(livret, *, by, name, label, from_state="", to_state="", comment="", data=None):
    record_event(
        livret.dossier,
        actor=by,
        action=f"livret2_{name}",
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data={"livret2": livret.pk, **(data or {})},
    )


def _lock(livret) -> Livret2:
    locked = Livret2.objects.select_for_update(of=("self",)).select_related("dossier", "referentiel").get(pk=livret.pk)
    return locked


def check_livret2(livret, name) -> str:
    """The livret 2's table says whether ``name`` is allowed in its state (the pages ask it too)."""
    return check_transition(
        LIVRET2_TRANSITIONS, name, livret.state, what="le livret 2", state_label=livret.get_state_display()
    )


def _check_editable(locked, name):
    check_livret2(locked, name)
    check_dossier(locked.dossier, "work_on_livrets")


# ---------------------------------------------------------------- transitions


@transaction.atomic
def start_livret2(dossier, *, by) -> Livret2:
    """The candidate opens the livret 2 after a favourable recevabilité; its situations come from the référentiel."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    existing = Livret2.objects.filter(dossier=locked).first()
    if existing:
        return existing
    if locked.path != Path.VAE:
        raise WorkflowError("Le livret 2 (dossier VAE) ne concerne que les candidats en VAE.")
    check_dossier(locked, "work_on_livrets")
    if not recevabilite_obtained(locked):
        raise WorkflowError("Le livret 2 se remplit une fois votre demande déclarée recevable (livret 1).")
    livret = Livret2.objects.create(dossier=locked, referentiel=locked.version)
    Livret2Situation.objects.bulk_create(
        [
            Livret2Situation(livret=livret, unit=unit, position=position)
            for unit in units_of(locked.version, locked.mention_id)
            for position in range(1, livret2_rules.situation_count(unit.livret2_situations) + 1)
        ]
    )
    _audit(livret, by=by, name="start", label="Livret 2 commencé", to_state=livret.state)
    return livret


@transaction.atomic
def save_livret2_draft(
    livret, *, by, motivation: list[str], context: str, situations: dict[int, dict], bloc_answers=None
) -> Livret2:
    """Autosave of the candidate's draft; the version is checked and raised by cqp/autosave.py around this call.

    ``situations``: situation id -> {"title", "answers", "free_answer", "competences" (Competence ids)}.
    ``bloc_answers``: unit number -> answers to the questions asked once for the bloc (units still open only).
    """
    locked = _lock(livret)
    _check_editable(locked, "save_draft")
    locked.motivation = list(motivation)
    locked.context = context
    if bloc_answers:
        stored = dict(locked.bloc_answers or {})
        for number, answers in bloc_answers.items():
            if not locked.reopened_units or int(number) in locked.reopened_units:  # acquired units stay as read
                stored[str(number)] = list(answers)
        locked.bloc_answers = stored
    locked.save()
    rows = {s.pk: s for s in locked.situations.select_related("unit").prefetch_related("unit__competences")}
    for pk, values in situations.items():
        situation = rows.get(pk)
        if situation is None or not locked.unit_is_open(situation.unit):
            continue  # unknown, or a unit already acquired (the livret is reopened for the missing units only)
        situation.title = values.get("title", "")[:300]
        situation.answers = list(values.get("answers", []))
        situation.free_answer = values.get("free_answer", "")
        situation.save()
        allowed = {c.pk for c in situation.unit.competences.all()}
        situation.competences.set([c for c in values.get("competences", []) if c in allowed])
    return locked


@transaction.atomic
def add_livret2_piece(
    livret, *, by, kind, checked, situation=None, unit=None, employer_owned=False, employer_consent=False
) -> Piece:
    """Attach evidence to the livret 2 (to one situation or unit, or to the whole livret), with the livret 1 checks."""
    locked = _lock(livret)
    _check_editable(locked, "add_piece")
    if employer_owned and not employer_consent:
        raise WorkflowError("Ce document appartient à votre employeur : confirmez que vous avez obtenu son accord.")
    if situation is not None:
        if situation.livret_id != locked.pk:
            raise WorkflowError("Situation inconnue.")
        unit = situation.unit
    piece = Piece(
        dossier_id=locked.dossier_id,
        section=PieceSection.LIVRET2,
        livret2=locked,
        kind=kind,
        uploaded_by=by,
        situation=situation,
        unit=unit,
        employer_owned=employer_owned,
        employer_consent=employer_consent,
    )
    return store_piece(piece, checked)


@transaction.atomic
def delete_livret2_piece(piece, *, by):
    locked = _lock(piece.livret2)
    _check_editable(locked, "delete_piece")
    storage, name = piece.file.storage, piece.file.name
    piece.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submit_livret2(livret, *, by) -> Livret2:
    """The candidate sends the livret 2 to the OEMM; it becomes read-only."""
    locked = _lock(livret)
    target = check_livret2(locked, "submit")
    check_dossier(locked.dossier, "work_on_livrets")
    missing = missing_of(locked)
    if missing:
        raise IncompleteLivret2Error(missing)
    previous = locked.state
    locked.state = target
    locked.submitted_at = timezone.now()
    locked.save()
    _audit(locked, by=by, name="submit", label="Livret 2 envoyé à l'OEMM", from_state=previous, to_state=target)
    emails.send_livret2_submitted(locked)
    publish_on_commit(NotificationKind.LIVRET2_RECEIVED, by=by, livret2=locked.pk)
    return locked


@transaction.atomic
def acknowledge_livret2(livret, *, by, received_on=None) -> Livret2:
    """OEMM acknowledges receipt (« livret 2 reçu le ... »): the date is kept and the dossier becomes ready for the
    jury.
    """
    locked = _lock(livret)
    target = check_livret2(locked, "acknowledge")
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise WorkflowError("La date de réception ne peut pas être dans le futur.")
    if locked.submitted_at and received_on < timezone.localtime(locked.submitted_at).date():
        raise WorkflowError("La date de réception ne peut pas précéder l'envoi du livret 2.")
    previous = locked.state
    locked.state = target
    locked.received_on = received_on
    locked.received_by = by
    locked.save()
    _audit(
        locked,
        by=by,
        name="acknowledge",
        label=f"Livret 2 reçu le {date_format(received_on, 'j F Y')}",
        from_state=previous,
        to_state=target,
        data={"received_on": received_on.isoformat()},
    )
    if allows(DOSSIER_TRANSITIONS, "mark_ready_for_jury", locked.dossier.state):
        dossier_workflow.mark_ready_for_jury(
            locked.dossier, by=by, comment=f"Livret 2 reçu le {date_format(received_on, 'j F Y')}"
        )
    emails.send_livret2_received(locked)
    return locked


@transaction.atomic
def reopen_livret2_for_units(dossier, *, by, unit_numbers: list[int]) -> Livret2 | None:
    """After a validation partielle the dossier goes back before a jury: its livret 2, received for the first jury,
    is reopened for the missing units only (the others keep what the jury read). None: no livret 2 online."""
    livret = Livret2.objects.filter(dossier_id=dossier.pk).first()
    if livret is None:
        return None
    locked = _lock(livret)
    previous, target = locked.state, check_livret2(locked, "reopen_for_units")
    data = {"units": list(unit_numbers), "received_on": locked.received_on and locked.received_on.isoformat()}
    locked.state = target
    locked.reopened_units = sorted(unit_numbers)
    locked.submitted_at = None
    locked.received_on = None
    locked.received_by = None
    locked.save()
    _audit(
        locked,
        by=by,
        name="reopen",
        label="Livret 2 rouvert pour les unités manquantes : "
        + ", ".join(f"{dossier.certification.unit_label} {n}" for n in locked.reopened_units),
        from_state=previous,
        to_state=target,
        data=data,
    )
    return locked
