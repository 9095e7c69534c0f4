"""The navbar's bell: the person's unread count, one COUNT query, run only when a page shows the bell (lazy)."""

from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from cqp import compiled_queries
from cqp.enums import Role
from cqp.roles import cached_url

from .models import Notification

# Every role: candidates too are notified in the platform (a message on their dossier, a piece to replace).
BELL_ROLES = {Role.CANDIDAT, Role.ORGANISME, Role.ENTREPRISE, Role.OEMM, Role.JURY, Role.ADMIN}


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.role_set & BELL_ROLES):
        return {"notification_bell": False}
    return {"notification_bell": True, "notification_bell_link": BellLink(request, user)}


def _unread_of(user_id):
    return Notification.objects.filter(recipient_id=user_id).unread()


class BellLink:
    """The bell's link, which templates/base.html shows twice (narrow and wide screens): written once, when the page
    first shows it, and only then is the unread count read (a page without the frame, an htmx fragment, runs no
    COUNT). The HTML is written here rather than in a template included twice (issue 20)."""

    def __init__(self, request, user):
        self.request, self.user = request, user

    @cached_property
    def unread(self) -> int:
        return compiled_queries.count(_unread_of, self.user.pk)

    @cached_property
    def html(self) -> SafeString:
        match = self.request.resolver_match
        active = " active" if match is not None and match.namespace == "notifications" else ""
        unread = self.unread
        if unread:
            count = localize(unread)
            label, icon = f"{count} non lue{'s' if unread != 1 else ''}", "bi-bell-fill"
            badge = f'<span class="badge rounded-pill text-bg-warning ms-1">{count}</span>'
        else:
            label, icon, badge = "aucune non lue", "bi-bell", ""
        return SafeString(
            f'<a class="nav-link text-nowrap{active}" href="{cached_url("notifications:list")}" '
            f'aria-label="Notifications : {label}"><i class="bi {icon}" aria-hidden="true"></i>{badge}</a>\n'
        )  # the line's end, as the template it replaces wrote it

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:  # the template engine calls str(), then looks for __html__ on the result
        return self.html
