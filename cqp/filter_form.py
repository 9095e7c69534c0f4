"""The fields of a list's filter form (templates/cqp/_list_tools.html) written in Python (issue 20).

The template's loop built, for each field, a BoundField, its label through ``label_tag`` and its widget through
``get_context`` and the form renderer: about a third of a millisecond for the dossiers list's four fields. For the
plain text inputs and selects of these forms, ``filter_fields`` writes the same HTML (byte for byte:
tests/cqp/test_filter_form.py compares with the template's loop) from the field, its widget and the value the
BoundField would show. Anything else (another widget, a required, disabled or localized field, help text, a form
with errors or a prefix, choices in groups, a form renderer that is not cqp/form_rendering.py's with Django's own
templates) goes through the BoundFields as the template did.
"""

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .form_rendering import (
    INPUT_TEMPLATES,
    LABEL_TEMPLATE,
    OPTION_TEMPLATE,
    SELECT_TEMPLATE,
    FastFormRenderer,
    Unsupported,
    _attrs,
    _formatted,
    _input,
    _text,
)

SKIPPED = "tri"  # the sort parameter: a hidden input of its own in the template, not a visible field
OPEN, CLOSE = '\n  <div class="col-md">', "</div>\n  "


def filter_fields(form) -> SafeString:
    """What ``{% for field in form %}{% if field.name != "tri" %}`` … ``<div class="col-md">{{ field.label_tag }}
    {{ field }}</div>`` … wrote."""
    try:
        return SafeString("".join(_written(form)))
    except (Unsupported, AttributeError, KeyError, TypeError, ValueError):
        return SafeString(
            "".join(f"{OPEN}{field.label_tag()}{field}{CLOSE}" for field in form if field.name != SKIPPED)
        )


def _written(form):
    renderer = form.renderer
    if (
        not isinstance(renderer, FastFormRenderer)
        or form.prefix
        or form.auto_id != "id_%s"
        or (form.is_bound and form.errors)
        or not isinstance(form.label_suffix, str)
    ):
        raise Unsupported
    for template_name in (LABEL_TEMPLATE, SELECT_TEMPLATE, "django/forms/widgets/text.html"):
        if renderer._writer(template_name) is None:
            raise Unsupported
    endings = gettext(":?.!")
    for name, field in form.fields.items():
        if name == SKIPPED:
            continue
        widget = field.widget
        kind = type(widget)
        if (
            kind not in (forms.TextInput, forms.Select)
            or widget.template_name not in (SELECT_TEMPLATE, *INPUT_TEMPLATES)
            or field.required
            or field.disabled
            or field.localize
            or widget.is_localized
            or field.help_text
            or field.show_hidden_initial
            or field.label is None
            or "id" in widget.attrs
            or (kind is forms.Select and widget.option_template_name != OPTION_TEMPLATE)
            or (kind is forms.Select and widget.option_inherits_attrs)
            or field.label_suffix is not None
        ):
            raise Unsupported
        # BoundField.value(): the initial value, or the submitted one when the form is bound
        value = form.get_initial_for_field(field, name)
        if form.is_bound:
            value = field.bound_data(widget.value_from_datadict(form.data, form.files, name), value)
        value = widget.format_value(field.prepare_value(value))
        # BoundField.label_tag(): the suffix (escaped as format_html does) unless the label ends with punctuation
        label = _text(field.label)
        if field.label and str(field.label)[-1] not in endings:
            label += _text(form.label_suffix)
        attrs = {**widget.attrs, "id": f"id_{name}"}  # BoundField.as_widget's id (auto_id "id_%s", no prefix)
        if kind is forms.Select:
            html = _select(name, value, widget.choices, attrs)
        else:
            html = _input({"type": widget.input_type, "name": name, "value": value, "attrs": attrs})
        yield f'{OPEN}<label for="id_{name}">{label}</label>{html}{CLOSE}'


def _select(name, value, choices, attrs) -> str:
    """Select.optgroups() and django/forms/widgets/select.html without groups: the first option whose value is among
    the formatted values is selected."""
    parts = [f'<select name="{_text(name)}"{_attrs(attrs)}>']
    selected_one = False
    for option_value, option_label in choices:
        if isinstance(option_label, (list, tuple)):
            raise Unsupported
        if option_value is None:
            option_value = ""
        selected = not selected_one and str(option_value) in value
        selected_one |= selected
        parts.append(
            f'\n  <option value="{_formatted(option_value)}"{" selected" if selected else ""}>'
            f"{_text(option_label)}</option>\n"
        )
    parts.append("\n</select>")
    return "".join(parts)
