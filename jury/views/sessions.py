"""Sessions seen by OEMM and jury members: list, creation, composition, candidates, convocations, opening."""

import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cqp import query_params
from cqp.enums import College
from cqp.permissions import require_perm

from .. import partial, readiness, selectors, targets, workflow
from .. import rules as jury_rules
from ..enums import FicheState
from ..filters import SessionFilter
from ..forms import (
    AddCandidateForm,
    AddMemberForm,
    AttendanceForm,
    OpenSessionForm,
    SessionForm,
)
from .common import check_perm, run_action, session_candidate

# ------------------------------------------------------------------ sessions


def _new_convocations(sent: int) -> str:
    if not sent:
        return ""
    return " 1 nouvelle convocation envoyée." if sent == 1 else f" {sent} nouvelles convocations envoyées."


@require_perm("jury.list_sessions")
def session_list(request):
    """Upcoming sessions in full, past ones paginated; both filtered by CQP and year and sorted by a column (``tri``,
    django-filter: jury/filters.py, shared with the export); a hostile value is left out."""
    today = timezone.localdate()
    sessions = SessionFilter(request.GET or None, queryset=selectors.sessions_listed(request.user))
    listed = sessions.qs
    chosen = sessions.form.cleaned_data if sessions.is_bound else {}
    sorted_by = bool(chosen.get("tri"))
    ready = []
    if rules.has_perm("jury.manage_sessions", request.user):
        dossiers = list(selectors.dossiers_ready_for_jury(request.user))
        received = readiness.livret2_received_on_many(dossiers)
        ready = [{"dossier": dossier, "livret2_on": received[dossier.pk]} for dossier in dossiers]
    upcoming = listed.filter(date__gte=today)
    past = listed.filter(date__lt=today)
    if not sorted_by:
        upcoming, past = upcoming.order_by("date", "start_time", "pk"), past.order_by("-date", "-start_time", "-pk")
    past = Paginator(past, 20).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))
    years = sorted({d.year for d in selectors.sessions_for(request.user).dates("date", "year")}, reverse=True)
    return render(
        request,
        "jury/session_list.html",
        {
            "upcoming": list(upcoming),
            "past": past,
            "ready": ready,
            "can_manage": rules.has_perm("jury.manage_sessions", request.user),
            "can_export": rules.has_perm("cqp.view_oemm_dashboard", request.user),
            "query": query_params.without_page(request.GET),
            "certifications": list(sessions.form.fields["cqp"].choices)[1:],
            "cqp": chosen.get("cqp") or "",
            "annee": str(chosen.get("annee") or ""),
            "tri": sorted_by and chosen["tri"][0],
            "years": years,
            "filtered": bool(chosen.get("cqp") or chosen.get("annee")),
        },
    )


@require_perm("jury.manage_sessions")
def session_create(request):
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, session = run_action(
            request,
            lambda: workflow.create_session(
                by=request.user,
                certifications=data["certifications"],
                date=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                video_link=data["video_link"],
                capacity=data["capacity"],
                kind=data["kind"],
            ),
            "Session créée : composez le jury et ajoutez les candidats.",
        )
        if ok:
            return redirect(session)
    return render(request, "jury/form_page.html", {"form": form, "title": "Nouvelle session de jury"})


@require_perm("jury.list_sessions")
def session_detail(request, pk):
    session = selectors.get_session_for(request.user, pk)
    user = request.user
    today = timezone.localdate()
    slots = session.slots()
    rows = []
    # Everything per candidate comes from the prefetched lists: a constant number of queries per page.
    candidates = list(
        session.ordered_candidates().prefetch_related("convocations", "conflicts__member__user", "fiches")
    )
    received = readiness.livret2_received_on_many([c.dossier for c in candidates])
    roads = {
        r.dossier.pk: r for r in partial.roads_for([c.dossier for c in candidates], session.date, with_centres=False)
    }
    for candidate in candidates:
        conflicts = list(candidate.conflicts.all())
        current = [f for f in candidate.fiches.all() if f.state != FicheState.REMPLACEE]
        livret2_on = received[candidate.dossier_id]
        rows.append(
            {
                "c": candidate,
                "slot": slots.get(candidate.pk),
                "convocation": max(candidate.convocations.all(), key=lambda c: c.version, default=None),
                "fiche": max(current, key=lambda f: f.version, default=None),
                "conflicts": conflicts,
                "conflicted": user.pk in {c.member.user_id for c in conflicts},
                "livret2_on": livret2_on,
                "again": roads.get(candidate.dossier_id),
                "livret": jury_rules.livret_timing(
                    session.date,
                    candidate.dossier.version.livret2_due_months_before_session,
                    livret2_on,
                    path=candidate.dossier.path,
                    today=today,
                ),
            }
        )
    members = list(session.members.select_related("user"))
    for member in members:
        member.college_label = session.certifier.college_label(member.college)
    can_manage = rules.has_perm("jury.manage_sessions", user)
    context = {
        "session": session,
        "rows": rows,
        "members": members,
        "can_manage": can_manage,
        "can_edit": rules.has_perm("jury.edit_session", user, session),
        "composition_problems": jury_rules.check_composition(members, **targets.composition_rule(session)),
        "events": session.events.select_related("actor", "session_candidate__dossier__candidate"),
        "attendance_form": AttendanceForm(),
    }
    if context["can_edit"]:
        proposed = workflow.proposed_president_college(session)
        context.update(
            {
                "member_form": AddMemberForm(session=session)
                if len(members) < session.certifier.jury_max_members
                else None,
                "candidate_form": AddCandidateForm(session=session),
                "open_form": OpenSessionForm(session=session, proposed_college=proposed),
                "proposed_college": proposed,
                "proposed_label": College(proposed).label if proposed else "",
                # Why the session cannot be opened today (a remote session the day before: its reason is asked).
                "opening_problem": jury_rules.opening_problem(
                    session.date, today, remote=session.is_remote, early_reason="—"
                ),
                "opening_early": today < session.date,
            }
        )
        if context["member_form"]:
            context["member_form"].helper.form_action = reverse("jury:member_add", kwargs={"pk": session.pk})
    return render(request, "jury/session_detail.html", context)


@require_perm("jury.manage_sessions")
def session_edit(request, pk):
    session = selectors.get_session_for(request.user, pk)
    check_perm("jury.edit_session", request.user, session)
    initial = {
        "date": session.date,
        "start_time": session.start_time,
        "place": session.place,
        "video_link": session.video_link,
        "capacity": session.capacity,
    }
    form = SessionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, sent = run_action(
            request,
            lambda: workflow.reschedule_session(
                session,
                by=request.user,
                date=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                video_link=data["video_link"],
                capacity=data["capacity"],
            ),
            None,
        )
        if ok:
            messages.success(request, "Session modifiée." + _new_convocations(sent))
            return redirect(session)
    return render(
        request,
        "jury/form_page.html",
        {
            "form": form,
            "title": f"Modifier la {session}",
            "back": session.get_absolute_url(),
            "intro": (
                "Les candidats déjà convoqués dont l'horaire ou le lieu change reçoivent une nouvelle convocation ; "
                "les membres du jury sont prévenus d'un changement de date, d'heure ou de lieu."
            ),
        },
    )


def _managed_session(request, pk):
    return selectors.get_session_for(request.user, pk)


@require_POST
@require_perm("jury.manage_sessions")
def member_add(request, pk):
    session = _managed_session(request, pk)
    form = AddMemberForm(request.POST, session=session)
    if form.is_valid():
        run_action(
            request,
            lambda: workflow.add_member(session, by=request.user, user=form.cleaned_data["user"]),
            "Membre ajouté au jury.",
        )
    else:
        messages.error(request, "Choisissez un membre de jury.")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def member_remove(request, pk, mid):
    session = _managed_session(request, pk)
    member = get_object_or_404(session.members, pk=mid)
    run_action(
        request,
        lambda: workflow.remove_member(member, by=request.user),
        "Membre retiré du jury : il en est prévenu par une notification.",
    )
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def candidate_add(request, pk):
    session = _managed_session(request, pk)
    form = AddCandidateForm(request.POST, session=session)
    if form.is_valid():
        run_action(
            request,
            lambda: workflow.add_candidate(session, by=request.user, dossier=form.cleaned_data["dossier"]),
            "Candidat ajouté : convoquez-le quand la session est prête.",
        )
    else:
        messages.error(request, "Choisissez un dossier prêt pour le jury portant sur un CQP de la session.")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def candidate_remove(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    run_action(
        request,
        lambda: workflow.remove_candidate(candidate, by=request.user),
        "Candidat retiré de la session : s'il avait été convoqué (ou informé de la date de la commission), il est "
        "prévenu de l'annulation.",
    )
    return redirect("jury:session", pk=pk)


@require_POST
@require_perm("jury.manage_sessions")
def candidate_up(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    ok, sent = run_action(request, lambda: workflow.move_candidate_up(candidate, by=request.user), None)
    if ok:
        messages.success(request, "Ordre de passage modifié." + _new_convocations(sent))
    return redirect("jury:session", pk=pk)


@require_POST
@require_perm("jury.manage_sessions")
def convoke(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    run_action(
        request,
        lambda: workflow.convoke(candidate, by=request.user),
        f"Convocation envoyée à {candidate.dossier.candidate} (PDF et invitation agenda).",
    )
    return redirect("jury:session", pk=pk)


@require_POST
@require_perm("jury.manage_sessions")
def attendance(request, pk, cid):
    candidate = session_candidate(request, pk, cid)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: workflow.record_attendance(
                candidate,
                by=request.user,
                attendance=form.cleaned_data["attendance"],
                note=form.cleaned_data["note"],
            ),
            "Présence enregistrée.",
        )
    return redirect("jury:session", pk=pk)


@require_perm("jury.manage_sessions")
def session_open(request, pk):
    session = _managed_session(request, pk)
    check_perm("jury.open_session", request.user, session)
    form = OpenSessionForm(
        request.POST or None, session=session, proposed_college=workflow.proposed_president_college(session)
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = run_action(
            request,
            lambda: workflow.open_session(
                session,
                by=request.user,
                president=form.cleaned_data["president"],
                reason=form.cleaned_data["reason"],
                early_reason=form.cleaned_data.get("early_reason", ""),
            ),
            "Session ouverte, président désigné : le jury peut délibérer.",
        )
        if ok:
            return redirect(session)
    elif request.method == "POST":
        messages.error(request, "Choisissez le président parmi les membres du jury.")
    return redirect(session)


@require_POST
@require_perm("jury.manage_sessions")
def session_close(request, pk):
    session = _managed_session(request, pk)
    run_action(request, lambda: workflow.close_session(session, by=request.user), "Session close.")
    return redirect(session)
