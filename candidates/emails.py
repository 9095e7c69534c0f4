"""One function per e-mail about a dossier."""

from django.conf import settings

from cqp.emails import _link
from cqp.mail import queue_mail

from .enums import Path


def _url(dossier):
    return settings.SITE_URL + dossier.get_absolute_url()


def send_inscription_confirmation(dossier):
    queue_mail("inscription_confirmation", {"dossier": dossier, "url": _url(dossier)}, [dossier.candidate.email])


def send_employee_registered(dossier, *, invite):
    context = {"dossier": dossier, "url": _url(dossier)}
    if invite:
        context["activation_link"] = _link("invitation_accept", dossier.candidate)
    queue_mail("employee_registered", context, [dossier.candidate.email])


def send_dossier_presented_again(dossier, *, units, comment=""):
    """The candidate is told their dossier goes back before a jury for its missing units (partial validation)."""
    context = {
        "dossier": dossier,
        "units": units,
        "comment": comment,
        "vae": dossier.path == Path.VAE,
        "url": _url(dossier),
    }
    queue_mail("dossier_presented_again", context, [dossier.candidate.email])


def send_dossier_closed(dossier):
    queue_mail("dossier_closed", {"dossier": dossier, "url": _url(dossier)}, [dossier.candidate.email])
