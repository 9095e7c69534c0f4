"""Views of the livret 1: thin (fetch, validate, call the workflow, turn a WorkflowError into a message)."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cqp import autosave, query_params
from cqp.autosave import Versioned
from cqp.exceptions import WorkflowError
from cqp.permissions import login_required_page, require_perm

from . import pdf, workflow
from . import rules as livret_rules
from .declaration import declaration_text
from .enums import DemandNature
from .filters import RecevabiliteFilter
from .forms import DecisionForm, ExperienceFormSet, Livret1Form, PieceForm, SubmitForm, date_messages, draft_from_post
from .models import CANDIDATE_FIELDS, Livret1
from .piece_views import pieces_context
from .selectors import (
    get_dossier_with_livret_access,
    get_livret_for,
    get_livret_to_print,
    get_piece_for,
    livrets_of,
    queue,
)

EXPERIENCE_PREFIX = "experiences"
DATE_SECTIONS = ["etat_civil", "experiences", "declaration"]


def _check(perm, user, obj):
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied("Vous ne pouvez pas faire cette action sur ce livret.")


# ---------------------------------------------------------------- context helpers


def _experience_context(livret, rows=None):
    today = timezone.localdate()
    version = livret.referentiel
    check = livret_rules.experience_total(
        rows if rows is not None else livret.experiences.all(),
        required_months=version.min_experience_months,
        window_years=version.experience_window_years,
        today=today,
    )
    return {
        "experience": check,
        "experience_label": check.label,
        "experience_rule": livret_rules.experience_rule_label(
            version.min_experience_months, version.experience_window_years
        ),
        "missing_label": check.missing_label,
    }


def _progress_context(livret):
    missing = livret.missing()
    return {
        "missing": missing,
        "sections": livret_rules.section_progress(missing),
        "progress": livret_rules.progress_percent(missing),
    }


def _read_context(request, livret):
    user = request.user
    context = {
        "livret": livret,
        "dossier": livret.dossier,
        "version": livret.referentiel,
        "experiences": livret.experiences.all(),
        "history": livrets_of(livret.dossier).exclude(pk=livret.pk),
        "can_edit": rules.has_perm("vae.edit_livret1", user, livret),
        "can_decide": rules.has_perm("vae.decide_livret1", user, livret),
        "can_renew": rules.has_perm("vae.renew_livret1", user, livret),
        "renewal_kind": _renewal_label(livret),
        "today": timezone.localdate(),
    }
    context.update(_experience_context(livret))
    context.update(_progress_context(livret))
    context.update(pieces_context(livret, user))
    return context


def _renewal_label(livret):
    kind = livret_rules.renewal_kind(livret.referentiel, livret.dossier.certification.current_version)
    return DemandNature(kind).label


def _edit_forms(livret):
    """Unbound forms from the stored draft, with the kept invalid input put back so nothing typed is lost."""
    unsaved = livret.unsaved_input or {}
    initial = {name: getattr(livret, name) for name in CANDIDATE_FIELDS}
    initial.update({k: v for k, v in unsaved.items() if k in CANDIDATE_FIELDS})
    form = Livret1Form(initial=initial, instance=Livret1())
    rows = []
    for index, experience in enumerate(livret.experiences.all()):
        row = {name: getattr(experience, name) for name in workflow.EXPERIENCE_FIELDS}
        for name in workflow.EXPERIENCE_FIELDS:
            key = f"{EXPERIENCE_PREFIX}-{index}-{name}"
            if key in unsaved:
                row[name] = unsaved[key]
        rows.append(row)
    formset = ExperienceFormSet(initial=rows or [{}], prefix=EXPERIENCE_PREFIX)
    return form, formset


# ---------------------------------------------------------------- candidate


@require_POST
@login_required_page
def livret1_start(request, number):
    dossier = get_dossier_with_livret_access(request.user, number)
    if dossier.candidate_id == request.user.pk and dossier.livrets1.filter(is_active=True).exists():
        return redirect("vae:livret1", number=number)  # already started (double click, second tab)
    _check("vae.start_livret1", request.user, dossier)
    try:
        workflow.start_livret1(dossier, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(dossier)
    return redirect("vae:livret1", number=number)


@login_required_page
def livret1_detail(request, number, pk=None):
    livret = get_livret_for(request.user, number, pk)
    context = _read_context(request, livret)
    if context["can_edit"] and pk is None:
        form, formset = _edit_forms(livret)
        context.update(
            {
                "form": form,
                "formset": formset,
                "piece_form": PieceForm(),
                "unsaved_labels": _unsaved_labels(livret),
                "declaration": declaration_text(livret),
                "edit_version": livret.version,
                "date_messages": date_messages(form, formset, timezone.localdate()),
                "date_sections": livret_rules.date_problems(
                    fields=livret.field_values(), experiences=list(livret.experiences.all()), today=timezone.localdate()
                ),
            }
        )
        return render(request, "vae/livret1_edit.html", context)
    context["declaration"] = declaration_text(livret)
    return render(request, "vae/livret1_detail.html", context)


def _unsaved_labels(livret):
    labels = []
    for key in livret.unsaved_input or {}:
        if key in CANDIDATE_FIELDS:
            labels.append(str(Livret1Form.base_fields[key].label or key))
        else:
            _, index, name = key.split("-", 2)
            labels.append(
                f"expérience n° {int(index) + 1} ({str(ExperienceFormSet.form.base_fields[name].label).lower()})"
            )
    return labels


@require_POST
@autosave.login_required
def livret1_save(request, number):
    """Autosave endpoint (htmx; without JavaScript the « Enregistrer » button): cqp/autosave.py checks the version and
    answers. Invalid input does not stop the draft: it is kept as typed and shown as a warning."""
    livret = get_livret_for(request.user, number)
    page_url = reverse("vae:livret1", args=[number])
    if not rules.has_perm("vae.edit_livret1", request.user, livret):
        return autosave.refuse(
            request, "Ce livret 1 n'est pas modifiable par vous : rien n'a été enregistré.", back_url=page_url
        )
    form = Livret1Form(request.POST, instance=Livret1())
    formset = ExperienceFormSet(request.POST, prefix=EXPERIENCE_PREFIX)
    today = timezone.localdate()
    values, rows, unsaved, errors = draft_from_post(form, formset, today)

    def render_page(extra, status):
        context = _read_context(request, livret)
        context.update(
            form=form,
            formset=formset,
            piece_form=PieceForm(),
            unsaved_labels=_unsaved_labels(livret),
            declaration=declaration_text(livret),
            date_messages=date_messages(form, formset, today),
            date_sections=livret_rules.date_problems(fields=values, experiences=rows, today=today),
            **extra,
        )
        return render(request, "vae/livret1_edit.html", context, status=status)

    return autosave.autosave(
        request,
        versioned=Versioned(Livret1, {"pk": livret.pk}),
        save=lambda: workflow.save_draft(livret, by=request.user, values=values, experiences=rows, unsaved=unsaved),
        errors=errors,
        save_with_errors=True,
        page_url=page_url,
        form_id="livret1-form",
        status_context=lambda saved: {
            **_experience_context(saved),
            **_progress_context(saved),
            "date_messages": date_messages(form, formset, today),
            "date_sections": livret_rules.date_problems(fields=values, experiences=rows, today=today),
            "date_section_keys": DATE_SECTIONS,
            "oob_template": "vae/_autosave_oob.html",
        },
        success_message="Livret 1 enregistré.",
        render_page=render_page,
    )


@login_required_page
def livret1_submit(request, number):
    livret = get_livret_for(request.user, number)
    _check("vae.edit_livret1", request.user, livret)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    missing = livret.missing()
    if request.method == "POST" and form.is_valid():
        try:
            workflow.submit_livret1(livret, by=request.user)
        except workflow.IncompleteLivretError as exc:
            missing = exc.missing
            form.add_error(None, str(exc))
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("vae:livret1", number=number)
        else:
            livret.refresh_from_db()
            messages.success(
                request,
                (
                    f"Livret 1 envoyé le {livret.received_on:%d/%m/%Y}. Un accusé de réception vous a été envoyé par "
                    "e-mail ; "
                    f"décision attendue au plus tard le {livret.instruction_deadline:%d/%m/%Y}."
                ),
            )
            return redirect(livret.dossier)
    context = {
        "livret": livret,
        "dossier": livret.dossier,
        "form": form,
        # the recap reads the livret's own completeness rules (livret.missing()): it decides nothing itself
        "recap_sections": livret_rules.section_progress(missing),
        "recap_pieces": livret.pieces.all(),
        "edit_url": reverse("vae:livret1", kwargs={"number": number}),
        "declaration": declaration_text(livret),
        "missing": missing,
        "entretien_first": workflow.entretien_first_reason(livret),
    }
    context.update(_experience_context(livret))
    return render(request, "vae/livret1_submit.html", context, status=200)


@require_POST
@login_required_page
def piece_upload(request, number):
    livret = get_livret_for(request.user, number)
    _check("vae.edit_livret1", request.user, livret)
    form = PieceForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            piece = workflow.add_piece(
                livret, by=request.user, kind=form.cleaned_data["kind"], checked=form.cleaned_data["checked"]
            )
        except WorkflowError as exc:
            error = str(exc)
        else:
            form = PieceForm()
            if not request.htmx:
                messages.success(request, f"Pièce « {piece.original_name} » déposée.")
    else:
        error = " ".join(" ".join(errors) for errors in form.errors.values())
    if request.htmx:
        return render(
            request,
            "vae/_pieces.html",
            {
                "livret": livret,
                "dossier": livret.dossier,
                **pieces_context(livret, request.user),
                "piece_form": form,
                "can_edit": True,
                "upload_error": error,
                "oob_progress": True,
                **_progress_context(livret),
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("vae:livret1", kwargs={"number": number}) + "#pieces")


@login_required_page
def piece_download(request, number, pk):
    piece = get_piece_for(request.user, number, pk)
    response = FileResponse(
        piece.file.open("rb"), as_attachment=True, filename=piece.original_name, content_type=piece.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required_page
def piece_delete(request, number, pk):
    piece = get_piece_for(request.user, number, pk)
    _check("vae.delete_piece", request.user, piece)
    livret = piece.livret1
    try:
        workflow.delete_piece(piece, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    if request.htmx:
        return render(
            request,
            "vae/_pieces.html",
            {
                "livret": livret,
                "dossier": livret.dossier,
                **pieces_context(livret, request.user),
                "piece_form": PieceForm(),
                "can_edit": True,
                "oob_progress": True,
                **_progress_context(livret),
            },
        )
    messages.success(request, "Pièce supprimée.")
    return redirect(reverse("vae:livret1", kwargs={"number": number}) + "#pieces")


@require_POST
@login_required_page
def livret1_renew(request, number):
    livret = get_livret_for(request.user, number)
    _check("vae.renew_livret1", request.user, livret)
    try:
        new = workflow.renew_livret1(livret, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(livret.dossier)
    messages.success(
        request, f"Nouvelle demande ({new.get_nature_display().lower()}) commencée : complétez-la puis envoyez-la."
    )
    return redirect("vae:livret1", number=number)


@login_required_page
def livret1_pdf(request, number, pk):
    """The printable livret 1 (cerfa 12818*02), for those who read the dossier's livret 1 and its jury."""
    livret = get_livret_to_print(request.user, number, pk)
    return _pdf_response(pdf.build_livret1_pdf(livret), f"livret1-{livret.dossier.number}.pdf")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required_page
def notification_pdf(request, number, pk):
    livret = get_livret_for(request.user, number, pk)
    if livret.decided_on is None:
        raise PermissionDenied("Aucune décision n'a encore été rendue sur ce livret.")
    response = HttpResponse(pdf.build_notification_pdf(livret), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notification-recevabilite-{livret.dossier.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- OEMM instruction


@require_perm("vae.view_queue")
def instruction_queue(request):
    """Filtered and sorted by django-filter (vae/filters.py); the closest deadline first by default."""
    found = RecevabiliteFilter(request.GET or None, queryset=queue(user=request.user))
    page = Paginator(found.qs, 25).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))
    return render(
        request,
        "vae/queue.html",
        {
            "livrets": page,
            "page": page,
            "filter": found,
            "query": query_params.without_page(request.GET),
            "today": timezone.localdate(),
        },
    )


@login_required_page
def livret1_decide(request, number):
    livret = get_livret_for(request.user, number)
    if not rules.has_perm("vae.view_queue", request.user):
        raise PermissionDenied("Seul l'OEMM instruit les demandes de recevabilité.")
    try:
        workflow.check_decidable(livret)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("vae:livret1", number=number)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.DECISIONS[data["decision"]](livret, request.user, data)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            livret.refresh_from_db()
            messages.success(
                request, f"Décision enregistrée : {livret.get_state_display()}. Le candidat est notifié par e-mail."
            )
            return redirect("vae:queue")
    context = _read_context(request, livret)
    context.update({"form": form, "declaration": declaration_text(livret)})
    return render(request, "vae/livret1_decide.html", context)
