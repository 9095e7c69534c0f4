"""The navbar's bell: the person's unread count, one COUNT query, run only when a page shows the bell (lazy)."""

from django.utils.functional import SimpleLazyObject

from cqp.enums import Role

from .models import Notification

# Every role: candidates too are notified in the platform (a message on their dossier, a piece to replace).
BELL_ROLES = {Role.CANDIDAT, Role.ORGANISME, Role.ENTREPRISE, Role.OEMM, Role.JURY, Role.ADMIN}


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.role_set & BELL_ROLES):
        return {"notification_bell": False}
    return {
        "notification_bell": True,
        "notification_unread": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count()),
    }
