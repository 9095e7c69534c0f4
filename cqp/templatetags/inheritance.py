"""``{% extends %}``, Django's, the root template's blocks found once per loaded template (a builtin: TEMPLATES in
cqp/settings.py, after Django's own tags, whose ``extends`` it replaces).

On every render Django's ``ExtendsNode`` walks the whole node tree of the template at the root of the inheritance
(templates/base.html for nearly every page) to find its ``{% block %}`` nodes: the same dict each time for the same
loaded template. It is kept here on the side, weakly keyed by the compiled template object (a template reloaded in
development is another object, its blocks found afresh). Django's ``BlockContext.add_blocks`` only reads the dict.
Everything else is Django 5.2's ``ExtendsNode.render``, unchanged (issue 20).
"""

import weakref

from django import template
from django.template import loader_tags
from django.template.base import TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode

register = template.Library()
_ROOT_BLOCKS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _root_blocks(parent) -> dict | None:
    """The blocks of ``parent`` if it is the root of the inheritance (it extends nothing), else None."""
    try:
        return _ROOT_BLOCKS[parent]
    except KeyError:
        pass
    blocks = None
    for node in parent.nodelist:  # the ExtendsNode has to be the first non-text node
        if not isinstance(node, TextNode):
            if not isinstance(node, loader_tags.ExtendsNode):
                blocks = {n.name: n for n in parent.nodelist.get_nodes_by_type(BlockNode)}
            break
    _ROOT_BLOCKS[parent] = blocks
    return blocks


class ExtendsNode(loader_tags.ExtendsNode):
    def render(self, context):
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = _root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def do_extends(parser, token):
    node = loader_tags.do_extends(parser, token)  # Django's checks: one argument, a single extends per template
    return ExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
