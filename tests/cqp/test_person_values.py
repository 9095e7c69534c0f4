"""The registry of values read with the person (cqp/person_values.py): one function per name."""

import pytest
from django.db.models import Value

from cqp import person_values
from cqp.person_values import register_person_value


def _one():
    return Value(1)


def _other():
    return Value(2)


def test_a_name_takes_one_function(monkeypatch):
    monkeypatch.setattr(person_values, "_values", {})
    register_person_value("one", _one)
    register_person_value("one", _one)  # again, the same: kept once
    assert person_values.person_values() == {"one": _one}
    with pytest.raises(ValueError):
        register_person_value("one", _other)


def test_the_apps_register_the_unread_count():
    assert "unread_notifications" in person_values.person_values()
