"""The OEMM's « E-mails en échec » page: the outbox's failed and late e-mails (cqp/outbox.py), resent by hand."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cqp import outbox, query_params
from cqp.exceptions import WorkflowError
from cqp.models import OutboundEmail
from cqp.permissions import require_perm

from .filters import EMAIL_VIEWS, OutboundEmailFilter

OEMM_PERM = "cqp.manage_accounts"
VIEWS = EMAIL_VIEWS
BULK_LIMIT = 500  # e-mails resent by one click of « Tout renvoyer »


@require_perm(OEMM_PERM)
def emails(request):
    """Failed or late e-mails (tabs), sorted by column (pilotage/filters.py, shared with the export)."""
    now = timezone.now()
    found = OutboundEmailFilter(
        request.GET,
        queryset=OutboundEmail.objects.only(
            "pk", "to", "subject", "state", "attempts", "last_error", "created_at", "failed_at", "next_attempt_at"
        ),
    )
    view = found.view
    return render(
        request,
        "pilotage/outbox/emails.html",
        {
            "page": Paginator(found.qs, 25).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1)),
            "view": view,
            "view_label": f"E-mails {VIEWS[view].lower()}",
            "views": VIEWS,
            "counts": {"echec": outbox.failed_count(), "retard": outbox.pending_count(late_only=True, now=now)},
            "filter": found,
            "query": query_params.without_page(request.GET),
        },
    )


@require_perm(OEMM_PERM)
@require_POST
def email_resend(request, pk):
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        outbox.resend(email, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"E-mail n° {email.pk} renvoyé : il part dans un instant.")
    return redirect("oemm_emails")


@require_perm(OEMM_PERM)
@require_POST
def emails_resend_all(request):
    ids = list(OutboundEmail.objects.failed().order_by("failed_at", "pk").values_list("pk", flat=True)[:BULK_LIMIT])
    resent = 0
    for email in OutboundEmail.objects.filter(pk__in=ids):
        try:
            outbox.resend(email, by=request.user)
        except WorkflowError:
            continue  # sent or resent meanwhile (another tab, a colleague)
        resent += 1
    if resent:
        plural = "s" if resent > 1 else ""
        messages.success(request, f"{resent} e-mail{plural} en échec renvoyé{plural}.")
    else:
        messages.info(request, "Aucun e-mail en échec à renvoyer.")
    return redirect("oemm_emails")
