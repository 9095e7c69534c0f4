"""A form renderer that writes the commonest widgets in Python (issue 20).

Django renders every widget, every ``<option>`` of a select and every label through its form templates: on the
dossiers list the filter form alone cost a third of the page's rendering. ``FastFormRenderer`` writes the same HTML
(byte for byte, tests/cqp/test_form_rendering.py compares) for Django's own templates of an ``<input>``, a
``<select>`` with its options and a ``<label>``, from the context the widget built (names, ids, classes, selected
options, aria attributes: whatever the widget put there). Any other template, a template overridden by an installed
app, or a value it does not know how to write (a tuple as an attribute...) goes through the template engine as
before.
"""

from html import escape  # what django.utils.html.escape does, without marking each piece safe
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.safestring import SafeData

# Django's own form templates; each kind is written in Python only while the template found is this file.
DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"
INPUT_TYPES = (
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "color",
)
INPUT_TEMPLATES = {f"django/forms/widgets/{kind}.html" for kind in INPUT_TYPES}
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
LABEL_TEMPLATE = "django/forms/label.html"
# The templates each kind includes: all of them must be Django's own.
INPUT_INCLUDED = ("django/forms/widgets/input.html", "django/forms/widgets/attrs.html")
SELECT_INCLUDED = (OPTION_TEMPLATE, "django/forms/widgets/attrs.html")
LABEL_INCLUDED = ("django/forms/attrs.html",)

_VALUE_CONTEXT = Context()  # what a template's {{ value }} is written with: autoescape on, default l10n and tz


class Unsupported(Exception):
    """A value the Python writer leaves to the template engine."""


def _text(value) -> str:
    """``{{ value }}`` in an autoescaped template."""
    if isinstance(value, str):
        return value if isinstance(value, SafeData) else escape(value)
    return render_value_in_context(value, _VALUE_CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` in an autoescaped template (the filter keeps safe strings safe)."""
    if isinstance(value, SafeData):
        return str(value)
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, (int, float, Promise)):  # bool included (True and False are handled by _attrs)
        return escape(str(value))  # what "%s" % value writes
    raise Unsupported


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html: `` name="value"``, `` name`` for True, nothing for
    False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _select(widget) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                raise Unsupported
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input_writer(context) -> str:
    return _input(context["widget"])


def _select_writer(context) -> str:
    return _select(context["widget"])


def _label(context) -> str:
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>"


class FastFormRenderer(DjangoTemplates):
    """Django's default form renderer, with inputs, selects and labels written in Python (see the module)."""

    def render(self, template_name, context, request=None):
        writer = self._writer(template_name)
        if writer is not None:
            try:
                return writer(context).strip()
            except (Unsupported, KeyError, TypeError, ValueError):
                pass
        return super().render(template_name, context, request=request)

    def _writer(self, template_name):
        if template_name in INPUT_TEMPLATES:
            writer, included = _input_writer, INPUT_INCLUDED
        elif template_name == SELECT_TEMPLATE:
            writer, included = _select_writer, SELECT_INCLUDED
        elif template_name == LABEL_TEMPLATE:
            writer, included = _label, LABEL_INCLUDED
        else:
            return None
        return writer if self._django_own(template_name, included) else None

    def _django_own(self, template_name, included) -> bool:
        """The templates found for these names are Django's own files (no installed app overrides them); checked
        once per name."""
        known = self.__dict__.setdefault("_own", {})
        if template_name not in known:
            known[template_name] = all(
                Path(self.get_template(name).origin.name).is_relative_to(DJANGO_FORMS)
                for name in (template_name, *included)
            )
        return known[template_name]


RENDERER = FastFormRenderer()
