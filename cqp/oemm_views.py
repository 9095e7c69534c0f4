"""OEMM manages accounts (by invitation) and organisations."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from . import accounts
from .enums import Role
from .forms import EntrepriseForm, InviteForm, OrganismeForm
from .models import Entreprise, OrganismeFormation, User
from .permissions import require_perm


def _paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_perm("cqp.manage_accounts")
def account_list(request):
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = User.objects.prefetch_related("roles__organisme", "roles__entreprise").order_by("last_name", "first_name", "email")
    if q:
        users = users.filter(Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if role in Role.values:
        users = users.filter(roles__role=role)
    return render(request, "cqp/oemm/accounts.html", {
        "page": _paginate(request, users.distinct()), "q": q, "role": role, "roles": Role.choices,
    })


@require_perm("cqp.manage_accounts")
def account_invite(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {}
        if data["role"] == Role.ORGANISME:
            details["organisme"] = data["organisme"]
        if data["role"] == Role.ENTREPRISE:
            details["entreprise"] = data["entreprise"]
            details["entreprise_function"] = data["entreprise_function"]
        if data["role"] == Role.JURY:
            details["college"] = data["college"]
            details["union_name"] = data["union_name"]
        user, created = accounts.invite(
            email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
            role=data["role"], by=request.user, **details,
        )
        if created:
            messages.success(request, f"Invitation envoyée à {user.email}.")
        else:
            messages.success(request, f"Rôle « {Role(data['role']).label} » ajouté au compte existant de {user.email}.")
        return redirect("oemm_accounts")
    return render(request, "cqp/form_page.html", {
        "form": form, "title": "Inviter une personne",
        "intro": "La personne reçoit un e-mail pour choisir son mot de passe. Une adresse déjà connue reçoit le rôle en plus des siens.",
        "back_url": "oemm_accounts",
    })


@require_perm("cqp.manage_accounts")
def account_resend(request, pk):
    user = get_object_or_404(User, pk=pk)
    if request.method != "POST":
        return redirect("oemm_accounts")
    if user.has_usable_password():
        messages.error(request, "Ce compte est déjà activé : la personne peut utiliser « Mot de passe oublié ».")
    else:
        from . import emails

        role = user.roles.exclude(role=Role.CANDIDAT).first()
        emails.send_invitation(user, role_label=role.get_role_display() if role else "", invited_by=request.user)
        messages.success(request, f"Invitation renvoyée à {user.email}.")
    return redirect("oemm_accounts")


ORGANISATIONS = {
    "organisme": (OrganismeFormation, OrganismeForm, "Organismes de formation", "organisme de formation", "oemm_organismes"),
    "entreprise": (Entreprise, EntrepriseForm, "Entreprises", "entreprise", "oemm_entreprises"),
}


@require_perm("cqp.manage_organisations")
def organisation_list(request, kind):
    model, _, title, label, _ = ORGANISATIONS[kind]
    q = request.GET.get("q", "").strip()
    items = model.objects.all()
    if kind == "organisme":
        items = items.prefetch_related("certifications")
    if q:
        items = items.filter(Q(name__icontains=q) | Q(siret__icontains=q))
    return render(request, "cqp/oemm/organisations.html", {
        "page": _paginate(request, items), "q": q, "title": title, "label": label, "kind": kind,
    })


@require_perm("cqp.manage_organisations")
def organisation_edit(request, kind, pk=None):
    model, form_class, title, label, list_url = ORGANISATIONS[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, f"{label.capitalize()} « {obj} » enregistré{'e' if kind == 'entreprise' else ''}.")
        return redirect(list_url)
    return render(request, "cqp/form_page.html", {
        "form": form, "title": f"Modifier {instance}" if instance else f"Nouvel{'le' if kind == 'entreprise' else ''} {label}",
        "back_url": list_url,
    })


@require_perm("cqp.view_oemm_dashboard")
def deadlines(request):
    from django.utils import timezone

    from candidates.models import Dossier
    from referentiels.models import Certification

    from .deadline_overview import HORIZONS, OEMM_KINDS, DeadlineRow, querysets, within
    from .models import ReminderKind

    today = timezone.localdate()
    kind = request.GET.get("kind") if request.GET.get("kind") in OEMM_KINDS else ReminderKind.FIRST_JURY
    try:
        horizon = int(request.GET.get("horizon", 90))
    except ValueError:
        horizon = 90
    if horizon not in dict(HORIZONS):
        horizon = 90
    cqp = request.GET.get("cqp", "")
    dossiers = Dossier.objects.all()
    if cqp:
        dossiers = dossiers.filter(certification__code=cqp)
    sets = querysets(dossiers, include_agrement=True)
    counts = {k: within(qs, field, today, horizon).count() for k, (qs, _, field) in sets.items()}
    queryset, make, field = sets[kind]
    page = Paginator(within(queryset, field, today, horizon), 25).get_page(request.GET.get("page"))
    page_rows = [DeadlineRow(kind, *make(obj), today=today) for obj in page.object_list]
    return render(request, "cqp/oemm/deadlines.html", {
        "page": page, "rows": page_rows, "kind": kind, "horizon": horizon, "cqp": cqp,
        "tabs": [(k, ReminderKind(k).label, counts[k]) for k in OEMM_KINDS], "horizons": HORIZONS,
        "certifications": Certification.objects.all(),
    })
