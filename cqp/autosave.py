"""The one autosave of every autosaved page: livret 1, livret 2, entretien d'accueil, livrets of the voie formative
(livret de suivi, évaluations formatives, candidate's part, evaluators' assessments, fiche de synthèse) and the tutor's
entries.

A view fetches its object (an outsider gets the 404 of ``get_object_or_404``, a reader without the right the 403 of
its predicate: ``refuse``), validates its form, and hands the rest to ``autosave``:

* an expired session: 401 with a French message (``login_required`` wraps the view);
* the page posts the version of the object it was loaded with (``name="version"``); a post without it, or with a
  garbled one, is refused like a stale one (``MISSING_VERSION_MESSAGE``); an older version: 409 and the French
  conflict message with a link to the newest version (``cqp.concurrency``: nothing written);
* otherwise the version is checked again under a row lock, ``save()`` runs and the version goes up by one, in one
  transaction; the answer to htmx is the status fragment (``autosave/_status.html``) carrying the new version;
* without JavaScript (a normal POST) a save redirects back with a message; a refusal redisplays the whole page
  (``render_page``) with what was typed, the errors and, for a conflict, the link to the newest version.

One family of templates: ``autosave/_status.html`` (saved / not saved, the new version), ``autosave/_conflict.html``
(a stale save), ``autosave/_session.html`` (an expired session), ``autosave/_page_alert.html`` (a whole page
refused). This module is the core layer: it knows no app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .concurrency import MISSING_VERSION_MESSAGE, StaleVersionError, check_version
from .exceptions import WorkflowError

__all__ = [
    "MISSING_VERSION_MESSAGE",
    "SESSION_MESSAGE",
    "StaleVersionError",
    "Versioned",
    "autosave",
    "login_required",
    "posted_version",
    "refuse",
]

SESSION_MESSAGE = "Votre session a expiré : rien n'a été enregistré."
STATUS_TEMPLATE = "autosave/_status.html"
CONFLICT_TEMPLATE = "autosave/_conflict.html"
SESSION_TEMPLATE = "autosave/_session.html"


@dataclass(frozen=True)
class Versioned:
    """Where the version counter of an edited object lives: its model, how to find it, which field. An object not
    created yet counts as version 1 (the default of the field)."""

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
    """The version the page was loaded with; None when the post carries none; -1 (always refused) when garbled."""
    raw = request.POST.get("version")
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        return -1


def session_expired(request) -> HttpResponse:
    """401 with a French message: a fragment for the status zone (htmx) or a whole page (no JavaScript)."""
    return render(
        request,
        SESSION_TEMPLATE,
        {
            "message": SESSION_MESSAGE,
            "login_url": reverse("login"),
            "page_url": request.get_full_path(),
            "full_page": not request.htmx,
        },
        status=401,
    )


def login_required(view):
    """A signed-out (expired session) autosave gets the 401 of ``session_expired``; a page view goes to the login."""
    protected = _login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return session_expired(request)
        return protected(request, *args, **kwargs)

    return wrapper


def refuse(request, message: str, *, back_url: str, status: int = 403) -> HttpResponse:
    """Nothing may be saved here: the message in the status zone (htmx, with ``status``). Without JavaScript, a person
    not allowed (403) gets the 403 page, a wrong state sends back to ``back_url`` with the message."""
    if request.htmx:
        return render(request, STATUS_TEMPLATE, {"errors": [message]}, status=status)
    if status == 403:
        raise PermissionDenied(message)
    messages.error(request, message)
    return redirect(back_url)


@transaction.atomic
def _checked_save(expected, versioned: Versioned, *, lock, save):
    if lock is not None:
        lock()  # e.g. the dossier row, so that two first saves of an object not created yet cannot both pass
    check_version(expected, versioned.current(lock=True))
    result = save()
    return result, versioned.bump()


def autosave(
    request,
    *,
    versioned: Versioned,
    save: Callable[[], object],
    page_url: str,
    render_page: Callable[[dict, int], HttpResponse],
    errors=(),
    save_with_errors=False,
    lock: Callable[[], object] | None = None,
    form_id: str = "",
    status_context: Callable[[object], dict] | None = None,
    success_url: str | None = None,
    success_message: str | None = None,
) -> HttpResponse:
    """Answer the POST of an autosaved page (see the module's docstring).

    ``errors``: the form's French errors; they stop the save, unless ``save_with_errors`` (a draft keeps what is
    valid and shows the rest as warnings). ``render_page(extra_context, status)``: the whole page with the bound form,
    for a refused save without JavaScript. ``status_context(saved)``: what the page's status fragment adds (totals,
    progress), from what ``save()`` returned. ``success_url``: where a saved no-JS post goes (default: the page).
    """
    expected = posted_version(request)
    blocking = [] if save_with_errors else list(errors)
    warnings = list(errors) if save_with_errors else []
    stale, saved, new_version = False, None, None
    if not blocking:
        try:
            saved, new_version = _checked_save(expected, versioned, lock=lock, save=save)
        except StaleVersionError as exc:
            stale, blocking = True, [str(exc)]
        except WorkflowError as exc:
            blocking = [str(exc)]
    if request.htmx:
        if stale:
            return render(request, CONFLICT_TEMPLATE, {"message": blocking[0], "page_url": page_url}, status=409)
        context = {"errors": blocking, "warnings": warnings, "form_id": form_id}
        if not blocking:
            context.update(saved_at=timezone.now(), new_version=new_version)
            if status_context is not None:
                context.update(status_context(saved))
        return render(request, STATUS_TEMPLATE, context)
    if not blocking:
        messages.success(request, success_message or f"Enregistré à {timezone.localtime():%H:%M}.")
        for warning in warnings:
            messages.warning(request, warning)
        return redirect(success_url or page_url)
    # The page again, with what was typed: a stale page keeps its old version (saving again is refused until it is
    # reloaded), a page without a version gets none.
    page_version = expected if expected is not None else 0
    return render_page(
        {"errors": blocking, "stale": stale, "reload_url": page_url, "edit_version": page_version},
        409 if stale else 200,
    )
