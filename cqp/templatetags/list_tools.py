"""``{% filter_fields filter.form %}``: a list's filter fields (templates/cqp/_list_tools.html), written by
cqp/filter_form.py. ``{% cached_url 'oemm_export' export_key 'csv' %}``: ``{% url %}``'s link, reversed once per
process (cqp/roles.py ``cached_url``: arguments from a finite set only, such as an export's key and format)."""

from django import template

from cqp.filter_form import filter_fields as _filter_fields
from cqp.roles import cached_url as _cached_url

register = template.Library()


@register.simple_tag
def filter_fields(form):
    return _filter_fields(form)


@register.simple_tag
def cached_url(name, *args):
    return _cached_url(name, *args)  # escaped by the tag as {% url %} escapes
