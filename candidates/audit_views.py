"""« Historique » of a dossier for the OEMM: its transitions (DossierEvent) and every recorded change of the
dossier and of its livrets, decisions and jury passages (django-simple-history), newest first, paginated.

Query count does not grow with the rows shown: the keys (date, id) of every source are read in one query per
source, merged and paginated in memory; then the rows of the page and the rows just before them (for the
diff) are read in one query per source present on the page, and the people named in one query.
"""

from dataclasses import dataclass, field

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render

from cqp.permissions import is_oemm, login_required_page

from .enums import DossierState
from .history_sources import registered_history_sources
from .models import (
    Dossier,
    DossierEvent,
    Entretien,
    EvaluationFormative,
    FormationDesignation,
    IntermediateEvaluation,
    LivretEvaluation,
    LivretEvaluationAnswer,
    LivretSuivi,
    SynthesisLine,
    TutorReview,
    UnitAssessment,
)
from .selectors import get_dossier_for

rules.add_perm("candidates.view_dossier_audit", is_oemm)

PAGE_SIZE = 30
# Bookkeeping fields: not shown as changes (autosave counters, timestamps repeated by the history itself).
HIDDEN_FIELDS = {"version", "synthesis_version", "updated_at", "updated_by", "unsaved_input", "created_at"}
ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: object
    kind: str  # "event" or "history"
    actor: object = None
    title: str = ""
    action: str = ""
    from_state: str = ""
    to_state: str = ""
    comment: str = ""
    changes: list = field(default_factory=list)


def _sources(dossier):
    """(label, historical manager, filter) of everything kept for this dossier; ids read once (small queries). The
    models of vae and jury come from candidates/history_sources.py, where those apps register them."""
    pk = dossier.pk
    suivis = list(LivretSuivi.history.filter(dossier_id=pk).values_list("id", flat=True).distinct())
    evaluations = list(LivretEvaluation.history.filter(dossier_id=pk).values_list("id", flat=True).distinct())
    sources = [
        (Dossier, {"id": pk}),
        (Entretien, {"dossier_id": pk}),
        (FormationDesignation, {"dossier_id": pk}),
        (LivretSuivi, {"dossier_id": pk}),
        (EvaluationFormative, {"livret_id__in": suivis}),
        (IntermediateEvaluation, {"dossier_id": pk}),
        (TutorReview, {"dossier_id": pk}),
        (LivretEvaluation, {"dossier_id": pk}),
        (LivretEvaluationAnswer, {"livret_id__in": evaluations}),
        (SynthesisLine, {"livret_id__in": evaluations}),
        (UnitAssessment, {"livret_id__in": evaluations}),
        *registered_history_sources(pk),
    ]
    # An empty id list matches nothing: skip the query.
    return [(m, f) for m, f in sources if all(v for k, v in f.items() if k.endswith("__in"))]


def _keys(dossier):
    """Every row of the dossier's history as (date, source index or -1 for events, row id); newest first."""
    keys = [(at, -1, pk) for at, pk in DossierEvent.objects.filter(dossier=dossier).values_list("at", "id")]
    previous = {}
    sources = _sources(dossier)
    for index, (model, filters) in enumerate(sources):
        rows = list(
            model.history.filter(**filters)
            .order_by("history_date", "history_id")
            .values_list("history_date", "history_id", "id")
        )
        last = {}
        for at, hid, object_id in rows:
            previous[(index, hid)] = last.get(object_id)
            last[object_id] = hid
            keys.append((at, index, hid))
    keys.sort(key=lambda k: (k[0], k[1], k[2]), reverse=True)
    return keys, previous, sources


def _display(model_field, value, users):
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        if model_field.related_model is get_user_model():
            return str(users.get(value, f"n° {value}"))
        return f"{model_field.related_model._meta.verbose_name} n° {value}"
    if isinstance(model_field, models.BooleanField):
        return "oui" if value else "non"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M") if hasattr(value, "hour") else value.strftime("%d/%m/%Y")
    return str(value)


def _changes(model, record, before):
    """(field, raw old, raw new) of a modification, with the model's own fields (attnames: no query)."""
    result = []
    for f in model._meta.concrete_fields:
        if f.name in HIDDEN_FIELDS or f.primary_key:
            continue
        old, new = getattr(before, f.attname), getattr(record, f.attname)
        if old != new:
            result.append((f, old, new))
    return result


def dossier_history(dossier, page_number):
    keys, previous, sources = _keys(dossier)
    page = Paginator(keys, PAGE_SIZE).get_page(page_number)
    wanted = {}
    for _, index, row_id in page.object_list:
        wanted.setdefault(index, set()).add(row_id)
        if index >= 0 and previous.get((index, row_id)):
            wanted[index].add(previous[(index, row_id)])
    events = {e.pk: e for e in DossierEvent.objects.filter(pk__in=wanted.get(-1, ())).select_related("actor")}
    records = {}
    for index, ids in wanted.items():
        if index >= 0:
            model = sources[index][0]
            for r in model.history.filter(history_id__in=ids).select_related("history_user"):
                records[(index, r.history_id)] = r
    # The people named in changes, in one query.
    user_model = get_user_model()
    user_ids = set()
    diffs = {}
    for _, index, row_id in page.object_list:
        if index < 0:
            continue
        record, before_id = records[(index, row_id)], previous.get((index, row_id))
        if record.history_type == "~" and before_id:
            diff = _changes(sources[index][0], record, records[(index, before_id)])
            diffs[(index, row_id)] = diff
            user_ids |= {
                v
                for f, old, new in diff
                if isinstance(f, models.ForeignKey) and f.related_model is user_model
                for v in (old, new)
                if v
            }
    users = {u.pk: u for u in user_model.objects.filter(pk__in=user_ids)} if user_ids else {}
    states = dict(DossierState.choices)
    entries = []
    for at, index, row_id in page.object_list:
        if index < 0:
            e = events[row_id]
            entries.append(
                Entry(
                    at=at,
                    kind="event",
                    actor=e.actor,
                    title=e.label,
                    action="Étape du dossier",
                    from_state=states.get(e.from_state, e.from_state),
                    to_state=states.get(e.to_state, e.to_state),
                    comment=e.comment,
                )
            )
            continue
        model = sources[index][0]
        record = records[(index, row_id)]
        changes = [
            Change(str(f.verbose_name).capitalize(), _display(f, old, users), _display(f, new, users))
            for f, old, new in diffs.get((index, row_id), [])
        ]
        entries.append(
            Entry(
                at=at,
                kind="history",
                actor=record.history_user,
                action=ACTIONS.get(record.history_type, ""),
                title="Dossier"
                if model is Dossier
                else f"{str(model._meta.verbose_name).capitalize()} (n° {record.id})",
                changes=changes,
                comment=record.history_change_reason or "",
            )
        )
    return page, entries


@login_required_page
def dossier_audit(request, number):
    """OEMM only: outsiders get a 404 (dossier not visible), other people who see the dossier a 403."""
    dossier = get_dossier_for(request.user, number)
    if not rules.has_perm("candidates.view_dossier_audit", request.user):
        raise PermissionDenied("L'historique détaillé d'un dossier est réservé à l'OEMM.")
    page, entries = dossier_history(dossier, request.GET.get("page"))
    return render(request, "candidates/dossier_audit.html", {"dossier": dossier, "page": page, "entries": entries})
