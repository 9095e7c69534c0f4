"""A candidate of a session: workspace, conflict of interest, deliberation, fiche de décision and its PDFs."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cqp.permissions import login_required_page, require_perm
from cqp.transitions import allows
from vae.selectors import approved_centres

from .. import readiness, selectors, workflow
from ..enums import FICHE_TRANSITIONS, PdfStatus
from ..forms import (
    ConflictForm,
    CorrectionForm,
    DeliberationForm,
)
from ..models import Certificate, Convocation, JurySession
from .common import check_perm, pdf_response, run_action, session_candidate

# ------------------------------------------------------------------ a candidate: workspace, deliberation, fiche


@require_perm("jury.list_sessions")
def candidate_detail(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    session, dossier, user = candidate.session, candidate.dossier, request.user
    fiche = candidate.current_fiche
    statuses = selectors.examined_statuses(
        selectors.unit_statuses(dossier, session.date, exclude_fiche=fiche if fiche and fiche.is_locked else None),
        dossier,
    )
    to_decide = [s.unit for s in statuses if not s.still_valid]
    deliberation_form = None
    if rules.has_perm("jury.deliberate", user, candidate):
        initial = {d.unit_id: d.validated for d in fiche.unit_decisions.all()} if fiche else {}
        deliberation_form = DeliberationForm(
            units=to_decide,
            initial_decisions=initial,
            initial={"experience_to_deepen": fiche.experience_to_deepen, "modules_to_follow": fiche.modules_to_follow}
            if fiche
            else None,
        )
        deliberation_form.helper.form_action = reverse("jury:deliberate", kwargs={"pk": pk, "cid": cid})
    missing_units = [d.unit for d in fiche.unit_decisions.all() if not d.validated] if fiche else []
    # the previous and next candidates in the order of passage: the president goes from one to the next
    order = list(session.candidates.order_by("position", "id").values_list("pk", flat=True))
    index = order.index(candidate.pk)
    return render(
        request,
        "jury/candidate_detail.html",
        {
            "session": session,
            "candidate": candidate,
            "dossier": dossier,
            "fiche": fiche,
            "statuses": statuses,
            "decisions": list(fiche.unit_decisions.select_related("unit")) if fiche else [],
            "history": list(candidate.fiches.order_by("-version")),
            "conflicts": list(candidate.conflicts.select_related("member__user")),
            "conflicted": user.pk in candidate.conflicted_user_ids(),
            "can_declare_conflict": rules.has_perm("jury.declare_conflict", user, candidate),
            "conflict_form": ConflictForm(),
            "deliberation_form": deliberation_form,
            "can_sign": fiche is not None and rules.has_perm("jury.sign_fiche", user, fiche),
            "sign_problem": workflow.signatory_problem(fiche, user)
            if fiche and allows(FICHE_TRANSITIONS, "sign_fiche", fiche.state)
            else None,
            "can_correct": fiche is not None and rules.has_perm("jury.correct_fiche", user, fiche),
            "can_manage": rules.has_perm("jury.manage_sessions", user),
            "centres": approved_centres(dossier.certification, session.date) if missing_units else [],
            "convocations": list(candidate.convocations.all()),
            "livret2_on": readiness.livret2_received_on(dossier),
            "can_view_dossier": rules.has_perm("candidates.view_dossier", user, dossier),
            "indefinite": dossier.version.partial_validity_years is None,
            "PdfStatus": PdfStatus,
            "previous_cid": order[index - 1] if index > 0 else None,
            "next_cid": order[index + 1] if index + 1 < len(order) else None,
            "position": index + 1,
            "candidate_count": len(order),
        },
    )


@require_POST
@require_perm("jury.list_sessions")
def conflict(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    form = ConflictForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: workflow.declare_conflict(candidate, by=request.user, reason=form.cleaned_data["reason"]),
            "Conflit d'intérêts enregistré : vous ne délibérez pas sur ce candidat.",
        )
    else:
        messages.error(request, "Indiquez le motif du conflit d'intérêts.")
    return redirect(candidate)


@require_POST
@require_perm("jury.list_sessions")
def deliberate(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    statuses = selectors.examined_statuses(
        selectors.unit_statuses(candidate.dossier, candidate.session.date), candidate.dossier
    )
    form = DeliberationForm(request.POST, units=[s.unit for s in statuses if not s.still_valid])
    if form.is_valid():
        run_action(
            request,
            lambda: workflow.record_deliberation(
                candidate,
                by=request.user,
                decisions=form.decisions(),
                experience_to_deepen=form.cleaned_data["experience_to_deepen"],
                modules_to_follow=form.cleaned_data["modules_to_follow"],
            ),
            "Délibération enregistrée. Le président peut signer la fiche de décision.",
        )
    else:
        messages.error(request, "Décidez de chaque unité : validé ou non validé.")
    return redirect(candidate)


@require_POST
@login_required_page
def fiche_sign(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    run_action(
        request,
        lambda: workflow.sign_fiche(fiche, by=request.user),
        "Fiche de décision signée : elle est verrouillée et sera envoyée au candidat.",
    )
    return redirect(fiche.session_candidate)


@login_required_page
def fiche_correct(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    check_perm("jury.correct_fiche", request.user, fiche)
    candidate = fiche.session_candidate
    statuses = selectors.examined_statuses(
        selectors.unit_statuses(candidate.dossier, candidate.session.date, exclude_fiche=fiche), candidate.dossier
    )
    units = [s.unit for s in statuses if not s.still_valid]
    form = CorrectionForm(
        request.POST or None,
        units=units,
        initial_decisions={d.unit_id: d.validated for d in fiche.unit_decisions.all()},
        initial={"experience_to_deepen": fiche.experience_to_deepen, "modules_to_follow": fiche.modules_to_follow},
    )
    if request.method == "POST" and form.is_valid():
        ok, new = run_action(
            request,
            lambda: workflow.correct_fiche(
                fiche,
                by=request.user,
                reason=form.cleaned_data["reason"],
                decisions=form.decisions(),
                experience_to_deepen=form.cleaned_data["experience_to_deepen"],
                modules_to_follow=form.cleaned_data["modules_to_follow"],
            ),
            "Fiche rectifiée : une nouvelle version est créée et le candidat en est informé.",
        )
        if ok:
            return redirect(candidate)
    return render(
        request,
        "jury/form_page.html",
        {
            "form": form,
            "title": f"Rectifier la fiche de décision de {candidate.dossier.candidate}",
            "back": candidate.get_absolute_url(),
            "intro": (
                "Le jury est souverain : seule une erreur matérielle se corrige. Le motif est conservé et "
                "le candidat reçoit la nouvelle version."
            ),
        },
    )


@login_required_page
def fiche_pdf(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    check_perm("jury.download_fiche", request.user, fiche)
    return pdf_response(fiche.pdf, fiche.pdf_filename)


@require_POST
@require_perm("jury.manage_sessions")
def fiche_rebuild(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    run_action(request, lambda: workflow.request_fiche_pdf(fiche, by=request.user), "Fabrication du PDF relancée.")
    return redirect(fiche.session_candidate)


@login_required_page
def certificate_pdf(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    fiche = selectors.get_fiche_for(request.user, certificate.fiche_id)
    check_perm("jury.download_fiche", request.user, fiche)
    return pdf_response(certificate.pdf, f"certificat-{certificate.dossier.number}.pdf")


@login_required_page
def convocation_pdf(request, pk):
    convocation = get_object_or_404(Convocation.objects.select_related("session_candidate__dossier"), pk=pk)
    candidate = convocation.session_candidate
    is_own = candidate.dossier.candidate_id == request.user.pk
    if not is_own and not JurySession.objects.visible_to(request.user).filter(pk=candidate.session_id).exists():
        raise Http404
    return pdf_response(convocation.pdf, f"convocation-jury-{candidate.dossier.number}-v{convocation.version}.pdf")
