"""``{% may "app.perm" user obj as flag %}``: the permission's predicate itself, as the views test it.

django-rules' ``{% has_perm %}`` goes through ``user.has_perm``, which grants everything to a superuser: a
template would then offer an administrator links that the views (``rules.has_perm``) refuse.
"""

import rules
from django import template

register = template.Library()


@register.simple_tag
def may(perm, user, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)
