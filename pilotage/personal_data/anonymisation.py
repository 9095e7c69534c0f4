"""Anonymisation of a candidate (RGPD): keeps what statistics and legal records need (dossiers with their CQP, path,
dates and states; audit trail; jury decisions, validated units, signed fiches de décision and certificates with their
PDFs) and erases what identifies the person (account, free text, uploaded pieces, convocation PDFs, history rows).

What is erased comes from the registry each app fills (cqp/personal_data_registry.py): this module names no field.
"""

import logging

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import registered_models

from candidates.audit import record_event
from candidates.enums import OPEN_STATES
from candidates.models import Dossier
from cqp.enums import DELETION_TRANSITIONS, Role
from cqp.exceptions import WorkflowError
from cqp.models import DeletionRequest, User
from cqp.outbox import forget_recipient
from cqp.personal_data_registry import DELETE_ROW, kept_history, personal_data, personal_data_of
from cqp.transitions import check_transition

logger = logging.getLogger(__name__)


def dossiers_in_progress(user):
    return Dossier.objects.filter(candidate=user, state__in=OPEN_STATES)


def anonymise_refusal(user) -> str:
    """Why the person cannot be anonymised now (French), or "" if they can."""
    if user.anonymised_at is not None:
        return "Les données de cette personne sont déjà anonymisées."
    other_roles = [r for r in user.role_set if r != Role.CANDIDAT]
    if other_roles or user.is_staff or user.is_superuser:
        labels = ", ".join(sorted(str(Role(r).label) for r in other_roles if r in Role.values)) or "administration"
        return (
            f"Ce compte a aussi d'autres rôles ({labels}) : retirez-les d'abord, l'anonymisation ne concerne que "
            "les comptes candidats."
        )
    numbers = list(dossiers_in_progress(user).values_list("number", flat=True))
    if numbers:
        return (
            "Anonymisation impossible tant qu'un dossier est en cours (inscrit, orienté, recevable ou prêt pour le "
            f"jury) : dossier{'s' if len(numbers) > 1 else ''} n° {', '.join(numbers)}. Clôturez-le d'abord ou "
            "attendez la décision du jury."
        )
    return ""


# ------------------------------------------------------------------------------------------------ history


def _path_to_person(model, depth=3):
    """("user" | "dossier", lookup) linking ``model`` to the person, following ForeignKeys, or None.

    The person's own rows are the user itself, rows owned by the user (ForeignKey with on_delete CASCADE) and rows
    of the person's dossiers (directly or through a parent row, up to ``depth`` links).
    """
    if issubclass(model, User):
        return "user", "pk"
    if depth == 0:
        return None
    relations = [
        f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.name != "history_user"
    ]
    for field in relations:
        if issubclass(field.related_model, Dossier):
            return "dossier", field.name
        if issubclass(field.related_model, User) and field.remote_field.on_delete is models.CASCADE:
            return "user", field.name
    for field in relations:
        if field.related_model in (model, User) or issubclass(field.related_model, User):
            continue
        found = _path_to_person(field.related_model, depth - 1)
        if found and found[1] != "pk":
            return found[0], f"{field.name}__{found[1]}"
    return None


def history_models_of_person():
    """(model, historical model, "user" | "dossier", lookup) for each model registered with simple-history whose
    rows can belong to a person, found generically (simple_history.models.registered_models), except the models
    whose history the apps keep (``keep_history`` in their personal_data.py: legal and audit records)."""
    kept = kept_history()
    found = []
    for model in sorted({m for m in registered_models.values()}, key=lambda m: m._meta.label):
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name or model in kept:
            continue
        path = _path_to_person(model)
        if path:
            found.append((model, getattr(model, manager_name).model, *path))
    return found


def scrub_history(user, dossier_ids) -> int:
    """Delete the historical rows (simple-history) of the person's own rows; returns how many were deleted."""
    deleted = 0
    for _model, history_model, kind, lookup in history_models_of_person():
        if kind == "user":
            field = lookup if lookup != "pk" else history_model._meta.get_field("id").attname
            queryset = history_model.objects.filter(**{field: user.pk})
        else:
            queryset = history_model.objects.filter(**{f"{lookup}__in": dossier_ids})
        count, _ = queryset.delete()
        deleted += count
    return deleted


# ------------------------------------------------------------------------------------------------ anonymisation


def _delete_file(field) -> None:
    if field and field.name:
        try:
            field.storage.delete(field.name)
        except OSError:
            logger.warning("Fichier non supprimé lors d'une anonymisation (stockage)", exc_info=True)


def _delete_files(user) -> dict:
    """The stored files the apps registered: deleted from storage, then their rows deleted or the field emptied."""
    summary = {}
    for entry in personal_data():
        rows = None
        for name, mode in entry.files.items():
            rows = entry.model.objects.filter(**{entry.person: user})
            rows = list(rows if mode == DELETE_ROW else rows.exclude(**{name: ""}))
            for row in rows:
                _delete_file(getattr(row, name))
            pks = [row.pk for row in rows]
            if mode == DELETE_ROW:
                entry.model.objects.filter(pk__in=pks).delete()
            else:
                entry.model.objects.filter(pk__in=pks).update(**{name: ""})
        if entry.summary:
            summary[entry.summary] = len(rows or [])
    return summary


def _erase_fields(user) -> None:
    """The neutral values the apps registered, written in one UPDATE per model (the account apart)."""
    for entry in personal_data():
        if entry.erase and entry.person != "pk":
            entry.model.objects.filter(**{entry.person: user}).update(**entry.erase)


def _forget_login_records(email) -> None:
    """Login throttling (django-axes) keeps the typed address of each attempt: those rows go."""
    if not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        model.objects.filter(username__iexact=email).delete()


def _fulfil_pending_requests(user, *, by, reason) -> None:
    """A pending request is fulfilled by the anonymisation (the retention job, or the OEMM from the retention page):
    it is closed, not left waiting for an answer that could only go to an erased address."""
    for request in DeletionRequest.objects.select_for_update().pending().filter(candidate=user):
        request.state = check_transition(
            DELETION_TRANSITIONS, "fulfil", request.state, what="la demande", state_label=request.get_state_display()
        )
        request.treated_at, request.treated_by, request.answer = timezone.now(), by, reason
        request.save(update_fields=["state", "treated_at", "treated_by", "answer"])


@transaction.atomic
def anonymise_candidate(user, *, by, reason) -> dict:
    """Replace the person's identity with neutral values and erase their personal content, in one transaction.

    Kept: dossiers (CQP, path, dates, states), their audit trail, jury sessions, signed fiches de décision, unit
    decisions, validated units and certificates with their PDFs (legal records, never updated here).
    Returns a summary (counts), also recorded in the audit event of each dossier. Idempotent: an anonymised person
    is left as is.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.anonymised_at is not None:
        return {"already": True}
    refusal = anonymise_refusal(locked)
    if refusal:
        raise WorkflowError(refusal)
    dossiers = list(Dossier.objects.select_for_update().filter(candidate=locked).order_by("pk"))
    dossier_ids = [d.pk for d in dossiers]

    summary = _delete_files(locked)
    _erase_fields(locked)
    _fulfil_pending_requests(locked, by=by, reason=reason)

    summary["history_rows"] = scrub_history(locked, dossier_ids)
    _forget_login_records(locked.email)
    summary["emails_forgotten"] = forget_recipient(locked.email)
    for name, value in personal_data_of(User).erase.items():
        setattr(locked, name, value(locked.pk) if callable(value) else value)
    locked.is_active = False
    locked.email_confirmed_at = None
    locked.last_login = None
    locked.anonymised_at = timezone.now()
    locked.set_unusable_password()
    locked._change_reason = "Anonymisation"
    locked.save()
    # The person's sessions end: an inactive account is refused at the next request anyway.
    for dossier in dossiers:
        record_event(
            dossier,
            actor=by,
            action="anonymise",
            label="Données personnelles anonymisées",
            from_state=dossier.state,
            to_state=dossier.state,
            comment=reason,
            data=summary,
        )
    refreshed = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "is_active",
        "anonymised_at",
        "password",
        "email_confirmed_at",
        "last_login",
    )
    user.__dict__.update({k: getattr(locked, k) for k in refreshed})
    logger.info("Compte %s anonymisé (%d dossiers)", locked.pk, len(dossiers))
    return summary
