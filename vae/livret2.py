"""State changes of the livret 2 (dossier VAE): one function per transition (lock, check, save, audit, mails on commit)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from candidates import workflow as dossier_workflow
from candidates.audit import record_event
from candidates.enums import DossierState, Path
from candidates.models import Dossier
from cqp.concurrency import check_version
from cqp.exceptions import WorkflowError

from . import emails, livret2_rules
from .enums import LIVRET2_TRANSITIONS, Livret1State, Livret2State, PieceSection
from .models import Livret1, Livret2, Livret2Situation, Piece
from .workflow import store_piece


class IncompleteLivret2Error(WorkflowError):
    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        super().__init__("Le livret 2 ne peut pas encore être envoyé : complétez les éléments manquants.")


# ---------------------------------------------------------------- reading the structure from the référentiel

def units_of(version, mention_id):
    """Units of the version asked in the livret 2 (those of the dossier's mention, if the CQP has mentions)."""
    return version.units.filter(Q(mention__isnull=True) | Q(mention_id=mention_id)).prefetch_related(
        "competences", "livret2_questions").order_by("number")


def unit_key(unit) -> str:
    return f"unite-{unit.number}"


def unit_label(dossier, unit) -> str:
    return f"{dossier.certification.unit_label.capitalize()} {unit.number} : {unit.title}"


def unit_spec(dossier, unit) -> livret2_rules.UnitSpec:
    return livret2_rules.UnitSpec(
        key=unit_key(unit), label=unit_label(dossier, unit), situations=unit.livret2_situations,
        questions=len(unit.livret2_questions.all()), min_competences=unit.livret2_min_competences,
        competences=len(unit.competences.all()),
    )


def situation_values(situation) -> livret2_rules.SituationValues:
    return livret2_rules.SituationValues(
        unit_key=unit_key(situation.unit), position=situation.position, title=situation.title,
        answers=situation.answers, free_answer=situation.free_answer, competences=len(situation.competences.all()),
    )


def missing_of(livret) -> dict[str, list[str]]:
    dossier = livret.dossier
    units = list(units_of(livret.referentiel, dossier.mention_id))
    situations = livret.situations.select_related("unit").prefetch_related("competences")
    return livret2_rules.missing_items(
        motivation_questions=len(livret.referentiel.livret2_motivation or []), motivation=livret.motivation,
        units=[unit_spec(dossier, u) for u in units], situations=[situation_values(s) for s in situations],
    )


def progress_of(livret) -> dict:
    dossier = livret.dossier
    specs = [unit_spec(dossier, u) for u in units_of(livret.referentiel, dossier.mention_id)]
    missing = missing_of(livret)
    sections = livret2_rules.section_progress(units=specs, missing=missing)
    return {"missing": missing, "sections": sections, "progress": livret2_rules.progress_percent(sections)}


# ---------------------------------------------------------------- rules on the dossier

def recevabilite_obtained(dossier) -> bool:
    """Seed 000 L105, seed 004 L39: the livret 2 starts once the recevabilité is favourable (and still valid)."""
    if dossier.state == DossierState.RECEVABLE:
        return True
    active = Livret1.objects.filter(dossier=dossier, is_active=True, state=Livret1State.RECEVABLE).first()
    return active is not None and not active.is_expired()


def can_start(dossier) -> bool:
    return (dossier.path == Path.VAE and dossier.is_open and recevabilite_obtained(dossier)
            and not Livret2.objects.filter(dossier=dossier).exists())


def _audit(livret, *, by, name, label, from_state="", to_state="", comment="", data=None):
    record_event(livret.dossier, actor=by, action=f"livret2_{name}", label=label, from_state=from_state,
                 to_state=to_state, comment=comment, data={"livret2": livret.pk, **(data or {})})


def _lock(livret) -> Livret2:
    locked = Livret2.objects.select_for_update(of=("self",)).select_related("dossier", "referentiel").get(pk=livret.pk)
    return locked


def _check_editable(locked, message):
    if not locked.is_editable or not locked.dossier.is_open:
        raise WorkflowError(f"{message} : le livret 2 est « {locked.get_state_display()} ».")


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
    if not locked.is_open:
        raise WorkflowError(f"Action impossible : le dossier est « {locked.get_state_display()} ».")
    if not recevabilite_obtained(locked):
        raise WorkflowError("Le livret 2 se remplit une fois votre demande déclarée recevable (livret 1).")
    livret = Livret2.objects.create(dossier=locked, referentiel=locked.version)
    Livret2Situation.objects.bulk_create([
        Livret2Situation(livret=livret, unit=unit, position=position)
        for unit in units_of(locked.version, locked.mention_id)
        for position in range(1, livret2_rules.situation_count(unit.livret2_situations) + 1)
    ])
    _audit(livret, by=by, name="start", label="Livret 2 commencé", to_state=livret.state)
    return livret


@transaction.atomic
def save_livret2_draft(livret, *, by, expected_version: int, motivation: list[str], context: str,
                       situations: dict[int, dict]) -> Livret2:
    """Autosave of the candidate's draft; a save based on an older version is refused (optimistic concurrency).

    ``situations``: situation id -> {"title", "answers", "free_answer", "competences" (Competence ids)}.
    """
    locked = _lock(livret)
    _check_editable(locked, "Le livret 2 n'est plus modifiable")
    check_version(expected_version, locked.version)
    locked.motivation = list(motivation)
    locked.context = context
    locked.version += 1
    locked.save()
    rows = {s.pk: s for s in locked.situations.select_related("unit").prefetch_related("unit__competences")}
    for pk, values in situations.items():
        situation = rows.get(pk)
        if situation is None:
            continue
        situation.title = values.get("title", "")[:300]
        situation.answers = list(values.get("answers", []))
        situation.free_answer = values.get("free_answer", "")
        situation.save()
        allowed = {c.pk for c in situation.unit.competences.all()}
        situation.competences.set([c for c in values.get("competences", []) if c in allowed])
    return locked


@transaction.atomic
def add_livret2_piece(livret, *, by, kind, checked, situation=None, unit=None, employer_owned=False,
                      employer_consent=False) -> Piece:
    """Attach evidence to the livret 2 (to one situation or unit, or to the whole livret), with the livret 1 checks."""
    locked = _lock(livret)
    _check_editable(locked, "Les pièces ne peuvent plus être modifiées")
    if employer_owned and not employer_consent:
        raise WorkflowError("Ce document appartient à votre employeur : confirmez que vous avez obtenu son accord.")
    if situation is not None:
        if situation.livret_id != locked.pk:
            raise WorkflowError("Situation inconnue.")
        unit = situation.unit
    piece = Piece(dossier_id=locked.dossier_id, section=PieceSection.LIVRET2, livret2=locked, kind=kind, uploaded_by=by,
                  situation=situation, unit=unit, employer_owned=employer_owned, employer_consent=employer_consent)
    return store_piece(piece, checked)


@transaction.atomic
def delete_livret2_piece(piece, *, by):
    locked = _lock(piece.livret2)
    _check_editable(locked, "Les pièces ne peuvent plus être supprimées")
    storage, name = piece.file.storage, piece.file.name
    piece.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submit_livret2(livret, *, by) -> Livret2:
    """The candidate sends the livret 2 to the OEMM; it becomes read-only."""
    locked = _lock(livret)
    sources, target = LIVRET2_TRANSITIONS["submit"]
    if locked.state not in sources:
        raise WorkflowError(f"Action impossible : le livret 2 est « {locked.get_state_display()} ».")
    if not locked.dossier.is_open:
        raise WorkflowError(f"Action impossible : le dossier est « {locked.dossier.get_state_display()} ».")
    missing = missing_of(locked)
    if missing:
        raise IncompleteLivret2Error(missing)
    previous = locked.state
    locked.state = target
    locked.submitted_at = timezone.now()
    locked.save()
    _audit(locked, by=by, name="submit", label="Livret 2 envoyé à l'OEMM", from_state=previous, to_state=target)
    emails.send_livret2_submitted(locked)
    return locked


@transaction.atomic
def acknowledge_livret2(livret, *, by, received_on=None) -> Livret2:
    """OEMM acknowledges receipt (« livret 2 reçu le ... »): the date is kept and the dossier becomes ready for the jury."""
    locked = _lock(livret)
    sources, target = LIVRET2_TRANSITIONS["acknowledge"]
    if locked.state not in sources:
        raise WorkflowError(f"Action impossible : le livret 2 est « {locked.get_state_display()} ».")
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
    _audit(locked, by=by, name="acknowledge", label=f"Livret 2 reçu le {date_format(received_on, 'j F Y')}", from_state=previous,
           to_state=target, data={"received_on": received_on.isoformat()})
    if locked.dossier.state in (DossierState.ORIENTE, DossierState.RECEVABLE):
        dossier_workflow.mark_ready_for_jury(locked.dossier, by=by, comment=f"Livret 2 reçu le {date_format(received_on, 'j F Y')}")
    emails.send_livret2_received(locked)
    return locked
