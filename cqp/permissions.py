"""Who may do what, as small predicates (django-rules).

Views check permissions through ``require_perm``; templates through
``{% has_perm %}`` / ``perms``. Object access goes through querysets scoped to
the user so that outsiders get a 404.
"""

from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .enums import EntrepriseFunction, Role


def _has_role(role):
    @rules.predicate(name=f"is_{role}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_candidat = _has_role(Role.CANDIDAT)
is_organisme = _has_role(Role.ORGANISME)
is_entreprise = _has_role(Role.ENTREPRISE)
is_jury = _has_role(Role.JURY)
is_admin = _has_role(Role.ADMIN)


@rules.predicate
def is_entreprise_rh(user):
    """A company member who acts for it (RH, or function not specified): tutors and evaluators do not enrol."""
    return bool(
        user
        and user.is_authenticated
        and user.roles.filter(role=Role.ENTREPRISE, entreprise_function__in=[EntrepriseFunction.RH, ""]).exists()
    )


# What leads from an object to its certifier: a session or a CQP holds it; a dossier through its CQP; a livret, a
# fiche, a convocation through their dossier or session.
_TOWARDS_CERTIFIER = ("certification", "session", "session_candidate", "dossier", "livret", "fiche")


def certifier_id_of(obj):
    """The id of the certifier an object (session, CQP, dossier, livret, fiche...) belongs to; None if unknown."""
    for _ in range(5):
        if obj is None:
            return None
        if hasattr(obj, "certifier_id"):
            return obj.certifier_id
        obj = next((getattr(obj, a) for a in _TOWARDS_CERTIFIER if getattr(obj, a, None) is not None), None)
    return None


@rules.predicate
def acts_for_object(user, obj):
    """Staff act only for their certifier's objects (OEMM: the CPNEFP Mutualité; Ucanss staff: the Ucanss).
    Without an object (a page, a list), the list itself is scoped by the querysets."""
    if obj is None:
        return True
    scope = user.staff_certifier_ids()
    return scope is None or certifier_id_of(obj) in scope


is_oemm = (_has_role(Role.OEMM) | is_admin) & acts_for_object

rules.add_perm("cqp.view_candidat_dashboard", is_candidat)
rules.add_perm("cqp.view_organisme_dashboard", is_organisme)
rules.add_perm("cqp.view_entreprise_dashboard", is_entreprise)
rules.add_perm("cqp.view_oemm_dashboard", is_oemm)
rules.add_perm("cqp.view_jury_dashboard", is_jury)
rules.add_perm("cqp.manage_accounts", is_oemm)
rules.add_perm("cqp.manage_organisations", is_oemm)


def has_page_perm(user, perm) -> bool:
    """``rules.has_perm(perm, user)`` without an object (a page, a link, a button), answered once per request: the
    person is read anew on each request with their roles, and the answer kept on that object (a page asks the same
    permission for its view, its navigation link and its buttons)."""
    answers = user.__dict__.setdefault("_page_perms", {})
    answer = answers.get(perm)
    if answer is None:
        answer = answers[perm] = rules.has_perm(perm, user)
    return answer


def require_perm(perm):
    """Anonymous people go to the login page; signed-in people without the permission get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # rules.has_perm, not user.has_perm: a superuser holds no role implicitly.
            if not has_page_perm(request.user, perm):
                raise PermissionDenied("Vous n'avez pas accès à cette page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def login_required_page(view):
    """Anonymous people go to the login page (then back); the view checks object access itself.

    An htmx request (an autosave, typically) whose session expired gets a 401 with a message, not the
    login page swapped into the page: the browser keeps what was typed (static/js/autosave.js).
    """
    from django.contrib.auth.decorators import login_required

    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and getattr(request, "htmx", False):
            return session_expired_response(request)
        return protected(request, *args, **kwargs)

    return wrapper


def session_expired_response(request):
    """401 for an htmx request without a session: a French message and a login link back to the current page."""
    from urllib.parse import urlencode

    from django.shortcuts import render
    from django.urls import reverse

    page = getattr(request.htmx, "current_url_abs_path", None) or request.get_full_path()
    login_url = f"{reverse('login')}?{urlencode({'next': page})}"
    return render(request, "_session_expired.html", {"login_url": login_url}, status=401)
