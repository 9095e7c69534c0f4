"""State changes of a dossier: one function per transition (lock, check, save, audit, side effects on commit)."""

import uuid

from django.db import transaction
from django.utils import timezone

from cqp import accounts
from cqp.enums import NotificationKind, Role
from cqp.exceptions import WorkflowError
from cqp.models import User
from cqp.staff_events import publish_on_commit
from cqp.transitions import check_transition

from .. import deadlines, emails
from ..audit import record_event
from ..enums import MAX_VAE_DEMANDS_PER_YEAR, TRANSITIONS, DossierState, Path
from ..inscription_checks import run_inscription_checks
from ..models import Dossier


def _check_can_register(candidate, certification, path, today):
    existing = Dossier.objects.open().filter(candidate=candidate, certification=certification).first()
    if existing:
        raise WorkflowError(
            f"Un dossier est déjà ouvert pour le {certification} (n° {existing.number}) : "
            "une seule demande par CQP est possible."
        )
    run_inscription_checks(candidate=candidate, certification=certification, today=today)
    if path == Path.VAE:
        count = Dossier.objects.filter(candidate=candidate, path=Path.VAE, inscription_date__year=today.year).count()
        if count >= MAX_VAE_DEMANDS_PER_YEAR:
            raise WorkflowError(
                f"Vous avez déjà déposé {count} demandes de VAE en {today.year} : "
                "la déclaration sur l'honneur interdit plus de trois demandes par année civile."
            )


def _create_dossier(*, candidate, certification, mention, path, by, entreprise=None, organisme=None) -> Dossier:
    today = timezone.localdate()
    User.objects.select_for_update().get(pk=candidate.pk)  # serialise a candidate's inscriptions
    _check_can_register(candidate, certification, path, today)
    version = certification.versions.filter(is_current=True).first()
    if version is None:
        raise WorkflowError("Ce CQP n'a pas de référentiel en vigueur : l'inscription n'est pas possible.")
    mentions = list(version.mentions.all())
    if mentions and (mention is None or mention.version_id != version.pk):
        raise WorkflowError("Choisissez la mention du CQP.")
    if not mentions:
        mention = None
    dossier = Dossier.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:12]}",
        candidate=candidate,
        certification=certification,
        version=version,
        mention=mention,
        path=path,
        inscription_date=today,
        entreprise=entreprise,
        organisme=organisme,
        registered_by=by,
        first_jury_deadline=deadlines.first_jury_deadline(today, version.first_jury_window_years),
    )
    dossier.number = f"{today.year}-{dossier.pk:06d}"
    # The number needs the id: the creation's history record is given it, rather than a second record « tmp → number ».
    dossier.save_without_historical_record(update_fields=["number"])
    dossier.history.filter(history_type="+").update(number=dossier.number)
    record_event(
        dossier,
        actor=by,
        action="register",
        label=f"Inscription ({dossier.get_path_display()})",
        to_state=dossier.state,
        data={"version": version.number, "first_jury_deadline": dossier.first_jury_deadline.isoformat()},
    )
    return dossier


@transaction.atomic
def register_vae(*, candidate, certification, mention=None, organisme=None) -> Dossier:
    """A VAE candidate registers online for one CQP (and its mention)."""
    if not candidate.has_role(Role.CANDIDAT):
        raise WorkflowError("Seul un candidat peut s'inscrire en VAE.")
    if organisme is not None and not organisme.certifications.filter(pk=certification.pk).exists():
        raise WorkflowError(f"{organisme} n'est pas agréé pour ce CQP.")
    dossier = _create_dossier(
        candidate=candidate,
        certification=certification,
        mention=mention,
        path=Path.VAE,
        by=candidate,
        organisme=organisme,
    )
    emails.send_inscription_confirmation(dossier)
    if organisme is not None:
        publish_on_commit(NotificationKind.CENTRE_CHOSEN, by=candidate, dossier=dossier.pk)
    return dossier


@transaction.atomic
def register_employee(
    *, by, entreprise, email, first_name, last_name, certification, mention=None, organisme=None
) -> Dossier:
    """A company registers its employee for the voie formative; a new employee is invited to activate the account."""
    if not by.roles.filter(role=Role.ENTREPRISE, entreprise=entreprise).exists():
        raise WorkflowError("Vous ne pouvez inscrire que les salariés de votre entreprise.")
    if organisme is not None and not organisme.certifications.filter(pk=certification.pk).exists():
        raise WorkflowError(f"{organisme} n'est pas agréé pour ce CQP.")
    candidate = User.objects.filter(email__iexact=email).first()
    invited = False
    if candidate is None:
        candidate = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        invited = True
    if not candidate.roles.filter(role=Role.CANDIDAT).exists():
        accounts.grant_role(candidate, role=Role.CANDIDAT, by=by)
    dossier = _create_dossier(
        candidate=candidate,
        certification=certification,
        mention=mention,
        path=Path.FORMATION,
        by=by,
        entreprise=entreprise,
        organisme=organisme,
    )
    emails.send_employee_registered(dossier, invite=invited or not candidate.has_usable_password())
    return dossier


def check_dossier(dossier, name) -> str:
    """The dossier's table says whether ``name`` is allowed in its state (target, or the state it keeps)."""
    return check_transition(
        TRANSITIONS, name, dossier.state, what="le dossier", state_label=dossier.get_state_display()
    )


def _transition(dossier, name, *, by, comment="", data=None, label=None):
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    target = check_dossier(locked, name)
    previous = locked.state
    locked.state = target
    locked.save(update_fields=["state"])
    record_event(
        locked,
        actor=by,
        action=name,
        label=label or DossierState(target).label,
        from_state=previous,
        to_state=target,
        comment=comment,
        data=data,
    )
    dossier.state = target
    return locked


@transaction.atomic
def orient(dossier, *, by, comment=""):
    return _transition(dossier, "orient", by=by, comment=comment, label="Entretien d'accueil et d'orientation validé")


@transaction.atomic
def declare_recevable(dossier, *, by, comment="", data=None):
    return _transition(dossier, "declare_recevable", by=by, comment=comment, data=data, label="Demande recevable")


@transaction.atomic
def mark_ready_for_jury(dossier, *, by, comment=""):
    return _transition(dossier, "mark_ready_for_jury", by=by, comment=comment, label="Dossier prêt pour le jury")


@transaction.atomic
def record_decision(dossier, *, by, outcome, comment=""):
    return _transition(
        dossier,
        "record_decision",
        by=by,
        comment=comment,
        data={"outcome": str(outcome)},
        label="Décision du jury rendue",
    )


@transaction.atomic
def present_missing_units(dossier, *, by, units: list[str], comment=""):
    """After a validation partielle, the same dossier goes back before a jury for its missing units (the jury app
    decides which: ``jury.workflow.present_missing_units``)."""
    return _transition(
        dossier,
        "present_missing_units",
        by=by,
        comment=comment,
        data={"units": list(units)},
        label="Nouvelle présentation au jury pour les unités manquantes : " + ", ".join(units),
    )


@transaction.atomic
def close(dossier, *, by, reason):
    if not (reason or "").strip():
        raise WorkflowError("Indiquez le motif de la clôture.")
    locked = _transition(dossier, "close", by=by, comment=reason, label="Dossier clos")
    locked.closed_reason = reason
    locked.save(update_fields=["closed_reason"])
    dossier.closed_reason = reason
    emails.send_dossier_closed(locked)
    return locked


@transaction.atomic
def extend_first_jury(dossier, *, by, until, reason):
    """OEMM extends the window to a first jury, with a recorded reason."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_dossier(locked, "extend_first_jury")
    if not (reason or "").strip():
        raise WorkflowError("Indiquez le motif de la prolongation.")
    if until <= locked.first_jury_deadline:
        raise WorkflowError(
            f"La nouvelle date doit suivre l'échéance actuelle ({locked.first_jury_deadline:%d/%m/%Y})."
        )
    previous = locked.first_jury_deadline
    locked.first_jury_deadline = until
    locked.save(update_fields=["first_jury_deadline"])
    record_event(
        locked,
        actor=by,
        action="extend_first_jury",
        label="Délai de première présentation au jury prolongé",
        from_state=locked.state,
        to_state=locked.state,
        comment=reason,
        data={"from": previous.isoformat(), "to": until.isoformat()},
    )
    dossier.first_jury_deadline = until
    return locked
