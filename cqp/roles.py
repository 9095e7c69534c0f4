"""Which dashboard and navigation go with each role."""

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse

from .enums import Role
from .permissions import has_page_perm

# Order of preference when a person holds several roles.
ROLE_ORDER = [Role.OEMM, Role.ADMIN, Role.JURY, Role.ORGANISME, Role.ENTREPRISE, Role.CANDIDAT]

DASHBOARD_URL = {
    Role.CANDIDAT: "dashboard_candidat",
    Role.ORGANISME: "dashboard_organisme",
    Role.ENTREPRISE: "dashboard_entreprise",
    Role.OEMM: "dashboard_oemm",
    Role.ADMIN: "dashboard_oemm",
    Role.JURY: "dashboard_jury",
}


def user_roles(user) -> list[str]:
    return [r for r in ROLE_ORDER if user.has_role(r)]


def active_role(request) -> str | None:
    roles = user_roles(request.user) if request.user.is_authenticated else []
    chosen = request.session.get("active_role")
    if chosen in roles:
        return chosen
    return roles[0] if roles else None


# The navigation bar: (label, URL name, the permission that guards the view). A link is shown only if that same
# permission allows the person (tests/cqp/test_menus.py follows every link shown, per role, and expects a 200).
_OEMM_ITEMS = [
    ("Tableau de bord", "dashboard_oemm", "cqp.view_oemm_dashboard"),
    ("Dossiers", "candidates:list", "candidates.list_dossiers"),
    ("Recevabilité", "vae:queue", "vae.view_queue"),
    ("Sessions de jury", "jury:list", "jury.list_sessions"),
    ("Échéances", "oemm_deadlines", "cqp.view_oemm_dashboard"),
    ("Comptes", "oemm_accounts", "cqp.manage_accounts"),
    ("Organismes", "oemm_organismes", "cqp.manage_organisations"),
    ("Entreprises", "oemm_entreprises", "cqp.manage_organisations"),
]
NAVIGATION = {
    Role.CANDIDAT: [
        ("Mon tableau de bord", "dashboard_candidat", "cqp.view_candidat_dashboard"),
        ("Mon entretien d'accueil", "candidates:slot_booking", "candidates.book_entretien"),
    ],
    Role.ORGANISME: [
        ("Tableau de bord", "dashboard_organisme", "cqp.view_organisme_dashboard"),
        ("Accompagnements VAE", "vae:accompagnements", "vae.list_accompagnements"),
        ("Créneaux d'entretien", "candidates:slots", "candidates.manage_entretien_slots"),
    ],
    Role.ENTREPRISE: [("Tableau de bord", "dashboard_entreprise", "cqp.view_entreprise_dashboard")],
    Role.OEMM: _OEMM_ITEMS,
    Role.ADMIN: _OEMM_ITEMS,
    Role.JURY: [("Mes sessions", "dashboard_jury", "cqp.view_jury_dashboard")],
}


_URLS: dict[tuple, str] = {}


def cached_url(name: str, *args) -> str:
    """A URL (the navigation's, the bell's, a list's exports: ``{% cached_url %}``, cqp/templatetags/list_tools.py),
    reversed once per process (and script prefix). Its arguments come from a finite set written in the code or the
    templates (an export's key and format), never from the request: each is kept for the process's life."""
    key = (name, args, get_script_prefix())
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name, args=args)
    return url


def _forget_urls(setting, **kwargs) -> None:
    """Another URLconf (a test's ``override_settings``): the navigation's URLs are reversed again."""
    if setting == "ROOT_URLCONF":
        _URLS.clear()


setting_changed.connect(_forget_urls, dispatch_uid="cqp-roles-forget-urls")


def navigation(role, user=None) -> list[tuple[str, str]]:
    """(label, url) entries of the navigation bar for a role, each only if its view's permission allows the user."""
    allowed: dict[str, bool] = {}  # several links share a permission: each is tested once
    items = []
    for label, name, perm in NAVIGATION.get(role, []) if user is not None else []:
        if perm not in allowed:
            allowed[perm] = has_page_perm(user, perm)
        if allowed[perm]:
            items.append((label, name))
    # "Mes rappels" sits in the account menu; the catalogue is in the footer for staff roles.
    catalogue = (
        [("Catalogue des CQP", cached_url("referentiels:catalogue"))]
        if role in (None, Role.CANDIDAT, Role.ENTREPRISE)
        else []
    )
    return [(label, cached_url(name)) for label, name in items] + catalogue
