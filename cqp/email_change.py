"""Changing one's e-mail address, confirmed by a link sent to the new address (services).

The link holds a signed, timestamped token (user id, current and new address): no table.
It dies after ``EMAIL_CHANGE_TIMEOUT`` seconds, and once used (the current address no
longer matches). The change itself is kept by the user's history (simple-history).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .mail import queue_mail
from .models import User

SALT = "cqp.email_change"
TAKEN = "Cette adresse est déjà utilisée par un autre compte : le changement n'a pas été fait."


class EmailChangeError(Exception):
    """The link cannot be used; the message is French and shown as is."""


@dataclass(frozen=True)
class EmailChangeRequest:
    user_id: int
    old_email: str
    new_email: str


def make_token(user, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "o": user.email, "n": new_email}, salt=SALT, compress=True)


def read_token(token: str) -> EmailChangeRequest:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_CHANGE_TIMEOUT)
    except signing.SignatureExpired as exc:
        raise EmailChangeError("Ce lien de confirmation a expiré : refaites la demande depuis votre compte.") from exc
    except signing.BadSignature as exc:
        raise EmailChangeError("Ce lien de confirmation n'est pas valable.") from exc
    return EmailChangeRequest(user_id=data["u"], old_email=data["o"], new_email=data["n"])


def address_taken(email: str, *, by_other_than) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=by_other_than.pk).exists()


def request_email_change(user, *, new_email: str) -> None:
    """Mails the confirmation link to the new address, and a notice to the current one."""
    link = settings.SITE_URL + reverse("email_change_confirm", kwargs={"token": make_token(user, new_email)})
    hours = settings.EMAIL_CHANGE_TIMEOUT // 3600
    queue_mail(
        "email_change_confirm", {"user": user, "new_email": new_email, "link": link, "hours": hours}, [new_email]
    )
    queue_mail("email_change_notice", {"user": user, "new_email": new_email}, [user.email])


@transaction.atomic
def confirm_email_change(token: str) -> User:
    change = read_token(token)
    user = User.objects.select_for_update().filter(pk=change.user_id, is_active=True).first()
    if user is None or user.email != change.old_email:
        raise EmailChangeError("Ce lien de confirmation a déjà servi ou n'est plus valable.")
    if address_taken(change.new_email, by_other_than=user):
        raise EmailChangeError(TAKEN)
    user.email = change.new_email
    user.email_confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_confirmed_at"])
    except IntegrityError as exc:  # taken by another account between the check above and the save
        raise EmailChangeError(TAKEN) from exc
    return user
