"""``{% filter_fields filter.form %}``: a list's filter fields (templates/cqp/_list_tools.html), written by
cqp/filter_form.py."""

from django import template

from cqp.filter_form import filter_fields as _filter_fields

register = template.Library()


@register.simple_tag
def filter_fields(form):
    return _filter_fields(form)
