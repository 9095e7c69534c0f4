"""``{% messages_link dossier %}``: the link to a dossier's thread with the number of unread messages, for those who
read the thread (nothing for the others)."""

from django import template

from ..access import JURY, role_in_thread, unread_count

register = template.Library()


@register.inclusion_tag("messagerie/_link.html", takes_context=True)
def messages_link(context, dossier):
    user = context["request"].user
    role = role_in_thread(user, dossier) if user.is_authenticated else None
    return {
        "dossier": dossier,
        "show": role is not None,
        "unread": unread_count(user, dossier) if role not in (None, JURY) else 0,
    }
