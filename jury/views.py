"""Jury pages: thin views (fetch through scoped queries, validate the form, call the workflow, redirect)."""


import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from cqp.permissions import login_required_page

from cqp.enums import College
from cqp.exceptions import WorkflowError
from cqp.permissions import require_perm

from . import readiness, rules as jury_rules, selectors, workflow
from .enums import NOT_PRESENT, FicheState, PdfStatus
from .forms import (
    AddCandidateForm, AddMemberForm, AttendanceForm, ConflictForm, CorrectionForm, DeliberationForm, OpenSessionForm,
    SessionForm,
)
from referentiels.models import Certification

from .models import Certificate, Convocation, JurySession, SessionCandidate, ValidatedUnit




def _check(perm, user, obj=None):
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied("Vous n'avez pas accès à cette action.")


def _run(request, action, success):
    """Call a workflow function; a WorkflowError becomes an error message."""
    try:
        result = action()
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def _pdf_response(field, filename):
    if not field:
        raise Http404("Document pas encore disponible.")
    response = FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ sessions


@require_perm("jury.list_sessions")
def session_list(request):
    """Upcoming sessions in full, past ones paginated; both filtered by CQP and year."""
    today = timezone.localdate()
    code, year = request.GET.get("cqp", ""), request.GET.get("annee", "")
    sessions = selectors.sessions_for(request.user).prefetch_related("members__user").annotate(
        candidate_count=Count("candidates", distinct=True))
    if code:
        sessions = sessions.filter(certifications__code=code).distinct()
    if year.isdigit():
        sessions = sessions.filter(date__year=int(year))
    ready = []
    if rules.has_perm("jury.manage_sessions", request.user):
        dossiers = list(selectors.dossiers_ready_for_jury())
        received = readiness.livret2_received_on_many(dossiers)
        ready = [{"dossier": dossier, "livret2_on": received[dossier.pk]} for dossier in dossiers]
    past = Paginator(sessions.filter(date__lt=today).order_by("-date", "-start_time"), 20).get_page(request.GET.get("page"))
    years = sorted({d.year for d in selectors.sessions_for(request.user).dates("date", "year")}, reverse=True)
    return render(request, "jury/session_list.html", {
        "upcoming": list(sessions.filter(date__gte=today).order_by("date", "start_time")),
        "past": past,
        "ready": ready,
        "can_manage": rules.has_perm("jury.manage_sessions", request.user),
        "certifications": Certification.objects.order_by("title"), "cqp": code, "annee": year, "years": years,
        "filtered": bool(code or year.isdigit()),
    })


@require_perm("jury.manage_sessions")
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, session = _run(request, lambda: workflow.create_session(
            by=request.user, certifications=data["certifications"], date=data["date"], start_time=data["start_time"],
            place=data["place"], video_link=data["video_link"], capacity=data["capacity"],
        ), "Session créée : composez le jury et ajoutez les candidats.")
        if ok:
            return redirect(session)
    return render(request, "jury/form_page.html", {"form": form, "title": "Nouvelle session de jury"})


@require_perm("jury.list_sessions")
def session_detail(request, pk):
    session = selectors.get_session_for(request.user, pk)
    user = request.user
    slots = session.slots()
    rows = []
    # Everything per candidate comes from the prefetched lists: a constant number of queries per page.
    candidates = list(session.ordered_candidates().prefetch_related("convocations", "conflicts__member__user", "fiches"))
    received = readiness.livret2_received_on_many([c.dossier for c in candidates])
    for candidate in candidates:
        conflicts = list(candidate.conflicts.all())
        current = [f for f in candidate.fiches.all() if f.state != FicheState.REMPLACEE]
        livret2_on = received[candidate.dossier_id]
        rows.append({
            "c": candidate, "slot": slots.get(candidate.pk),
            "convocation": max(candidate.convocations.all(), key=lambda c: c.version, default=None),
            "fiche": max(current, key=lambda f: f.version, default=None), "conflicts": conflicts,
            "conflicted": user.pk in {c.member.user_id for c in conflicts},
            "livret2_on": livret2_on,
            "livret2_late": jury_rules.livret2_late(
                session.date, candidate.dossier.version.livret2_due_months_before_session, livret2_on),
        })
    members = list(session.members.select_related("user"))
    can_manage = rules.has_perm("jury.manage_sessions", user)
    context = {
        "session": session, "rows": rows, "members": members, "can_manage": can_manage,
        "can_edit": rules.has_perm("jury.edit_session", user, session),
        "composition_problems": jury_rules.check_composition(members),
        "events": session.events.select_related("actor", "session_candidate__dossier__candidate"),
        "attendance_form": AttendanceForm(),
    }
    if context["can_edit"]:
        proposed = workflow.proposed_president_college(session)
        context.update({
            "member_form": AddMemberForm(session=session) if len(members) < workflow.MAX_MEMBERS else None,
            "candidate_form": AddCandidateForm(session=session),
            "open_form": OpenSessionForm(session=session, proposed_college=proposed),
            "proposed_college": proposed, "proposed_label": College(proposed).label,
        })
        if context["member_form"]:
            context["member_form"].helper.form_action = reverse("jury:member_add", kwargs={"pk": session.pk})
    return render(request, "jury/session_detail.html", context)


@require_perm("jury.manage_sessions")
def session_edit(request, pk):
    session = selectors.get_session_for(request.user, pk)
    _check("jury.edit_session", request.user, session)
    initial = {"date": session.date, "start_time": session.start_time, "place": session.place,
               "video_link": session.video_link, "capacity": session.capacity}
    form = SessionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, sent = _run(request, lambda: workflow.reschedule_session(
            session, by=request.user, date=data["date"], start_time=data["start_time"], place=data["place"],
            video_link=data["video_link"], capacity=data["capacity"],
        ), None)
        if ok:
            messages.success(request, "Session modifiée." + (f" {sent} nouvelle(s) convocation(s) envoyée(s)." if sent else ""))
            return redirect(session)
    return render(request, "jury/form_page.html", {
        "form": form, "title": f"Modifier la {session}", "back": session.get_absolute_url(),
        "intro": "Les candidats déjà convoqués dont l'horaire ou le lieu change reçoivent une nouvelle convocation.",
    })


def _managed_session(request, pk):
    session = selectors.get_session_for(request.user, pk)
    return session


@require_POST
@require_perm("jury.manage_sessions")
def member_add(request, pk):
    session = _managed_session(request, pk)
    form = AddMemberForm(request.POST, session=session)
    if form.is_valid():
        _run(request, lambda: workflow.add_member(session, by=request.user, user=form.cleaned_data["user"]), "Membre ajouté au jury.")
    else:
        messages.error(request, "Choisissez un membre de jury.")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def member_remove(request, pk, mid):
    session = _managed_session(request, pk)
    member = get_object_or_404(session.members, pk=mid)
    _run(request, lambda: workflow.remove_member(member, by=request.user), "Membre retiré du jury.")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def candidate_add(request, pk):
    session = _managed_session(request, pk)
    form = AddCandidateForm(request.POST, session=session)
    if form.is_valid():
        _run(request, lambda: workflow.add_candidate(session, by=request.user, dossier=form.cleaned_data["dossier"]),
             "Candidat ajouté : convoquez-le quand la session est prête.")
    else:
        messages.error(request, "Choisissez un dossier prêt pour le jury portant sur un CQP de la session.")
    return redirect(session)


def _candidate(request, pk, cid) -> SessionCandidate:
    return selectors.get_session_candidate_for(request.user, pk, cid)


@require_POST
@require_perm("jury.manage_sessions")
def candidate_remove(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    _run(request, lambda: workflow.remove_candidate(candidate, by=request.user), "Candidat retiré de la session.")
    return redirect("jury:session", pk=pk)


@require_POST
@require_perm("jury.manage_sessions")
def candidate_up(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    ok, sent = _run(request, lambda: workflow.move_candidate_up(candidate, by=request.user), None)
    if ok:
        messages.success(request, "Ordre de passage modifié." + (f" {sent} nouvelle(s) convocation(s) envoyée(s)." if sent else ""))
    return redirect("jury:session", pk=pk)


@require_POST
@require_perm("jury.manage_sessions")
def convoke(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    _run(request, lambda: workflow.convoke(candidate, by=request.user),
         f"Convocation envoyée à {candidate.dossier.candidate} (PDF et invitation agenda).")
    return redirect("jury:session", pk=pk)


@require_POST
@require_perm("jury.manage_sessions")
def attendance(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        _run(request, lambda: workflow.record_attendance(
            candidate, by=request.user, attendance=form.cleaned_data["attendance"], note=form.cleaned_data["note"],
        ), "Présence enregistrée.")
    return redirect("jury:session", pk=pk)


@require_perm("jury.manage_sessions")
def session_open(request, pk):
    session = _managed_session(request, pk)
    _check("jury.open_session", request.user, session)
    form = OpenSessionForm(request.POST or None, session=session, proposed_college=workflow.proposed_president_college(session))
    if request.method == "POST" and form.is_valid():
        ok, _ = _run(request, lambda: workflow.open_session(
            session, by=request.user, president=form.cleaned_data["president"], reason=form.cleaned_data["reason"],
        ), "Session ouverte, président désigné : le jury peut délibérer.")
        if ok:
            return redirect(session)
    elif request.method == "POST":
        messages.error(request, "Choisissez le président parmi les membres du jury.")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def session_close(request, pk):
    session = _managed_session(request, pk)
    _run(request, lambda: workflow.close_session(session, by=request.user), "Session close.")
    return redirect(session)


# ------------------------------------------------------------------ a candidate: workspace, deliberation, fiche


@require_perm("jury.list_sessions")
def candidate_detail(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    session, dossier, user = candidate.session, candidate.dossier, request.user
    fiche = candidate.current_fiche
    statuses = selectors.unit_statuses(dossier, session.date, exclude_fiche=fiche if fiche and fiche.is_locked else None)
    to_decide = [s.unit for s in statuses if not s.still_valid]
    can_deliberate = rules.has_perm("jury.deliberate", user, candidate) and not (fiche and fiche.is_locked) \
        and candidate.attendance not in NOT_PRESENT
    deliberation_form = None
    if can_deliberate:
        initial = {d.unit_id: d.validated for d in fiche.unit_decisions.all()} if fiche else {}
        deliberation_form = DeliberationForm(
            units=to_decide, initial_decisions=initial,
            initial={"experience_to_deepen": fiche.experience_to_deepen, "modules_to_follow": fiche.modules_to_follow} if fiche else None,
        )
        deliberation_form.helper.form_action = reverse("jury:deliberate", kwargs={"pk": pk, "cid": cid})
    missing_units = [d.unit for d in fiche.unit_decisions.all() if not d.validated] if fiche else []
    return render(request, "jury/candidate_detail.html", {
        "session": session, "candidate": candidate, "dossier": dossier, "fiche": fiche, "statuses": statuses,
        "decisions": list(fiche.unit_decisions.select_related("unit")) if fiche else [],
        "history": list(candidate.fiches.order_by("-version")),
        "conflicts": list(candidate.conflicts.select_related("member__user")),
        "conflicted": user.pk in candidate.conflicted_user_ids(),
        "can_declare_conflict": rules.has_perm("jury.declare_conflict", user, candidate) and not (fiche and fiche.is_locked),
        "conflict_form": ConflictForm(),
        "deliberation_form": deliberation_form,
        "can_sign": fiche is not None and rules.has_perm("jury.sign_fiche", user, fiche),
        "sign_problem": workflow.signatory_problem(fiche, user) if fiche and fiche.state == FicheState.BROUILLON else None,
        "can_correct": fiche is not None and rules.has_perm("jury.correct_fiche", user, fiche),
        "can_manage": rules.has_perm("jury.manage_sessions", user),
        "centres": selectors.approved_centres(dossier.certification, session.date) if missing_units else [],
        "convocations": list(candidate.convocations.all()),
        "livret2_on": readiness.livret2_received_on(dossier),
        "can_view_dossier": rules.has_perm("candidates.view_dossier", user, dossier),
        "indefinite": dossier.version.partial_validity_years is None,
        "PdfStatus": PdfStatus,
    })


@require_POST
@require_perm("jury.list_sessions")
def conflict(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    form = ConflictForm(request.POST)
    if form.is_valid():
        _run(request, lambda: workflow.declare_conflict(candidate, by=request.user, reason=form.cleaned_data["reason"]),
             "Conflit d'intérêts enregistré : vous ne délibérez pas sur ce candidat.")
    else:
        messages.error(request, "Indiquez le motif du conflit d'intérêts.")
    return redirect(candidate)


@require_POST
@require_perm("jury.list_sessions")
def deliberate(request, pk, cid):
    candidate = _candidate(request, pk, cid)
    if request.user.pk in candidate.conflicted_user_ids():
        messages.error(request, "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne délibérez pas sur son dossier.")
        return redirect(candidate)
    statuses = selectors.unit_statuses(candidate.dossier, candidate.session.date)
    form = DeliberationForm(request.POST, units=[s.unit for s in statuses if not s.still_valid])
    if form.is_valid():
        _run(request, lambda: workflow.record_deliberation(
            candidate, by=request.user, decisions=form.decisions(),
            experience_to_deepen=form.cleaned_data["experience_to_deepen"], modules_to_follow=form.cleaned_data["modules_to_follow"],
        ), "Délibération enregistrée. Le président peut signer la fiche de décision.")
    else:
        messages.error(request, "Décidez de chaque unité : validé ou non validé.")
    return redirect(candidate)


@require_POST
@login_required_page
def fiche_sign(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    _run(request, lambda: workflow.sign_fiche(fiche, by=request.user),
         "Fiche de décision signée : elle est verrouillée et sera envoyée au candidat.")
    return redirect(fiche.session_candidate)


@login_required_page
def fiche_correct(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    _check("jury.correct_fiche", request.user, fiche)
    candidate = fiche.session_candidate
    statuses = selectors.unit_statuses(candidate.dossier, candidate.session.date, exclude_fiche=fiche)
    units = [s.unit for s in statuses if not s.still_valid]
    form = CorrectionForm(
        request.POST or None, units=units,
        initial_decisions={d.unit_id: d.validated for d in fiche.unit_decisions.all()},
        initial={"experience_to_deepen": fiche.experience_to_deepen, "modules_to_follow": fiche.modules_to_follow},
    )
    if request.method == "POST" and form.is_valid():
        ok, new = _run(request, lambda: workflow.correct_fiche(
            fiche, by=request.user, reason=form.cleaned_data["reason"], decisions=form.decisions(),
            experience_to_deepen=form.cleaned_data["experience_to_deepen"], modules_to_follow=form.cleaned_data["modules_to_follow"],
        ), "Fiche rectifiée : une nouvelle version est créée et le candidat en est informé.")
        if ok:
            return redirect(candidate)
    return render(request, "jury/form_page.html", {
        "form": form, "title": f"Rectifier la fiche de décision de {candidate.dossier.candidate}",
        "back": candidate.get_absolute_url(),
        "intro": "Le jury est souverain : seule une erreur matérielle se corrige. Le motif est conservé et le candidat reçoit la nouvelle version.",
    })


@login_required_page
def fiche_pdf(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    _check("jury.download_fiche", request.user, fiche)
    return _pdf_response(fiche.pdf, fiche.pdf_filename)


@require_POST
@require_perm("jury.manage_sessions")
def fiche_rebuild(request, pk):
    fiche = selectors.get_fiche_for(request.user, pk)
    _run(request, lambda: workflow.request_fiche_pdf(fiche, by=request.user), "Fabrication du PDF relancée.")
    return redirect(fiche.session_candidate)


@login_required_page
def certificate_pdf(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    fiche = selectors.get_fiche_for(request.user, certificate.fiche_id)
    _check("jury.download_fiche", request.user, fiche)
    return _pdf_response(certificate.pdf, f"certificat-{certificate.dossier.number}.pdf")


@login_required_page
def convocation_pdf(request, pk):
    convocation = get_object_or_404(Convocation.objects.select_related("session_candidate__dossier"), pk=pk)
    candidate = convocation.session_candidate
    is_own = candidate.dossier.candidate_id == request.user.pk
    if not is_own and not JurySession.objects.visible_to(request.user).filter(pk=candidate.session_id).exists():
        raise Http404
    return _pdf_response(convocation.pdf, f"convocation-jury-{candidate.dossier.number}-v{convocation.version}.pdf")


# ------------------------------------------------------------------ the candidate's page and the public check


@login_required_page
def my_jury(request):
    passages = (
        SessionCandidate.objects.filter(dossier__candidate=request.user)
        .select_related("session", "dossier__certification").prefetch_related("convocations", "fiches")
        .order_by("-session__date")
    )
    rows = []
    for passage in passages:
        fiches = [f for f in passage.fiches.all() if f.state != FicheState.BROUILLON]
        rows.append({"p": passage, "convocation": passage.last_convocation,
                     "fiche": max(fiches, key=lambda f: f.version) if fiches else None})
    certificates = Certificate.objects.filter(dossier__candidate=request.user, revoked_at__isnull=True).select_related("dossier__certification")
    units = ValidatedUnit.objects.filter(candidate=request.user).select_related("unit", "certification", "session")
    return render(request, "jury/my_jury.html", {"rows": rows, "certificates": certificates, "units": units,
                                                 "today": timezone.localdate()})


def verify(request, code):
    certificate = Certificate.objects.select_related("dossier__candidate", "dossier__certification", "dossier__mention").filter(code=code).first()
    if certificate is None:
        raise Http404("Code inconnu.")
    return render(request, "jury/verify.html", {"certificate": certificate})
