"""Home, role switching and the dashboards of each role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from referentiels.models import Certification

from .enums import Role
from .models import Entreprise, OrganismeFormation, User
from .permissions import require_perm
from .roles import DASHBOARD_URL, active_role, user_roles


def home(request):
    if request.user.is_authenticated:
        role = active_role(request)
        if role:
            return redirect(DASHBOARD_URL[role])
        return render(request, "cqp/no_role.html")
    return render(request, "cqp/home.html", {"certifications": Certification.objects.with_current_version()})


@login_required
@require_POST
def switch_role(request):
    role = request.POST.get("role")
    if role not in user_roles(request.user):
        messages.error(request, "Vous n'avez pas ce rôle.")
        return redirect("home")
    request.session["active_role"] = role
    messages.success(request, f"Vous agissez maintenant en tant que : {Role(role).label}.")
    return redirect(DASHBOARD_URL[role])


def _dossiers(**filters):
    from candidates.models import Dossier

    return Dossier.objects.filter(**filters).select_related("candidate", "certification", "mention", "version").order_by("-created_at")


def _deadlines(**filters):
    from django.utils import timezone

    from candidates.models import Dossier

    from .deadline_overview import rows

    return rows(Dossier.objects.filter(**filters), timezone.localdate(), horizon_days=365, limit=20)


@require_perm("cqp.view_candidat_dashboard")
def dashboard_candidat(request):
    return render(request, "cqp/dashboards/candidat.html", {
        "certifications": Certification.objects.with_current_version(),
        "dossiers": _dossiers(candidate=request.user),
        "deadlines": _deadlines(candidate=request.user),
    })


@require_perm("cqp.view_organisme_dashboard")
def dashboard_organisme(request):
    membership = request.user.roles.select_related("organisme").get(role=Role.ORGANISME)
    organisme = membership.organisme
    return render(request, "cqp/dashboards/organisme.html", {
        "organisme": organisme,
        "certifications": organisme.certifications.all(),
        "dossiers": _dossiers(organisme=organisme)[:50],
        "deadlines": _deadlines(organisme=organisme),
        "colleagues": User.objects.filter(roles__role=Role.ORGANISME, roles__organisme=organisme).exclude(pk=request.user.pk),
    })


@require_perm("cqp.view_entreprise_dashboard")
def dashboard_entreprise(request):
    membership = request.user.roles.select_related("entreprise").get(role=Role.ENTREPRISE)
    entreprise = membership.entreprise
    return render(request, "cqp/dashboards/entreprise.html", {
        "entreprise": entreprise,
        "membership": membership,
        "dossiers": _dossiers(entreprise=entreprise)[:50],
        "deadlines": _deadlines(entreprise=entreprise),
        "colleagues": User.objects.filter(roles__role=Role.ENTREPRISE, roles__entreprise=entreprise).exclude(pk=request.user.pk),
    })


@require_perm("cqp.view_oemm_dashboard")
def dashboard_oemm(request):
    return render(request, "cqp/dashboards/oemm.html", {
        "counts": {
            "certifications": Certification.objects.with_current_version().count(),
            "organismes": OrganismeFormation.objects.count(),
            "entreprises": Entreprise.objects.count(),
            "users": User.objects.count(),
            "pending": User.objects.filter(is_active=True, password__startswith="!").count(),
        },
        "admin_url": reverse("admin:index"),
    })


@require_perm("cqp.view_jury_dashboard")
def dashboard_jury(request):
    from django.utils import timezone

    from jury.models import JurySession

    membership = request.user.roles.get(role=Role.JURY)
    today = timezone.localdate()
    sessions = (
        JurySession.objects.filter(members__user=request.user).distinct()
        .prefetch_related("certifications", "candidates").select_related("president")
    )
    return render(request, "cqp/dashboards/jury.html", {
        "membership": membership,
        "upcoming": sessions.filter(date__gte=today).order_by("date", "start_time"),
        "past": sessions.filter(date__lt=today).order_by("-date", "-start_time")[:20],
    })


@login_required
def my_reminders(request):
    from django.core.paginator import Paginator

    from .models import Reminder

    reminders = Reminder.objects.filter(recipient=request.user, sent_at__isnull=False).order_by("-sent_at")
    return render(request, "cqp/reminders.html", {"page": Paginator(reminders, 25).get_page(request.GET.get("page"))})
