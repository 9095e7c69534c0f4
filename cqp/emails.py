"""One function per account e-mail."""

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .mail import queue_mail
from .tokens import account_token


def _link(name, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse(name, kwargs={"uidb64": uid, "token": account_token.make_token(user)})


def send_signup_confirmation(user):
    queue_mail("signup_confirmation", {"user": user, "link": _link("signup_confirm", user)}, [user.email])


def send_signup_existing_account(user):
    """Someone signed up with the address of an existing account: its owner is told, nothing is created."""
    queue_mail(
        "signup_existing_account",
        {
            "user": user,
            "login_link": settings.SITE_URL + reverse("login"),
            "reset_link": settings.SITE_URL + reverse("password_reset"),
        },
        [user.email],
    )


def send_invitation(user, *, role_label, invited_by):
    queue_mail(
        "invitation",
        {"user": user, "role_label": role_label, "invited_by": invited_by, "link": _link("invitation_accept", user)},
        [user.email],
    )


def send_role_granted(user, *, role_label, invited_by):
    queue_mail(
        "role_granted",
        {"user": user, "role_label": role_label, "invited_by": invited_by, "link": settings.SITE_URL + reverse("home")},
        [user.email],
    )
