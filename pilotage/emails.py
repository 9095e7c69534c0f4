"""One function per e-mail of the deletion requests."""

from django.conf import settings
from django.urls import reverse

from cqp.enums import Role
from cqp.mail import queue_mail
from cqp.models import User


def _oemm_emails() -> list[str]:
    return list(User.objects.filter(is_active=True, roles__role=Role.OEMM).values_list("email", flat=True).distinct())


def send_deletion_requested(deletion_request):
    """To the OEMM: a candidate asked for the deletion of their data (no name in the subject)."""
    to = _oemm_emails()
    if to:
        url = settings.SITE_URL + reverse("oemm_deletion_requests")
        queue_mail("deletion_requested", {"request": deletion_request, "url": url}, to)


def send_deletion_treated(deletion_request, *, recipient, first_name):
    """To the candidate's former address: their data has been anonymised."""
    queue_mail("deletion_treated", {"request": deletion_request, "first_name": first_name}, [recipient])


def send_deletion_refused(deletion_request):
    queue_mail(
        "deletion_refused",
        {"request": deletion_request, "user": deletion_request.candidate},
        [deletion_request.candidate.email],
    )
