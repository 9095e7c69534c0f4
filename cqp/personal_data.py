"""Personal data of a candidate (RGPD): export (right of access), deletion requests, anonymisation and retention.

Export format (``donnees.json`` in the zip, version ``EXPORT_FORMAT_VERSION``): English keys, the names of the
model fields; dates in ISO 8601; choice fields give the stored code and, beside it, ``<field>_label`` with the French
label; every file of the person is in the zip under ``fichiers/<dossier number>/<kind>/`` and referenced from the JSON
by its path in the zip (``"file": "fichiers/2026-000001/pieces/12-cni.pdf"``). Other people (OEMM staff, jury
members, evaluators) are not named: only organisations are.

Anonymisation keeps what statistics and legal records need (dossiers with their CQP, path, dates and states; audit
trail; jury decisions, validated units, signed fiches de décision and certificates with their PDFs) and erases what
identifies the person (account, livret answers and free text, uploaded pieces, convocations, history rows).
"""

import datetime
import decimal
import json
import logging
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from candidates.audit import record_event
from candidates.enums import CLOSED_STATES, OPEN_STATES
from candidates.models import Dossier

from .enums import Role
from .exceptions import WorkflowError
from .mail import queue_mail
from .models import DeletionRequest, DeletionRequestState, User, UserRole

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1
ANONYMOUS_FIRST_NAME = "Anonyme"
ANONYMOUS_LAST_NAME = "Anonyme"


def anonymous_email(user_id: int) -> str:
    return f"anonyme-{user_id}@invalid"


# ------------------------------------------------------------------------------------------------ serialising


def _value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _fields(obj, names) -> dict:
    """``name: value`` for each concrete field, plus ``name_label`` for choice fields."""
    data = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = _value(value)
        if field.choices and value not in (None, ""):
            data[f"{name}_label"] = str(getattr(obj, f"get_{name}_display")())
    return data


def _unit(unit) -> dict | None:
    return {"number": unit.number, "title": unit.title} if unit is not None else None


def _safe_name(name: str) -> str:
    base = os.path.basename(name or "fichier")
    return re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._") or "fichier"


@dataclass
class ExportFile:
    path: str  # path in the zip
    field: object = None  # a FieldFile, read from storage
    build: object = None  # or a callable returning bytes (PDFs generated on demand)


def export_dossiers(user):
    """The candidate's dossiers with everything the export reads, in a fixed number of queries."""
    from jury.enums import LOCKED_FICHE_STATES
    from jury.models import Certificate, Convocation, FicheDecision, SessionCandidate
    from vae.models import Livret1, Piece

    return (
        Dossier.objects.filter(candidate=user)
        .select_related("certification", "version", "mention", "entreprise", "organisme", "entretien", "livret2",
                        "livret_suivi", "livret_evaluation")
        .prefetch_related(
            "events",
            "entretien__prerequisite_answers__prerequisite", "entretien__competence_answers__competence",
            "entretien__unit_orientations__unit", "entretien__modules__unit", "entretien__experience_periods",
            Prefetch("livrets1", queryset=Livret1.objects.select_related("referentiel").prefetch_related("experiences")),
            Prefetch("pieces", queryset=Piece.objects.select_related("unit").order_by("uploaded_at", "id")),
            "livret2__situations__unit", "livret2__situations__competences",
            "accompagnements__organisme", "accompagnements__comments__unit",
            "livret_suivi__modules__unit", "livret_suivi__evaluations__unit",
            "livret_suivi__evaluations__ratings__criterion",
            "intermediate_evaluations__unit", "intermediate_evaluations__ratings__criterion", "tutor_reviews",
            "livret_evaluation__answers__unit", "livret_evaluation__synthesis_lines__unit",
            "livret_evaluation__assessments__unit", "livret_evaluation__assessments__ratings__criterion",
            Prefetch("jury_passages", queryset=SessionCandidate.objects.select_related("session").prefetch_related(
                Prefetch("convocations", queryset=Convocation.objects.order_by("version")),
                Prefetch("fiches", queryset=FicheDecision.objects.filter(state__in=LOCKED_FICHE_STATES)
                         .prefetch_related("unit_decisions__unit").order_by("version")),
            ).order_by("session__date", "id")),
            Prefetch("certificates", queryset=Certificate.objects.order_by("issued_on", "id")),
        )
        .order_by("created_at", "id")
    )


def _entretien(entretien) -> dict | None:
    if entretien is None:
        return None
    data = _fields(entretien, ["state", "interviewer_function", "organisation", "held_on", "synthesis", "recommendations",
                               "declared_experience_months", "candidate_comment", "interviewer_validated_at",
                               "candidate_validated_at", "created_at", "updated_at"])
    data["prerequisites"] = [{"prerequisite": a.prerequisite.text, **_fields(a, ["answer"])}
                             for a in entretien.prerequisite_answers.all()]
    data["competences"] = [{"competence": a.competence.text, **_fields(a, ["assessment", "training_wanted", "training_note"])}
                           for a in entretien.competence_answers.all()]
    data["unit_orientations"] = [{"unit": _unit(a.unit), **_fields(a, ["orientation"])} for a in entretien.unit_orientations.all()]
    data["parcours_modules"] = [{"unit": _unit(m.unit), **_fields(m, ["position", "title", "hours", "start_on", "end_on"])}
                                for m in entretien.modules.all()]
    data["experience_periods"] = [_fields(p, ["position", "start_on", "end_on", "status", "description"])
                                  for p in entretien.experience_periods.all()]
    return data


def _formation(dossier) -> dict | None:
    suivi = getattr(dossier, "livret_suivi", None)
    evaluation = getattr(dossier, "livret_evaluation", None)
    intermediate = list(dossier.intermediate_evaluations.all())
    reviews = list(dossier.tutor_reviews.all())
    if not (suivi or evaluation or intermediate or reviews):
        return None
    data = {"livret_suivi": None, "intermediate_evaluations": [], "tutor_reviews": [], "livret_evaluation": None}
    if suivi is not None:
        data["livret_suivi"] = {
            **_fields(suivi, ["training_manager", "created_at", "updated_at"]),
            "modules": [{"unit": _unit(m.unit), **_fields(m, ["position", "title", "hours", "start_on", "end_on", "content"])}
                        for m in suivi.modules.all()],
            "evaluations_formatives": [{
                "unit": _unit(e.unit), **_fields(e, ["held_on", "result", "trainer_name", "progress_objectives", "signed_at"]),
                "ratings": [{"criterion": r.criterion.text, **_fields(r, ["rating"])} for r in e.ratings.all()],
            } for e in suivi.evaluations.all()],
        }
    data["intermediate_evaluations"] = [{
        "unit": _unit(e.unit), **_fields(e, ["held_on", "progress_objectives", "created_at"]),
        "ratings": [{"criterion": r.criterion.text, **_fields(r, ["rating"])} for r in e.ratings.all()],
    } for e in intermediate]
    data["tutor_reviews"] = [_fields(r, ["held_on", "with_whom", "strengths", "progress_objectives", "created_at"]) for r in reviews]
    if evaluation is not None:
        data["livret_evaluation"] = {
            **_fields(evaluation, ["state", "candidate_activities", "candidate_signed_at", "evaluator1_signed_at",
                                   "evaluator2_signed_at", "transmitted_at", "created_at", "updated_at"]),
            "answers": [{"unit": _unit(a.unit), "text": a.text} for a in evaluation.answers.all()],
            "synthesis_lines": [{"unit": _unit(s.unit), **_fields(s, ["activities_exercised", "evaluated_from", "evaluated_to", "conditions"])}
                                for s in evaluation.synthesis_lines.all()],
            "unit_assessments": [{
                "unit": _unit(a.unit), **_fields(a, ["slot", "evaluated_on", "modality_used", "mastery", "comments", "signed_at"]),
                "ratings": [{"criterion": r.criterion.text, **_fields(r, ["answer"])} for r in a.ratings.all()],
            } for a in evaluation.assessments.all()],
        }
    return data


LIVRET1_FIELDS = [
    "nature", "state", "is_active", "birth_name", "usage_name", "first_names", "sex", "birth_date", "birth_place",
    "nationality", "address", "phone", "email", "situation", "situation_detail", "last_class", "highest_diploma",
    "certifications_held", "declaration_accepted", "declaration_place", "declaration_date", "unsaved_input",
    "submitted_at", "received_on", "instruction_deadline", "decided_on", "tacit", "gap_analysis",
    "recommended_training", "decision_comment", "valid_until", "created_at", "updated_at",
]


def _dossier(dossier, user, files: list[ExportFile]) -> dict:
    from vae import pdf as vae_pdf

    folder = f"fichiers/{dossier.number}"
    data = _fields(dossier, ["number", "path", "state", "inscription_date", "first_jury_deadline", "closed_reason", "created_at"])
    data["certification"] = {"code": dossier.certification.code, "title": dossier.certification.title}
    data["referentiel_version"] = dossier.version.number
    data["mention"] = dossier.mention.label if dossier.mention else None
    data["entreprise"] = dossier.entreprise.name if dossier.entreprise else None
    data["organisme"] = dossier.organisme.name if dossier.organisme else None
    data["events"] = [{**_fields(e, ["at", "action", "label", "from_state", "to_state", "comment", "data"]),
                       "by_you": e.actor_id == user.pk} for e in dossier.events.all()]
    data["entretien"] = _entretien(getattr(dossier, "entretien", None))
    data["formation"] = _formation(dossier)

    pieces = list(dossier.pieces.all())
    piece_paths = {}
    for piece in pieces:
        path = f"{folder}/pieces/{piece.pk}-{_safe_name(piece.original_name)}"
        piece_paths[piece.pk] = path
        files.append(ExportFile(path, field=piece.file))
    data["pieces"] = [{
        **_fields(p, ["section", "kind", "original_name", "size", "content_type", "uploaded_at", "employer_owned",
                      "employer_consent"]),
        "livret1": p.livret1_id, "unit": _unit(p.unit), "file": piece_paths[p.pk],
    } for p in pieces]

    data["livrets1"] = []
    for livret in dossier.livrets1.all():
        item = {"id": livret.pk, **_fields(livret, LIVRET1_FIELDS), "referentiel_version": livret.referentiel.number,
                "experiences": [_fields(e, ["position", "function", "organisation", "status", "start", "end",
                                            "hours_per_week", "activities"]) for e in livret.experiences.all()],
                "notification_file": None}
        if livret.decided_on is not None:
            path = f"{folder}/notifications/notification-recevabilite-{livret.pk}.pdf"
            item["notification_file"] = path
            files.append(ExportFile(path, build=lambda livret=livret: vae_pdf.build_notification_pdf(livret)))
        data["livrets1"].append(item)

    livret2 = getattr(dossier, "livret2", None)
    data["livret2"] = None
    if livret2 is not None:
        path = f"{folder}/livret2/livret2-{dossier.number}.pdf"
        livret2.dossier = dossier
        data["livret2"] = {
            **_fields(livret2, ["state", "motivation", "context", "submitted_at", "received_on", "created_at", "updated_at"]),
            "situations": [{"unit": _unit(s.unit), **_fields(s, ["position", "title", "answers", "free_answer"]),
                            "competences": [c.text for c in s.competences.all()]} for s in livret2.situations.all()],
            "file": path,
        }
        files.append(ExportFile(path, build=lambda livret2=livret2: vae_pdf.build_livret2_pdf(livret2)))

    data["accompagnements"] = [{
        "organisme": c.organisme.name,
        **_fields(c, ["state", "nature", "sessions_count", "session_hours", "start_on", "end_on", "planned_dates",
                      "jury_preparation", "details", "candidate_accepted_at", "organisme_accepted_at", "created_at"]),
        "comments": [{"unit": _unit(m.unit), **_fields(m, ["livret", "text", "created_at"])} for m in c.comments.all()],
    } for c in dossier.accompagnements.all()]

    data["jury"] = []
    for passage in dossier.jury_passages.all():
        session = passage.session
        item = {"session": {"date": session.date.isoformat(), "start_time": session.start_time.isoformat(),
                            "place": session.place, "video_link": session.video_link},
                **_fields(passage, ["position", "attendance", "attendance_note"]), "convocations": [], "fiches_decision": []}
        for convocation in passage.convocations.all():
            path = None
            if convocation.pdf:
                path = f"{folder}/convocations/convocation-v{convocation.version}.pdf"
                files.append(ExportFile(path, field=convocation.pdf))
            item["convocations"].append({**_fields(convocation, ["version", "starts_at", "ends_at", "location", "created_at",
                                                                 "mailed_at"]), "file": path})
        for fiche in passage.fiches.all():
            path = None
            if fiche.pdf:
                path = f"{folder}/fiches-decision/fiche-decision-v{fiche.version}.pdf"
                files.append(ExportFile(path, field=fiche.pdf))
            item["fiches_decision"].append({
                **_fields(fiche, ["version", "state", "outcome", "experience_to_deepen", "modules_to_follow", "signed_at",
                                  "correction_reason"]),
                "unit_decisions": [{"unit": _unit(d.unit), **_fields(d, ["validated", "carried_validated_on", "valid_until"])}
                                   for d in fiche.unit_decisions.all()],
                "file": path,
            })
        data["jury"].append(item)

    data["certificates"] = []
    for certificate in dossier.certificates.all():
        path = None
        if certificate.pdf:
            path = f"{folder}/certificats/certificat-{certificate.pk}.pdf"
            files.append(ExportFile(path, field=certificate.pdf))
        data["certificates"].append({**_fields(certificate, ["code", "issued_on", "revoked_at", "revoked_reason"]), "file": path})
    return data


def build_export(user) -> tuple[dict, list[ExportFile]]:
    """Everything the platform holds on the person, as JSON-ready data, and the files to put beside it."""
    from jury.models import ValidatedUnit

    from .models import Reminder

    files: list[ExportFile] = []
    roles = UserRole.objects.filter(user=user).select_related("organisme", "entreprise")
    data = {
        "format": "cqp-mutualite-donnees-personnelles",
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "account": _fields(user, ["email", "first_name", "last_name", "phone", "date_joined", "last_login",
                                  "email_confirmed_at"]),
        "roles": [{**_fields(r, ["role", "entreprise_function", "college", "union_name", "created_at"]),
                   "organisme": r.organisme.name if r.organisme else None,
                   "entreprise": r.entreprise.name if r.entreprise else None} for r in roles],
        "dossiers": [_dossier(d, user, files) for d in export_dossiers(user)],
        "validated_units": [{
            "certification": v.certification.code, "unit": _unit(v.unit),
            **_fields(v, ["unit_number", "validated_on", "valid_until"]), "session_date": v.session.date.isoformat(),
        } for v in ValidatedUnit.objects.filter(candidate=user).select_related("certification", "unit", "session")],
        "reminders": [_fields(r, ["kind", "subject_label", "threshold", "due_date", "created_at", "sent_at"])
                      for r in Reminder.objects.filter(recipient=user, sent_at__isnull=False).order_by("sent_at", "id")],
        "deletion_requests": [_fields(r, ["state", "reason", "requested_at", "treated_at", "answer"])
                              for r in DeletionRequest.objects.filter(candidate=user).order_by("requested_at", "id")],
    }
    data["files"] = [f.path for f in files]
    return data, files


README_TEXT = """Vos données sur la plateforme CQP Mutualité
============================================

donnees.json : toutes les informations vous concernant (compte, rôles, dossiers avec leur historique,
entretien d'accueil, livrets de formation, livret 1 et expériences, livret 2, accompagnement, convocations,
décisions du jury et unités acquises, rappels envoyés, demandes d'effacement). Les clés sont en anglais (noms
des champs de la base) ; pour chaque valeur codée, la clé « ..._label » donne son libellé en français.

fichiers/<numéro de dossier>/ : vos pièces justificatives, notifications de recevabilité, livret 2,
convocations, fiches de décision et certificats, référencés dans donnees.json par leur chemin.
"""


def write_export_zip(user, target) -> None:
    """Write the zip (donnees.json, LISEZMOI.txt and the files) to the binary file object ``target``."""
    data, files = build_export(user)
    missing = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            try:
                if item.field is not None:
                    with item.field.storage.open(item.field.name, "rb") as handle:
                        content = handle.read()
                else:
                    content = item.build()
            except (OSError, ValueError):
                missing.append(item.path)
                continue
            archive.writestr(item.path, content)
        data["missing_files"] = missing
        archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        archive.writestr("LISEZMOI.txt", README_TEXT)
    logger.info("Export des données personnelles du compte %s (%d fichiers)", user.pk, len(files) - len(missing))


def export_zip_file(user):
    """The zip in a temporary file (in memory up to 10 Mo), positioned at its start."""
    target = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)
    write_export_zip(user, target)
    target.seek(0)
    return target


# ------------------------------------------------------------------------------------------------ e-mails


def _oemm_emails() -> list[str]:
    return list(User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("email", flat=True).distinct())


def send_deletion_requested(deletion_request):
    """To the OEMM: a candidate asked for the deletion of their data (no name in the subject)."""
    to = _oemm_emails()
    if to:
        queue_mail("deletion_requested", {"request": deletion_request, "url": settings.SITE_URL + reverse("oemm_deletion_requests")}, to)


def send_deletion_treated(deletion_request, *, recipient, first_name):
    """To the candidate's former address: their data has been anonymised."""
    queue_mail("deletion_treated", {"request": deletion_request, "first_name": first_name}, [recipient])


def send_deletion_refused(deletion_request):
    queue_mail("deletion_refused", {"request": deletion_request, "user": deletion_request.candidate},
               [deletion_request.candidate.email])


# ------------------------------------------------------------------------------------------------ deletion requests


def dossiers_in_progress(user):
    return Dossier.objects.filter(candidate=user, state__in=OPEN_STATES)


def anonymise_refusal(user) -> str:
    """Why the person cannot be anonymised now (French), or "" if they can."""
    if user.anonymised_at is not None:
        return "Les données de cette personne sont déjà anonymisées."
    other_roles = [r for r in user.role_set if r != Role.CANDIDAT]
    if other_roles or user.is_staff or user.is_superuser:
        labels = ", ".join(sorted(str(Role(r).label) for r in other_roles if r in Role.values)) or "administration"
        return (f"Ce compte a aussi d'autres rôles ({labels}) : retirez-les d'abord, l'anonymisation ne concerne que "
                "les comptes candidats.")
    numbers = list(dossiers_in_progress(user).values_list("number", flat=True))
    if numbers:
        return ("Anonymisation impossible tant qu'un dossier est en cours (inscrit, orienté, recevable ou prêt pour le "
                f"jury) : dossier{'s' if len(numbers) > 1 else ''} n° {', '.join(numbers)}. Clôturez-le d'abord ou "
                "attendez la décision du jury.")
    return ""


@transaction.atomic
def request_deletion(user, *, reason) -> DeletionRequest:
    """The candidate asks for the deletion of their data: one pending request at a time; OEMM is told."""
    User.objects.select_for_update().get(pk=user.pk)
    if not user.has_role(Role.CANDIDAT):
        raise WorkflowError("Seul un candidat peut demander l'effacement de ses données depuis cette page.")
    if DeletionRequest.objects.pending().filter(candidate=user).exists():
        raise WorkflowError("Vous avez déjà une demande d'effacement en attente de traitement.")
    request = DeletionRequest.objects.create(candidate=user, reason=(reason or "").strip())
    for dossier in Dossier.objects.filter(candidate=user):
        record_event(dossier, actor=user, action="deletion_requested", label="Demande d'effacement des données personnelles",
                     from_state=dossier.state, to_state=dossier.state, data={"deletion_request": request.pk})
    send_deletion_requested(request)
    logger.info("Demande d'effacement n° %s du compte %s", request.pk, user.pk)
    return request


def not_pending_message(deletion_request) -> str:
    """Why a request that is no longer pending cannot be treated again (French)."""
    return f"Cette demande est déjà « {deletion_request.get_state_display()} » : elle ne peut plus être traitée."


def _lock_pending(deletion_request) -> DeletionRequest:
    locked = DeletionRequest.objects.select_for_update().select_related("candidate").get(pk=deletion_request.pk)
    if locked.state != DeletionRequestState.DEMANDEE:
        raise WorkflowError(not_pending_message(locked))
    if locked.candidate.anonymised_at is not None:
        # Only for requests left pending before anonymisation closed them (anonymise_candidate): no mail to an
        # address that no longer exists, no refusal recorded after the erasure.
        raise WorkflowError("Les données de ce candidat sont déjà anonymisées : cette demande n'a plus d'objet.")
    return locked


@transaction.atomic
def accept_deletion(deletion_request, *, by, answer="") -> DeletionRequest:
    """OEMM anonymises the person now (refused with a French reason while a dossier is in progress)."""
    locked = _lock_pending(deletion_request)
    candidate = locked.candidate
    refusal = anonymise_refusal(candidate)
    if refusal:
        raise WorkflowError(refusal)
    recipient = candidate.email  # read before anonymisation: the confirmation goes to the former address
    first_name = candidate.first_name
    anonymise_candidate(candidate, by=by, reason=f"Demande d'effacement n° {locked.pk}")
    locked.state, locked.treated_at, locked.treated_by, locked.answer = (
        DeletionRequestState.TRAITEE, timezone.now(), by, (answer or "").strip())
    locked.save(update_fields=["state", "treated_at", "treated_by", "answer"])
    send_deletion_treated(locked, recipient=recipient, first_name=first_name)
    return locked


@transaction.atomic
def refuse_deletion(deletion_request, *, by, answer) -> DeletionRequest:
    """OEMM refuses the request, with a reason given to the candidate."""
    if not (answer or "").strip():
        raise WorkflowError("Indiquez le motif du refus : il est envoyé au candidat.")
    locked = _lock_pending(deletion_request)
    locked.state, locked.treated_at, locked.treated_by, locked.answer = (
        DeletionRequestState.REFUSEE, timezone.now(), by, answer.strip())
    locked.save(update_fields=["state", "treated_at", "treated_by", "answer"])
    for dossier in Dossier.objects.filter(candidate=locked.candidate):
        record_event(dossier, actor=by, action="deletion_refused", label="Demande d'effacement refusée",
                     from_state=dossier.state, to_state=dossier.state, comment=locked.answer,
                     data={"deletion_request": locked.pk})
    send_deletion_refused(locked)
    return locked


# ------------------------------------------------------------------------------------------------ anonymisation


def _delete_file(field) -> None:
    if field and field.name:
        try:
            field.storage.delete(field.name)
        except OSError:
            logger.warning("Fichier non supprimé lors d'une anonymisation (stockage)", exc_info=True)


# Legal and audit records: their rows are kept as they are, and so is their history (it holds no name: the person
# is reached through the anonymised account). Everything else registered with simple-history that belongs to the
# person loses its history on anonymisation.
KEPT_HISTORY = {
    ("candidates", "dossier"), ("jury", "fichedecision"), ("jury", "unitdecision"), ("jury", "certificate"),
    ("jury", "validatedunit"), ("jury", "jurysession"), ("jury", "sessionmember"), ("jury", "conflictofinterest"),
}


def _path_to_person(model, depth=3):
    """("user" | "dossier", lookup) linking ``model`` to the person, following ForeignKeys, or None.

    The person's own rows are the user itself, rows owned by the user (ForeignKey with on_delete CASCADE) and rows
    of the person's dossiers (directly or through a parent row, up to ``depth`` links).
    """
    if issubclass(model, User):
        return "user", "pk"
    if depth == 0:
        return None
    relations = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.name != "history_user"]
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
    rows can belong to a person, found generically (simple_history.models.registered_models), except KEPT_HISTORY."""
    from simple_history.models import registered_models

    found = []
    for model in sorted({m for m in registered_models.values()}, key=lambda m: m._meta.label):
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name or (model._meta.app_label, model._meta.model_name) in KEPT_HISTORY:
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
            queryset = history_model.objects.filter(**{lookup if lookup != "pk" else history_model._meta.get_field("id").attname: user.pk})
        else:
            queryset = history_model.objects.filter(**{f"{lookup}__in": dossier_ids})
        count, _ = queryset.delete()
        deleted += count
    return deleted


def _scrub_livrets(dossier_ids) -> dict:
    from candidates.models_entretien import Entretien, EntretienCompetence, ExperiencePeriod
    from candidates.models_formation import (
        IntermediateEvaluation, LivretEvaluation, LivretEvaluationAnswer, SynthesisLine, TutorReview, UnitAssessment,
    )
    from jury.models import SessionCandidate
    from vae.models import AccompagnementComment, ConventionAccompagnement, Experience, Livret1, Livret2, Livret2Situation

    counts = {}
    counts["livrets1"] = Livret1.objects.filter(dossier_id__in=dossier_ids).update(
        birth_name="", usage_name="", first_names="", sex="", birth_date=None, birth_place="", nationality="",
        address="", phone="", email="", situation_detail="", last_class="", highest_diploma="", certifications_held="",
        declaration_place="", unsaved_input={}, gap_analysis="", recommended_training="", decision_comment="",
    )
    Experience.objects.filter(livret__dossier_id__in=dossier_ids).update(function="", organisation="", activities="")
    Livret2.objects.filter(dossier_id__in=dossier_ids).update(motivation=[], context="")
    Livret2Situation.objects.filter(livret__dossier_id__in=dossier_ids).update(title="", answers=[], free_answer="")
    ConventionAccompagnement.objects.filter(dossier_id__in=dossier_ids).update(details="")
    AccompagnementComment.objects.filter(convention__dossier_id__in=dossier_ids).update(text="")
    Entretien.objects.filter(dossier_id__in=dossier_ids).update(synthesis="", recommendations="", candidate_comment="")
    EntretienCompetence.objects.filter(entretien__dossier_id__in=dossier_ids).update(training_note="")
    ExperiencePeriod.objects.filter(entretien__dossier_id__in=dossier_ids).update(description="")
    IntermediateEvaluation.objects.filter(dossier_id__in=dossier_ids).update(progress_objectives="")
    TutorReview.objects.filter(dossier_id__in=dossier_ids).update(with_whom="", strengths="", progress_objectives="")
    LivretEvaluation.objects.filter(dossier_id__in=dossier_ids).update(candidate_activities="")
    LivretEvaluationAnswer.objects.filter(livret__dossier_id__in=dossier_ids).update(text="")
    SynthesisLine.objects.filter(livret__dossier_id__in=dossier_ids).update(conditions="")
    UnitAssessment.objects.filter(livret__dossier_id__in=dossier_ids).update(comments="")
    SessionCandidate.objects.filter(dossier_id__in=dossier_ids).update(attendance_note="")
    return counts


def _forget_login_records(email) -> None:
    """Login throttling (django-axes) keeps the typed address of each attempt: those rows go."""
    from django.apps import apps

    if not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        model.objects.filter(username__iexact=email).delete()


@transaction.atomic
def anonymise_candidate(user, *, by, reason) -> dict:
    """Replace the person's identity with neutral values and erase their personal content, in one transaction.

    Kept: dossiers (CQP, path, dates, states), their audit trail, jury sessions, signed fiches de décision, unit
    decisions, validated units and certificates with their PDFs (legal records, never updated here).
    Returns a summary (counts), also recorded in the audit event of each dossier. Idempotent: an anonymised person
    is left as is.
    """
    from jury.models import Convocation
    from vae.models import Piece

    from .models import Reminder

    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.anonymised_at is not None:
        return {"already": True}
    refusal = anonymise_refusal(locked)
    if refusal:
        raise WorkflowError(refusal)
    dossiers = list(Dossier.objects.select_for_update().filter(candidate=locked).order_by("pk"))
    dossier_ids = [d.pk for d in dossiers]

    pieces = list(Piece.objects.filter(dossier_id__in=dossier_ids))
    for piece in pieces:
        _delete_file(piece.file)
    Piece.objects.filter(pk__in=[p.pk for p in pieces]).delete()
    convocations = list(Convocation.objects.filter(session_candidate__dossier_id__in=dossier_ids).exclude(pdf=""))
    for convocation in convocations:
        _delete_file(convocation.pdf)
    Convocation.objects.filter(pk__in=[c.pk for c in convocations]).update(pdf="")
    _scrub_livrets(dossier_ids)
    Reminder.objects.filter(recipient=locked).update(subject_label="", url="")
    DeletionRequest.objects.filter(candidate=locked).update(reason="")
    # A pending request is fulfilled by the anonymisation (the retention job, or the OEMM from the retention page):
    # it is closed, not left waiting for an answer that could only go to an erased address.
    DeletionRequest.objects.pending().filter(candidate=locked).update(
        state=DeletionRequestState.TRAITEE, treated_at=timezone.now(), treated_by=by, answer=reason)

    history_deleted = scrub_history(locked, dossier_ids)
    _forget_login_records(locked.email)
    now = timezone.now()
    locked.first_name, locked.last_name = ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME
    locked.email = anonymous_email(locked.pk)
    locked.phone = ""
    locked.is_active = False
    locked.email_confirmed_at = None
    locked.last_login = None
    locked.anonymised_at = now
    locked.set_unusable_password()
    locked._change_reason = "Anonymisation"
    locked.save()
    # The person's sessions end: an inactive account is refused at the next request anyway.
    summary = {"pieces": len(pieces), "convocations": len(convocations), "history_rows": history_deleted}
    for dossier in dossiers:
        record_event(dossier, actor=by, action="anonymise", label="Données personnelles anonymisées",
                     from_state=dossier.state, to_state=dossier.state, comment=reason, data=summary)
    user.__dict__.update({k: getattr(locked, k) for k in ("first_name", "last_name", "email", "phone", "is_active",
                                                          "anonymised_at", "password", "email_confirmed_at", "last_login")})
    logger.info("Compte %s anonymisé (%d dossiers)", locked.pk, len(dossiers))
    return summary


# ------------------------------------------------------------------------------------------------ retention


def retention_cutoff(today) -> datetime.date:
    """Dossiers ended on or before this day are past retention (RETENTION_YEARS years, 29 February → 28)."""
    years = settings.RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def past_retention(today):
    """Candidates (accounts holding no other role), not yet anonymised, whose every dossier ended before the cutoff.

    A dossier ends at its last change from an open state to « décision rendue » or « clos » (audit trail); each row
    gets ``ended_at``, the most recent end among the person's dossiers. An account without any dossier is past
    retention when it was created, and last used, before the cutoff.
    """
    limit = timezone.make_aware(datetime.datetime.combine(retention_cutoff(today), datetime.time.min))
    other_roles = [r for r in Role.values if r != Role.CANDIDAT]
    ended = Q(dossiers__events__to_state__in=CLOSED_STATES, dossiers__events__from_state__in=OPEN_STATES)
    return (
        User.objects.filter(anonymised_at__isnull=True, roles__role=Role.CANDIDAT, is_staff=False, is_superuser=False)
        .exclude(roles__role__in=other_roles)
        .exclude(pk__in=Dossier.objects.filter(state__in=OPEN_STATES).values("candidate_id"))
        .annotate(ended_at=Max("dossiers__events__at", filter=ended), dossier_count=Count("dossiers", distinct=True))
        .filter(Q(dossier_count__gt=0, ended_at__lt=limit)
                | (Q(dossier_count=0, date_joined__lt=limit) & (Q(last_login__isnull=True) | Q(last_login__lt=limit))))
        .order_by("ended_at", "pk")
    )


def anonymise_past_retention(today=None, *, by=None) -> list[int]:
    """Anonymise every candidate past retention (the daily job and the management command); returns their ids.

    Idempotent: anonymised people are no longer selected; a person whose situation changed meanwhile is skipped.
    """
    today = today or timezone.localdate()
    done = []
    for user in past_retention(today):
        try:
            summary = anonymise_candidate(user, by=by, reason=f"Durée de conservation ({settings.RETENTION_YEARS} ans) échue")
        except WorkflowError:
            continue
        if not summary.get("already"):
            done.append(user.pk)
    if done:
        logger.info("Conservation : %d compte(s) anonymisé(s)", len(done))
    return done


# ------------------------------------------------------------------------------------------------ export response helper


def export_filename(today=None) -> str:
    today = today or timezone.localdate()
    return f"mes-donnees-cqp-mutualite-{today:%Y-%m-%d}.zip"


__all__ = [
    "EXPORT_FORMAT_VERSION", "accept_deletion", "anonymise_candidate", "anonymise_past_retention", "anonymise_refusal",
    "build_export", "export_zip_file", "not_pending_message", "past_retention", "refuse_deletion", "request_deletion",
    "scrub_history", "write_export_zip",
]
