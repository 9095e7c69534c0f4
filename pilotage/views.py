"""The dashboard of each role, « Mes rappels » and the OEMM's « Échéances » page: pages that read several apps."""

import rules
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from candidates.models import Dossier
from cqp import query_params
from cqp.enums import ReminderKind, Role
from cqp.models import Entreprise, OrganismeFormation, Reminder, User
from cqp.permissions import require_perm
from cqp.work_queues import work_queues
from jury.models import JurySession
from referentiels.models import Certification

from . import next_actions
from .deadline_overview import OEMM_KINDS, DeadlineRow, querysets, rows
from .filters import DEADLINE_FILTERS


def _dossiers(**filters):
    return (
        Dossier.objects.filter(**filters)
        .select_related("candidate", "certification", "mention", "version")
        .order_by("-created_at")
    )


def _deadlines(**filters):
    return rows(Dossier.objects.filter(**filters), timezone.localdate(), horizon_days=365, limit=20)


@require_perm("cqp.view_candidat_dashboard")
def dashboard_candidat(request):
    return render(
        request,
        "pilotage/dashboards/candidat.html",
        {
            "certifications": Certification.objects.with_current_version(),
            "dossiers": _dossiers(candidate=request.user),
            "deadlines": _deadlines(candidate=request.user),
            "guidance": next_actions.candidate_dashboard(request.user, timezone.localdate()),
        },
    )


@require_perm("cqp.view_organisme_dashboard")
def dashboard_organisme(request):
    membership = request.user.roles.select_related("organisme").get(role=Role.ORGANISME)
    organisme = membership.organisme
    return render(
        request,
        "pilotage/dashboards/organisme.html",
        {
            "organisme": organisme,
            "certifications": organisme.certifications.all(),
            "dossiers": _dossiers(organisme=organisme)[:50],
            "deadlines": _deadlines(organisme=organisme),
            "guidance": next_actions.centre_dashboard(organisme.pk, timezone.localdate()),
            "colleagues": User.objects.filter(roles__role=Role.ORGANISME, roles__organisme=organisme).exclude(
                pk=request.user.pk
            ),
        },
    )


@require_perm("cqp.view_entreprise_dashboard")
def dashboard_entreprise(request):
    membership = request.user.roles.select_related("entreprise").get(role=Role.ENTREPRISE)
    entreprise = membership.entreprise
    return render(
        request,
        "pilotage/dashboards/entreprise.html",
        {
            "entreprise": entreprise,
            "membership": membership,
            # the same permission as the enrolment view (tutors and evaluators do not enrol)
            "can_register": rules.has_perm("candidates.register_employee", request.user),
            "dossiers": _dossiers(entreprise=entreprise)[:50],
            "deadlines": _deadlines(entreprise=entreprise),
            "guidance": next_actions.company_dashboard(request.user, membership, timezone.localdate()),
            "colleagues": User.objects.filter(roles__role=Role.ENTREPRISE, roles__entreprise=entreprise).exclude(
                pk=request.user.pk
            ),
        },
    )


def _queue_groups(today, user):
    """Every registered work queue with its summary, grouped under its heading, in registration order."""
    groups: dict[str, list] = {}
    for queue in work_queues():
        summary = queue.summarize(today, user)
        groups.setdefault(queue.group, []).append((queue, summary, summary.days_left(today)))
    return list(groups.items())


@require_perm("cqp.view_oemm_dashboard")
def dashboard_oemm(request):
    today = timezone.localdate()
    queue_groups = _queue_groups(today, request.user)
    return render(
        request,
        "pilotage/dashboards/oemm.html",
        {
            "counts": {
                "certifications": Certification.objects.with_current_version().count(),
                "organismes": OrganismeFormation.objects.count(),
                "entreprises": Entreprise.objects.count(),
                "users": User.objects.count(),
                "pending": User.objects.filter(is_active=True, password__startswith="!").count(),
            },
            "admin_url": reverse("admin:index"),
            "queue_groups": queue_groups,
            "guidance": next_actions.oemm_dashboard(queue_groups, today),
        },
    )


@require_perm("cqp.view_jury_dashboard")
def dashboard_jury(request):
    membership = request.user.roles.get(role=Role.JURY)
    today = timezone.localdate()
    sessions = (
        JurySession.objects.filter(members__user=request.user)
        .distinct()
        .prefetch_related("certifications", "candidates")
        .select_related("president")
    )
    return render(
        request,
        "pilotage/dashboards/jury.html",
        {
            "membership": membership,
            "upcoming": sessions.filter(date__gte=today).order_by("date", "start_time"),
            "past": sessions.filter(date__lt=today).order_by("-date", "-start_time")[:20],
            "guidance": next_actions.jury_dashboard(request.user, today),
        },
    )


@login_required
def my_reminders(request):
    reminders = Reminder.objects.filter(recipient=request.user, sent_at__isnull=False).order_by("-sent_at")
    return render(
        request, "pilotage/reminders.html", {"page": Paginator(reminders, 25).get_page(request.GET.get("page"))}
    )


def deadline_querysets(user) -> dict:
    """Per kind of the « Échéances » page: (queryset, row maker); a certifier's staff sees its dossiers only."""
    sets = querysets(Dossier.objects.visible_to(user), include_agrement=True)
    return {kind: (queryset, make) for kind, (queryset, make, _) in sets.items()}


@require_perm("cqp.view_oemm_dashboard")
def deadlines(request):
    """« Échéances »: the coming deadlines of one kind, filtered by CQP and horizon, sorted by column (django-filter,
    pilotage/filters.py, shared with the export), paginated."""
    today = timezone.localdate()
    kind = query_params.choice_param(request.GET, "kind", OEMM_KINDS, default=ReminderKind.FIRST_JURY)
    sets = deadline_querysets(request.user)
    found = {k: DEADLINE_FILTERS[k](request.GET, queryset=sets[k][0]) for k in OEMM_KINDS}
    make = sets[kind][1]
    page = Paginator(found[kind].qs, 25).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))
    page_rows = [DeadlineRow(kind, *make(obj), today=today) for obj in page.object_list]
    return render(
        request,
        "pilotage/oemm/deadlines.html",
        {
            "page": page,
            "rows": page_rows,
            "kind": kind,
            "filter": found[kind],
            "horizon": found[kind].horizon_days(),
            "cqp": found[kind].cleaned("cqp") or "",
            "tabs": [(k, ReminderKind(k).label, found[k].qs.count()) for k in OEMM_KINDS],
            "export_key": f"echeances-{kind}",
            "query": query_params.without_page(request.GET),
        },
    )
