from django.utils.html import escape
from django.utils.safestring import SafeString

from . import roles
from .enums import Role
from .permissions import has_page_perm
from .two_factor import can_use_two_factor

# The navbar has room for a short name only: the staff's full label (« Équipe du certificateur (OEMM, Ucanss) »)
# pushed the bar past 1366 px.
SHORT_LABELS = {Role.OEMM: "Certificateur"}


def _short(role) -> str:
    return SHORT_LABELS.get(Role(role), Role(role).label)


# The navigation bar's HTML by (links, the active one's URL or None): a handful of link lists (one per role and set of
# permissions), each with one of its links active or none, written once per process (~50 µs a page; issue 20).
_HTML: dict[tuple, SafeString] = {}


class NavigationLinks:
    """The navigation bar's links (label, url), written by templates/base.html as ``{{ nav_links }}``: the same HTML
    as a template loop over them, written in Python when the page shows it, and kept (``_HTML``; issue 20)."""

    ITEM = (
        '\n            <li class="nav-item text-nowrap"><a class="nav-link{active}" href="{url}">{label}</a></li>\n'
        "          "
    )
    ACTIVE = ' active" aria-current="page'

    def __init__(self, request, items):
        self.request, self.items = request, items

    def __iter__(self):
        return iter(self.items)

    def __str__(self) -> SafeString:  # the template engine calls str(), then looks for __html__ on the result
        items, path = tuple(self.items), self.request.path
        key = (items, path if any(url == path for _, url in items) else None)  # any other path: no link active
        html = _HTML.get(key)
        if html is None:
            html = _HTML[key] = SafeString(
                "".join(
                    self.ITEM.format(
                        active=self.ACTIVE if path == url else "",
                        url=escape(url),
                        label=escape(label),
                    )
                    for label, url in items
                )
            )
        return html

    def __html__(self) -> str:
        return str(self)


def navigation(request):
    if not request.user.is_authenticated:
        return {"nav_links": NavigationLinks(request, roles.navigation(None))}
    current = roles.active_role(request)
    return {
        "nav_links": NavigationLinks(request, roles.navigation(current, request.user)),
        "active_role": current,
        "active_role_label": _short(current) if current else "",
        "user_roles": [(r, Role(r).label) for r in roles.user_roles(request.user)],
        "two_factor_available": can_use_two_factor(request.user),
        # rules' answer like the view's require_perm (the template tag would let a superuser through)
        "can_see_my_data": has_page_perm(request.user, "cqp.view_candidat_dashboard"),
    }
