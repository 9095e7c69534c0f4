"""Autosaved pages of the dossier (entretien d'accueil, livrets of the voie formative): where their version counter
lives, the checked save, and the answers to a refused save. The rule itself is in ``cqp/concurrency.py``, shared
with livrets 1 and 2. An object not created yet counts as version 1 (the default).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.shortcuts import render
from django.urls import reverse

from cqp.concurrency import StaleVersionError, check_version

from .models import Dossier

__all__ = ["StaleVersionError", "Versioned", "autosave_login_required", "posted_version", "refused", "save_if_current"]

SESSION_MESSAGE = "Votre session a expiré : rien n'a été enregistré."


@dataclass(frozen=True)
class Versioned:
    """Where the version counter of an edited object lives: its model, how to find it, which field."""

    model: type
    lookup: dict
    field: str = "version"

    def current(self, *, lock=False) -> int:
        queryset = self.model.objects.filter(**self.lookup)
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        value = queryset.values_list(self.field, flat=True).first()
        return 1 if value is None else value

    def bump(self) -> int:
        self.model.objects.filter(**self.lookup).update(**{self.field: F(self.field) + 1})
        return self.current()


def posted_version(request) -> int | None:
    """The version the page was loaded with; -1 (always refused) when not a number.

    None when the post carries no version at all (a client that is not one of our pages, e.g. a script or a page
    cached from before versions existed): then the save is not checked, as before.
    """
    if "version" not in request.POST:
        return None
    try:
        return int(request.POST["version"])
    except ValueError:
        return -1


@transaction.atomic
def save_if_current(dossier, versioned: Versioned, *, expected: int | None, save) -> int:
    """Run ``save()`` only if the object is still at ``expected``; return the new version.

    The dossier row is locked first (as the services do) so that two first saves cannot both pass the check.
    """
    Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).first()
    check_version(expected, versioned.current(lock=True))
    save()
    return versioned.bump()


def autosave_login_required(view):
    """A signed-out (expired session) autosave gets a 401 with a French message; a page view goes to the login."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return render(request, "candidates/autosave_refused.html", {
                "state": "session", "message": SESSION_MESSAGE, "login_url": reverse("login"),
                "page_url": request.get_full_path(), "full_page": not request.htmx,
                "base_template": "candidates/_fragment.html" if request.htmx else "base.html",
            }, status=401)
        return protected(request, *args, **kwargs)

    return wrapper


def refused(request, *, message, page_url, form_id, status=409):
    """The htmx answer to a stale save: the message and a link to reload the latest version."""
    return render(request, "candidates/autosave_refused.html", {
        "state": "stale", "message": message, "page_url": page_url, "form_id": form_id, "full_page": False,
    }, status=status)
