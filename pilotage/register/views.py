"""« Registre des titulaires » (OEMM): what is due, late, exported, transmitted; export a batch; confirm it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cqp import query_params
from cqp.exceptions import WorkflowError
from cqp.permissions import require_perm

from ..filters import RegisterFilter
from ..models import HolderRecord, RegisterState, TransmissionBatch
from .formats import FORMATS, holder_rows
from .sync import sync_register

PENDING = [RegisterState.A_TRANSMETTRE]


def register_rows():
    """The register's lines as listed (and exported as a list, pilotage/cockpit/export_specs_pilotage.py)."""
    return HolderRecord.objects.select_related("dossier__candidate", "dossier__certification", "batch").order_by(
        "due_on", "pk"
    )


@require_perm("cqp.view_oemm_dashboard")
def register(request):
    today = timezone.localdate()
    sync_register(today)
    found = RegisterFilter(request.GET or None, queryset=register_rows())
    counts = HolderRecord.objects.aggregate(
        due=Count("pk", filter=Q(state__in=PENDING)),
        late=Count("pk", filter=Q(state__in=[*PENDING, RegisterState.EXPORTE], due_on__lt=today)),
        exported=Count("pk", filter=Q(state=RegisterState.EXPORTE)),
        transmitted=Count("pk", filter=Q(state=RegisterState.TRANSMIS)),
    )
    page = Paginator(found.qs, 50).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))
    return render(
        request,
        "pilotage/register/register.html",
        {
            "page": page,
            "counts": counts,
            "today": today,
            "filter": found,
            "query": query_params.without_page(request.GET),
            "batches": TransmissionBatch.objects.select_related("created_by", "transmitted_by")[:10],
        },
    )


@require_POST
@require_perm("cqp.view_oemm_dashboard")
def export_batch(request):
    """The lines « à transmettre » become a batch (« exporté ») and the file is sent; refused when none is due."""
    fmt = FORMATS.get(query_params.choice_param(request.POST, "format", list(FORMATS), "csv"))
    sync_register(timezone.localdate())
    with transaction.atomic():
        due = HolderRecord.objects.select_for_update().filter(state__in=PENDING)
        ids = list(due.values_list("pk", flat=True))
        if not ids:
            messages.info(request, "Aucune ligne à transmettre : rien n'a été exporté.")
            return redirect("oemm_register")
        try:
            lines = list(fmt.lines(holder_rows(HolderRecord.objects.filter(pk__in=ids))))
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("oemm_register")
        batch = TransmissionBatch.objects.create(created_by=request.user, format=fmt.key, count=len(ids))
        for record in HolderRecord.objects.filter(pk__in=ids):
            record.state, record.batch = RegisterState.EXPORTE, batch
            record.save(update_fields=["state", "batch"])  # one history row per line (simple-history)
    response = StreamingHttpResponse(iter(lines), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="accrochage-lot-{batch.pk}.{fmt.extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@require_perm("cqp.view_oemm_dashboard")
def mark_transmitted(request, pk):
    with transaction.atomic():
        batch = get_object_or_404(TransmissionBatch.objects.select_for_update(), pk=pk)
        if batch.transmitted_at:
            messages.info(request, f"Le lot n° {batch.pk} est déjà marqué transmis.")
            return redirect("oemm_register")
        batch.transmitted_at, batch.transmitted_by = timezone.now(), request.user
        batch.save(update_fields=["transmitted_at", "transmitted_by"])
        for record in batch.records.filter(state=RegisterState.EXPORTE):
            record.state = RegisterState.TRANSMIS
            record.save(update_fields=["state"])
    messages.success(request, f"Lot n° {batch.pk} marqué transmis à la Caisse des Dépôts ({batch.count} lignes).")
    return redirect("oemm_register")
