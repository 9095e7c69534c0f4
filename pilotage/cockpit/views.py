"""The cockpit's pages: a queue's items (with its bulk action), the bulk actions of a session page."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cqp import query_params
from cqp.permissions import require_perm
from jury import selectors as jury_selectors
from jury.enums import Attendance, SessionState
from jury.models import JurySession

from . import bulk
from .queue_lists import FILTERSETS
from .queues import BY_KEY

PER_PAGE = 50
MAX_BULK_ITEMS = 200


def report_messages(request, report: bulk.BulkReport, done: str) -> None:
    """One message for what was done, one per refused item (with the reason), one for what was skipped."""
    if report.done:
        messages.success(request, f"{done} : {len(report.done)} ({', '.join(report.done[:20])}"
                         f"{'…' if len(report.done) > 20 else ''}).")  # fmt: skip
    for item, reason in report.refused:
        messages.error(request, f"Refusé pour {item} : {reason}")
    if report.skipped:
        detail = " ; ".join(f"{item} : {why}" for item, why in report.skipped[:20])
        messages.info(request, f"Rien à faire pour {len(report.skipped)} : {detail}.")
    if not report.total:
        messages.info(request, "Aucun élément sélectionné : rien n'a été fait.")


class PlaceForm(forms.Form):
    session = forms.ModelChoiceField(
        label="Session de jury",
        queryset=JurySession.objects.none(),
        empty_label="Choisissez une session planifiée",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            JurySession.objects.filter(state=SessionState.PLANIFIEE, date__gte=timezone.localdate())
            .prefetch_related("certifications")
            .order_by("date", "start_time")
        )
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.date:%d/%m/%Y} {s.start_time:%H:%M} — {', '.join(c.code for c in s.certifications.all())}"
        )


class ReceivedOnForm(forms.Form):
    received_on = forms.DateField(
        label="Reçus le",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        help_text="Vide : aujourd'hui.",
    )


BULK_FORMS = {"place": PlaceForm, "acknowledge_livrets2": ReceivedOnForm, "mark_ready": None}
BULK_LABELS = {
    "place": "Placer les dossiers cochés dans la session",
    "acknowledge_livrets2": "Accuser réception des livrets 2 cochés",
    "mark_ready": "Déclarer prêts pour le jury les dossiers cochés",
}


def _queue(key):
    queue = BY_KEY.get(key)
    if queue is None:
        raise Http404("File inconnue.")
    return queue


@require_perm("cqp.view_oemm_dashboard")
def queue_page(request, key):
    queue = _queue(key)
    today = timezone.localdate()
    found = FILTERSETS[queue.key](request.GET or None, queryset=queue.scoped_items(today, request.user))
    page = Paginator(found.qs, PER_PAGE).get_page(
        query_params.int_param(request.GET, "page", minimum=1, maximum=10**6, default=1)
    )
    items = [queue.make(obj) for obj in page.object_list]
    form_class = BULK_FORMS.get(queue.bulk)
    return render(
        request,
        "pilotage/cockpit/queue.html",
        {
            "queue": queue,
            "summary": queue.summarize(today, request.user),
            "page": page,
            "items": [(item, item.deadline and (item.deadline - today).days) for item in items],
            "today": today,
            "bulk_form": form_class() if form_class else None,
            "bulk_label": BULK_LABELS.get(queue.bulk, ""),
            "filter": found,
            "export_key": f"file-{queue.key}",
            "query": query_params.without_page(request.GET),
        },
    )


def _ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist("ids")[:MAX_BULK_ITEMS]:
        number = query_params.int_param({"id": value}, "id", minimum=1, maximum=2**62)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


@require_POST
@require_perm("cqp.view_oemm_dashboard")
def queue_bulk(request, key):
    queue = _queue(key)
    if not queue.bulk:
        raise Http404("Cette file n'a pas d'action groupée.")
    ids = _ids(request)
    objects = list(queue.scoped_items(timezone.localdate(), request.user).filter(pk__in=ids)) if ids else []
    if queue.bulk == "place":
        form = PlaceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choisissez une session de jury planifiée pour y placer les dossiers.")
            return redirect("oemm_queue", key=key)
        report = bulk.place(objects, ids, by=request.user, session=form.cleaned_data["session"])
        done = "Dossiers placés dans la session"
    elif queue.bulk == "acknowledge_livrets2":
        form = ReceivedOnForm(request.POST)
        if not form.is_valid():
            messages.error(request, "La date de réception n'est pas une date valide.")
            return redirect("oemm_queue", key=key)
        report = bulk.acknowledge_livrets2(objects, ids, by=request.user, received_on=form.cleaned_data["received_on"])
        done = "Réception enregistrée"
    else:
        report = bulk.mark_ready(objects, ids, by=request.user)
        done = "Dossiers déclarés prêts pour le jury"
    report_messages(request, report, done)
    return redirect("oemm_queue", key=key)


@require_POST
@require_perm("jury.manage_sessions")
def session_convoke_all(request, pk):
    session = jury_selectors.get_session_for(request.user, pk)
    report_messages(request, bulk.convoke_all(session, by=request.user), "Convocations envoyées")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def session_attendance_all(request, pk):
    session = jury_selectors.get_session_for(request.user, pk)
    attendance = query_params.choice_param(request.POST, "attendance", [Attendance.PRESENT], Attendance.PRESENT)
    report_messages(
        request, bulk.attendance_all(session, by=request.user, attendance=attendance), "Présence enregistrée"
    )
    return redirect(session)
