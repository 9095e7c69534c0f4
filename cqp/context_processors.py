from . import roles
from .enums import Role
from .two_factor import can_use_two_factor


def navigation(request):
    if not request.user.is_authenticated:
        return {"nav_items": roles.navigation(None)}
    current = roles.active_role(request)
    return {
        "nav_items": roles.navigation(current),
        "active_role": current,
        "active_role_label": Role(current).label if current else "",
        "user_roles": [(r, Role(r).label) for r in roles.user_roles(request.user)],
        "two_factor_available": can_use_two_factor(request.user),
    }
