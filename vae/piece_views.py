"""The pieces of a livret 1 under instruction: inline view, preview, the OEMM's verdict, the candidate's replacement."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page
from referentiels.expected_documents import LIVRET1

from . import workflow
from .checklist import checklist
from .forms import PieceVerdictForm, ReplacePieceForm
from .selectors import get_piece_for
from .thumbnails import PREVIEWABLE, preview_of

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def pieces_context(livret, user) -> dict:
    """The pieces of the livret, its checklist of expected documents and what the user may do with them."""
    pieces = list(livret.pieces.select_related("uploaded_by"))
    for piece in pieces:
        piece.previewable = piece.content_type in PREVIEWABLE
        piece.viewable = piece.content_type in INLINE_TYPES
    candidate = user.pk == livret.dossier.candidate_id
    return {
        "pieces": pieces,
        "checklist": checklist(livret.expected_documents(LIVRET1), pieces),
        "can_replace": candidate and livret.is_submitted and livret.is_active,
        "verdict_form": PieceVerdictForm(),
        "replace_form": ReplacePieceForm(),
    }


def _private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required_page
def piece_view(request, number, pk):
    """The piece in the browser (new tab): inline for PDF and images, a download for the other types."""
    piece = get_piece_for(request.user, number, pk)
    inline = piece.content_type in INLINE_TYPES
    response = FileResponse(
        piece.file.open("rb"), as_attachment=not inline, filename=piece.original_name, content_type=piece.content_type
    )
    return _private(response)


@login_required_page
def piece_preview(request, number, pk):
    """The PNG preview of the piece (first page of a PDF, reduced image), made once and stored."""
    piece = get_piece_for(request.user, number, pk)
    png = preview_of(piece)
    if png is None:
        raise Http404("Aperçu indisponible.")
    return _private(HttpResponse(png, content_type="image/png"))


def _back(number):
    return redirect(reverse("vae:livret1_decide", kwargs={"number": number}) + "#examen-pieces")


@require_POST
@login_required_page
def piece_verdict(request, number, pk):
    piece = get_piece_for(request.user, number, pk)
    if not rules.has_perm("vae.judge_piece", request.user, piece):
        raise PermissionDenied("Seul l'OEMM examine les pièces d'un livret 1 en cours d'instruction.")
    form = PieceVerdictForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return _back(number)
    try:
        piece = workflow.give_verdict(
            piece, by=request.user, verdict=form.cleaned_data["verdict"], reason=form.cleaned_data["reason"]
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        told = " Le candidat est prévenu." if piece.to_replace else ""
        messages.success(request, f"Pièce « {piece.original_name} » : {piece.get_verdict_display().lower()}.{told}")
    return _back(number)


@require_POST
@login_required_page
def piece_replace(request, number, pk):
    piece = get_piece_for(request.user, number, pk)
    if not rules.has_perm("vae.replace_piece", request.user, piece):
        raise PermissionDenied("Cette pièce n'est pas à remplacer.")
    form = ReplacePieceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    else:
        try:
            piece = workflow.replace_piece(piece, by=request.user, checked=form.cleaned_data["checked"])
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Pièce « {piece.original_name} » remplacée et renvoyée à l'OEMM.")
    return redirect(reverse("vae:livret1", kwargs={"number": number}) + "#pieces")
