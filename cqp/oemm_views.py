"""OEMM manages accounts (by invitation) and organisations."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from . import accounts, query_params
from .enums import Role
from .filters import AccountFilter, EntrepriseFilter, OrganismeFilter
from .forms import EntrepriseForm, InviteForm, OrganismeForm
from .models import Entreprise, OrganismeFormation, User
from .permissions import require_perm


def _paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(query_params.int_param(request.GET, "page", minimum=1, default=1))


@require_perm("cqp.manage_accounts")
def account_list(request):
    """Filtered and sorted by django-filter (cqp/filters.py): an invalid parameter is left out."""
    users = AccountFilter(
        request.GET or None,
        queryset=User.objects.prefetch_related("roles__organisme", "roles__entreprise").order_by(
            "last_name", "first_name", "email", "pk"
        ),
    )
    return render(
        request,
        "cqp/oemm/accounts.html",
        {"page": _paginate(request, users.qs), "filter": users, "query": query_params.without_page(request.GET)},
    )


@require_perm("cqp.manage_accounts")
def account_invite(request):
    form = InviteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {}
        if data["role"] == Role.ORGANISME:
            details["organisme"] = data["organisme"]
        if data["role"] == Role.ENTREPRISE:
            details["entreprise"] = data["entreprise"]
            details["entreprise_function"] = data["entreprise_function"]
        if data["role"] == Role.OEMM:
            details["certifier"] = data["certifier"]
        if data["role"] == Role.JURY:
            details["college"] = data["college"]
            details["union_name"] = data["union_name"]
        user, created = accounts.invite(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            by=request.user,
            **details,
        )
        if created:
            messages.success(request, f"Invitation envoyée à {user.email}.")
        else:
            messages.success(request, f"Rôle « {Role(data['role']).label} » ajouté au compte existant de {user.email}.")
        return redirect("oemm_accounts")
    return render(
        request,
        "cqp/form_page.html",
        {
            "form": form,
            "title": "Inviter une personne",
            "intro": (
                "La personne reçoit un e-mail pour choisir son mot de passe. Une adresse déjà connue "
                "reçoit le rôle en plus des siens."
            ),
            "back_url": "oemm_accounts",
        },
    )


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
    "organisme": (
        OrganismeFormation,
        OrganismeForm,
        "Organismes de formation",
        "organisme de formation",
        "oemm_organismes",
    ),
    "entreprise": (Entreprise, EntrepriseForm, "Entreprises", "entreprise", "oemm_entreprises"),
}


@require_perm("cqp.manage_organisations")
def organisation_list(request, kind):
    model, _, title, label, _ = ORGANISATIONS[kind]
    items = model.objects.order_by("name", "pk")
    if kind == "organisme":
        items = items.prefetch_related("certifications")
    found = (OrganismeFilter if kind == "organisme" else EntrepriseFilter)(request.GET or None, queryset=items)
    return render(
        request,
        "cqp/oemm/organisations.html",
        {
            "page": _paginate(request, found.qs),
            "filter": found,
            "query": query_params.without_page(request.GET),
            "title": title,
            "label": label,
            "kind": kind,
            "export_key": "organismes" if kind == "organisme" else "entreprises",
        },
    )


@require_perm("cqp.manage_organisations")
def organisation_edit(request, kind, pk=None):
    model, form_class, title, label, list_url = ORGANISATIONS[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, f"{label.capitalize()} « {obj} » enregistré{'e' if kind == 'entreprise' else ''}.")
        return redirect(list_url)
    return render(
        request,
        "cqp/form_page.html",
        {
            "form": form,
            "title": f"Modifier {instance}" if instance else f"Nouvel{'le' if kind == 'entreprise' else ''} {label}",
            "back_url": list_url,
        },
    )
