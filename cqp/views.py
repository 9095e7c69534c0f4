"""Home and role switching (the dashboards of each role are in pilotage/views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from referentiels.models import Certification

from .enums import Role
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
