"""``{% role_forms %}``: the role switcher's forms in the page frame (templates/base.html), one per role of the
person, written in Python (issue 20). The template's loop rendered a ``{% csrf_token %}`` and a ``{% url %}`` per
role; the token is the same for the whole request (the context's ``csrf_token``, read once), and so is the URL,
reversed once per process (``cached_url``)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from ..roles import cached_url

register = template.Library()

ITEM = (
    '\n              <li><form method="post" action="{url}">{csrf}<input type="hidden" name="role" value="{code}">'
    '<button class="dropdown-item{active}" type="submit">{label}</button></form></li>\n              '
)


def csrf_input(context) -> str:
    """What ``{% csrf_token %}`` writes (django.template.defaulttags.CsrfTokenNode)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


@register.simple_tag(takes_context=True)
def role_forms(context) -> SafeString:
    """``{% for code, label in user_roles %}<li><form …>{% csrf_token %}…</form></li>{% endfor %}``."""
    url, csrf, active_role = escape(cached_url("switch_role")), csrf_input(context), context.get("active_role")
    return SafeString(
        "".join(
            ITEM.format(
                url=url,
                csrf=csrf,
                code=escape(code),
                active=" active" if code == active_role else "",
                label=escape(label),
            )
            for code, label in context.get("user_roles", ())
        )
    )
