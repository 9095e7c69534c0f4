"""Account services: sign-up, confirmation, invitation, roles (writes)."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import emails
from .enums import Role
from .models import User, UserRole

OEMM_GROUP = "OEMM"
# The certifiers themselves (names, signatories, jury rule) are the administrators' (a certifier's staff acts for one).
OEMM_ADMIN_MODELS = (
    Q(content_type__app_label="referentiels") & ~Q(content_type__model__in=["certifier", "historicalcertifier"])
) | Q(content_type__app_label="cqp", content_type__model__in=["organismeformation", "entreprise"])


def ensure_oemm_group() -> Group:
    """OEMM staff manage référentiels and organisations in the Django admin."""
    group, _ = Group.objects.get_or_create(name=OEMM_GROUP)
    perms = Permission.objects.filter(OEMM_ADMIN_MODELS)
    if group.permissions.count() != perms.count():
        group.permissions.set(perms)
    return group


@transaction.atomic
def sign_up_candidate(*, email, password, first_name, last_name, phone="") -> User:
    """A candidate account, inactive until its address is confirmed; the confirmation link is e-mailed.

    An address already taken reveals nothing (the caller answers the same page): a sign-up never confirmed takes the
    new details and gets the link again; any other account's owner is told by e-mail and nothing changes.
    """
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name, phone=phone, is_active=False
        )
        UserRole.objects.create(user=user, role=Role.CANDIDAT)
        emails.send_signup_confirmation(user)
        return user
    pending = (
        not existing.is_active
        and existing.email_confirmed_at is None
        and existing.has_usable_password()
        and set(existing.roles.values_list("role", flat=True)) == {Role.CANDIDAT}
    )
    if pending:
        existing.set_password(password)
        existing.first_name, existing.last_name, existing.phone = first_name, last_name, phone
        existing.save(update_fields=["password", "first_name", "last_name", "phone"])
        emails.send_signup_confirmation(existing)
    else:
        make_password(password)  # the same work as for a new account: the answer takes as long
        emails.send_signup_existing_account(existing)
    return existing


@transaction.atomic
def confirm_email(user: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = True
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


@transaction.atomic
def grant_role(user: User, *, role, by=None, **details) -> UserRole:
    user_role = UserRole(user=user, role=role, **details)
    user_role.full_clean()
    user_role.save()
    if role in (Role.OEMM, Role.ADMIN) and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if role == Role.OEMM:
        user.groups.add(ensure_oemm_group())
    if role == Role.ADMIN and not user.is_superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user_role


@transaction.atomic
def invite(*, email, first_name, last_name, role, by, **details) -> tuple[User, bool]:
    """Create the account (or add the role to an existing one) and e-mail the person.

    Returns (user, created).
    """
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
    grant_role(user, role=role, by=by, **details)
    label = Role(role).label
    if created or not user.has_usable_password():
        emails.send_invitation(user, role_label=label, invited_by=by)
    else:
        emails.send_role_granted(user, role_label=label, invited_by=by)
    return user, created


@transaction.atomic
def accept_invitation(user: User, *, password) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.is_active = True
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
    user.save(update_fields=["password", "is_active", "email_confirmed_at"])
    return user
