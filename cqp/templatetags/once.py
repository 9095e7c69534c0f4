"""``{% once %}…{% endonce %}``: a fragment of constant HTML rendered once per process (issue 20).

The page frame (templates/base.html) writes on every page the same links: the stylesheets and scripts
(``{% static %}``), the footer's pages and the account menu's (``{% url %}``). Each tag costs a URL reversal or a
storage lookup on every request; inside ``{% once %}`` they are rendered the first time only, and the HTML reused.

Only what cannot depend on the request or the person may be inside: text, ``{% static "…" %}`` and
``{% url "…" %}`` with literal arguments (no variable, no ``as``), comments. Anything else (a variable, ``{% if %}``,
``{% csrf_token %}``) is refused when the template is loaded. The HTML is kept per script prefix and language, on
the template's node (a template reloaded in development starts afresh). The prefix and the language (asgiref locals,
~10 µs the pair) are read once per render, by the page's first ``{% once %}``, and kept in the render context, as
Django's ``{% include %}`` keeps its templates: a page renders a dozen. Hence no ``{% once %}`` inside
``{% language %}`` (refused).
"""

import weakref

from django import template
from django.core.signals import setting_changed
from django.template.base import TextNode
from django.template.defaulttags import CommentNode, LoadNode, URLNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()
_NODES = weakref.WeakSet()  # every {% once %} of the loaded templates, forgotten when a setting changes
_KEY = object()  # the render context's entry: (script prefix, language) of the page being rendered


def _literal(expression) -> bool:
    return expression is not None and not expression.is_var and not expression.filters


def _constant(node) -> bool:
    if isinstance(node, (TextNode, CommentNode, LoadNode)):
        return True
    if isinstance(node, URLNode):
        return (
            node.asvar is None
            and _literal(node.view_name)
            and all(_literal(arg) for arg in node.args)
            and all(_literal(value) for value in node.kwargs.values())
        )
    if isinstance(node, StaticNode):
        return node.varname is None and _literal(node.path)
    return False


class OnceNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}
        _NODES.add(self)

    def render(self, context):
        kept = context.render_context.dicts[0]  # the whole render's, included templates too (as IncludeNode's cache)
        key = kept.get(_KEY)
        if key is None:
            key = kept[_KEY] = (get_script_prefix(), get_language())
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context.new())
        return html


@register.tag
def once(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% once %} ne prend pas d'argument.")
    if any(command == "language" for command, *_ in parser.command_stack):
        raise template.TemplateSyntaxError("{% once %} ne peut pas être dans {% language %}.")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    refused = [node for node in nodelist if not _constant(node)]
    if refused:
        raise template.TemplateSyntaxError(
            f"{{% once %}} n'accepte que du texte, {{% static %}} et {{% url %}} constants : {refused[0]!r}."
        )
    return OnceNode(nodelist)


def forget_rendered(**kwargs) -> None:
    """A setting changed (the tests' ``settings`` fixture, ``override_settings``): the storage of static files, its
    URL or the URLconf may no longer give the HTML kept, so every fragment is rendered again on its next use."""
    for node in list(_NODES):
        node.rendered.clear()


setting_changed.connect(forget_rendered, dispatch_uid="cqp-once-forget-rendered")
