from . import roles
from .enums import Role
from .permissions import has_page_perm
from .two_factor import can_use_two_factor

# The navbar has room for a short name only: the staff's full label (« Équipe du certificateur (OEMM, Ucanss) »)
# pushed the bar past 1366 px.
SHORT_LABELS = {Role.OEMM: "Certificateur"}


def _short(role) -> str:
    return SHORT_LABELS.get(Role(role), Role(role).label)


def navigation(request):
    if not request.user.is_authenticated:
        return {"nav_items": roles.navigation(None)}
    current = roles.active_role(request)
    return {
        "nav_items": roles.navigation(current, request.user),
        "active_role": current,
        "active_role_label": _short(current) if current else "",
        "user_roles": [(r, Role(r).label) for r in roles.user_roles(request.user)],
        "two_factor_available": can_use_two_factor(request.user),
        # rules' answer like the view's require_perm (the template tag would let a superuser through)
        "can_see_my_data": has_page_perm(request.user, "cqp.view_candidat_dashboard"),
    }
