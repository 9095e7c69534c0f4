"""A person's notifications: the list (unread first), open one (read, then where to act), read all, and the choice
of e-mail delivery. Each person sees only their own: another's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cqp.query_params import int_param

from . import services
from .forms import PreferenceForm
from .models import Notification, delivery_of

PER_PAGE = 20


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )
    page = Paginator(notifications, PER_PAGE).get_page(int_param(request.GET, "page", minimum=1, default=1))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@login_required
def notification_open(request, pk):
    """Mark read and go where the work is done (a link, so that it opens like any other)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(notification)
    messages.success(request, "Notification marquée comme lue.")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        plural = "s" if count > 1 else ""
        messages.success(request, f"{count} notification{plural} marquée{plural} comme lue{plural}.")
    else:
        messages.info(request, "Aucune notification non lue.")
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, initial={"delivery": delivery_of(request.user)})
    if request.method == "POST" and form.is_valid():
        services.set_delivery(request.user, form.cleaned_data["delivery"])
        messages.success(request, "Votre choix est enregistré.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
