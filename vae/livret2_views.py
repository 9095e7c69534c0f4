"""Views of the livret 2 (dossier VAE): thin (fetch, validate, call vae.workflow.livret2, turn a WorkflowError into a
message).
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from cqp import autosave
from cqp.autosave import Versioned
from cqp.exceptions import WorkflowError

from . import pdf, workflow
from .enums import CommentTarget
from .livret2_forms import AcknowledgeForm, Livret2Form, Livret2PieceForm, Livret2SubmitForm
from .livret2_structure import progress_of
from .models import AccompagnementComment, Piece
from .permissions import is_candidate_of
from .selectors import get_livret2_for, get_vae_dossier_for, livret2_blocks, open_convention
from .views import _check, login_required_page

FORM_ID = "livret2-form"


# ---------------------------------------------------------------- structure and context


def _attach_fields(blocks, form):
    for block in blocks:
        number = block["unit"].number
        block["bloc_fields"] = [
            form[f"b-{number}-{i}"] for i in range(len(block["bloc_answers"])) if f"b-{number}-{i}" in form.fields
        ]
        for entry in block["situations"]:
            pk = entry["object"].pk
            entry["title_field"] = form[f"s-{pk}-title"] if f"s-{pk}-title" in form.fields else None
            entry["free_field"] = form[f"s-{pk}-free"] if f"s-{pk}-free" in form.fields else None
            entry["question_fields"] = [
                form[f"s-{pk}-q-{i}"] for i in range(len(block["questions"])) if f"s-{pk}-q-{i}" in form.fields
            ]
            entry["competence_field"] = form[f"s-{pk}-competences"] if f"s-{pk}-competences" in form.fields else None


def _initial(livret, blocks) -> dict:
    initial = {f"motivation-{i}": answer for i, answer in enumerate(livret.motivation or [])}
    initial["context"] = livret.context
    for block in blocks:
        for i, (_, answer) in enumerate(block["bloc_answers"]):
            initial[f"b-{block['unit'].number}-{i}"] = answer
        for entry in block["situations"]:
            situation = entry["object"]
            initial[f"s-{situation.pk}-title"] = situation.title
            initial[f"s-{situation.pk}-free"] = situation.free_answer
            for i, (_, answer) in enumerate(entry["answers"]):
                initial[f"s-{situation.pk}-q-{i}"] = answer
            initial[f"s-{situation.pk}-competences"] = [c.pk for c in entry["ticked"]]
    return initial


def _form(livret, blocks, data=None):
    return Livret2Form(
        data,
        initial=None if data is not None else _initial(livret, blocks),
        motivation_questions=list(livret.referentiel.livret2_motivation or []),
        blocks=blocks,
    )


def _piece_targets(blocks):
    targets = []
    for block in blocks:
        targets.append((f"u-{block['unit'].pk}", block["label"]))
        if block["spec"].situations > 1 or (block["spec"].situations == 1 and not block["free"]):
            for entry in block["situations"]:
                title = entry["object"].title
                targets.append(
                    (
                        f"s-{entry['object'].pk}",
                        f"{block['label']} — {entry['heading']}{' : ' + title if title else ''}",
                    )
                )
    return targets


def _progress_context(livret):
    return {**progress_of(livret), "progress_name": "livret 2"}


def _pieces_context(livret, blocks=None, form=None, error=None, can_edit=False):
    blocks = blocks if blocks is not None else livret2_blocks(livret)
    return {
        "livret": livret,
        "dossier": livret.dossier,
        "can_edit": can_edit,
        "upload_error": error,
        "pieces": livret.pieces.select_related("unit", "situation", "uploaded_by"),
        "piece_form": form or Livret2PieceForm(targets=_piece_targets(blocks)),
    }


def _comments(user, livret):
    """Comments of the accompagnateur, for those who follow the accompagnement (never the jury)."""
    if not rules.has_perm("vae.view_accompagnement", user, livret.dossier):
        return None
    return list(
        AccompagnementComment.objects.filter(
            convention__dossier=livret.dossier, livret=CommentTarget.LIVRET2
        ).select_related("author", "unit")
    )


def _read_context(request, livret):
    user = request.user
    blocks = livret2_blocks(livret)
    comments = _comments(user, livret)
    if comments is not None:
        for block in blocks:
            block["comments"] = [c for c in comments if c.unit_id == block["unit"].pk]
    version = livret.referentiel
    motivation_questions = list(version.livret2_motivation or []) or ["Votre projet et votre motivation"]
    motivation = list(livret.motivation or [])
    convention = open_convention(livret.dossier)
    can_edit = rules.has_perm("vae.edit_livret2", user, livret)
    return {
        **_pieces_context(livret, blocks, can_edit=can_edit),
        "livret": livret,
        "dossier": livret.dossier,
        "version": version,
        "blocks": blocks,
        "motivation": [(q, motivation[i] if i < len(motivation) else "") for i, q in enumerate(motivation_questions)],
        "general_comments": [c for c in comments if c.unit_id is None] if comments is not None else None,
        "show_comments": comments is not None,
        "convention": convention,
        "can_edit": can_edit,
        "can_acknowledge": rules.has_perm("vae.acknowledge_livret2", user, livret),
        "can_comment": convention is not None and rules.has_perm("vae.comment_livrets", user, convention),
        **_progress_context(livret),
    }


# ---------------------------------------------------------------- candidate


@require_POST
@login_required_page
def livret2_start(request, number):
    dossier = get_vae_dossier_for(request.user, number, "vae.view_livret1")
    if not is_candidate_of(request.user, dossier):
        raise PermissionDenied("Seul le candidat remplit son livret 2.")
    try:
        workflow.start_livret2(dossier, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(dossier)
    return redirect("vae:livret2", number=number)


@login_required_page
def livret2_detail(request, number):
    livret = get_livret2_for(request.user, number)
    context = _read_context(request, livret)
    if context["can_edit"]:
        blocks = context["blocks"]
        form = _form(livret, blocks)
        _attach_fields(blocks, form)
        context.update({"form": form, "form_id": FORM_ID, "edit_version": livret.version})
        return render(request, "vae/livret2_edit.html", context)
    return render(request, "vae/livret2_detail.html", context)


@require_POST
@autosave.login_required
def livret2_save(request, number):
    """Autosave endpoint (htmx; without JavaScript the « Enregistrer » button), as the livret 1: cqp/autosave.py checks
    the version and answers."""
    livret = get_livret2_for(request.user, number)
    page_url = reverse("vae:livret2", args=[number])
    if not rules.has_perm("vae.edit_livret2", request.user, livret):
        return autosave.refuse(
            request, "Ce livret 2 n'est pas modifiable par vous : rien n'a été enregistré.", back_url=page_url
        )
    blocks = livret2_blocks(livret)
    form = _form(livret, blocks, request.POST)
    values = form.values()

    def render_page(extra, status):
        context = _read_context(request, livret)
        _attach_fields(context["blocks"], form)
        context.update(form=form, form_id=FORM_ID, **extra)
        return render(request, "vae/livret2_edit.html", context, status=status)

    return autosave.autosave(
        request,
        versioned=Versioned(type(livret), {"pk": livret.pk}),
        save=lambda: workflow.save_livret2_draft(livret, by=request.user, **values),
        page_url=page_url,
        form_id=FORM_ID,
        status_context=lambda saved: {**_progress_context(saved), "oob_template": "vae/_autosave_oob.html"},
        success_message="Livret 2 enregistré.",
        render_page=render_page,
    )


@login_required_page
def livret2_submit(request, number):
    livret = get_livret2_for(request.user, number)
    _check("vae.edit_livret2", request.user, livret)
    form = Livret2SubmitForm(request.POST if request.method == "POST" else None)
    progress = _progress_context(livret)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.submit_livret2(livret, by=request.user)
        except workflow.IncompleteLivret2Error as exc:
            progress = _progress_context(livret)
            form.add_error(None, str(exc))
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("vae:livret2", number=number)
        else:
            messages.success(
                request,
                f"Livret 2 envoyé le {date_format(timezone.localdate(), 'j F Y')} : l'OEMM en accusera réception.",
            )
            return redirect(livret.dossier)
    recap = {
        "recap_sections": progress["sections"],
        "recap_pieces": livret.pieces.all(),
        "edit_url": reverse("vae:livret2", kwargs={"number": number}),
    }
    return render(
        request,
        "vae/livret2_submit.html",
        {"livret": livret, "dossier": livret.dossier, "form": form, **progress, **recap},
    )


@require_POST
@login_required_page
def livret2_piece_upload(request, number):
    livret = get_livret2_for(request.user, number)
    _check("vae.edit_livret2", request.user, livret)
    blocks = livret2_blocks(livret)
    form = Livret2PieceForm(request.POST, request.FILES, targets=_piece_targets(blocks))
    error = None
    if form.is_valid():
        data = form.cleaned_data
        target, situation, unit = data.get("target") or "", None, None
        if target.startswith("s-"):
            situation = livret.situations.select_related("unit").get(pk=int(target[2:]))
        elif target.startswith("u-"):
            unit = next(b["unit"] for b in blocks if b["unit"].pk == int(target[2:]))
        try:
            piece = workflow.add_livret2_piece(
                livret,
                by=request.user,
                kind=data["kind"],
                checked=data["checked"],
                situation=situation,
                unit=unit,
                employer_owned=data["employer_owned"],
                employer_consent=data["employer_consent"],
            )
        except WorkflowError as exc:
            error = str(exc)
        else:
            form = None
            if not request.htmx:
                messages.success(request, f"Pièce « {piece.original_name} » déposée.")
    else:
        error = " ".join(" ".join(errors) for errors in form.errors.values())
    if request.htmx:
        return render(
            request,
            "vae/_livret2_pieces.html",
            _pieces_context(livret, blocks, form, error, can_edit=True),
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("vae:livret2", kwargs={"number": number}) + "#pieces")


@require_POST
@login_required_page
def livret2_piece_delete(request, number, pk):
    livret = get_livret2_for(request.user, number)
    piece = get_object_or_404(Piece, livret2=livret, pk=pk)
    _check("vae.edit_livret2", request.user, livret)
    try:
        workflow.delete_livret2_piece(piece, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    if request.htmx:
        return render(request, "vae/_livret2_pieces.html", _pieces_context(livret, can_edit=True))
    messages.success(request, "Pièce supprimée.")
    return redirect(reverse("vae:livret2", kwargs={"number": number}) + "#pieces")


# ---------------------------------------------------------------- OEMM, jury


@login_required_page
def livret2_acknowledge(request, number):
    livret = get_livret2_for(request.user, number)
    if not rules.has_perm("vae.view_queue", request.user):
        raise PermissionDenied("Seul l'OEMM accuse réception du livret 2.")
    try:
        workflow.check_livret2(livret, "acknowledge")
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("vae:livret2", number=number)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.acknowledge_livret2(livret, by=request.user, received_on=form.cleaned_data["received_on"])
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            livret.refresh_from_db()
            messages.success(
                request,
                f"Livret 2 reçu le {date_format(livret.received_on, 'j F Y')} : le dossier est prêt pour le jury.",
            )
            return redirect(livret.dossier)
    return render(request, "vae/livret2_acknowledge.html", {"livret": livret, "dossier": livret.dossier, "form": form})


@login_required_page
def livret2_pdf(request, number):
    livret = get_livret2_for(request.user, number)
    response = HttpResponse(pdf.build_livret2_pdf(livret), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="livret2-{livret.dossier.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
