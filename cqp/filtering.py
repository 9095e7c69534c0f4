"""What the lists' FilterSets (django-filter) share: a search box cleaned like cqp/query_params.py, and a sort
parameter ``tri`` whose order is stable (the primary key breaks ties, so pages never overlap).

A value a FilterSet cannot use (an unknown state, a sort on a column that is not offered, « ² » as a year) fails its
form field: django-filter then leaves that filter out, and the page shows as if the parameter had not been given.
"""

import copy

import django_filters
from django import forms
from django.utils.choices import normalize_choices
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ChoiceIterator, ChoiceIteratorMixin
from django_filters.filters import QuerySetRequestMixin

from referentiels import choices as certifications

from . import query_params
from .form_rendering import RENDERER


class StableOrderingFilter(django_filters.OrderingFilter):
    """``?tri=champ`` or ``?tri=-champ``; one key at a time; the primary key last, in the same direction."""

    def filter(self, qs, value):
        if not value:
            return qs
        key = value[0]
        field = self.param_map.get(key.lstrip("-"))
        if field is None:
            return qs
        descending = key.startswith("-")
        return qs.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")


class CertificationFilter(django_filters.ChoiceFilter):
    """``?cqp=<code>``: the CQPs offered are referentiels/choices.py's (read once per process), and the rows are
    filtered on their own certification column (``field_name``, e.g. ``certification_id``): no join with the CQPs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", certifications.certification_choices)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if self.distinct:
            qs = qs.distinct()
        return qs.filter(**{self.field_name: certifications.certification_id(value)})


def clean_search(value) -> str:
    return query_params.text_param({"q": value}, "q")


class SearchFilter(django_filters.CharFilter):
    """Free text on several fields (OR), cleaned of control characters, 200 characters at most."""

    def __init__(self, *args, fields=(), **kwargs):
        self.search_fields = fields
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        from django.db.models import Q

        value = clean_search(value)
        if not value:
            return qs
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return qs.filter(query)


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose form fields carry Bootstrap's classes, and whose choices read from the database (a callable,
    e.g. the CQPs) are read once per request: validating a chosen value and drawing the list would read them twice,
    so a filtered page would make one query more than the unfiltered one. Its fields and labels are written by
    cqp/form_rendering.py (the same HTML, without a template per ``<option>``)."""

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if not isinstance(cls.__dict__.get("base_filters"), _Filters):
            cls.base_filters = _Filters(cls.base_filters)
        super().__init__(*args, **kwargs)

    def get_form_class(self):
        """Built once per FilterSet class (django-filter builds a new class, and its fields, on every request) when
        no filter's field depends on the request (a queryset computed from it); each form still copies the fields
        it is given, as Django's forms do, and reads the choices of a callable then."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.default_renderer = RENDERER
            form_class.base_fields = _Fields(form_class.base_fields)
            if not any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class

    @property
    def form(self):
        form = super().form
        if not getattr(self, "_prepared", False):
            for field in form.fields.values():
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)
                if isinstance(field, ChoiceIteratorMixin):
                    field._choices = field.widget.choices = _ReadChoices(field, _own_choices(field))
                elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                    field.choices = _own_choices(field)
            self._prepared = True
        return form


class _Filters(dict):
    """A FilterSet's filters, copied for each FilterSet as django-filter does, but each filter copied shallowly: a
    request only sets its own ``model`` and ``parent`` on it, while a deep copy remade every choice label (lazy
    strings) of every filter each time. A filter with a ``method`` (bound to its filter) or an already built field
    is deep-copied as before."""

    def __deepcopy__(self, memo):
        return {
            name: copy.deepcopy(f, memo) if f.method is not None or "_field" in f.__dict__ else copy.copy(f)
            for name, f in self.items()
        }


class _Fields(dict):
    """A filter form's fields, copied for each form as Django does, the choices of a choice field excepted: they are
    only read (``ListFilterSet.form`` gives each form its own list), and deep-copying them remade every label."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                fields[name] = result = forms.Field.__deepcopy__(field, memo)
                result._choices = field._choices
            else:
                fields[name] = copy.deepcopy(field, memo)
        return fields


class _ReadChoices(ChoiceIterator):
    """django-filter's iterator (the empty and null choices, then the field's), over choices read once and already
    normalized by that reading: django-filter's normalized them again on each use (validating, drawing the select)."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        yield from self.choices


# The normalized choices of a filter field, by the list they were normalized from (kept with them, so that its id is
# not another's): the states' or the sorts' list lives as long as the process, the CQPs' until referentiels/choices.py
# reads them again. Bounded: emptied when it holds more than _MAX_NORMALIZED lists.
_normalized: dict[int, tuple[list, list]] = {}
_MAX_NORMALIZED = 64


def _own_choices(field) -> list:
    """The field's choices read once, without the empty (and null) choice django-filter's iterator adds itself: given
    back with them, it would add them a second time (« Tous les CQP » twice in the list).

    A django-filter choice field over a list (or a function returning one, the CQPs) is normalized once per list:
    Django's ``normalize_choices`` rebuilt every (value, label) pair of every filter on each request (make bench:
    40 calls, a fifth of the filter form's time). The list given back is shared: it is only read."""
    source = field._choices.choices if isinstance(field._choices, ChoiceIterator) else None
    if callable(source):
        source = source()
    if isinstance(field, ChoiceIteratorMixin) and type(source) is list:
        kept = _normalized.get(id(source))
        if kept is None or kept[0] is not source:
            if len(_normalized) >= _MAX_NORMALIZED:
                _normalized.clear()
            kept = _normalized[id(source)] = (source, list(normalize_choices(source)))
        return kept[1]
    choices = list(field.choices)
    if isinstance(field, ChoiceIteratorMixin):
        choices = choices[(field.empty_label is not None) + (field.null_label is not None) :]
    return choices
