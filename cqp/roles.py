"""Which dashboard and navigation go with each role."""

from django.urls import reverse

from .enums import Role

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


def navigation(role) -> list[tuple[str, str]]:
    """(label, url) entries of the navigation bar for a role."""
    items = {
        Role.CANDIDAT: [("Mon tableau de bord", "dashboard_candidat")],
        Role.ORGANISME: [("Tableau de bord", "dashboard_organisme"), ("Accompagnements VAE", "vae:accompagnements")],
        Role.ENTREPRISE: [("Tableau de bord", "dashboard_entreprise")],
        Role.OEMM: [
            ("Tableau de bord", "dashboard_oemm"),
            ("Dossiers", "candidates:list"),
            ("Recevabilité", "vae:queue"),
            ("Sessions de jury", "jury:list"),
            ("Échéances", "oemm_deadlines"),
            ("Comptes", "oemm_accounts"),
            ("Organismes", "oemm_organismes"),
            ("Entreprises", "oemm_entreprises"),
        ],
        Role.ADMIN: [
            ("Tableau de bord", "dashboard_oemm"),
            ("Dossiers", "candidates:list"),
            ("Recevabilité", "vae:queue"),
            ("Sessions de jury", "jury:list"),
            ("Échéances", "oemm_deadlines"),
            ("Comptes", "oemm_accounts"),
            ("Organismes", "oemm_organismes"),
            ("Entreprises", "oemm_entreprises"),
        ],
        Role.JURY: [("Mes sessions", "dashboard_jury")],
    }.get(role, [])
    # "Mes rappels" sits in the account menu; the catalogue is in the footer for staff roles.
    catalogue = (
        [("Catalogue des CQP", reverse("referentiels:catalogue"))]
        if role in (None, Role.CANDIDAT, Role.ENTREPRISE)
        else []
    )
    return [(label, reverse(name)) for label, name in items] + catalogue
